import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyResult } from '../tutorial-api.js';
import type { Verdict } from './protocol.js';

// The one place a verify meets the workshop, for the CLI and the UI alike (both verify through the
// engine's Tutorial). Kept apart from client.ts so a workspace that never joined loads no more
// than this file and sends nothing.

/** What a verify says to the instructor: check ids only (never a message, never a file). */
export const verdictOf = (result: VerifyResult): Verdict => ({
  passed: result.passed,
  passedChecks: result.checks.filter((c) => c.status === 'pass').map((c) => c.id),
  failedChecks: result.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id),
  attempts: result.attempts,
});

/** The workshop file exists only in a workspace that joined. */
export const joinedWorkshop = (workspace: string): boolean => existsSync(join(workspace, '.learn-go-docker', 'workshop.json'));

/** After each recorded verify of a joined workspace: the event goes to the outbox and is sent in the background. */
export const reportVerifyToWorkshop = async (
  workspace: string,
  verified: { lesson: { id: string; number: number }; result: VerifyResult; startedAt?: string },
): Promise<void> => {
  if (!joinedWorkshop(workspace)) return;
  const { recordVerify } = await import('./client.js');
  await recordVerify(workspace, {
    lesson: verified.lesson,
    verdict: verdictOf(verified.result),
    ...(verified.startedAt ? { startedAt: verified.startedAt } : {}),
  });
};
