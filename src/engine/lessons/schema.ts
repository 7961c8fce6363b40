import { s, type Infer } from '../util/schema.js';

/** Bumped when lesson.yaml changes incompatibly; the loader refuses newer formats with a clear message. */
export const LESSON_FORMAT = 1;

const localized = s.object({ en: s.string().min(1), 'zh-CN': s.string().min(1) }).strict();

/** One check as a lesson uses it: a registry check with parameters, under an id unique in the lesson. */
const lessonCheck = s
  .object({
    /** Registry id, e.g. "http.probe". */
    check: s.string().min(1),
    /** Id in this lesson, defaults to `check`; needed when a check is used twice ("http.probe#version"). */
    id: s.string().min(1).optional(),
    params: s.record(s.string(), s.unknown()).default({}),
  })
  .strict();

export const lessonSchema = s
  .object({
    format: s.literal(LESSON_FORMAT),
    id: s.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    chapter: s.string().min(1),
    title: localized,
    /** One line for the lesson list. */
    summary: localized.optional(),
    /** Workspace-relative files the learner edits in this lesson (watched in watch mode). */
    files: s.array(s.string().min(1)).min(1),
    /** Dockerfile the checks analyse and build, workspace-relative. */
    dockerfile: s.string().default('Dockerfile'),
    /** Docker features the lesson needs; a missing one is reported plainly instead of failing the learner. */
    requires: s.array(s.enum(['buildkit', 'compose'])).default([]),
    checks: s.array(lessonCheck).min(1),
    /** Lesson check ids that must fail on the start overlay (the curriculum's honesty test). */
    expectedStartFailures: s.array(s.string()).default([]),
    /** Tiered hints keyed by lesson check id: first the gentlest. */
    hints: s.record(s.string(), s.array(localized).min(1).max(4)).default({}),
    solution: s
      .object({
        /** Offer the solution after this many failed verifies (it is always offered after a pass). */
        afterFailures: s.number().int().min(1).default(3),
      })
      .strict()
      .default({ afterFailures: 3 }),
    /** "What you learned" line shown after a pass. */
    learned: localized,
    /**
     * A scorecard of earlier lessons (the capstone): each verdict shows the lesson that teaches its
     * check, and a failure says which lesson to revisit. Elsewhere a repeated check (the image
     * builds, the app answers) is just part of the lesson.
     */
    scorecard: s.boolean().default(false),
  })
  .strict();

export type LessonMeta = Infer<typeof lessonSchema>;
export type LessonCheck = Infer<typeof lessonCheck>;

export const chaptersSchema = s
  .object({
    format: s.literal(LESSON_FORMAT),
    /** The course's parts, in order; a chapter names its part by number (1 when it says none). */
    parts: s.array(s.object({ title: localized }).strict()).optional(),
    chapters: s.array(s.object({ id: s.string().min(1), title: localized, part: s.number().int().positive().optional() }).strict()).min(1),
  })
  .strict();

export type Chapters = Infer<typeof chaptersSchema>;
