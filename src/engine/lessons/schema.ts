import { z } from 'zod';

/** Bumped when lesson.yaml changes incompatibly; the loader refuses newer formats with a clear message. */
export const LESSON_FORMAT = 1;

const localized = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }).strict();

/** One check as a lesson uses it: a registry check with parameters, under an id unique in the lesson. */
const lessonCheck = z
  .object({
    /** Registry id, e.g. "http.probe". */
    check: z.string().min(1),
    /** Id in this lesson, defaults to `check`; needed when a check is used twice ("http.probe#version"). */
    id: z.string().min(1).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const lessonSchema = z
  .object({
    format: z.literal(LESSON_FORMAT),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    chapter: z.string().min(1),
    title: localized,
    /** One line for the lesson list. */
    summary: localized.optional(),
    /** Workspace-relative files the learner edits in this lesson (watched in watch mode). */
    files: z.array(z.string().min(1)).min(1),
    /** Dockerfile the checks analyse and build, workspace-relative. */
    dockerfile: z.string().default('Dockerfile'),
    /** Docker features the lesson needs; a missing one is reported plainly instead of failing the learner. */
    requires: z.array(z.enum(['buildkit', 'compose'])).default([]),
    checks: z.array(lessonCheck).min(1),
    /** Lesson check ids that must fail on the start overlay (the curriculum's honesty test). */
    expectedStartFailures: z.array(z.string()).default([]),
    /** Tiered hints keyed by lesson check id: first the gentlest. */
    hints: z.record(z.string(), z.array(localized).min(1).max(4)).default({}),
    solution: z
      .object({
        /** Offer the solution after this many failed verifies (it is always offered after a pass). */
        afterFailures: z.number().int().min(1).default(3),
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
    scorecard: z.boolean().default(false),
  })
  .strict();

export type LessonMeta = z.infer<typeof lessonSchema>;
export type LessonCheck = z.infer<typeof lessonCheck>;

export const chaptersSchema = z
  .object({
    format: z.literal(LESSON_FORMAT),
    chapters: z.array(z.object({ id: z.string().min(1), title: localized }).strict()).min(1),
  })
  .strict();

export type Chapters = z.infer<typeof chaptersSchema>;
