import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLesson } from '../../../src/engine/checks/run.js';
import { dockerfileCacheMount } from '../../../src/engine/checks/static/dockerfile-build.js';
import type { DockerCapabilities, DockerSession } from '../../../src/engine/docker/session.js';
import { loadCourse, type Course, type Lesson } from '../../../src/engine/lessons/load.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { availableCaps, fakeRegistry, FIXTURE_COURSE, tempDir } from './fakes.js';

// The one capability gate: a Docker without what a check needs gives a skip with its reason,
// reported once, and never a build that is bound to fail.
const session = (caps: Partial<DockerCapabilities>, calls: string[]): DockerSession =>
  ({
    capabilities: async () => availableCaps(caps),
    lessonImage: async () => {
      calls.push('build');
      throw new Error('no build expected');
    },
    dispose: async () => undefined,
  }) as unknown as DockerSession;

let course: Course;
let lesson: Lesson;
let tmp: { dir: string; done: () => Promise<void> };
let ws: string;

beforeEach(async () => {
  const registry = fakeRegistry();
  course = await loadCourse(FIXTURE_COURSE, registry);
  const one = course.byId('one') as Lesson;
  const docker = registry.get('fake.docker')!;
  lesson = {
    ...one,
    checks: [
      ...one.checks,
      { id: 'fake.docker', definition: docker, bound: docker.bind({}) },
      { id: 'fake.docker#2', definition: docker, bound: docker.bind({}) },
    ],
  };
  tmp = await tempDir();
  ws = join(tmp.dir, 'lab');
  await createWorkspace(ws, course, new Date());
});
afterEach(() => tmp.done());

describe('capability gate', () => {
  it('on a classic-only Docker, a RUN \\ whose --mount is on the next line is reported as needing BuildKit, not built', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nRUN \\\n  --mount=type=cache,target=/go/pkg/mod \\\n  go mod download\n');
    const calls: string[] = [];
    const { checks, blocking } = await verifyLesson({ lesson, workspace: ws, createSession: () => session({ builder: 'classic' }, calls) });
    const docker = checks.filter((c) => c.kind === 'docker');
    expect(docker.map((c) => [c.status, c.reason])).toEqual([
      ['skip', 'needs-buildkit'],
      ['skip', 'needs-buildkit'],
    ]);
    expect(blocking).toHaveLength(1);
    expect(blocking[0]?.message.en).toContain('line 2: run-mount');
    expect(blocking[0]?.message['zh-CN']).toContain('第 2 行');
    expect(calls).toEqual([]);
  });

  it('runs the checks when the Dockerfile needs nothing the classic builder lacks', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nRUN go version\n');
    const { checks, blocking } = await verifyLesson({ lesson, workspace: ws, createSession: () => session({ builder: 'classic' }, []) });
    expect(checks.filter((c) => c.kind === 'docker').map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(blocking).toEqual([]);
  });

  it('reports a missing Docker once, with every Docker check skipped for that reason', async () => {
    const { checks, blocking } = await verifyLesson({
      lesson,
      workspace: ws,
      createSession: () =>
        session({ available: false, problem: { message: { en: 'no daemon', 'zh-CN': '没有守护进程' }, next: { en: 'start it', 'zh-CN': '启动它' } } }, []),
    });
    expect(checks.filter((c) => c.kind === 'docker').every((c) => c.reason === 'docker-unavailable')).toBe(true);
    expect(blocking.map((b) => b.reason)).toEqual(['docker-unavailable']);
    expect(blocking[0]?.message.en).toBe('Docker is not usable: no daemon start it');
  });
});

describe('a static check that needs a Docker feature (dockerfile.cache-mount needs BuildKit)', () => {
  const withCacheMount = (): Lesson => ({
    ...lesson,
    checks: [{ id: 'dockerfile.cache-mount', definition: dockerfileCacheMount, bound: dockerfileCacheMount.bind({}) }],
  });
  const noMount = 'FROM golang:1.26\nRUN go build -o /s .\n';

  it('is judged where BuildKit builds', async () => {
    await writeFile(join(ws, 'Dockerfile'), noMount);
    const { checks } = await verifyLesson({ lesson: withCacheMount(), workspace: ws, createSession: () => session({ builder: 'buildx' }, []) });
    expect(checks.map((c) => c.status)).toEqual(['fail']);
  });

  it('is a skip with its reason on a classic-only Docker, never a fail', async () => {
    await writeFile(join(ws, 'Dockerfile'), noMount);
    const { checks, blocking } = await verifyLesson({ lesson: withCacheMount(), workspace: ws, createSession: () => session({ builder: 'classic' }, []) });
    expect(checks.map((c) => [c.status, c.reason])).toEqual([['skip', 'needs-buildkit']]);
    expect(blocking.map((b) => b.reason)).toEqual(['needs-buildkit']);
  });

  it('is judged on the file by a static-only run, which asks Docker nothing', async () => {
    await writeFile(join(ws, 'Dockerfile'), noMount);
    let sessions = 0;
    const { checks } = await verifyLesson({
      lesson: withCacheMount(),
      workspace: ws,
      staticOnly: true,
      createSession: () => {
        sessions += 1;
        return session({}, []);
      },
    });
    expect(checks.map((c) => c.status)).toEqual(['fail']);
    expect(sessions).toBe(0);
  });
});

describe('verdicts as they come', () => {
  it('static checks report first (whatever their place in the lesson), the result keeps the lesson order', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nUSER 65532\n');
    const [contains, ...rest] = lesson.checks;
    const dockerFirst = { ...lesson, checks: [...rest, contains!] };
    const seen: string[] = [];
    const { checks } = await verifyLesson({
      lesson: dockerFirst,
      workspace: ws,
      createSession: () => session({}, []),
      onReport: (r) => seen.push(`${r.kind}:${r.id}`),
    });
    const kinds = (kind: string) => dockerFirst.checks.filter((c) => c.definition.kind === kind).map((c) => `${kind}:${c.id}`);
    expect(seen).toEqual([...kinds('static'), ...kinds('docker')]);
    expect(checks.map((c) => c.id)).toEqual(dockerFirst.checks.map((c) => c.id));
  });
});

describe('a Dockerfile that does not parse, in a lesson without dockerfile.exists', () => {
  it('leads the results with the parse error as a failure, static-only too, so the verify fails and says why', async () => {
    expect(lesson.checks.some((c) => c.definition.id === 'dockerfile.exists')).toBe(false);
    await writeFile(join(ws, 'Dockerfile'), 'FORM golang:1.26\n');
    const { checks } = await verifyLesson({ lesson, workspace: ws, staticOnly: true, createSession: () => session({}, []) });
    expect(checks[0]).toMatchObject({ id: 'dockerfile.exists', status: 'fail' });
    expect(checks[0]?.message.en).toMatch(/^Dockerfile does not parse\. .*FORM/);
    expect(checks[0]?.line).toBe(1);
  });

  it('builds nothing: the Docker checks say to fix the Dockerfile first', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FORM golang:1.26\n');
    const calls: string[] = [];
    const { checks, blocking } = await verifyLesson({ lesson, workspace: ws, createSession: () => session({}, calls) });
    expect(calls).toEqual([]);
    expect(checks.filter((c) => c.kind === 'docker').map((c) => [c.status, c.reason, c.message.en])).toEqual([
      ['skip', 'dockerfile-invalid', 'Not run: fix the Dockerfile first (it does not parse).'],
      ['skip', 'dockerfile-invalid', 'Not run: fix the Dockerfile first (it does not parse).'],
    ]);
    expect(blocking).toEqual([]);
  });

  it('adds nothing when the Dockerfile parses', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\n');
    const { checks } = await verifyLesson({ lesson, workspace: ws, staticOnly: true, createSession: () => session({}, []) });
    expect(checks.map((c) => c.id)).not.toContain('dockerfile.exists');
  });
});
