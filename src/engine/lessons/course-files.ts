import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../util/files.js';

// The files the course hands to learners (lesson texts, start and solution overlays, the sample
// app), by their path in the package ('sample-app/main.go', 'lessons/04-multi-stage/start/Dockerfile').
// From a source checkout they are read from disk; the installed package carries them in one file,
// dist/course-files.json.gz, because 200 small files cost a megabyte of disk for 400 KB of text,
// which gzip makes about 110 KB.

export interface CourseFile {
  readonly bytes: Buffer;
  /** Permission bits (an entrypoint script stays executable in the workspace). */
  readonly mode: number;
}

export interface CourseFiles {
  /** The file at `path`, or undefined when the course has none there (listings come with the course). */
  read(path: string): Promise<CourseFile | undefined>;
}

/** The packed form: path -> [mode, UTF-8 text] (every course file is text; the build refuses others). */
export interface PackedCourseFiles {
  readonly format: 1;
  readonly files: Readonly<Record<string, readonly [number, string]>>;
}

export const diskCourseFiles = (root: string): CourseFiles => ({
  read: async (path) => {
    const file = join(root, path);
    try {
      const [bytes, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
      return { bytes, mode: stat.mode & 0o777 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
});

/** Reads `file` (JSON, gzipped when it ends in .gz) once, on first use (`list` never needs it). */
export const packedCourseFiles = (file: string): CourseFiles => {
  let packed: Promise<PackedCourseFiles['files']> | undefined;
  const text = async (): Promise<string> => {
    const bytes = await fs.readFile(file);
    if (!file.endsWith('.gz')) return bytes.toString('utf8');
    // node:zlib loads here, when a command first hands out a course file.
    const { gunzipSync } = await import('node:zlib');
    return gunzipSync(bytes).toString('utf8');
  };
  const files = () => (packed ??= text().then((json) => (JSON.parse(json) as PackedCourseFiles).files));
  return {
    read: async (path) => {
      const entry = (await files())[path];
      return entry && { mode: entry[0], bytes: Buffer.from(entry[1], 'utf8') };
    },
  };
};

/** Packs the files under `dirs` of a course checkout (the build step). */
export const packCourseFiles = async (root: string, dirs: readonly string[], include: (path: string) => boolean): Promise<PackedCourseFiles> => {
  const disk = diskCourseFiles(root);
  const files: Record<string, readonly [number, string]> = {};
  for (const dir of dirs) {
    for (const rel of await listFiles(join(root, dir))) {
      const path = `${dir}/${rel}`;
      if (!include(path)) continue;
      const file = (await disk.read(path)) as CourseFile;
      const text = file.bytes.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(file.bytes)) throw new Error(`${path} is not UTF-8 text; the packed course holds text only`);
      files[path] = [file.mode, text];
    }
  }
  return { format: 1, files };
};
