import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpFor } from '../../src/commands/help.js';
import { confirm } from '../../src/commands/prompt.js';
import type { CommandContext } from '../../src/commands/context.js';
import { L } from '../../src/engine/i18n.js';
import { UserError } from '../../src/engine/errors.js';
import { cjkSpacingProblems } from './i18n/cjk-spacing.js';
import { runCli } from './hostile/harness.js';
import { packageRoot } from '../../src/engine/util/package-root.js';

// Exact words at the command line (issue 17): usage errors, JSON errors, one lesson at a time.
let root: string;
let ws: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lgd-commands-'));
  ws = join(root, 'lab');
  expect((await runCli(['init', '--yes', '--dir', ws])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a confirmation that cannot be asked', () => {
  it('is refused in the language of the command (the workspace remembers it), whatever language prints the error', async () => {
    const ctx = { interactive: false, lang: 'zh-CN' } as unknown as CommandContext;
    const error = await confirm(ctx, L('Reset lesson 1?', '把第 1 课重置到初始状态？'), false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const { localized, next } = error as UserError;
    // Both texts are the Chinese one: the top-level handler knows only the command line's --lang.
    expect(localized).toEqual({ en: '把第 1 课重置到初始状态？（没有终端，无法询问）', 'zh-CN': '把第 1 课重置到初始状态？（没有终端，无法询问）' });
    expect(next?.en).toBe('加上 --yes 重新运行以确认。');
  });
});

describe('a confirmation asked on a terminal', () => {
  const ask = async (lines: string[], defaultYes = false) => {
    const input = new PassThrough();
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
    Object.defineProperty(process, 'stdin', { value: input, configurable: true });
    let said = '';
    const ctx = { interactive: true, lang: 'en', stdout: { write: (text: string) => (said += text) } } as unknown as CommandContext;
    try {
      const answer = confirm(ctx, L('Reset lesson 1?', '重置第 1 课？'), false, defaultYes);
      // One line per question, as a person types after each prompt.
      for (const line of lines) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        input.write(`${line}\n`);
      }
      return { answer: await answer, said };
    } finally {
      if (stdin) Object.defineProperty(process, 'stdin', stdin);
    }
  };

  it('asks again after an answer it does not know, instead of taking it for no', async () => {
    expect(await ask(['yse', 'y'])).toEqual({ answer: true, said: 'Reset lesson 1? [y/N] Please answer y or n: ' });
    expect((await ask(['n'])).answer).toBe(false);
    expect((await ask([''], true)).answer).toBe(true);
    expect((await ask(['?', '??', '???'])).answer).toBe(false);
  });
});

describe('usage errors', () => {
  it('an unknown option is one formatted line, exit 2', async () => {
    const run = await runCli(['list', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe('Unknown option --bogus.');
    expect(run.err).not.toContain("'-- ");
  });

  it('an option of another command is refused by name, saying which commands take it', async () => {
    const verify = await runCli(['verify', '--mirror', 'm.daocloud.io', '--dir', ws]);
    expect(verify.code).toBe(2);
    expect(verify.err.split('\n')[0]).toBe('--mirror is not an option of verify: it goes with prepare.');
    const doctor = await runCli(['doctor', '--mirror', 'x'], { lang: 'zh-CN' });
    expect(doctor.err.split('\n')[0]).toBe('--mirror 不是 doctor 的选项：它用于 prepare。');
    expect((await runCli(['hint', '--static-only', '--dir', ws])).err.split('\n')[0]).toBe(
      '--static-only is not an option of hint: it goes with verify, dev-check.',
    );
    // --lang and the workshop switches go with any command; --catch-up keeps its own words.
    expect((await runCli(['list', '--dir', ws])).code).toBe(0);
    expect((await runCli(['verify', '--catch-up', '--dir', ws])).err.split('\n')[0]).toBe('--catch-up goes with goto: npx learn-go-docker goto 5 --catch-up');
  });

  it('is said in the language asked for with --lang, even though the arguments did not parse', async () => {
    const run = await runCli(['verify', '--bogus', '--lang', 'zh-CN']);
    expect(run.err.split('\n')[0]).toBe('未知选项 --bogus。');
  });

  it('an option without its value says so', async () => {
    const run = await runCli(['list', '--dir']);
    expect(run.err.split('\n')[0]).toBe('--dir needs a value, e.g. --dir go-docker-lab.');
  });

  it('with --json, the error is JSON on stdout', async () => {
    const run = await runCli(['verify', '--json', '--bogus']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.out)).toEqual({ error: { kind: 'user', message: 'Unknown option --bogus.', next: 'See: npx learn-go-docker --help' } });
    expect(run.err).toBe('');
  });
});

describe('one lesson at a time', () => {
  it.each([
    [['verify', '4', '--static-only'], 'verify'],
    [['solution', '18', '--apply', '--yes'], 'apply its solution to'],
    [['reset', '3', '--yes'], 'reset'],
  ])('%j on another lesson is refused with the goto that moves there', async (args, verb) => {
    const run = await runCli([...args, '--dir', ws]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`its files are not in the workspace to ${verb}`);
    expect(run.err).toContain(`npx learn-go-docker goto ${args[1]}`);
  });

  it("reading another lesson's solution or its hint is fine", async () => {
    expect((await runCli(['hint', '4', '--dir', ws])).code).toBe(0);
  });
});

describe('lint', () => {
  it('an empty Dockerfile gets its error, not a line of empty facts', async () => {
    const file = join(root, 'Empty.Dockerfile');
    writeFileSync(file, '');
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('The Dockerfile is empty');
    expect(run.out).not.toContain('final base');
  });

  it('says the facts in words, never as field names and booleans', async () => {
    const file = join(root, 'Facts.Dockerfile');
    writeFileSync(
      file,
      'FROM golang:1.26-trixie AS build\nRUN go build -o /server .\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /server /server\nCMD ["/server"]\n',
    );
    const run = await runCli(['lint', file]);
    expect(run.out).toContain('2 stages · final base gcr.io/distroless/static-debian13:nonroot (version pinned) · runs as the base image user (no USER)');
    expect(run.out).toContain('command in exec form · no health check');
    expect(run.out).not.toMatch(/\b(true|false)\b/);
  });
});

describe('lint in Chinese', () => {
  it('says each severity in Chinese too; --json keeps the English keyword for scripts', async () => {
    const file = join(root, 'Latest.Dockerfile');
    writeFileSync(file, 'FROM golang:latest\nCMD /server\n');
    const zh = await runCli(['lint', file], { lang: 'zh-CN' });
    expect(zh.out).toMatch(/:1 警告 base-not-pinned/);
    expect(zh.out).not.toMatch(/ (warning|info|error) [a-z-]+$/m);
    const json = await runCli(['lint', file, '--json'], { lang: 'zh-CN' });
    expect((JSON.parse(json.out) as { findings: { id: string; severity: string }[] }).findings.find((f) => f.id === 'base-not-pinned')?.severity).toBe(
      'warning',
    );
  });
});

describe('audit', () => {
  it('refuses a port that is not one, and --json with --md, before touching Docker (exit 2)', async () => {
    const bad = await runCli(['audit', root, '--port', '80a']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('--port must be a port number from 1 to 65535, not "80a".');
    const both = await runCli(['audit', root, '--json', '--md']);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.out).error.message).toBe('Choose one of --json and --md.');
  });

  it('says where there is no Dockerfile, in one line and its next step', async () => {
    const run = await runCli(['audit', join(root, 'lab', 'sample-app-nowhere')]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/sample-app-nowhere does not exist\.\nGive the repository to audit: npx learn-go-docker audit path\/to\/repo/);
  });
});

describe('report', () => {
  it("summarises the workspace's progress as JSON to hand in, and merges reports, saying which file it skipped", async () => {
    const one = await runCli(['report', '--dir', ws, '--name', 'Ada L.', '--json']);
    expect(one.code).toBe(0);
    const report = JSON.parse(one.out);
    expect(report).toMatchObject({ schema: 'learn-go-docker/report', version: 1, learner: 'Ada L.', current: { number: 1, id: 'welcome' } });
    const good = join(root, 'ada.json');
    const broken = join(root, 'broken.json');
    writeFileSync(good, one.out);
    writeFileSync(broken, one.out.slice(0, 30));
    const merged = await runCli(['report', '--merge', good, broken, join(root, 'missing.json'), '--md']);
    expect(merged.code).toBe(1);
    expect(merged.out).toContain('| Ada L. | 0/');
    expect(merged.err).toContain(`Skipped ${broken}: not JSON`);
    expect(merged.err).toContain(`Skipped ${join(root, 'missing.json')}: no such file.`);
  });

  it('refuses files without --merge, --merge without files, and a merge that read nothing (exit 2)', async () => {
    expect((await runCli(['report', '--dir', ws, 'a.json'])).err).toContain('report takes no file unless it merges');
    expect((await runCli(['report', '--merge'])).code).toBe(2);
    const none = await runCli(['report', '--merge', join(root, 'missing.json')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('No report could be read.');
  });
});

describe('audit without Docker', () => {
  it("gives a Go service's static part, says Docker is not usable, and exits 2: nothing was measured", async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    try {
      const run = await runCli(['audit', join(packageRoot(), 'test', 'fixtures', 'audit', 'good'), '--json']);
      expect(run.code).toBe(2);
      const report = JSON.parse(run.out);
      expect(report).toMatchObject({ schema: 'learn-go-docker/audit', version: 1, mode: 'static', staticBecause: 'no-docker' });
      expect(report.notices.join('\n')).toMatch(/not reachable/);
      expect(report.items.map((i: { id: string }) => i.id)).not.toContain('image.builds');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});

describe('verify progress', () => {
  it('names each running check by the words of its verdict, never by its id, and announces no check it will not run', async () => {
    const two = join(root, 'lab-two');
    expect((await runCli(['init', '--yes', '--dir', two])).code).toBe(0);
    expect((await runCli(['goto', '2', '--dir', two])).code).toBe(0);
    const run = await runCli(['verify', '--static-only', '--dir', two]);
    const running = run.err.split('\n').filter((line) => line.startsWith('→ '));
    expect(running.length).toBeGreaterThan(0);
    for (const line of running) expect(line).not.toMatch(/^→ [a-z]+\.[a-z-]+$/);
    expect(running).toContain('→ The Dockerfile exists and parses');
    // Docker checks are not run by --static-only: announcing them would be a step never taken.
    expect(running).not.toContain('→ The image builds');
  });
});

describe('verify --static-only on a lesson with only Docker checks', () => {
  it('says so instead of "0/0 static checks passed"', async () => {
    const run = await runCli(['verify', '--static-only', '--dir', ws]);
    expect(run.out).toContain('This lesson has only Docker checks, and they were not run (--static-only): run verify without it.');
    expect(run.out).not.toContain('0/0');
    // Nothing judged is no pass: exit 0 would tell a script the lesson is done.
    expect(run.code).toBe(2);
  });
});

describe('verify --static-only counts the static checks only', () => {
  it('says how many static checks passed and how many Docker checks were not run, even when the Dockerfile does not parse', async () => {
    const two = join(root, 'lab-count');
    expect((await runCli(['init', '--yes', '--dir', two])).code).toBe(0);
    expect((await runCli(['goto', '2', '--dir', two])).code).toBe(0);
    // Lesson 2's start is an empty Dockerfile: 2 static checks (exists, base pinned), 3 Docker checks.
    const run = await runCli(['verify', '--static-only', '--dir', two]);
    expect(run.out).toContain('0/3 static checks passed; the 3 Docker checks were not run (--static-only).');
    expect(run.code).toBe(1);
    // Lesson 30, kubernetes-manifests (named by id: its number moves when a lesson is inserted), has one static check and no Docker check: nothing was left out, so nothing is said of Docker.
    expect((await runCli(['goto', 'kubernetes-manifests', '--dir', two])).code).toBe(0);
    const k8s = await runCli(['verify', '--static-only', '--dir', two]);
    expect(k8s.out).toContain('0/1 static checks passed.');
    expect(k8s.out).not.toContain('Docker checks');
  });
});

describe('clean without Docker', () => {
  it('never says the machine is clean: it says what it could not check, and exits 2', async () => {
    const saved = { DOCKER_HOST: process.env.DOCKER_HOST, TMPDIR: process.env.TMPDIR };
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    process.env.TMPDIR = join(root, 'tmp'); // only this test's temp folders are looked at
    try {
      const run = await runCli(['clean', '--yes']);
      expect(run.code).toBe(2);
      expect(run.out).not.toContain('Nothing to clean');
      expect(run.err.split('\n')[0]).toMatch(/^Docker is not reachable, so its containers, images, volumes and networks could not be checked/);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('help', () => {
  const commands = [
    'init',
    'list',
    'goto',
    'verify',
    'hint',
    'reset',
    'solution',
    'lint',
    'audit',
    'report',
    'doctor',
    'clean',
    'dev-check',
    'workshop',
    'join',
    'ask',
  ];
  it.each(commands)("%s --help prints that command's help, does nothing else, exit 0", async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toMatch(new RegExp(`^npx learn-go-docker ${command}\\b`));
    expect(run.err).toBe('');
  });

  it('help with a command that does not exist says so and exits 2', async () => {
    const run = await runCli(['help', 'nope']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toBe('Unknown command "nope".\nSee: npx learn-go-docker --help\n');
  });

  it('help COMMAND is the same, and each command help exists in Chinese by the spacing rule', async () => {
    expect((await runCli(['help', 'goto'])).out).toBe((await runCli(['goto', '-h'])).out);
    for (const command of commands) {
      const zh = helpFor(command)['zh-CN'];
      expect(zh).not.toBe(helpFor(undefined)['zh-CN']);
      expect(cjkSpacingProblems(zh)).toEqual([]);
    }
  });
});

describe('list', () => {
  it('heads each part of the course and each chapter, in order', async () => {
    const run = await runCli(['list', '--dir', ws]);
    expect(run.code).toBe(0);
    const headings = run.out.split('\n').filter((line) => line && !line.startsWith('  ') && !/lessons done|Docker images/.test(line));
    expect(headings[0]).toBe('PART 1: BUILDING THE IMAGE');
    expect(headings).toContain('PART 2: RUNNING IT IN PRODUCTION');
    expect(headings.indexOf('PART 2: RUNNING IT IN PRODUCTION')).toBe(headings.indexOf('Operating the service') - 1);
    const json = JSON.parse((await runCli(['list', '--json', '--dir', ws])).out) as { id: string; part: number }[];
    expect(json.find((l) => l.id === 'welcome')?.part).toBe(1);
    expect(json.find((l) => l.id === 'readiness-and-draining')?.part).toBe(2);
  });
});

describe('suggested commands', () => {
  it('carry the --dir the learner gave, quoted when it needs quotes', async () => {
    const { suggest } = await import('../../src/commands/context.js');
    expect(suggest('hint', undefined)).toBe('npx learn-go-docker hint');
    expect(suggest('goto 5', '/tmp/ws')).toBe('npx learn-go-docker goto 5 --dir /tmp/ws');
    expect(suggest('hint', "/tmp/my lab's")).toBe(`npx learn-go-docker hint --dir '/tmp/my lab'\\''s'`);
  });
});
