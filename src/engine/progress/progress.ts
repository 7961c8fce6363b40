import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { L, type Localized } from '../i18n.js';
import { UserError } from '../errors.js';
import { lessonProgressValue, parseProgressValue, type LessonProgress, type Progress } from './progress-shape.js';
import { fileTimestamp, readIfExists, writeFileAtomic } from '../util/files.js';

/**
 * `.learn-go-docker/progress.json`, format 1:
 * { version: 1, createdAt, lang?, current, firstImageBytes?, lessons: { <id>: LessonProgress } }
 * Written atomically (temp + rename); the previous good copy is kept as progress.json.bak.
 */
export type { LessonProgress, Progress } from './progress-shape.js';

export const STATE_DIR = '.learn-go-docker';
/** The progress file format this version reads and writes. */
const PROGRESS_FORMAT = 1;
export const progressPath = (workspace: string): string => join(workspace, STATE_DIR, 'progress.json');

export const emptyLessonProgress = (): LessonProgress => lessonProgressValue({});

export const newProgress = (firstLesson: string, now: Date): Progress => ({
  version: PROGRESS_FORMAT,
  createdAt: now.toISOString(),
  current: firstLesson,
  lessons: {},
});

export interface LoadedProgress {
  readonly progress: Progress;
  /** Set when the file was corrupt and we recovered: tell the learner what happened. */
  readonly recovered?: Localized;
  /** No good copy existed: progress starts again while the workspace still holds the learner's files. */
  readonly fresh?: boolean;
}

const parseProgress = (data: Buffer | undefined): Progress | undefined => {
  if (!data) return undefined;
  try {
    return parseProgressValue(JSON.parse(data.toString('utf8')));
  } catch {
    return undefined;
  }
};

/** The format number of a progress file written by a newer learn-go-docker (higher than ours), if it is one. */
const newerFormat = (data: Buffer): number | undefined => {
  try {
    const parsed = JSON.parse(data.toString('utf8')) as unknown;
    const version = parsed && typeof parsed === 'object' ? (parsed as { version?: unknown }).version : undefined;
    return typeof version === 'number' && Number.isInteger(version) && version > PROGRESS_FORMAT ? version : undefined;
  } catch {
    return undefined;
  }
};

/** A newer version's progress is not damage: it is left as it is, and the learner told to update. */
const newerVersion = (version: number): UserError =>
  new UserError(
    L(
      `This workspace was used by a newer learn-go-docker (progress format ${version}; this one reads ${PROGRESS_FORMAT}). Nothing was changed.`,
      `这个工作区由更新版本的 learn-go-docker 使用过（进度格式 ${version}；当前版本只能读取 ${PROGRESS_FORMAT}）。没有做任何改动。`,
    ),
    { next: L('Run the newer version: npx learn-go-docker@latest', '请运行新版本：npx learn-go-docker@latest') },
  );

/** What is at the progress path: a file's bytes, a folder (never ours), or nothing. */
const readProgressFile = async (path: string): Promise<Buffer | 'folder' | undefined> => {
  try {
    return await fs.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') return 'folder';
    throw error;
  }
};

/** progress.json.corrupt-<time>, or -2, -3... when a copy of that second exists already. */
const keepCorrupt = async (path: string, now: Date): Promise<string> => {
  const base = `${path}.corrupt-${fileTimestamp(now)}`;
  let kept = base;
  for (let n = 2; ; n += 1) {
    try {
      await fs.access(kept);
      kept = `${base}-${n}`;
    } catch {
      break;
    }
  }
  await fs.rename(path, kept);
  return kept;
};

/**
 * The progress as it is on disk, without repairing anything: undefined when it is missing, a
 * folder, damaged or of a newer format (loadProgress, under the lock, deals with those). Saves are
 * atomic renames, so a read without the lock sees one whole file.
 */
export const readProgressAsIs = async (workspace: string): Promise<Progress | undefined> => {
  const data = await readProgressFile(progressPath(workspace)).catch(() => undefined);
  return data === undefined || data === 'folder' ? undefined : parseProgress(data);
};

/**
 * Reads progress. A corrupt file (or a folder in its place) is never silently dropped: it is kept
 * beside as progress.json.corrupt-<time>, the last good copy (progress.json.bak) is used when there
 * is one, and the caller gets a message to show. Writes only while recovering; callers that may
 * recover hold the workspace lock.
 */
export const loadProgress = async (workspace: string, fallbackFirstLesson: string, now: Date): Promise<LoadedProgress | undefined> => {
  const path = progressPath(workspace);
  const data = await readProgressFile(path);
  if (!data) return undefined;
  const progress = data === 'folder' ? undefined : parseProgress(data);
  if (progress) return { progress };
  const newer = data === 'folder' ? undefined : newerFormat(data);
  if (newer !== undefined) throw newerVersion(newer);
  const kept = await keepCorrupt(path, now);
  const shownKept = `${STATE_DIR}/${kept.slice(kept.lastIndexOf('progress.json'))}`;
  const backup = parseProgress(await readIfExists(`${path}.bak`));
  if (backup) {
    await saveProgress(workspace, backup);
    return {
      progress: backup,
      recovered: L(
        `Your progress file was damaged; it was kept as ${shownKept} and the previous good copy was restored.`,
        `进度文件已损坏：已保留为 ${shownKept}，并恢复了上一份完好的副本。`,
      ),
    };
  }
  const fresh = newProgress(fallbackFirstLesson, now);
  await saveProgress(workspace, fresh);
  return {
    progress: fresh,
    fresh: true,
    recovered: L(
      `Your progress file was damaged and no good copy exists; it was kept as ${shownKept} and progress starts again from lesson 1.`,
      `进度文件已损坏且没有可用的副本：已保留为 ${shownKept}，进度从第 1 课重新开始。`,
    ),
  };
};

/** Atomic write; the copy being replaced becomes progress.json.bak. */
export const saveProgress = async (workspace: string, progress: Progress): Promise<void> => {
  const path = progressPath(workspace);
  const previous = await readIfExists(path);
  if (previous && parseProgress(previous)) await writeFileAtomic(`${path}.bak`, previous);
  await writeFileAtomic(path, `${JSON.stringify(progress, null, 2)}\n`);
};

/**
 * Removes the temp files of progress writes a kill -9 interrupted (`progress.json.<pid>.<ms>.tmp`).
 * Call while holding the workspace lock: every progress write happens under it, so none is live.
 */
export const sweepProgressTemps = async (workspace: string): Promise<void> => {
  const dir = join(workspace, STATE_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (/^progress\.json(\.bak)?\.\d+\.\d+\.tmp$/.test(name)) await fs.rm(join(dir, name), { force: true });
};
