import { L, type Localized } from './i18n.js';
import { asUserError } from './fs-errors.js';

/**
 * What went wrong, as every front end shows it (the CLI's last catch and the Ink error banner):
 * the learner can fix it (`user`, exit 2), the machine needs something (`environment`, exit 2, with
 * the doctor hint), the course is broken (`course`, exit 3, please report), or a bug (exit 70, with
 * the stack to report).
 */
export interface Failure {
  readonly kind: 'user' | 'environment' | 'course' | 'bug';
  readonly message: Localized;
  readonly next?: Localized;
  readonly exitCode: number;
  /** The stack of a bug, for the report. */
  readonly detail?: string;
}

const BUG = L('learn-go-docker hit a bug. Please report it with the text below.', 'learn-go-docker 遇到了一个程序错误。请附上下面的内容报告给我们。');

export const describeFailure = (error: unknown): Failure => {
  const known = asUserError(error);
  if (known) return { kind: known.kind, message: known.localized, ...(known.next ? { next: known.next } : {}), exitCode: known.exitCode };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { kind: 'bug', message: BUG, detail, exitCode: 70 };
};
