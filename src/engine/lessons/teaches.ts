import type { Course, Lesson } from './course.js';
import { lessonCheckId } from './course.js';

/** JSON with sorted keys: params written in another order are the same params. */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? {}, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/**
 * The earlier lesson that teaches each check of a lesson, by lesson check id: the first lesson that
 * uses the same check with the same params, else the same lesson check id (`http.probe#version`),
 * else the same registry check. A check no earlier lesson uses is this lesson's own: not listed.
 * Derived from the course, so a new lesson needs no table; the capstone's scorecard shows them.
 */
export const teachingLessons = (course: Course, lesson: Lesson): Readonly<Record<string, number>> => {
  const earlier = course.lessons.filter((l) => l.number < lesson.number);
  const uses = earlier.flatMap((l) => l.meta.checks.map((c) => ({ number: l.number, check: c.check, id: lessonCheckId(c), params: canonical(c.params) })));
  const first = (match: (u: (typeof uses)[number]) => boolean): number | undefined =>
    uses.filter(match).reduce<number | undefined>((min, u) => (min === undefined || u.number < min ? u.number : min), undefined);
  const teaches: Record<string, number> = {};
  for (const c of lesson.meta.checks) {
    const id = lessonCheckId(c);
    const params = canonical(c.params);
    const number = first((u) => u.check === c.check && u.params === params) ?? first((u) => u.id === id) ?? first((u) => u.check === c.check);
    if (number !== undefined) teaches[id] = number;
  }
  return teaches;
};
