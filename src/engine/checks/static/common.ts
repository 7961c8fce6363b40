import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import type { CheckOutcome, StaticCheckDefinition, StaticContext } from '../types.js';

/** Params schema of checks that take none (unknown keys are refused so a lesson typo is caught). */
export const noParams = z.object({}).strict();

/** Erases a check's own params type for the registry; each check's zod schema validates its params. */
export const defineStatic = <P>(def: StaticCheckDefinition<P>): StaticCheckDefinition =>
  def as unknown as StaticCheckDefinition;

export const outcome = (
  status: CheckOutcome['status'],
  message: Localized,
  extra: { line?: number | null; measured?: CheckOutcome['measured'] } = {},
): CheckOutcome => ({
  status,
  message,
  ...(extra.line !== undefined && extra.line !== null ? { line: extra.line } : {}),
  ...(extra.measured ? { measured: extra.measured } : {}),
});

/** "Line 12: " / "第 12 行：" prefix, empty when there is no line. */
export const at = (line: number | null | undefined): { en: string; zh: string } =>
  line === null || line === undefined ? { en: '', zh: '' } : { en: `Line ${line}: `, zh: `第 ${line} 行：` };

/** Builds a message that starts with the line it is about. */
export const atLine = (line: number | null | undefined, en: string, zh: string): Localized => {
  const where = at(line);
  return L(`${where.en}${en}`, `${where.zh}${zh}`);
};

/**
 * The parsed Dockerfile, or the outcome to return when there is none: every dockerfile.* check
 * other than dockerfile.exists skips, because dockerfile.exists already reports why.
 */
export const withDockerfile = (
  ctx: StaticContext,
  run: (analysis: DockerfileAnalysis) => CheckOutcome,
): CheckOutcome => {
  const analysis = ctx.dockerfile;
  if (!analysis) {
    return outcome('skip', L(`Skipped: ${ctx.dockerfilePath} does not exist yet; create it first.`, `已跳过：${ctx.dockerfilePath} 还不存在，请先创建它。`));
  }
  if (!analysis.ok) {
    return outcome('skip', L(`Skipped: fix the Dockerfile first (${ctx.dockerfilePath} does not parse).`, `已跳过：请先修正 Dockerfile（${ctx.dockerfilePath} 无法解析）。`));
  }
  return run(analysis);
};

/** Stage indices from the final stage's root ancestor down to the final stage. */
export const finalChain = (analysis: DockerfileAnalysis): number[] => {
  const chain: number[] = [];
  let index: number | null = analysis.finalStage;
  while (index !== null && index >= 0) {
    chain.unshift(index);
    index = analysis.stages[index]?.fromStage ?? null;
  }
  return chain;
};
