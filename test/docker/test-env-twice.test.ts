import { readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dockerForTests, ROOT } from './helpers.js';

// `npm test` run twice on one machine: the second `test:env` must not wait for a lock that the
// engine the first one started still holds (dockerd inherited the lock fd; issue 9, item 14).
const caps = await dockerForTests();

const lockFile = (): string =>
  join(process.env.TEST_ENV_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'learn-go-docker', 'test-env'), '.lock');

/** Processes that have the lock file open, as "pid name" (Linux /proc). */
const holders = (path: string): string[] => {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) {
          out.push(`${pid} ${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}`);
          break;
        }
      } catch {
        // the process or fd went away while we looked
      }
    }
  }
  return out;
};

describe.skipIf(!caps || process.platform !== 'linux')('test:env run twice with the engine still running', () => {
  it('no process keeps the lock after a run, and a second run does not wait for one', async () => {
    // Given the engine a first test:env (this suite's set-up) may have started, still running
    expect(holders(lockFile())).toEqual([]);
    // When test:env runs again
    const t0 = Date.now();
    const second = await execa('bash', [join(ROOT, 'scripts', 'test-env.sh')], { cwd: ROOT, reject: false, timeout: 600_000, all: true });
    // Then it finished on its own, never waited for the lock, and left no holder behind either
    expect(second.exitCode, second.all).toBe(0);
    expect(second.all).not.toContain('holds');
    expect(holders(lockFile())).toEqual([]);
    console.log(`second test:env run: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
