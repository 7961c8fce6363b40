import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCheck } from '../../../src/engine/checks/define.js';
import { fail, pass } from '../../../src/engine/checks/outcome.js';
import { verifyLesson } from '../../../src/engine/checks/run.js';
import type { CheckDefinition } from '../../../src/engine/checks/types.js';
import type { DockerSession } from '../../../src/engine/docker/session.js';
import { L } from '../../../src/engine/i18n.js';
import { loadCourse, type Course, type Lesson } from '../../../src/engine/lessons/load.js';
import { s } from '../../../src/engine/util/schema.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { availableCaps, fakeRegistry, FIXTURE_COURSE, tempDir } from './fakes.js';

// A verify starts the lesson image's build while the static checks run, when a Docker check of
// the run will build it: the build is then under way by the time the Docker checks start.
const events: string[] = [];
let buildStarted: () => void = () => undefined;
let started: Promise<void>;

/** Builds the lesson image once per session, as the real session does. */
const session = (builder: 'buildkit-env' | 'classic' = 'buildkit-env'): DockerSession => {
  let build: Promise<unknown> | undefined;
  return {
    capabilities: async () => availableCaps({ builder }),
    lessonImage: () =>
      (build ??= (async () => {
        events.push('build');
        buildStarted();
        return { ok: true, imageId: 'sha256:1' };
      })()),
    dispose: async () => {
      events.push('dispose');
    },
  } as unknown as DockerSession;
};

/** session() whose capabilities answer only once the test calls answer(); `extra` adds or replaces methods. */
const answeringWhenTold = (extra: Partial<DockerSession>): { create: () => DockerSession; answer: () => void } => {
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const create = (): DockerSession => {
    const fake = session();
    return {
      ...fake,
      ...extra,
      capabilities: async () => {
        events.push('capabilities asked');
        await answered;
        events.push('capabilities answered');
        return fake.capabilities();
      },
    } as DockerSession;
  };
  return { create, answer: () => answer() };
};

/** A static check that waits (up to a second) for the build to start: it passes only if it did. */
const waitsForBuild = defineCheck({
  id: 'fake.waits-for-build',
  kind: 'static',
  title: L('Waits', '等待'),
  params: s.object({}),
  run: async () => {
    const seen = await Promise.race([started.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
    events.push(seen ? 'static saw the build' : 'static did not see the build');
    return pass(L('ok', 'ok'));
  },
});

const builds = (buildsLessonImage: boolean): CheckDefinition =>
  defineCheck({
    id: 'fake.builds',
    kind: 'docker',
    title: L('Builds', '构建'),
    params: s.object({}),
    buildsLessonImage,
    measure: async (ctx) => {
      events.push('docker check');
      if (buildsLessonImage) await ctx.docker.lessonImage();
      return {};
    },
    judge: () => pass(L('built', '已构建')),
  });

let course: Course;
let tmp: { dir: string; done: () => Promise<void> };
let ws: string;
const lessonWith = (docker: CheckDefinition): Lesson => {
  const one = course.byId('one') as Lesson;
  return {
    ...one,
    checks: [
      { id: docker.id, definition: docker, bound: docker.bind({}) },
      { id: waitsForBuild.id, definition: waitsForBuild, bound: waitsForBuild.bind({}) },
    ],
  };
};

beforeEach(async () => {
  events.length = 0;
  started = new Promise((resolve) => (buildStarted = resolve));
  course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
  tmp = await tempDir();
  ws = join(tmp.dir, 'lab');
  await createWorkspace(ws, course, new Date());
  await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nRUN go version\n');
});
afterEach(() => tmp.done());

describe('the build head start', () => {
  it('starts the lesson build while the static checks run; the Docker check uses that same build', async () => {
    const { checks } = await verifyLesson({ lesson: lessonWith(builds(true)), workspace: ws, createSession: () => session() });
    expect(events).toEqual(['build', 'static saw the build', 'docker check', 'dispose']);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['fake.builds', 'pass'],
      ['fake.waits-for-build', 'pass'],
    ]);
  });

  it('starts copying the build context before the capabilities answer, and builds once they open the gate', async () => {
    const { create, answer } = answeringWhenTold({ stageLessonContext: () => void events.push('stage') });
    const verify = verifyLesson({ lesson: lessonWith(builds(true)), workspace: ws, createSession: create });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.slice(0, 2)).toEqual(['stage', 'capabilities asked']);
    expect(events).not.toContain('build');
    answer();
    await verify;
    expect(events.indexOf('build')).toBeGreaterThan(events.indexOf('capabilities answered'));
  });

  it('starts the build on the capabilities remembered from the last verify, before Docker answers; the check still waits for the answer', async () => {
    const { create, answer } = answeringWhenTold({ rememberedCapabilities: async () => availableCaps() });
    const verify = verifyLesson({ lesson: lessonWith(builds(true)), workspace: ws, createSession: create });
    await started;
    expect(events).toEqual(['build']);
    answer();
    await verify;
    expect(events).toEqual(['build', 'static saw the build', 'capabilities asked', 'capabilities answered', 'docker check', 'dispose']);
  });

  it('starts no build when no Docker check of the run builds the lesson image', async () => {
    await verifyLesson({ lesson: lessonWith(builds(false)), workspace: ws, createSession: () => session() });
    expect(events).toEqual(['static did not see the build', 'docker check', 'dispose']);
  });

  it('starts no build when the first Docker check builds otherwise, even if a later one builds the lesson image', async () => {
    const own = builds(false);
    const later = builds(true);
    const one = course.byId('one') as Lesson;
    const lesson: Lesson = {
      ...one,
      checks: [
        { id: 'own-build', definition: own, bound: own.bind({}) },
        { id: 'lesson-build', definition: later, bound: later.bind({}) },
        { id: waitsForBuild.id, definition: waitsForBuild, bound: waitsForBuild.bind({}) },
      ],
    };
    await verifyLesson({ lesson, workspace: ws, createSession: () => session() });
    // No build beside the first check's own build: the lesson image is built when its check runs.
    expect(events).toEqual(['static did not see the build', 'docker check', 'docker check', 'build', 'dispose']);
  });

  it('lets a check decide from its params: image.builds with secrets or build args builds its own image', async () => {
    const { imageBuilds } = await import('../../../src/engine/checks/docker/image.js');
    const kind = (params: unknown) => {
      const bound = imageBuilds.bind(params);
      return bound.kind === 'docker' && bound.buildsLessonImage;
    };
    expect(kind({})).toBe(true);
    expect(kind({ secrets: ['netrc'] })).toBe(false);
    expect(kind({ buildArgs: { VERSION: '1.2.3' } })).toBe(false);
  });

  it('starts no build for a Dockerfile that does not parse, for a closed gate, or for a static-only run', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nRUN --mount=type=cache,target=/x go version\n');
    await verifyLesson({ lesson: lessonWith(builds(true)), workspace: ws, createSession: () => session('classic') });
    expect(events).not.toContain('build');
    events.length = 0;
    await writeFile(join(ws, 'Dockerfile'), 'RUN echo no FROM\n');
    await verifyLesson({ lesson: lessonWith(builds(true)), workspace: ws, createSession: () => session() });
    expect(events).not.toContain('build');
    events.length = 0;
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\n');
    let sessions = 0;
    await verifyLesson({
      lesson: lessonWith(builds(true)),
      workspace: ws,
      staticOnly: true,
      createSession: () => {
        sessions++;
        return session();
      },
    });
    expect(sessions).toBe(0);
    expect(events).toEqual(['static did not see the build']);
  });
});

describe('a Ctrl-C while a Docker check measures', () => {
  it('is reported as cancelled, not judged on what the teardown left', async () => {
    const controller = new AbortController();
    let judged = false;
    const interrupted = defineCheck({
      id: 'fake.interrupted',
      kind: 'docker',
      title: L('Interrupted', '被中断'),
      params: s.object({}),
      measure: async () => {
        controller.abort(); // the learner pressed Ctrl-C; the measure still returns what it had
        return { answered: false };
      },
      judge: () => {
        judged = true;
        return fail(L('no answer', '没有响应'));
      },
    });
    const { checks } = await verifyLesson({ lesson: lessonWith(interrupted), workspace: ws, createSession: () => session(), signal: controller.signal });
    expect(judged).toBe(false);
    expect(checks.find((c) => c.id === 'fake.interrupted')).toMatchObject({ status: 'skip', reason: 'cancelled' });
  });
});
