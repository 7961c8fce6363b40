/** A shell command that compiles Go: `go build` or `go install`, at the start or after a separator. */
export const GO_COMPILE = /(^|[\s;&|(])go\s+(build|install)\b/;

/** A shell command that runs Go's tests: `go test`, at the start or after a separator. */
export const GO_TEST = /(^|[\s;&|(])go\s+test\b/;

/** A command followed by `|| true` (or `|| :`, `|| exit 0`, `|| echo ...`) on its line: the step succeeds whatever it says. */
const swallowedBy = (command: string): RegExp => new RegExp(`${command}[^\\n]*?\\|\\|\\s*(?:true\\b|:|exit\\s+0\\b|echo\\b)`);

/** `go test ... || true` (or `|| :`, `|| exit 0`, `|| echo ...`): the step succeeds whatever the tests say. */
export const GO_TEST_SWALLOWED = swallowedBy(String.raw`\bgo\s+test\b`);

/**
 * Why a RUN's status is not the status of `command` (a regex source), in a Dockerfile (`/bin/sh -c`,
 * no `set -e`, no pipefail): `|| true` and the like; a pipe (`| tee log`: the status is the last
 * command's); another command after it (`; echo done`, or the next line of a heredoc). The tail
 * that swallows it, or undefined. `shellWords`: the stage's SHELL (["/bin/bash", "-o", "pipefail",
 * "-c"], or with -e), which holds for every RUN after it.
 */
export const swallowedInRun = (text: string, command: string, shellWords: readonly string[] = []): string | undefined => {
  const or = swallowedBy(command).exec(text);
  if (or) return or[0].slice(or[0].lastIndexOf('||')).trim();
  const at = new RegExp(command).exec(text);
  if (!at) return undefined;
  const pipefail = /\bpipefail\b/.test(text) || shellWords.includes('pipefail');
  const errexit = /\bset\s+-[a-z]*e/.test(text) || shellWords.some((w) => /^-[a-z]*e[a-z]*$/.test(w));
  const rest = text.slice(at.index).replace(/\\\n/g, ' ');
  // The first separator after the command: && and || keep its status (|| was handled above).
  const sep = /(&&|\|\||\||;|\n)/.exec(rest);
  if (!sep || sep[1] === '&&' || sep[1] === '||') return undefined;
  const next =
    rest
      .slice(sep.index + sep[1]!.length)
      .trim()
      .split('\n')[0]
      ?.trim() ?? '';
  if (!next) return undefined;
  if (sep[1] === '|') return pipefail ? undefined : `| ${next}`;
  return errexit ? undefined : `${sep[1] === ';' ? '; ' : ''}${next}`;
};

/** swallowedInRun for `go test`. */
export const goTestSwallowedInRun = (text: string, shellWords: readonly string[] = []): string | undefined =>
  swallowedInRun(text, String.raw`\bgo\s+test\b`, shellWords);
