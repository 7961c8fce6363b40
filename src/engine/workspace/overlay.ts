import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_DIR } from '../progress/progress.js';
import type { Course, Lesson } from '../lessons/load.js';
import type { CourseFiles } from '../lessons/course-files.js';
import { fileTimestamp, readIfExists, writeFileAtomic } from '../util/files.js';
import { readFileBytes } from '../util/safe-read.js';
import { isUserError } from '../errors.js';
import type { FileChange } from '../tutorial-api.js';

/**
 * Where a managed file's content comes from: a course file (by its path in the package), a copy the
 * workspace saved, or `absent` (the file should not exist).
 */
export type Source =
  | {
      readonly kind: 'course';
      readonly files: CourseFiles;
      readonly path: string;
      readonly origin: 'start' | 'sample';
      /** Rewrites the text on its way out (a solution's base-image digests, lessons/digest-pins.ts). */
      readonly fill?: (text: string) => string;
    }
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'absent' };

/** A course file as a source. */
export const courseSource = (course: Course, path: string, origin: 'start' | 'sample'): Source => ({ kind: 'course', files: course.files, path, origin });

export const snapshotDir = (workspace: string, lessonId: string): string => join(workspace, STATE_DIR, 'lessons', lessonId);
const manifestPath = (workspace: string, lessonId: string): string => join(snapshotDir(workspace, lessonId), 'snapshot.json');

interface SnapshotManifest {
  readonly savedAt: string;
  readonly files: readonly string[];
  readonly absent: readonly string[];
}

const readManifest = async (workspace: string, lessonId: string): Promise<SnapshotManifest | undefined> => {
  const data = await readIfExists(manifestPath(workspace, lessonId));
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as SnapshotManifest;
  } catch {
    return undefined;
  }
};

const sameFiles = async (a: string, b: string, files: readonly string[]): Promise<boolean> => {
  for (const rel of files) {
    const [x, y] = await Promise.all([readIfExists(join(a, 'files', rel)), readIfExists(join(b, 'files', rel))]);
    if (!x || !y || !x.equals(y)) return false;
  }
  return true;
};

const sameSnapshot = async (dir: string, next: string, manifest: SnapshotManifest, previous: SnapshotManifest): Promise<boolean> =>
  JSON.stringify([previous.files, previous.absent]) === JSON.stringify([manifest.files, manifest.absent]) && sameFiles(dir, next, manifest.files);

/**
 * Claims a new folder under backups/: <stamp>[-n][-<what>]. Made with a plain mkdir, which fails when
 * the folder exists, so a backup never writes into another one (a killed command's half-made backup
 * from the same second included).
 */
const claimBackupDir = async (workspace: string, stamp: string, what?: string): Promise<string> => {
  await fs.mkdir(join(workspace, STATE_DIR, 'backups'), { recursive: true });
  for (let n = 1; ; n += 1) {
    const rel = `${STATE_DIR}/backups/${stamp}${n > 1 ? `-${n}` : ''}${what ? `-${what}` : ''}`;
    try {
      await fs.mkdir(join(workspace, rel));
      return rel;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
};

export interface SavedSnapshot {
  /** Workspace-relative folder of the snapshot. */
  readonly dir: string;
  /** Where the snapshot it replaced went, when it held other content (workspace-relative). */
  readonly previousKeptIn?: string;
}

/**
 * Saves the learner's managed files as they are, so leaving a lesson never loses work. The new
 * snapshot is complete before it replaces the old one (written aside, then renamed), and an old
 * snapshot with other content is moved to backups/ rather than deleted.
 */
export const saveSnapshot = async (workspace: string, course: Course, lessonId: string, now: Date): Promise<SavedSnapshot> => {
  const dir = snapshotDir(workspace, lessonId);
  const next = `${dir}.new-${process.pid}-${Date.now()}`;
  const files: string[] = [];
  const absent: string[] = [];
  for (const rel of course.managedFiles) {
    if (!(await copyOutOfWorkspace(workspace, rel, join(next, 'files', rel)))) {
      absent.push(rel);
      continue;
    }
    files.push(rel);
  }
  const manifest: SnapshotManifest = { savedAt: now.toISOString(), files, absent };
  await writeFileAtomic(join(next, 'snapshot.json'), JSON.stringify(manifest, null, 2));
  const shown = `${STATE_DIR}/lessons/${lessonId}`;
  const previous = await readManifest(workspace, lessonId);
  let previousKeptIn: string | undefined;
  if (previous && (await sameSnapshot(dir, next, manifest, previous))) {
    await fs.rm(dir, { recursive: true, force: true });
  } else {
    previousKeptIn = await setAsideSnapshot(workspace, lessonId, now);
  }
  await fs.rename(next, dir);
  return { dir: shown, previousKeptIn };
};

/** Removes half-written snapshots a killed `goto` left (call while holding the workspace lock). */
export const sweepUnfinishedSnapshots = async (workspace: string): Promise<void> => {
  const root = join(workspace, STATE_DIR, 'lessons');
  const entries = await fs.readdir(root).catch(() => [] as string[]);
  for (const name of entries) if (/\.new-\d+-\d+$/.test(name)) await fs.rm(join(root, name), { recursive: true, force: true });
};

/** Moves a lesson's saved copy to backups/<stamp>-lesson-<id>/ (never deleted); returns where, if there was one. */
export const setAsideSnapshot = async (workspace: string, lessonId: string, now: Date): Promise<string | undefined> => {
  const dir = snapshotDir(workspace, lessonId);
  if ((await fs.stat(dir).catch(() => undefined)) === undefined) return undefined;
  const kept = await claimBackupDir(workspace, fileTimestamp(now), `lesson-${lessonId}`);
  try {
    await fs.rename(dir, join(workspace, kept)); // POSIX replaces the empty claimed folder
  } catch {
    await fs.rmdir(join(workspace, kept)); // Windows does not: free the name (we hold the workspace lock)
    await fs.rename(dir, join(workspace, kept));
  }
  return kept;
};

/** The lesson's start state: its start/ overlay, the sample app for other managed files, nothing else. */
export const startSources = (course: Course, lesson: Lesson): Map<string, Source> => {
  const start = new Set(lesson.startFiles);
  const sources = new Map<string, Source>();
  for (const rel of course.managedFiles) {
    sources.set(rel, start.has(rel) ? courseSource(course, `${lesson.path}/start/${rel}`, 'start') : courseSource(course, `sample-app/${rel}`, 'sample'));
  }
  return sources;
};

/** Start state, except files the learner left in this lesson earlier, which come back as they were. */
export const entrySources = async (workspace: string, course: Course, lesson: Lesson): Promise<Map<string, Source>> => {
  const sources = startSources(course, lesson);
  const manifest = await readManifest(workspace, lesson.meta.id);
  if (!manifest) return sources;
  const dir = snapshotDir(workspace, lesson.meta.id);
  for (const rel of manifest.files) sources.set(rel, { kind: 'saved', path: join(dir, 'files', rel) });
  for (const rel of manifest.absent) sources.set(rel, { kind: 'absent' });
  return sources;
};

/**
 * A learner's file, read without following a link out of the workspace (a zipped workspace may hold
 * a Dockerfile linked to /etc/shadow: its content must never be copied into a snapshot or backup).
 */
export const readInWorkspace = (workspace: string, rel: string): Promise<Buffer | undefined> =>
  readFileBytes(rel, { root: workspace, shown: rel, maxBytes: MAX_MANAGED_BYTES });

/** Lesson files are source files; a bigger one is not the learner's work but something else. */
const MAX_MANAGED_BYTES = 16 * 1024 * 1024;

/** Writes a learner's file, already read, to `dest` with its mode (entrypoint scripts stay executable). */
const writeCopy = async (workspace: string, rel: string, bytes: Buffer, dest: string): Promise<void> => {
  const mode = (await fs.stat(join(workspace, rel))).mode & 0o777;
  await writeFileAtomic(dest, bytes, mode);
};

/** Copies a learner's file (with its mode) out of the workspace; false when there is none. */
const copyOutOfWorkspace = async (workspace: string, rel: string, dest: string): Promise<boolean> => {
  const bytes = await readInWorkspace(workspace, rel);
  if (bytes === undefined) return false;
  await writeCopy(workspace, rel, bytes, dest);
  return true;
};

/**
 * A source's content and mode; undefined for `absent` and for a sample-app file that does not exist
 * (the sample app has no Dockerfile: a lesson's start without one means none).
 */
export const contentOf = async (source: Source): Promise<{ bytes: Buffer; mode: number } | undefined> => {
  if (source.kind === 'course') {
    const read = await source.files.read(source.path);
    return read && source.fill ? { ...read, bytes: Buffer.from(source.fill(read.bytes.toString('utf8'))) } : read;
  }
  if (source.kind === 'absent') return undefined;
  const bytes = await readIfExists(source.path);
  return bytes && { bytes, mode: (await fs.stat(source.path)).mode & 0o777 };
};

/**
 * Makes the workspace match `sources` and says what changed. Callers save or back up the
 * learner's files first; this only writes.
 */
export const applySources = async (workspace: string, sources: ReadonlyMap<string, Source>): Promise<FileChange[]> => {
  const changes: FileChange[] = [];
  for (const [rel, source] of sources) {
    const abs = join(workspace, rel);
    const want = await contentOf(source);
    const have = await readInWorkspace(workspace, rel);
    if (want === undefined) {
      if (have !== undefined) {
        await fs.rm(abs, { force: true });
        await removeEmptyParents(workspace, dirname(abs));
        changes.push({ path: rel, action: 'removed' });
      }
      continue;
    }
    if (have !== undefined && have.equals(want.bytes)) {
      if (!(source.kind === 'course' && source.origin === 'sample')) changes.push({ path: rel, action: 'kept' });
      continue;
    }
    await writeFileAtomic(abs, want.bytes, want.mode);
    changes.push({ path: rel, action: source.kind === 'saved' ? 'restored' : 'written' });
  }
  return changes;
};

const removeEmptyParents = async (workspace: string, dir: string): Promise<void> => {
  while (dir.startsWith(workspace) && dir !== workspace) {
    try {
      await fs.rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
};

/** Each file read once: those that differ from `sources`, and (when asked) those the runner refuses to read. */
const compare = async (workspace: string, sources: ReadonlyMap<string, Source>, refused?: string[]): Promise<string[]> => {
  const out: string[] = [];
  for (const [rel, source] of sources) {
    let have: Buffer | undefined;
    try {
      have = await readInWorkspace(workspace, rel);
    } catch (error) {
      if (!refused || !isUserError(error)) throw error;
      refused.push(rel);
      continue;
    }
    const want = await contentOf(source);
    if (want === undefined ? have !== undefined : have === undefined || !have.equals(want.bytes)) out.push(rel);
  }
  return out.sort();
};

/** Files whose current content differs from `sources` (what reset or solution --apply would overwrite). */
export const differing = (workspace: string, sources: ReadonlyMap<string, Source>): Promise<string[]> => compare(workspace, sources);

/**
 * The same, and apart from them the files the runner refuses to read as the learner's (a 20 MB
 * paste, a link loop, a folder, a link out of the workspace): reset and solution --apply move those
 * aside whole instead of refusing, so the way back to a lesson's start always works.
 */
export const differingOrUnreadable = async (workspace: string, sources: ReadonlyMap<string, Source>): Promise<{ changed: string[]; unreadable: string[] }> => {
  const unreadable: string[] = [];
  const changed = await compare(workspace, sources, unreadable);
  return { changed, unreadable: unreadable.sort() };
};

/** Copies the given workspace files into backups/<timestamp>/ and returns the folder (workspace-relative). */
export const backupFiles = async (
  workspace: string,
  files: readonly string[],
  stamp: string,
  /** Files moved (renamed, not read) into the backup: those `differingOrUnreadable` found unreadable. */
  move: readonly string[] = [],
): Promise<{ dir?: string; files: string[] }> => {
  // Read first, so no folder is claimed for nothing; each file is read once.
  const copies: { file: string; bytes: Buffer }[] = [];
  for (const file of files) {
    const bytes = await readInWorkspace(workspace, file);
    if (bytes !== undefined) copies.push({ file, bytes });
  }
  if (copies.length === 0 && move.length === 0) return { files: [] };
  const rel = await claimBackupDir(workspace, stamp);
  const existing: string[] = [];
  for (const file of move) {
    const dest = join(workspace, rel, file);
    await fs.mkdir(dirname(dest), { recursive: true });
    await fs.rename(join(workspace, file), dest); // the entry itself: a link stays a link, never followed
    existing.push(file);
  }
  for (const { file, bytes } of copies) {
    await writeCopy(workspace, file, bytes, join(workspace, rel, file));
    existing.push(file);
  }
  await writeFileAtomic(join(workspace, rel, '.keep'), '');
  return { dir: rel, files: existing };
};
