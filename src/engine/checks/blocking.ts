import type { BlockingProblem, CheckReport } from './types.js';

/**
 * For text renderers: the first check skipped for a blocking reason shows the full explanation
 * (the build output, how to install Docker), later ones keep their one line. JSON output keeps
 * both apart instead (`checks[].reason` and `blocking`).
 */
export const explainOnce = (checks: readonly CheckReport[], blocking: readonly BlockingProblem[]): CheckReport[] => {
  const pending = new Map(blocking.map((b) => [b.reason, b]));
  return checks.map((check) => {
    const problem = check.status === 'skip' && check.reason ? pending.get(check.reason) : undefined;
    if (!problem) return check;
    pending.delete(problem.reason);
    return { ...check, message: problem.message, ...(problem.line !== undefined && check.line === undefined ? { line: problem.line } : {}) };
  });
};
