import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { checkLessons } from '../../../src/engine/dev/check-lessons.js';
import { courseBaseImages } from '../../../src/engine/lessons/base-images.js';
import { loadCourse, lessonCheckId } from '../../../src/engine/lessons/load.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { madeUpDigests, noDockerSession } from './fakes.js';

// The real course, without Docker: every lesson loads (schema, both languages, known check ids with
// valid params, hints and expected failures naming its own checks), and the static half of the
// honesty contract holds. The Docker half is test/docker/proofs.test.ts (conformance.suite.ts).
describe('the course (static)', async () => {
  const course = await loadCourse(packageRoot(), checkRegistry());

  it('has every lesson folder, in order, each with hints for every check its start fails', () => {
    const folders = readdirSync(join(packageRoot(), 'lessons'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^\d\d-/.test(e.name))
      .map((e) => e.name)
      .sort();
    expect(course.lessons.map((l) => l.dir.split(/[\\/]/).pop())).toEqual(folders);
    expect(course.lessons.map((l) => l.number)).toEqual(folders.map((_, i) => i + 1));
    for (const lesson of course.lessons) {
      const ids = lesson.meta.checks.map(lessonCheckId);
      for (const failing of lesson.meta.expectedStartFailures) {
        expect(ids, lesson.meta.id).toContain(failing);
        expect(lesson.meta.hints[failing]?.length ?? 0, `${lesson.meta.id}: hints for ${failing}`).toBeGreaterThanOrEqual(2);
      }
      expect(lesson.meta.expectedStartFailures.length, `${lesson.meta.id} must start failing`).toBeGreaterThan(0);
    }
  });

  it('uses only base images the test environment provides', async () => {
    expect(await courseBaseImages(course)).toEqual([
      'debian:trixie-slim',
      'gcr.io/distroless/static-debian13:latest',
      'gcr.io/distroless/static-debian13:nonroot',
      'golang:1.26-trixie',
      'postgres:17-trixie',
    ]);
  });

  it('static checks: every start fails its declared static checks, every solution passes them', async () => {
    const results = await checkLessons({
      course,
      createSession: () => noDockerSession(),
      baseDigests: madeUpDigests,
      staticOnly: true,
    });
    for (const result of results) {
      expect([...result.startFailing].sort(), `start of ${result.lesson}`).toEqual([...result.expectedFailing].sort());
      expect(
        result.solutionOk,
        `solution of ${result.lesson}: ${JSON.stringify(result.solution.filter((c) => c.status !== 'pass' && c.kind === 'static'))}`,
      ).toBe(true);
    }
  });
});

describe('dev-check lesson selection', async () => {
  const { selectLessons } = await import('../../../src/engine/dev/check-lessons.js');
  const course = await loadCourse(packageRoot(), checkRegistry());

  it('takes ids, numbers and folder names; an unknown one is an error, never an empty pass', () => {
    expect(selectLessons(course, ['multi-stage', '13', '16-compose']).map((l) => l.number)).toEqual([4, 13, 16]);
    expect(() => selectLessons(course, ['13-resource-limit'])).toThrow(/No lesson named 13-resource-limit/);
    expect(selectLessons(course, [])).toHaveLength(course.lessons.length);
  });
});
