import type { Localized } from './i18n.js';

/**
 * Something the learner can fix (bad arguments, no workspace, a malformed lesson, Docker missing).
 * The CLI prints the message and the next step and exits 2; it never prints a stack trace for these.
 */
export class UserError extends Error {
  readonly localized: Localized;
  readonly next?: Localized;
  readonly exitCode: number;

  constructor(message: Localized, options: { next?: Localized; exitCode?: number; cause?: unknown } = {}) {
    super(message.en, { cause: options.cause });
    this.name = 'UserError';
    this.localized = message;
    this.next = options.next;
    this.exitCode = options.exitCode ?? 2;
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
