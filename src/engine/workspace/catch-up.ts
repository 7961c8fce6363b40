import type { GotoResult, LessonSummary, TutorialApi } from '../tutorial-api.js';

/**
 * `goto N --catch-up`: a late learner joins the room at lesson N with every earlier lesson solved.
 * Each lesson before N that the learner has not passed is visited the way `goto` visits it (the
 * files of the lesson left are saved with it), then its solution is written the way
 * `solution --apply` writes it (every file it replaces is backed up first); then `goto N`. So the
 * catch-up has no file-writing of its own: the two paths learners already use, in course order,
 * each one under the workspace lock and saving progress atomically.
 *
 * Progress stays honest: no lesson is marked passed (only a verify does that); a solved lesson
 * passes at its next verify. Lessons the learner passed are left as they are: their files are the
 * learner's own working answer.
 */

export interface CaughtUpLesson {
  readonly lesson: LessonSummary;
  /**
   * Workspace-relative folders (backups/...) holding what this lesson's catch-up replaced: the
   * files `solution --apply` overwrote, and the copy saved when the learner last left the lesson.
   */
  readonly backups: readonly string[];
}

export interface CatchUpResult {
  readonly target: LessonSummary;
  /** Solutions applied, in course order. */
  readonly applied: readonly CaughtUpLesson[];
  /** Earlier lessons left alone because the learner passed them. */
  readonly passed: readonly LessonSummary[];
  /**
   * The lesson the learner was on, when the catch-up moved away from it and does not write its
   * solution: where its files were saved (they come back on return), and where an older saved copy went.
   */
  readonly left?: { readonly lesson: LessonSummary; readonly savedTo?: string; readonly keptEarlier?: string; readonly backupDir?: string };
  /** The final move to the target lesson, as `goto` reports it (what it says of the lesson left is in `applied`). */
  readonly arrival: GotoResult;
}

/** The lessons whose solutions a catch-up to `target` applies (course order). */
export const lessonsToCatchUp = (api: TutorialApi, target: LessonSummary): LessonSummary[] =>
  api.lessons().filter((l) => l.number < target.number && l.status !== 'done');

export const catchUp = async (api: TutorialApi, targetId: string): Promise<CatchUpResult> => {
  const target = api.findLesson(targetId);
  const passed = api.lessons().filter((l) => l.number < target.number && l.status === 'done');
  const todo = lessonsToCatchUp(api, target);
  const startedOn = api.findLesson(api.currentLessonId());
  // Folders by the lesson they belong to: a move's set-aside copy is of the lesson it leaves.
  const backups = new Map<string, string[]>();
  const keep = (lessonId: string, ...dirs: (string | undefined)[]): void => {
    const list = backups.get(lessonId) ?? [];
    for (const dir of dirs) if (dir !== undefined && !list.includes(dir)) list.push(dir);
    backups.set(lessonId, list);
  };
  let left: CatchUpResult['left'];
  for (const lesson of todo) {
    // goto first: the lesson's own files (the learner's, if they were there before) come into the
    // workspace, and the lesson left is saved, so the solution overwrites only this lesson's files.
    const leaving = api.currentLessonId();
    const moved = await api.goto(lesson.id);
    const first = lesson === todo[0];
    if (first && leaving !== lesson.id && !todo.some((l) => l.id === leaving))
      left = {
        lesson: startedOn,
        ...(moved.savedTo ? { savedTo: moved.savedTo } : {}),
        ...(moved.keptEarlier ? { keptEarlier: moved.keptEarlier } : {}),
        ...(moved.backupDir ? { backupDir: moved.backupDir } : {}),
      };
    else keep(leaving, moved.keptEarlier, moved.backupDir);
    const written = await api.applySolution(lesson.id);
    keep(lesson.id, written.backupDir, written.keptEarlier);
  }
  const leaving = api.currentLessonId();
  const arrival = await api.goto(target.id);
  if (todo.length > 0) keep(leaving, arrival.keptEarlier, arrival.backupDir);
  const applied = todo.map((lesson) => ({ lesson, backups: backups.get(lesson.id) ?? [] }));
  return { target, applied, passed, ...(left ? { left } : {}), arrival };
};
