import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanStale } from '../../src/engine/docker/clean.js';
import { loadTestEnv } from '../docker/helpers.js';

// kill -9 at random moments of goto, reset, solution --apply and verify (30+ each), on the built CLI
// and the real course. After every kill the progress file must load, and at the end every version
// of the learner's Dockerfile ever written must still exist: in the workspace, a saved lesson copy
// or a backup (issue 9: work is never lost).
const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const PER_COMMAND = 30;

let dir: string;
let ws: string;

const cli = (args: string[]) =>
  execa(process.execPath, [CLI, ...args, '--dir', ws], { reject: false, timeout: 120_000, env: { NO_COLOR: '1', LANG: 'en_US.UTF-8' } });

/** Starts a command and SIGKILLs it after `delayMs` (if it is still running then). */
const killAfter = (args: string[], delayMs: number): Promise<void> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--dir', ws], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Every file under the workspace that contains `marker`. */
const holders = async (marker: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const abs = join(d, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && (await readFile(abs)).includes(marker)) out.push(abs.slice(ws.length + 1));
    }
  };
  await walk(ws);
  return out;
};

// A seeded generator, so a failure can be replayed (the seed is printed).
const seed = Number(process.env.KILL_LOOP_SEED ?? Date.now() % 100_000);
let state = seed;
const random = (): number => {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return state / 2 ** 31;
};

beforeAll(async () => {
  loadTestEnv();
  if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first (npm test does).');
  dir = await mkdtemp(join(tmpdir(), 'lgd-kill-'));
  ws = join(dir, 'lab');
  const init = await cli(['init', '--yes']);
  expect(init.exitCode, init.stderr).toBe(0);
});
afterAll(async () => {
  await cleanStale().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('kill -9 at random moments never loses work', () => {
  it(`goto, reset, solution --apply and verify, ${PER_COMMAND} kills each`, async () => {
    console.log(`kill loop seed ${seed} (replay with KILL_LOOP_SEED=${seed})`);
    const lessons = (await readdir(join(ROOT, 'lessons'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    const plan = (['goto', 'reset', 'solution', 'verify'] as const).flatMap((kind) => Array.from({ length: PER_COMMAND }, () => kind));
    plan.sort(() => random() - 0.5);
    // How long each command takes here, so the kills land across its file work, not only its start-up.
    const took: Record<string, number> = {};
    for (const args of [
      ['goto', lessons[1] as string],
      ['reset', '--yes'],
      ['solution', '--apply', '--yes'],
    ]) {
      const t0 = Date.now();
      await cli(args);
      took[args[0] as string] = Date.now() - t0;
    }
    // Where the kills of goto, reset and solution land follows what they hit: a kill that came before
    // the command copied anything moves its next kills later (up to 4 times the time measured above),
    // one that came after moves them earlier. A machine slower in the loop than at that
    // measure (a busy CI) then still gets kills across the file work, not all before it. (verify's
    // window stays: its file work is a build context, not a copy into the workspace.)
    const initial: Record<string, number> = { ...took };
    const span: Record<(typeof plan)[number], number> = {
      goto: took.goto ?? 400,
      reset: took.reset ?? 400,
      solution: took.solution ?? 400,
      verify: 2_500,
    };
    const saved: string[] = [];
    let reached = 0;
    const lost: string[] = [];
    const notLoading: string[] = [];
    for (const [i, kind] of plan.entries()) {
      // The learner saves a new version of the Dockerfile before each command (overwriting the
      // previous one is their own doing; what a command does with this one is what is tested).
      const marker = `# learner version ${i}`;
      await writeFile(join(ws, 'Dockerfile'), `FROM golang:1.26-trixie\n${marker}\n`);
      const args =
        kind === 'goto'
          ? ['goto', lessons[Math.floor(random() * lessons.length)] as string]
          : kind === 'reset'
            ? ['reset', '--yes']
            : kind === 'solution'
              ? ['solution', '--apply', '--yes']
              : ['verify'];
      // Kill in the second half of the command's run, where its file work is (verify: into its build).
      const delay = Math.floor(kind === 'verify' ? random() * span[kind] : span[kind] * (0.5 + 0.6 * random()));
      await killAfter(args, delay);
      const list = await cli(['list', '--json']);
      if (list.exitCode !== 0) notLoading.push(`${i} ${args.join(' ')} +${delay} ms: exit ${list.exitCode} ${list.stderr}`);
      const where = await holders(marker);
      if (where.length === 0) lost.push(`${marker} after ${args.join(' ')} killed at +${delay} ms`);
      // A half-written snapshot (lessons/<id>.new-*) is not a save: the goto that wrote it died before
      // touching the workspace, and the next goto sweeps it.
      const copied = where.filter((p) => p.startsWith('.learn-go-docker/'));
      if (copied.length) reached += 1;
      if (kind !== 'verify') span[kind] = Math.min(span[kind] * (copied.length ? 0.9 : 1.25), 4 * (initial[kind] ?? 400));
      if (copied.some((p) => !/\/lessons\/[^/]+\.new-\d+-\d+\//.test(p))) saved.push(marker);
    }
    expect(notLoading).toEqual([]);
    expect(lost).toEqual([]);
    // What was ever saved by the runner (a lesson copy, a backup) is never deleted later.
    const gone: string[] = [];
    for (const marker of saved) if ((await holders(marker)).length === 0) gone.push(marker);
    expect(gone).toEqual([]);
    // Evidence the kills reached the commands' file work: many versions were copied (into a saved
    // copy, a backup or a snapshot being written) before the kill.
    console.log(`${reached} of ${plan.length} versions were copied by the runner before a kill, ${saved.length} into a finished copy`);
    expect(reached).toBeGreaterThan(PER_COMMAND / 2);
    // The lock is never left held, and the progress file is valid JSON of the current format.
    expect(existsSync(join(ws, '.learn-go-docker', 'lock'))).toBe(false);
    const progress = JSON.parse(await readFile(join(ws, '.learn-go-docker', 'progress.json'), 'utf8')) as { version: number };
    expect(progress.version).toBe(1);
  });
});
