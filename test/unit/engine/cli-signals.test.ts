import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../hostile/harness.js';

// The first SIGINT/SIGTERM ends any command (issue 9), also one that never looks at the abort signal:
// here a verify waiting for a workspace lock held by another live process (pid 1). Docker cleanup
// runs first (nothing to clean here), then the process exits 130 (SIGINT) or 143 (SIGTERM).

let root = '';
let ws = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lgd-signals-'));
  ws = join(root, 'lab');
  expect((await runCli(['init', '--yes', '--dir', ws])).code).toBe(0);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const waitFor = async (test: () => boolean, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return test();
};

describe('signals end any command at the first one', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a command that ignores the abort exits %i within a second', async (signal, code) => {
    const lock = join(ws, '.learn-go-docker', 'lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: hostname(), at: Date.now() }));
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    try {
      const running = runCli(['verify', '--static-only', '--dir', ws]);
      // Still waiting for the lock: the command has not ended on its own.
      expect(await waitFor(() => exit.mock.calls.length > 0, 400)).toBe(false);
      const sent = Date.now();
      process.emit(signal, signal);
      expect(await waitFor(() => exit.mock.calls.length > 0, 3000), 'process.exit was never called').toBe(true);
      expect(exit).toHaveBeenCalledWith(code);
      expect(Date.now() - sent).toBeLessThan(1500);
      // What main() returns once the lock is free is the signal's code too (bin.ts sets it as the exit code).
      rmSync(lock, { force: true });
      expect((await running).code).toBe(code);
    } finally {
      rmSync(lock, { force: true });
      exit.mockRestore();
    }
  });
});
