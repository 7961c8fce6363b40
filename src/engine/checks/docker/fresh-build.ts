import type { DockerfileAnalysis } from '../../dockerfile/types.js';

// A build made afresh that later builds can reuse exactly. BuildKit leaves a secret mount out of
// a RUN's cache key, so a layer cached from a build with another secret (image.builds' placeholder,
// or the learner's own build) could stand in for one holding this secret. `--no-cache` avoids that,
// but then every earlier stage searched with --target is built a second time. Instead, an ARG with
// a value no other build has goes right after every FROM: each RUN's cache key includes the build
// args in scope, so every RUN is made afresh once, and the --target builds that follow reuse
// exactly the layers this build made. COPY steps still come from the cache: they read the context,
// which never holds the secret.

export const FRESH_ARG = 'LEARN_GO_DOCKER_FRESH';

/**
 * The Dockerfile with `ARG LEARN_GO_DOCKER_FRESH=<nonce>` after each FROM instruction (after its
 * last line when it is continued), its line endings kept; null when it did not parse.
 */
export const freshDockerfile = (text: string, analysis: DockerfileAnalysis | undefined, nonce: string): string | null => {
  if (!analysis?.ok) return null;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const after = new Set(analysis.instructions.filter((i) => i.keyword.toUpperCase() === 'FROM').map((i) => i.endLine));
  if (after.size === 0) return null;
  const out: string[] = [];
  lines.forEach((line, index) => {
    out.push(line);
    if (after.has(index + 1)) out.push(`ARG ${FRESH_ARG}=${nonce}`);
  });
  return out.join(eol);
};

/** History entries of a fresh build as the learner's own Dockerfile would have them: the ARG steps dropped. */
export const withoutFreshSteps = <T extends { readonly createdBy: string }>(history: readonly T[], nonce: string | undefined): T[] =>
  nonce ? history.filter((h) => h.createdBy.replace(/\s*# buildkit$/, '').trim() !== `ARG ${FRESH_ARG}=${nonce}`) : [...history];

/**
 * A RUN's history text without the fresh ARG: BuildKit writes the build args in scope before the
 * command (`RUN |2 GITHUB_TOKEN=… LEARN_GO_DOCKER_FRESH=… /bin/sh -c …`).
 */
export const withoutFreshArg = (createdBy: string, nonce: string | undefined): string => {
  const arg = `${FRESH_ARG}=${nonce ?? ''}`;
  if (!nonce || !createdBy.includes(arg)) return createdBy;
  return createdBy.replace(/\|(\d+) (.*)$/s, (whole, count: string, rest: string) => {
    if (!rest.includes(arg)) return whole;
    const left = Number(count) - 1;
    const trimmed = rest.replace(new RegExp(`(^| )${arg}(?= |$)`), '').replace(/^ /, '');
    return left > 0 ? `|${left} ${trimmed}` : trimmed;
  });
};
