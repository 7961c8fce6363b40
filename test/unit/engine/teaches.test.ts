import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { teachingLessons } from '../../../src/engine/lessons/teaches.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

const course = await loadCourse(packageRoot(), checkRegistry());
const lesson = (id: string) => {
  const found = course.byId(id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
};

describe('teachingLessons', () => {
  it("gives each of the capstone's checks the lesson that teaches it", () => {
    const teaches = teachingLessons(course, lesson('capstone'));
    const capstone = lesson('capstone');
    // Every capstone check is taught by an earlier lesson: the scorecard has a number for each.
    for (const check of capstone.meta.checks) expect(teaches[check.id ?? check.check], check.id ?? check.check).toBeLessThan(capstone.number);
    expect(teaches).toMatchObject({
      'image.builds': 1,
      'dockerfile.base-pinned': 2,
      'dockerfile.deps-before-source': 3,
      'build.cache-reuse': 3,
      'image.size': 4,
      'binary.static': 5,
      'http.probe#ping': 2,
      // Same check, other params: GIN_MODE is lesson 7's, GOMEMLIMIT lesson 13's.
      'image.env#gin-mode': 7,
      'image.env#gomemlimit': 13,
      'http.probe#version': 7,
      'image.user': 8,
      'volume.writable': 9,
      'http.probe#ready': 9,
      'container.healthy': 10,
      'container.stop': 11,
      'container.json-logs': 12,
      'container.limits': 13,
      'build.version-arg': 14,
      'image.labels': 14,
      'dockerfile.no-secrets': 15,
    });
  });
  it("leaves out a lesson's own new checks and names earlier ones", () => {
    const teaches = teachingLessons(course, lesson('non-root-user'));
    expect(teaches['image.user']).toBeUndefined();
    expect(teaches['http.probe']).toBe(2);
    expect(teachingLessons(course, lesson('welcome'))).toEqual({});
    expect(teachingLessons(course, lesson('first-image'))['image.builds']).toBe(1);
  });
});
