import { constants, promises as fs } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { userErrorFromFs } from '../fs-errors.js';

/**
 * Reading a file the runner analyses (the Dockerfile, .dockerignore, compose.yaml, a workflow...).
 * Workspaces are zipped and shared, so a file in one may be a link to /etc/shadow or to itself, a
 * folder, a pipe that never ends, or 50 MB: each is refused with one line naming the file, before
 * a byte outside the workspace is read.
 */

/** The largest file the runner reads: lesson files are a few kilobytes; this keeps analysis fast. */
export const MAX_INPUT_BYTES = 1024 * 1024;

export interface SafeReadOptions {
  /** Links must stay inside this folder (the workspace); none: links are followed (lint outside a workspace). */
  readonly root?: string;
  /** How the file is named in messages (default: relative to root, else the path). */
  readonly shown?: string;
  readonly maxBytes?: number;
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

const MIB = 1024 * 1024;
/** Exact near the cap (1,048,589 bytes is over 1 MiB; "1.0 MiB" would not say so), MiB beyond; whole MiB as such. */
const size = (bytes: number): string =>
  bytes % MIB === 0 ? `${bytes / MIB} MiB` : bytes < 10 * MIB ? `${bytes.toLocaleString('en-US')} bytes` : `${(bytes / MIB).toFixed(1)} MiB`;

const refuse = (en: string, zh: string): UserError => new UserError(L(en, zh));

/** The real path of `path`, or undefined when there is nothing there; a dangling link is refused. */
const realPathOf = async (path: string, shown: string): Promise<string | undefined> => {
  try {
    return await fs.realpath(path);
  } catch (error) {
    if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw userErrorFromFs(error, { shown }) ?? error;
    const link = await fs.readlink(path).catch(() => undefined);
    if (link === undefined) return undefined;
    throw refuse(
      `${shown} is a symbolic link to ${link}, which does not exist. Replace the link with the file itself.`,
      `${shown} 是指向 ${link} 的符号链接，而目标不存在。请用文件本身替换这个链接。`,
    );
  }
};

/**
 * Reads a text file: undefined when it does not exist; a UserError when it is a link out of `root`,
 * a link loop, a folder, not a regular file, too large or unreadable.
 */
export const readTextFile = async (path: string, options: SafeReadOptions = {}): Promise<string | undefined> =>
  (await readFileBytes(path, options))?.toString('utf8');

/** The same guarded read, as bytes (a learner's file saved or backed up exactly as it is). */
export const readFileBytes = async (path: string, options: SafeReadOptions = {}): Promise<Buffer | undefined> => {
  const root = options.root === undefined ? undefined : resolve(options.root);
  const abs = resolve(root ?? '', path);
  const shown = options.shown ?? (root && inside(root, abs) ? relative(root, abs) : abs);
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const real = await realPathOf(abs, shown);
  if (real === undefined) return undefined;
  if (root !== undefined) {
    const realRoot = await fs.realpath(root).catch(() => root);
    if (!inside(realRoot, real)) {
      throw refuse(
        `${shown} is a symbolic link to ${real}, outside the workspace. learn-go-docker reads no file outside the workspace: replace the link with a copy of the file.`,
        `${shown} 是指向工作区之外的 ${real} 的符号链接。learn-go-docker 不读取工作区之外的文件：请用该文件的副本替换这个链接。`,
      );
    }
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the checked path is what is read.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let handle;
  try {
    handle = await fs.open(real, flags);
  } catch (error) {
    if (code(error) === 'EISDIR') throw folder(shown);
    throw userErrorFromFs(error, { shown }) ?? error;
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw folder(shown);
    if (!stat.isFile()) {
      throw refuse(
        `${shown} is not a regular file (a pipe, socket or device). Replace it with an ordinary file.`,
        `${shown} 不是普通文件（而是管道、套接字或设备）。请用普通文件替换它。`,
      );
    }
    if (stat.size > maxBytes) {
      throw refuse(
        `${shown} is ${size(stat.size)}; learn-go-docker reads files up to ${size(maxBytes)}. Such files are a few kilobytes: check that it is the right file.`,
        `${shown} 大小为 ${size(stat.size)}；learn-go-docker 最多读取 ${size(maxBytes)} 的文件。这类文件通常只有几 KB：请确认文件是否正确。`,
      );
    }
    return await handle.readFile();
  } catch (error) {
    throw userErrorFromFs(error, { shown }) ?? error;
  } finally {
    await handle.close();
  }
};

const folder = (shown: string): UserError =>
  refuse(
    `${shown} is a folder, not a file. Rename or remove the folder, then create the file.`,
    `${shown} 是文件夹而不是文件。请重命名或删除该文件夹，然后创建这个文件。`,
  );
