import { realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';

/**
 * Kernel file systems no workspace can live in. Node's recursive mkdir spins at 100% CPU forever
 * on procfs (`init --dir /proc/1/x`), so these are refused before anything is created.
 */
const KERNEL_FS = ['/proc', '/sys'];

/** `path` with its existing part resolved through links (a link into /proc is caught too). */
const realish = (path: string): string => {
  let existing = path;
  while (dirname(existing) !== existing) {
    try {
      return join(realpathSync(existing), relative(existing, path));
    } catch {
      existing = dirname(existing);
    }
  }
  return path;
};

const under = (root: string, path: string): boolean => path === root || path.startsWith(`${root}${sep}`);

/** Throws a UserError when `dir` is inside /proc or /sys (Linux and other Unix-likes). */
export const refuseKernelFs = (dir: string, platform: NodeJS.Platform = process.platform): void => {
  if (platform === 'win32') return;
  const abs = resolve(dir);
  const root = KERNEL_FS.find((fs) => under(fs, abs) || under(fs, realish(abs)));
  if (!root) return;
  throw new UserError(
    L(
      `${abs} is inside ${root}, a kernel file system where no workspace can be created. Choose a folder in your home directory (--dir).`,
      `${abs} 位于内核文件系统 ${root} 中，无法在那里创建工作区。请在你的主目录中选择一个文件夹（--dir）。`,
    ),
  );
};
