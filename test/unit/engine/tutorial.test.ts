import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse, type Course } from '../../../src/engine/lessons/load.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { openTutorial, type Tutorial } from '../../../src/engine/tutorial.js';
import { availableCaps, fakeRegistry, FIXTURE_COURSE, noDockerSession, tempDir } from './fakes.js';
import type { DockerSession } from '../../../src/engine/docker/session.js';

let course: Course;
let tmp: { dir: string; done: () => Promise<void> };
let api: Tutorial;
const disposed = { count: 0 };

beforeEach(async () => {
  course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
  tmp = await tempDir();
  await createWorkspace(tmp.dir + '/lab', course, new Date());
  api = (await openTutorial({ course, workspace: tmp.dir + '/lab', createSession: () => noDockerSession(disposed) })).api;
});
afterEach(() => tmp.done());

describe('verify, hints, solution', () => {
  it('fails the start with the declared checks, counts attempts and unlocks the solution after failures', async () => {
    const first = await api.verify('one');
    expect(first.passed).toBe(false);
    expect(first.checks.map((c) => [c.id, c.status])).toEqual([
      ['fake.contains', 'fail'],
      ['fake.contains#user', 'fail'],
    ]);
    expect(first.solutionOffered).toBe(false);
    expect((await api.solution('one')).available).toBe(false);
    // The same files checked again (watch mode, the CLI beside the UI) are no second attempt.
    expect((await api.verify('one')).attempts).toBe(1);
    expect((await api.solution('one')).available).toBe(false);
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FROM golang:1.25\n');
    const second = await api.verify('one');
    expect(second.attempts).toBe(2);
    expect(second.solutionOffered).toBe(true);
    expect((await api.solution('one')).files).toEqual([{ path: 'Dockerfile', content: 'FROM golang:1.26\nUSER 65532\n' }]);
  });

  it('passes after the fix, marks the lesson done, and keeps it across a restart', async () => {
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FROM golang:1.26\nUSER 65532\n');
    const result = await api.verify('one');
    expect(result.passed).toBe(true);
    expect(result.learned?.en).toBe('one learned');
    const reopened = (await openTutorial({ course, workspace: api.workspaceDir, createSession: () => noDockerSession() })).api;
    expect(reopened.lessons().map((l) => l.status)).toEqual(['done', 'pending']);
    expect(reopened.lastVerify('one')?.passed).toBe(true);
    expect(reopened.doneCount()).toEqual({ done: 1, total: 2 });
  });

  it('a static-only verify of a lesson with no Docker check is the whole verify: its pass marks the lesson done', async () => {
    expect(course.byId('one')?.usesDocker).toBe(false);
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FROM golang:1.26\nUSER 65532\n');
    const result = await api.verify('one', { staticOnly: true });
    expect(result.passed).toBe(true);
    expect(result.attempts).toBe(1);
    expect(api.lessons().map((l) => l.status)).toEqual(['done', 'pending']);
    expect(api.lastVerify('one')?.staticOnly).toBe(false);
  });

  it('hints advance tier by tier for the first failing check and stop at the last', async () => {
    await api.verify('one');
    const tiers = [await api.hint('one'), await api.hint('one'), await api.hint('one')];
    expect(tiers.map((h) => [h?.checkId, h?.level, h?.of, h?.text.en])).toEqual([
      ['fake.contains', 1, 2, 'first hint'],
      ['fake.contains', 2, 2, 'second hint'],
      ['fake.contains', 2, 2, 'second hint'],
    ]);
  });

  it('hints with the failure itself when the failing check has no hint (a Dockerfile that does not parse)', async () => {
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FORM golang:1.26\n');
    const result = await api.verify('one');
    expect(result.checks[0]).toMatchObject({ id: 'dockerfile.exists', status: 'fail' });
    const hint = await api.hint('one');
    expect([hint?.checkId, hint?.level, hint?.of]).toEqual(['dockerfile.exists', 1, 1]);
    expect(hint?.text.en).toMatch(/^Dockerfile does not parse\. Line 1: unknown instruction "FORM"/);
  });

  it('knows when the files changed since the last verify, and says so with the hint', async () => {
    expect(await api.lastVerifyCurrent('one')).toBeUndefined();
    await api.verify('one');
    expect(await api.lastVerifyCurrent('one')).toBe(true);
    expect((await api.hint('one'))?.stale).toBeUndefined();
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FROM golang:1.26\n# edited while the tutorial was closed\n');
    expect(await api.lastVerifyCurrent('one')).toBe(false);
    expect((await api.hint('one'))?.stale).toBe(true);
    await api.verify('one');
    expect(await api.lastVerifyCurrent('one')).toBe(true);
  });

  it('still trusts a verdict an earlier version fingerprinted with SHA-256, until the files change', async () => {
    await api.verify('one');
    // The form earlier versions recorded: SHA-256 of each managed file's path and digest.
    const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
    const lines: string[] = [];
    for (const rel of [...course.managedFiles].sort()) {
      const bytes = await readFile(join(api.workspaceDir, rel)).catch(() => undefined);
      lines.push(`${rel}\0${bytes ? sha256(bytes) : 'absent'}\n`);
    }
    const path = join(api.workspaceDir, '.learn-go-docker', 'progress.json');
    const progress = JSON.parse(await readFile(path, 'utf8'));
    expect(progress.lessons.one.lastVerify.files).toMatch(/^f2:[0-9a-f]{16}$/);
    progress.lessons.one.lastVerify.files = sha256(lines.join('')).slice(0, 32);
    await writeFile(path, JSON.stringify(progress));
    const reopened = (await openTutorial({ course, workspace: api.workspaceDir, createSession: () => noDockerSession() })).api;
    expect(await reopened.lastVerifyCurrent('one')).toBe(true);
    await writeFile(join(api.workspaceDir, 'Dockerfile'), 'FROM golang:1.26\n# changed\n');
    expect(await reopened.lastVerifyCurrent('one')).toBe(false);
  });

  it('skips Docker checks with the reason when Docker is missing, and disposes the session', async () => {
    const lesson = course.byId('one');
    if (!lesson) throw new Error('fixture');
    const docker = fakeRegistry().get('fake.docker')!;
    const withDocker = { ...lesson, checks: [...lesson.checks, { id: 'fake.docker', definition: docker, bound: docker.bind({}) }] };
    const { verifyLesson } = await import('../../../src/engine/checks/run.js');
    const before = disposed.count;
    const { checks: reports, blocking } = await verifyLesson({
      lesson: withDocker,
      workspace: api.workspaceDir,
      createSession: () => noDockerSession(disposed),
    });
    expect(reports.at(-1)).toMatchObject({ id: 'fake.docker', kind: 'docker', status: 'skip' });
    expect(reports.at(-1)?.reason).toBe('docker-unavailable');
    expect(blocking).toEqual([expect.objectContaining({ reason: 'docker-unavailable' })]);
    expect(blocking[0]?.message.en).toContain('docker not found');
    expect(blocking[0]?.message['zh-CN']).toContain('找不到 docker');
    expect(disposed.count).toBe(before + 1);
    const { checks: staticOnly } = await verifyLesson({
      lesson: withDocker,
      workspace: api.workspaceDir,
      staticOnly: true,
      createSession: () => noDockerSession(disposed),
    });
    expect(staticOnly.at(-1)?.status).toBe('skip');
    expect(disposed.count).toBe(before + 1);
  });

  it('recovers a corrupt progress file from the last good copy and tells the learner', async () => {
    await api.verify('one');
    await api.setLang('zh-CN');
    const path = join(api.workspaceDir, '.learn-go-docker/progress.json');
    await writeFile(path, '{"version": 1, "curr');
    const reopened = await openTutorial({ course, workspace: api.workspaceDir, createSession: () => noDockerSession() });
    expect(reopened.recovered?.en).toContain('previous good copy was restored');
    expect(reopened.api.lastVerify('one')?.attempts).toBe(1);
    const kept = (await import('node:fs')).readdirSync(join(api.workspaceDir, '.learn-go-docker')).filter((f) => f.includes('corrupt'));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(api.workspaceDir, '.learn-go-docker', kept[0] as string), 'utf8')).toBe('{"version": 1, "curr');
  });
});

describe('a verify that will need Docker asks what Docker offers while its checks load', () => {
  const openWith = async (c: Course) => {
    const calls: string[] = [];
    const opened = await openTutorial({
      course: c,
      workspace: api.workspaceDir,
      createSession: () => noDockerSession(),
      warmDocker: () => void calls.push('warm'),
    });
    return { api: opened.api, calls };
  };

  it('not for a lesson whose checks are all static, nor for --static-only', async () => {
    expect(course.byId('one')?.usesDocker).toBe(false);
    const { api: t, calls } = await openWith(course);
    await t.verify('one');
    expect(calls).toEqual([]);
  });

  it('once per verify of a lesson with Docker checks, unless --static-only', async () => {
    const one = course.byId('one')!;
    const dockerLesson = { ...one, usesDocker: true };
    const withDocker: Course = {
      ...course,
      lessons: course.lessons.map((l) => (l === one ? dockerLesson : l)),
      byId: (id) => (id === 'one' ? dockerLesson : course.byId(id)),
    };
    const { api: t, calls } = await openWith(withDocker);
    await t.verify('one', { staticOnly: true });
    expect(calls).toEqual([]);
    await t.verify('one');
    expect(calls).toEqual(['warm']);
  });
});

describe("a verify's Docker clean-up", () => {
  it('with settleLater, the verdict is saved and returned while the containers are still being removed; settled() waits for them', async () => {
    const one = course.byId('one')!;
    const docker = fakeRegistry().get('fake.docker')!;
    const dockerLesson = { ...one, usesDocker: true, checks: [...one.checks, { id: 'fake.docker', definition: docker, bound: docker.bind({}) }] };
    const withDocker: Course = {
      ...course,
      lessons: course.lessons.map((l) => (l === one ? dockerLesson : l)),
      byId: (id) => (id === 'one' ? dockerLesson : course.byId(id)),
    };
    let removed: () => void = () => undefined;
    const removing = new Promise<void>((resolve) => (removed = resolve));
    const events: string[] = [];
    const session = () =>
      ({
        capabilities: async () => availableCaps(),
        dispose: async () => {
          events.push('removing');
          await removing;
          events.push('removed');
        },
      }) as unknown as DockerSession;
    const t = (await openTutorial({ course: withDocker, workspace: api.workspaceDir, createSession: session })).api;
    const result = await t.verify('one', { settleLater: true });
    expect(result.checks.find((c) => c.id === 'fake.docker')?.status).toBe('pass');
    expect(t.lastVerify('one')?.checks.length).toBe(result.checks.length); // saved already
    expect(events).toEqual(['removing']);
    let settled = false;
    const waiting = t.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    removed();
    await waiting;
    expect(events).toEqual(['removing', 'removed']);
    // Without it, verify returns only after the clean-up (as every caller but the CLI's verify wants).
    events.length = 0;
    const slow = new Promise<void>((resolve) => setTimeout(resolve, 50));
    const t2 = (
      await openTutorial({
        course: withDocker,
        workspace: api.workspaceDir,
        createSession: () => ({ ...session(), dispose: async () => slow.then(() => void events.push('removed')) }) as unknown as DockerSession,
      })
    ).api;
    await t2.verify('one');
    expect(events).toEqual(['removed']);
  });
});

describe('a screen left on a lesson another command moved away from', () => {
  it('records no verify, resets nothing and applies no solution there, and names the lesson to follow', async () => {
    // The UI stays on lesson one while a second terminal runs goto two.
    const other = (await openTutorial({ course, workspace: api.workspaceDir, createSession: () => noDockerSession() })).api;
    await other.goto('two');
    const files = await readFile(join(api.workspaceDir, 'Dockerfile'), 'utf8');
    for (const act of [() => api.verify('one'), () => api.reset('one'), () => api.applySolution('one')]) {
      const error = (await act().catch((e: unknown) => e)) as { name?: string; movedTo?: string; localized?: { en: string } };
      expect(error.name).toBe('LessonMovedError');
      expect(error.movedTo).toBe('two');
      expect(error.localized?.en).toBe(
        "The workspace is on lesson 2 now (another command moved it), not on lesson 1: its files are lesson 2's, so nothing was recorded or written.",
      );
    }
    expect(await readFile(join(api.workspaceDir, 'Dockerfile'), 'utf8')).toBe(files);
    const progress = JSON.parse(await readFile(join(api.workspaceDir, '.learn-go-docker', 'progress.json'), 'utf8')) as {
      current: string;
      lessons: Record<string, { attempts: number }>;
    };
    expect(progress.current).toBe('two');
    expect(progress.lessons.one?.attempts ?? 0).toBe(0);
    // Following it is a goto to where the workspace already is: nothing moves.
    expect((await api.goto('two')).changes).toEqual([]);
    expect((await api.verify('two')).lesson).toBe('two');
  });
});
