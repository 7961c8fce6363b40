import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CASES, TARGETS, type Case } from './cases.js';
import { fingerprint, linesOf, RAW_CONTROL, runCli, type Run } from './harness.js';

// The hostile-input corpus (issue 9) through the real entry point, main() of src/cli.ts: `lint`
// (plain, colour and --json) and `verify <lesson> --static-only` (plain and --json) on a workspace
// made by `init --yes --dir`. For every case: the expected exit code, a one-line error naming the
// file when it is refused, no stack trace, no raw control character in plain text, and nothing read
// or written outside the workspace (the outside files' content never appears anywhere).

/** A hang or a quadratic blow-up shows as a run over this; real runs take well under a second. */
const BUDGET_MS = 8000;

let root = '';
let template = '';
let outside = '';
const canary = `CANARY-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lgd-hostile-'));
  template = join(root, 'template');
  outside = join(root, 'outside');
  const init = await runCli(['init', '--yes', '--dir', template]);
  expect(init.code, init.err).toBe(0);
  mkdirSync(join(outside, 'project'), { recursive: true });
  // Outside content that would parse (a Dockerfile, YAML) so that reading it would show.
  writeFileSync(join(outside, 'secret'), `FROM ${canary.toLowerCase()}:1\n# ${canary}\n`);
  writeFileSync(join(outside, 'project', 'Dockerfile'), `FROM alpine:3.20\nLABEL secret="${canary}"\nUSER ${canary}\n`);
  chmodSync(join(outside, 'secret'), 0o600);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Makes opening `rel` fail with EACCES, as chmod 000 does for a user other than root. */
const denyOpen = (rel: string) => {
  const open = fsp.open.bind(fsp);
  return vi.spyOn(fsp, 'open').mockImplementation((async (path: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
    if (String(path).endsWith(rel)) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: String(path) });
    }
    return (open as (...args: unknown[]) => ReturnType<typeof fsp.open>)(path, ...rest);
  }) as typeof fsp.open);
};

interface Runs {
  readonly plain: Run[];
  readonly json: Run[];
  readonly lint?: Run;
  readonly lintJson?: Run;
  readonly lintColor?: Run;
  readonly verify: Run;
  readonly verifyJson: Run;
}

/** The lesson ids of the numbers the targets name. */
const LESSON_IDS: Record<string, string> = { '2': 'first-image', '3': 'layers-and-cache', '16': 'compose', '21': 'shipping' };

const runAll = async (c: Case, ws: string): Promise<Runs> => {
  const { lesson } = TARGETS[c.target];
  const readsLint = c.target === 'Dockerfile' || c.target === '.dockerignore';
  const file = join(ws, 'Dockerfile');
  const lint = readsLint ? await runCli(['lint', file]) : undefined;
  const lintJson = readsLint ? await runCli(['lint', file, '--json']) : undefined;
  const lintColor = c.target === 'Dockerfile' ? await runCli(['lint', file], { color: true }) : undefined;
  // The learner is on that lesson (verify refuses another lesson's files); set directly, since a
  // goto would replace the hostile file this case planted.
  const progressFile = join(ws, '.learn-go-docker', 'progress.json');
  const progress = JSON.parse(await fsp.readFile(progressFile, 'utf8')) as { current: string };
  progress.current = LESSON_IDS[lesson] ?? lesson;
  await fsp.writeFile(progressFile, JSON.stringify(progress));
  const verify = await runCli(['verify', lesson, '--static-only', '--dir', ws]);
  const verifyJson = await runCli(['verify', lesson, '--static-only', '--json', '--dir', ws]);
  const plain = [lint, verify].filter((r): r is Run => r !== undefined);
  const json = [lintJson, verifyJson].filter((r): r is Run => r !== undefined);
  return { plain, json, lint, lintJson, lintColor, verify, verifyJson };
};

/** Every file the runner keeps in the workspace (progress, snapshots): none may hold outside content. */
const stateFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? stateFiles(path) : [path];
  });

const expectRefused = (run: Run, names: string, lines = 1): void => {
  expect(run.code, `${run.args.join(' ')}\n${run.out}${run.err}`).toBe(2);
  if (run.args.includes('--json')) {
    // A script that asked for JSON gets the error as JSON on stdout: the same one line.
    const { error } = JSON.parse(run.out) as { error: { kind: string; message: string } };
    expect(error.kind).not.toBe('bug');
    expect(linesOf(error.message).length, error.message).toBeLessThanOrEqual(lines);
    expect(error.message).toContain(names);
    return;
  }
  expect(run.out).toBe('');
  // Progress lines ("→ check-id") come first on stderr; the error is what follows.
  const shown = linesOf(run.err).filter((line) => !line.startsWith('→ '));
  expect(shown.length, run.err).toBeLessThanOrEqual(lines);
  expect(shown[0], run.err).toContain(names);
};

/**
 * Exit codes verify may give: 1 when a check failed; otherwise 0 or 2 (whether Docker checks left
 * out by --static-only count as "could not run" is verify's policy, not this corpus's subject).
 */
const verifyCodes = (checks: { status: string }[]): number[] => (checks.some((c) => c.status === 'fail') ? [1] : [0, 2]);

describe('hostile-input corpus', () => {
  it('has at least 60 cases, with unique names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const ws = join(root, `ws-${index}`);
      cpSync(template, ws, { recursive: true });
      try {
        c.setup({ ws, outside, canary });
        const target = join(ws, TARGETS[c.target].path);
        if (c.unreadable) chmodSync(target, 0o000);
        const before = fingerprint(root, (path) => path === ws);
        const deny = c.unreadable ? denyOpen(TARGETS[c.target].path) : undefined;
        let runs: Runs;
        try {
          runs = await runAll(c, ws);
        } finally {
          deny?.mockRestore();
        }
        const all = [...runs.plain, ...runs.json, ...(runs.lintColor ? [runs.lintColor] : [])];
        for (const run of all) {
          const text = `${run.out}${run.err}`;
          expect(run.ms, `${run.args.join(' ')} took ${run.ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
          expect(text, 'a stack trace').not.toMatch(/^\s+at /m);
          expect(text).not.toContain('hit a bug');
          expect(text, 'outside content was shown').not.toContain(canary);
          expect(text.toLowerCase(), 'outside content was shown').not.toContain(canary.toLowerCase());
        }
        for (const run of [...runs.plain, ...runs.json])
          expect(RAW_CONTROL.test(`${run.out}${run.err}`), `raw control character from ${run.args.join(' ')}`).toBe(false);
        if (runs.lintColor) {
          // With colour on, the only escapes left are SGR colours (ESC [ digits m): no title, no clear screen.
          expect(`${runs.lintColor.out}${runs.lintColor.err}`.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(RAW_CONTROL);
        }
        for (const run of runs.json) if (run.code !== 2 || run.out) JSON.parse(run.out);
        // Nothing outside the workspace changed; nothing outside ended up in the workspace's state.
        expect(fingerprint(root, (path) => path === ws)).toEqual(before);
        for (const file of stateFiles(join(ws, '.learn-go-docker'))) expect(readFileSync(file, 'utf8')).not.toContain(canary);

        const want = c.expect;
        if ('error' in want) {
          for (const run of [...runs.plain, ...runs.json]) expectRefused(run, want.error, want.lines ?? 1);
          return;
        }
        if (want.lint === 2) expectRefused(runs.lint as Run, 'Dockerfile', 2);
        else if (want.lint !== undefined && runs.lint) {
          expect(runs.lint.code, runs.lint.out + runs.lint.err).toBe(want.lint);
          expect(runs.lintJson?.code).toBe(want.lint);
        }
        const report = JSON.parse(runs.verifyJson.out) as { checks: { id: string; status: string; message: string }[] };
        const check = report.checks.find((r) => r.id === TARGETS[c.target].check);
        expect(check, runs.verifyJson.out).toBeDefined();
        expect(want.status, check?.message).toContain(check?.status);
        expect(verifyCodes(report.checks)).toContain(runs.verifyJson.code);
        expect(runs.verify.code).toBe(runs.verifyJson.code);
        if (want.mentions) {
          const shown = [...runs.plain].map((r) => r.out + r.err).join('\n');
          expect(shown).toContain(want.mentions);
        }
      } finally {
        rmSync(ws, { recursive: true, force: true });
      }
    });
  });
});

describe('init into hostile places', () => {
  const fail = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${code}: simulated`), { code, errno: -1, ...extra });

  it('a path through a file (ENOTDIR) names the file, one line, exit 2', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const run = await runCli(['init', '--yes', '--dir', join(file, 'lab')]);
    expectRefused(run, `${file} is a file, not a folder`);
  });

  it.runIf(process.platform === 'linux')('/proc and /sys are refused before anything is created (mkdir spins forever there)', async () => {
    for (const dir of ['/proc/1/x', '/sys/lab', '/proc']) {
      const run = await runCli(['init', '--yes', '--dir', dir]);
      expectRefused(run, `${dir} is inside /`);
      expect(run.ms).toBeLessThan(2000);
    }
  });

  it.runIf(process.platform === 'linux')('a link into /proc is refused too', async () => {
    const via = join(root, 'to-proc');
    symlinkSync('/proc/self', via);
    expectRefused(await runCli(['init', '--yes', '--dir', join(via, 'lab')]), 'is inside /proc');
  });

  it.each([
    ['EROFS', 'is on a read-only file system'],
    ['EACCES', 'Permission denied: '],
    ['EPERM', 'Operation not permitted on '],
    ['ENOSPC', 'No space left on the disk that holds '],
    ['EDQUOT', 'disk quota is used up'],
  ])('%s while creating the workspace: one line naming the path, exit 2', async (code, says) => {
    const dir = join(root, `lab-${code}`);
    const mkdir = vi.spyOn(fsp, 'mkdir').mockRejectedValue(fail(code, { syscall: 'mkdir', path: join(dir, '.learn-go-docker') }));
    try {
      const run = await runCli(['init', '--yes', '--dir', dir]);
      expectRefused(run, says);
      expect(run.err).toContain(dir);
    } finally {
      mkdir.mockRestore();
    }
  });

  it('a full disk seen by a write with no path still names the workspace', async () => {
    const dir = join(root, 'lab-full');
    const write = vi.spyOn(fsp, 'writeFile').mockRejectedValue(fail('ENOSPC', { syscall: 'write' }));
    try {
      expectRefused(await runCli(['init', '--yes', '--dir', dir]), `No space left on the disk that holds ${dir}`);
    } finally {
      write.mockRestore();
    }
  });
});
