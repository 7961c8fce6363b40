import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import type { Course, Lesson } from '../lessons/load.js';
import { newProgress, saveProgress, STATE_DIR, type Progress } from '../progress/progress.js';
import { fileTimestamp, writeFileAtomic } from '../util/files.js';
import type { BackupResult, GotoResult } from '../tutorial-api.js';
import {
  applySources,
  backupFiles,
  contentOf,
  courseSource,
  differing,
  differingOrUnreadable,
  entrySources,
  saveSnapshot,
  setAsideSnapshot,
  startSources,
  sweepUnfinishedSnapshots,
  type Source,
} from './overlay.js';

const STATE_README = `This folder belongs to learn-go-docker: your progress (progress.json), your files of
lessons you left (lessons/<id>/) and backups made before reset or solution --apply (backups/).
Keep it when you zip the workspace; delete it to start the course again.
`;

/**
 * Creates a workspace: the sample app, the first lesson's start files and fresh progress.
 * Refuses a non-empty folder that is not a workspace, so nothing of the learner's is overwritten.
 */
export const createWorkspace = async (dir: string, course: Course, now: Date): Promise<Progress> => {
  if (existsSync(dir)) {
    const entries = await fs.readdir(dir);
    if (entries.includes(STATE_DIR)) {
      throw new UserError(L(`${dir} is already a learn-go-docker workspace.`, `${dir} 已经是 learn-go-docker 工作区。`), {
        next: L(`Continue there: cd ${dir} && npx learn-go-docker`, `直接继续：cd ${dir} && npx learn-go-docker`),
        exitCode: 2,
      });
    }
    if (entries.length > 0) {
      throw new UserError(L(`${dir} exists and is not empty; the workspace needs a new folder.`, `${dir} 已存在且不为空，工作区需要一个新文件夹。`), {
        next: L('Choose another folder with --dir NAME.', '请用 --dir 指定另一个文件夹。'),
      });
    }
  }
  const first = course.lessons[0] as Lesson;
  await fs.mkdir(join(dir, STATE_DIR), { recursive: true });
  for (const rel of course.sampleAppFiles) {
    const file = await course.files.read(`sample-app/${rel}`);
    if (file) await writeFileAtomic(join(dir, rel), file.bytes, file.mode);
  }
  await applySources(dir, startSources(course, first));
  await writeFileAtomic(join(dir, STATE_DIR, 'README.txt'), STATE_README);
  const progress = newProgress(first.meta.id, now);
  progress.lessons[first.meta.id] = { attempts: 0, failures: 0, passed: false, hints: {}, verifyMs: 0, startedAt: now.toISOString() };
  await saveProgress(dir, progress);
  return progress;
};

/**
 * Moves to a lesson: saves the learner's files of the lesson they leave, then writes the target
 * lesson's start state, except files the learner already changed in that lesson, which come back.
 * Call while holding the workspace lock, on freshly read progress; `journal` persists progress.
 * Order matters for kill -9: the snapshot is complete before the journal says "moving", and the
 * journal is on disk before any learner file is replaced (see `completeInterruptedMove`).
 */
export const moveToLesson = async (
  workspace: string,
  course: Course,
  progress: Progress,
  target: Lesson,
  now: Date,
  journal: (progress: Progress) => Promise<void>,
): Promise<GotoResult> => {
  const leaving = progress.current;
  if (leaving === target.meta.id) return { lesson: target.meta.id, changes: [] };
  await sweepUnfinishedSnapshots(workspace);
  let saved: { dir: string; previousKeptIn?: string } | undefined;
  let backupDir: string | undefined;
  if (course.byId(leaving)) saved = await saveSnapshot(workspace, course, leaving, now);
  else backupDir = (await backupFiles(workspace, await differing(workspace, await entrySources(workspace, course, target)), fileTimestamp(now))).dir;
  progress.moving = { from: leaving, to: target.meta.id, at: now.toISOString() };
  await journal(progress);
  const changes = await applySources(workspace, await entrySources(workspace, course, target));
  progress.current = target.meta.id;
  delete progress.moving;
  const entry = (progress.lessons[target.meta.id] ??= { attempts: 0, failures: 0, passed: false, hints: {}, verifyMs: 0 });
  entry.startedAt ??= now.toISOString();
  return { lesson: target.meta.id, changes, savedTo: saved?.dir, keptEarlier: saved?.previousKeptIn, backupDir };
};

/**
 * Finishes a `goto` that was killed after its journal was written: the lesson left is saved, so
 * the target's files are written again, after a backup of whatever the workspace holds that they
 * would replace (the learner may have edited in between). Returns the backup folder, if any.
 */
export const completeInterruptedMove = async (workspace: string, course: Course, progress: Progress, now: Date): Promise<string | undefined> => {
  const moving = progress.moving;
  if (!moving) return undefined;
  const target = course.byId(moving.to);
  delete progress.moving;
  if (!target) return undefined;
  const sources = await entrySources(workspace, course, target);
  const backup = await backupFiles(workspace, await differing(workspace, sources), fileTimestamp(now));
  await applySources(workspace, sources);
  progress.current = target.meta.id;
  return backup.dir;
};

const overwriteWithBackup = async (workspace: string, sources: ReadonlyMap<string, Source>, now: Date): Promise<BackupResult> => {
  const { changed, unreadable } = await differingOrUnreadable(workspace, sources);
  const backup = await backupFiles(workspace, changed, fileTimestamp(now), unreadable);
  await applySources(workspace, sources);
  return { backupDir: backup.dir, files: [...changed, ...unreadable].sort() };
};

/** Restores the lesson's start state after a timestamped backup of every file it overwrites. */
export const resetLesson = async (workspace: string, course: Course, lesson: Lesson, now: Date): Promise<BackupResult> => {
  const result = await overwriteWithBackup(workspace, startSources(course, lesson), now);
  // The copy saved when the learner last left this lesson would come back on the next visit: set
  // it aside with the backups, since a reset means "start again".
  const keptEarlier = await setAsideSnapshot(workspace, lesson.meta.id, now);
  return keptEarlier ? { ...result, keptEarlier } : result;
};

/**
 * The solution state of a lesson's files: its solution/ overlay, and for files the start/ overlay
 * changed that the solution leaves out, the sample app's version. A lesson whose point is a bug in
 * the app therefore needs no copy of the fixed file: the sample app is the fix, and cannot drift.
 */
export const solutionSources = (course: Course, lesson: Lesson, fill?: (text: string) => string): Map<string, Source> => {
  const sources = new Map<string, Source>();
  for (const rel of lesson.startFiles) if (course.sampleAppFiles.includes(rel)) sources.set(rel, courseSource(course, `sample-app/${rel}`, 'sample'));
  for (const rel of lesson.solutionFiles) sources.set(rel, { ...courseSource(course, `${lesson.path}/solution/${rel}`, 'start'), ...(fill ? { fill } : {}) });
  return sources;
};

/** Writes the solution files over the workspace after a backup; `fill` gives them this engine's digests. */
export const applySolution = async (workspace: string, course: Course, lesson: Lesson, now: Date, fill?: (text: string) => string): Promise<BackupResult> =>
  overwriteWithBackup(workspace, solutionSources(course, lesson, fill), now);

/** The solution's files, as `solution` shows them (sorted by path). */
export const readSolution = async (course: Course, lesson: Lesson, fill?: (text: string) => string): Promise<{ path: string; content: string }[]> =>
  Promise.all(
    [...solutionSources(course, lesson, fill)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([path, source]) => ({ path, content: (await contentOf(source))?.bytes.toString('utf8') ?? '' })),
  );
