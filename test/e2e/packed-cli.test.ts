import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packed tarball installed in an empty folder, driven as a new user would (no TTY).
const ROOT = join(import.meta.dirname, '../..');
let dir: string;
let project: string;
let bin: string;

/** Runs `work` on every item, a few at once (each is a CLI process: most of its time is Node starting). */
const eachAtOnce = async <T>(items: readonly T[], work: (item: T) => Promise<void>, width = 3): Promise<void> => {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
    }),
  );
};

const cli = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  execa(bin, args, { cwd: options.cwd ?? project, reject: false, timeout: 600_000, env: { NO_COLOR: '1', LANG: 'en_US.UTF-8', ...options.env } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lgd-e2e-'));
  const pack = await execa('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, timeout: 300_000 });
  const tarball = join(dir, pack.stdout.trim().split('\n').at(-1) as string);
  project = join(dir, 'empty');
  await execa('mkdir', ['-p', project]);
  await execa('npm', ['init', '-y'], { cwd: project });
  await execa('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, timeout: 300_000 });
  bin = join(project, 'node_modules/.bin/learn-go-docker');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the packed CLI in an empty folder', () => {
  it('installs with no runtime dependencies and ships only what a learner needs', async () => {
    const installed = JSON.parse(await readFile(join(project, 'node_modules/learn-go-docker/package.json'), 'utf8')) as Record<string, unknown>;
    expect(installed.dependencies ?? {}).toEqual({});
    const top = (await readdir(join(project, 'node_modules/learn-go-docker'))).sort();
    expect(top).toEqual(['README.md', 'WORKSHOP.md', 'WORKSHOP.zh-CN.md', 'dist', 'package.json']);
    // Lesson texts, overlays and the sample app travel packed in one file; proof cases and lesson.yaml stay home.
    const packed = JSON.parse(gunzipSync(await readFile(join(project, 'node_modules/learn-go-docker/dist/course-files.json.gz'))).toString('utf8')) as {
      files: Record<string, unknown>;
    };
    const paths = Object.keys(packed.files);
    expect(paths).toEqual(
      expect.arrayContaining(['sample-app/go.mod', 'sample-app/cmd/server/main.go', 'lessons/01-welcome/en.md', 'lessons/01-welcome/zh-CN.md']),
    );
    expect(paths.filter((p) => p.includes('/cases/') || p.endsWith('lesson.yaml'))).toEqual([]);
    expect((await readdir(join(project, 'node_modules'))).filter((n) => !n.startsWith('.'))).toEqual(['learn-go-docker']);
  });

  it('prints help and version', async () => {
    const help = await cli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('verify [LESSON]');
    const zh = await cli(['--help', '--lang', 'zh-CN']);
    expect(zh.stdout).toContain('校验一课');
    const version = await cli(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('without a workspace or TTY, prints how to start instead of waiting for keys', async () => {
    const result = await cli([]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('init --yes');
  });

  it('reports bad input plainly with exit 2 and no stack trace', async () => {
    for (const args of [['frobnicate'], ['--lang', 'fr'], ['verify'], ['goto'], ['list', '--bogus']]) {
      const result = await cli(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('init --yes, list --json, goto, verify --json, and progress kept across runs', async () => {
    const init = await cli(['init', '--yes']);
    expect(init.exitCode, init.stderr).toBe(0);
    const ws = join(project, 'go-docker-lab');
    expect(await readFile(join(ws, 'go.mod'), 'utf8')).toContain('module example.com/notes');
    const list = await cli(['list', '--json']);
    expect(list.exitCode).toBe(0);
    const lessons = JSON.parse(list.stdout) as { id: string; chapter: string; title: { en: string; 'zh-CN': string }; status: string }[];
    expect(lessons.length).toBeGreaterThanOrEqual(4);
    expect(lessons[0]).toMatchObject({ status: 'current', title: { en: expect.any(String), 'zh-CN': expect.any(String) } });

    const verify = await cli(['verify', '--json', '--static-only'], { cwd: ws });
    const result = JSON.parse(verify.stdout) as { lesson: string; passed: boolean; checks: { id: string; kind: string; status: string; message: string }[] };
    expect(result.lesson).toBe(lessons[0]?.id);
    expect(result.passed).toBe(false);
    expect(result.checks.every((c) => ['static', 'docker'].includes(c.kind) && typeof c.message === 'string')).toBe(true);
    expect(result.checks.filter((c) => c.kind === 'docker').every((c) => c.status === 'skip')).toBe(true);

    const second = lessons[1]?.id as string;
    const moved = await cli(['goto', second, '--dir', ws]);
    expect(moved.exitCode, moved.stderr).toBe(0);
    const after = JSON.parse((await cli(['list', '--json', '--dir', ws])).stdout) as { id: string; status: string }[];
    expect(after.find((l) => l.id === second)?.status).toBe('current');
    // hint, before and after a verify, loads what it needs itself (the packed CLI loads checks lazily).
    const before = await cli(['hint', '--dir', ws]);
    expect(before.exitCode, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^Hint 1\/\d+ for "/);
    await cli(['verify', '--static-only', '--dir', ws]);
    const hinted = await cli(['hint', '--dir', ws]);
    expect(hinted.exitCode, hinted.stderr).toBe(0);
    expect(hinted.stdout).toMatch(/^Hint \d\/\d+ for "/);
    const bad = await cli(['goto', 'no-such-lesson', '--dir', ws]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('no-such-lesson');
  });

  it("every lesson's solution passes its static checks in the packed CLI (its bundle loads parsers lazily)", async () => {
    // The bundle splits and loads the YAML parser, execa and the checks on first use; a lazy import
    // that works from source can lose its named exports in the bundle (every compose and CI check
    // once failed there with "t is not a function"). Static checks need no Docker: all lessons run.
    const ws = join(project, 'lab-static');
    expect((await cli(['init', '--yes', '--dir', ws])).exitCode).toBe(0);
    const lessons = JSON.parse((await cli(['list', '--json', '--dir', ws])).stdout) as { id: string }[];
    // A workspace per lesson, a few lessons at once.
    await eachAtOnce(lessons, async ({ id }) => {
      const ws = join(project, `lab-static-${id}`);
      expect((await cli(['init', '--yes', '--dir', ws])).exitCode, id).toBe(0);
      expect((await cli(['goto', id, '--dir', ws])).exitCode, id).toBe(0);
      const applied = await cli(['solution', '--apply', '--yes', '--dir', ws]);
      expect(applied.exitCode, `${id}: ${applied.stderr}`).toBe(0);
      const verify = await cli(['verify', '--json', '--static-only', '--dir', ws]);
      const result = JSON.parse(verify.stdout) as { checks: { id: string; kind: string; status: string; message: { en: string } | string }[] };
      const statics = result.checks.filter((c) => c.kind === 'static');
      expect(
        statics.filter((c) => c.status !== 'pass').map((c) => `${id} ${c.id}: ${JSON.stringify(c.message)}`),
        id,
      ).toEqual([]);
      // A lesson with only Docker checks has nothing to judge here: exit 2, never a pass (exit 0).
      expect(verify.exitCode, `${id}: ${verify.stderr}`).toBe(statics.length ? 0 : 2);
    });
  });

  it('verify with real Docker measures and fails the first lesson start, and passes its solution', async () => {
    const ws = join(project, 'lab-docker');
    expect((await cli(['init', '--yes', '--dir', ws])).exitCode).toBe(0);
    const start = await cli(['verify', '--json', '--dir', ws]);
    const startResult = JSON.parse(start.stdout) as { passed: boolean; checks: { id: string; kind: string; status: string }[] };
    expect(start.exitCode, start.stderr).toBe(1);
    expect(startResult.passed).toBe(false);
    expect(startResult.checks.some((c) => c.kind === 'docker' && c.status === 'fail')).toBe(true);
    expect((await cli(['solution', '--apply', '--yes', '--dir', ws])).exitCode).toBe(0);
    const solved = await cli(['verify', '--json', '--dir', ws]);
    expect(solved.exitCode, solved.stdout).toBe(0);
    expect((JSON.parse(solved.stdout) as { passed: boolean }).passed).toBe(true);
  });

  it('lint --json describes any Dockerfile', async () => {
    const file = join(dir, 'Dockerfile');
    await writeFile(
      file,
      'FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server ./cmd/server\n\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n',
    );
    const lint = await cli(['lint', file, '--json']);
    expect(lint.exitCode, lint.stderr).toBe(0);
    const out = JSON.parse(lint.stdout) as { file: string; facts: Record<string, unknown>; findings: unknown[] };
    expect(out.facts).toEqual({
      stages: 2,
      finalBase: 'gcr.io/distroless/static-debian13:nonroot',
      finalBasePinned: true,
      finalUser: null,
      finalUserIsRoot: 'no',
      execForm: true,
      healthcheck: false,
      depsBeforeSource: true,
      cgoDisabled: true,
      cacheMounts: false,
      copyFrom: ['build'],
    });
    const plain = await cli(['lint', file]);
    expect(plain.stdout).toContain('2 stages · final base');
    const missing = await cli(['lint', join(dir, 'nope')]);
    expect(missing.exitCode).toBe(2);
  });

  it('dev-check proves the shipped lessons and says plainly that the proof cases are not in the package', async () => {
    const lessons = await cli(['dev-check', '--lesson', 'welcome']);
    expect(lessons.exitCode, lessons.stderr).toBe(0);
    expect(lessons.stdout).toContain('carries no proof cases');
    expect(lessons.stdout).toContain('1 passed, 0 failed');
    const only = await cli(['dev-check', '--cases-only']);
    expect(only.exitCode).toBe(2);
    expect(only.stderr).toContain('carries no proof cases');
    expect(only.stderr).not.toMatch(/\n\s+at /);
  });

  it('the bundle analyses every Dockerfile of the course exactly as the source does (its parser runs on stand-in modules)', async () => {
    const { analyzeDockerfile } = await import('../../src/engine/dockerfile/analyze.js');
    const lessons = join(ROOT, 'lessons');
    let compared = 0;
    const paths: string[] = [];
    for (const lesson of (await readdir(lessons)).filter((n) => /^\d\d-/.test(n))) {
      for (const file of await readdir(join(lessons, lesson), { recursive: true })) if (file.endsWith('Dockerfile')) paths.push(join(lessons, lesson, file));
    }
    await eachAtOnce(paths, async (path) => {
      const lint = await cli(['lint', path, '--json']);
      const out = JSON.parse(lint.stdout) as { facts: unknown; findings: { id: string; line: number | null }[] };
      const dockerignore = await readFile(join(path, '..', '.dockerignore'), 'utf8').catch(() => null);
      const source = analyzeDockerfile(await readFile(path, 'utf8'), { dockerignore });
      expect(out.facts, path).toEqual(source.facts);
      expect(
        out.findings.filter((f) => f.id !== 'parse-error').map((f) => [f.id, f.line]),
        path,
      ).toEqual(source.findings.map((f) => [f.id, f.line]));
      compared++;
    });
    expect(compared).toBeGreaterThan(60); // start, solution and case Dockerfiles of 18 lessons
  });
});
