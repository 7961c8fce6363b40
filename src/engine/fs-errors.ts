import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { L, type Localized } from './i18n.js';
import { EnvironmentError, UserError, isUserError } from './errors.js';

/**
 * File-system failures the learner can fix (a link loop, a file where a folder should be, no
 * permission, a read-only or full disk) as one line naming the path and what to do, exit 2.
 * One place maps them so no command has to catch each case, and none ends in a stack trace.
 */

interface FsError {
  readonly code: string;
  readonly path?: string;
  readonly dest?: string;
  readonly syscall?: string;
}

const asFsError = (error: unknown): FsError | undefined => {
  if (!(error instanceof Error)) return undefined;
  const e = error as NodeJS.ErrnoException & { dest?: unknown };
  if (typeof e.code !== 'string') return undefined;
  // A missing `docker` binary (spawn ENOENT) is the Docker driver's business, not a file's.
  if (e.syscall?.startsWith('spawn')) return undefined;
  return { code: e.code, path: typeof e.path === 'string' ? e.path : undefined, dest: typeof e.dest === 'string' ? e.dest : undefined, syscall: e.syscall };
};

/** The first ancestor of `path` that exists and is not a folder (what ENOTDIR is about). */
const fileOnTheWay = (path: string): string | undefined => {
  for (let dir = path; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      // Missing (or unreachable): keep walking up.
    }
  }
  return undefined;
};

/** `path` is how the file is named; `raw` is the error's own absolute path (to look around it). */
/**
 * Node's recursive mkdir reports ENOENT on a read-only or unwritable parent: ask the nearest
 * existing folder whether it can be written to, and describe that instead.
 */
const mkdirBlocker = (path: string): FsError | undefined => {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      statSync(dir);
    } catch {
      continue;
    }
    try {
      accessSync(dir, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code ? { code, path: dir } : undefined;
    }
  }
  return undefined;
};

type Describe = (path: string, raw: string) => Localized;

const MESSAGES: Record<string, Describe> = {
  ELOOP: (p) =>
    L(
      `${p}: too many symbolic links (a link that points back to itself, directly or through other links). Replace the link with the file itself.`,
      `${p}：符号链接层数过多（链接直接或间接地指向了自己）。请用文件本身替换这个链接。`,
    ),
  ENOTDIR: (p, raw) => {
    const file = fileOnTheWay(raw);
    return file && file !== raw
      ? L(
          `${file} is a file, not a folder, so ${p} cannot be used. Choose a path that does not go through a file.`,
          `${file} 是文件而不是文件夹，因此无法使用 ${p}。请选择一个不经过文件的路径。`,
        )
      : L(
          `${p}: a part of this path is a file, not a folder. Choose a path made of folders.`,
          `${p}：路径中有一部分是文件而不是文件夹。请选择一个由文件夹组成的路径。`,
        );
  },
  EISDIR: (p) =>
    L(
      `${p} is a folder where a file was expected. Rename or remove the folder, then try again.`,
      `${p} 是文件夹，而这里需要一个文件。请重命名或删除该文件夹，然后重试。`,
    ),
  EACCES: (p) =>
    L(
      `Permission denied: ${p}. Give your user access to it (or use another folder), then try again.`,
      `权限不足：${p}。请让当前用户可以访问它（或换一个文件夹），然后重试。`,
    ),
  EPERM: (p) =>
    L(
      `Operation not permitted on ${p}. Check its permissions and attributes (or use another folder), then try again.`,
      `不允许对 ${p} 执行此操作。请检查它的权限和属性（或换一个文件夹），然后重试。`,
    ),
  EROFS: (p) => L(`${p} is on a read-only file system. Use a writable folder, then try again.`, `${p} 位于只读文件系统上。请换一个可写的文件夹，然后重试。`),
  ENOSPC: (p) => L(`No space left on the disk that holds ${p}. Free some space, then try again.`, `${p} 所在的磁盘空间已满。请释放一些空间，然后重试。`),
  EDQUOT: (p) => L(`Your disk quota is used up (writing ${p}). Free some space, then try again.`, `磁盘配额已用完（写入 ${p} 时）。请释放一些空间，然后重试。`),
  ENAMETOOLONG: (p) => L(`The path ${p} is too long for the file system. Choose a shorter path.`, `路径 ${p} 对文件系统来说太长了。请选择一个更短的路径。`),
  EMFILE: (p) =>
    L(
      `Too many open files (at ${p}). Close other programs or raise the limit (ulimit -n), then try again.`,
      `打开的文件过多（在 ${p} 处）。请关闭其他程序或提高上限（ulimit -n），然后重试。`,
    ),
  EIO: (p) =>
    L(
      `Input/output error on ${p}: the disk or network file system failed. Check it, then try again.`,
      `${p} 发生输入/输出错误：磁盘或网络文件系统出错。请检查后重试。`,
    ),
  EBUSY: (p) => L(`${p} is busy (used by another program). Close that program, then try again.`, `${p} 正忙（被其他程序占用）。请关闭该程序，然后重试。`),
  ENOENT: (p) =>
    L(
      `${p} does not exist (moved or deleted while learn-go-docker was using it?). Check the path, then try again.`,
      `${p} 不存在（可能在 learn-go-docker 使用时被移动或删除了）。请检查路径，然后重试。`,
    ),
};
MESSAGES.ENFILE = MESSAGES.EMFILE as Describe;

const NO_SPACE = L('No space left on the disk. Free some space, then try again.', '磁盘空间已满。请释放一些空间，然后重试。');

/**
 * A learner-fixable file-system error as a UserError (exit 2), or undefined for anything else.
 * `shown` names the file instead of the error's absolute path (e.g. "Dockerfile" in a workspace);
 * `near` is the place the caller was working on, named when the error itself has no path.
 */
const MACHINE_CODES = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EIO']);

export const userErrorFromFs = (error: unknown, where: { shown?: string; near?: string } = {}): UserError | undefined => {
  let fsError = asFsError(error) ?? asFsError((error as { cause?: unknown } | undefined)?.cause);
  if (!fsError) return undefined;
  if (fsError.code === 'ENOENT' && fsError.syscall === 'mkdir' && fsError.path) fsError = mkdirBlocker(fsError.path) ?? fsError;
  const { shown } = where;
  const describe = MESSAGES[fsError.code];
  if (!describe) return undefined;
  const raw = fsError.path ?? fsError.dest ?? where.near;
  // A full or read-only disk, too many open files, a failing disk: the machine needs something.
  if (raw !== undefined) {
    const message = describe(shown ?? raw, raw);
    return MACHINE_CODES.has(fsError.code) ? new EnvironmentError(message, { cause: error, doctor: false }) : new UserError(message, { cause: error });
  }
  // A full disk seen by a write on an open file has no path; the message still says what to do.
  if (fsError.code === 'ENOSPC' || fsError.code === 'EDQUOT') return new EnvironmentError(NO_SPACE, { cause: error, doctor: false });
  return undefined;
};

/** The error as the learner should see it: a UserError as is, a mapped file-system error, else undefined (a bug). */
export const asUserError = (error: unknown): UserError | undefined => (isUserError(error) ? error : userErrorFromFs(error));
