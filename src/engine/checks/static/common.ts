import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { jsonForm } from '../../dockerfile/instruction.js';
import type { DockerfileAnalysis, EnvEntry, Finding, InstructionInfo } from '../../dockerfile/types.js';
import { count, outcome } from '../outcome.js';
import type { CheckOutcome, StaticContext } from '../types.js';

/**
 * The first finding of these rules (in the order given, optionally on one line). A static check
 * that mirrors a Dockerfile rule fails with the rule's own finding, so `lint` and `verify` say the
 * same words for the same fault.
 */
export const findingOf = (analysis: DockerfileAnalysis, ids: readonly string[], line?: number | null): Finding | undefined => {
  for (const id of ids) {
    const found = analysis.findings.find((f) => f.id === id && (line === undefined || f.line === line));
    if (found) return found;
  }
  return undefined;
};

/** A fail made of a rule's finding. */
export const failWith = (found: Finding): CheckOutcome => outcome('fail', found.message, { line: found.line });

/** Params schema of checks that take none (unknown keys are refused so a lesson typo is caught). */
export const noParams = s.object({}).strict();

/**
 * The parsed Dockerfile, or the outcome to return when there is none: every dockerfile.* check
 * other than dockerfile.exists skips, because dockerfile.exists already reports why.
 */
export const withDockerfile = <T extends CheckOutcome | Promise<CheckOutcome>>(
  ctx: StaticContext,
  run: (analysis: DockerfileAnalysis) => T,
): T | CheckOutcome => {
  const analysis = ctx.dockerfile;
  if (!analysis) {
    return outcome('skip', L(`Skipped: ${ctx.dockerfilePath} does not exist yet; create it first.`, `已跳过：${ctx.dockerfilePath} 还不存在，请先创建它。`), {
      reason: 'no-dockerfile',
    });
  }
  if (!analysis.ok) {
    return outcome(
      'skip',
      L(`Skipped: fix the Dockerfile first (${ctx.dockerfilePath} does not parse).`, `已跳过：请先修正 Dockerfile（${ctx.dockerfilePath} 无法解析）。`),
      { reason: 'dockerfile-invalid' },
    );
  }
  return run(analysis);
};

/** The stage indices a stage builds on (FROM an earlier stage), root first, ending with the stage itself. */
export const stageChain = (analysis: DockerfileAnalysis, stage: number): number[] => {
  const chain: number[] = [];
  let index: number | null = stage;
  while (index !== null && index >= 0 && !chain.includes(index)) {
    chain.unshift(index);
    index = analysis.stages[index]?.fromStage ?? null;
  }
  return chain;
};

/** Stage indices from the final stage's root ancestor down to the final stage. */
export const finalChain = (analysis: DockerfileAnalysis): number[] => stageChain(analysis, analysis.finalStage);

/**
 * The ENV the image carries for `name`: the last one in the final stage or in a stage it builds
 * FROM (an ENV of another stage never reaches the image). Undefined without one, or when the
 * Dockerfile does not parse.
 */
export const imageEnv = (analysis: DockerfileAnalysis | undefined, name: string): EnvEntry | undefined => {
  if (!analysis?.ok) return undefined;
  const chain = finalChain(analysis);
  return analysis.env.filter((e) => e.kind === 'ENV' && e.name === name && chain.includes(e.stage)).pop();
};

/** A RUN --mount of the analysed Dockerfile, its options parsed (type, target, id...). */
export interface Mount {
  readonly line: number;
  readonly options: Record<string, string>;
}

export const mounts = (analysis: DockerfileAnalysis, type: string): Mount[] =>
  analysis.instructions
    .filter((i) => i.keyword === 'RUN')
    .flatMap((i) =>
      i.flags
        .filter((f) => f.name === 'mount')
        .map((f) => ({
          line: i.line,
          options: Object.fromEntries((f.value ?? '').split(',').map((kv) => [kv.split('=')[0]?.trim() ?? '', kv.slice(kv.indexOf('=') + 1).trim()])),
        })),
    )
    .filter((m) => (m.options.type ?? 'bind') === type);

/**
 * Whether the Dockerfile sets the command of the image it builds (a CMD or ENTRYPOINT in the final
 * stage or a stage it is built FROM): when not, the image runs its base image's command (a build
 * stage: bash), which is not a program of the learner's. true when it cannot tell.
 */
export const setsOwnCommand = (analysis: DockerfileAnalysis | undefined): boolean => {
  if (!analysis?.ok) return true;
  const chain = finalChain(analysis);
  return analysis.instructions.some((i) => chain.includes(i.stage) && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
};

/** One thing wrong with a file a static check reads (a workflow, a manifest), at its line when it has one. */
export interface FileFinding {
  readonly file: string;
  readonly line?: number;
  readonly en: string;
  readonly zh: string;
}

/**
 * A fail listing the findings under their file, "- line N: ..." each, in both languages: in the
 * order of the file's lines, as the learner reads it (findings without a line last).
 */
export const renderFindings = (findings: readonly FileFinding[]): CheckOutcome => {
  const files = [...new Set(findings.map((f) => f.file))];
  // The first line is what a one-line summary shows: the finding itself when there is one, else
  // the file and how many problems follow (never a bare "file:").
  const text = (lang: 'en' | 'zh') =>
    files
      .map((file) => {
        const own = findings.filter((f) => f.file === file).sort((a, b) => (a.line ?? Number.POSITIVE_INFINITY) - (b.line ?? Number.POSITIVE_INFINITY));
        const [only] = own;
        if (own.length === 1 && only) {
          if (lang === 'zh') return only.line === undefined ? `${file}：${only.zh}` : `${file} 第 ${only.line} 行：${only.zh}`;
          return only.line === undefined ? `${file}: ${only.en}` : `${file}, line ${only.line}: ${only.en}`;
        }
        const lines = own.map((f) =>
          f.line === undefined ? `- ${lang === 'en' ? f.en : f.zh}` : lang === 'en' ? `- line ${f.line}: ${f.en}` : `- 第 ${f.line} 行：${f.zh}`,
        );
        return lang === 'en' ? `${file}: ${count(own.length, 'problem')}:\n${lines.join('\n')}` : `${file}：${own.length} 个问题：\n${lines.join('\n')}`;
      })
      .join('\n');
  return outcome('fail', L(text('en'), text('zh')));
};

/**
 * The words of the SHELL a RUN runs under (the last SHELL before it in its stage or the stages it
 * is FROM), [] for the default /bin/sh -c: a `-e` or `pipefail` there changes what a RUN's status is.
 */
export const shellWordsAt = (analysis: DockerfileAnalysis, run: InstructionInfo): readonly string[] => {
  const chain = stageChain(analysis, run.stage);
  const shell = analysis.instructions.filter((i) => i.keyword === 'SHELL' && chain.includes(i.stage) && i.line < run.line).pop();
  const form = shell ? jsonForm(shell.args) : undefined;
  return form?.kind === 'exec' ? form.values : [];
};

/**
 * What `$name` is in the shell of a RUN of `stage` at `line`, by Docker's scoping: an ENV of the
 * stage or a stage it is FROM wins; else an ARG of the stage itself (`ARG NAME` alone takes the
 * default of the ARG before the first FROM). `unknown` when only `--build-arg` can say (no
 * default, or a value built from such an ARG); `unset` when the Dockerfile never declares it there.
 */
export const valueAt = (
  analysis: DockerfileAnalysis,
  stage: number,
  line: number,
  name: string,
):
  | { readonly kind: 'set'; readonly value: string; readonly line: number }
  | { readonly kind: 'unknown'; readonly line: number }
  | { readonly kind: 'unset' } => {
  const chain = stageChain(analysis, stage);
  const before = analysis.env.filter((e) => e.name === name && e.line < line);
  const entry = before.filter((e) => e.kind === 'ENV' && chain.includes(e.stage)).pop() ?? before.filter((e) => e.kind === 'ARG' && e.stage === stage).pop();
  if (!entry) return { kind: 'unset' };
  const declared = entry.value === null && entry.kind === 'ARG' ? before.filter((e) => e.kind === 'ARG' && e.stage === -1).pop() : entry;
  if (!declared || declared.value === null || !declared.known) return { kind: 'unknown', line: entry.line };
  return { kind: 'set', value: declared.value, line: declared.line };
};

/** The first of these workspace files that exists (a tool's own search order), with its text. */
export const firstFileOf = async (ctx: StaticContext, files: readonly string[]): Promise<{ file: string; text: string } | undefined> => {
  for (const file of files) {
    const text = await ctx.files.read(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
};

/** What a RUN runs, heredoc bodies included: the analysis' own reading, for the static checks. */
export { runText } from '../../dockerfile/go-build.js';
