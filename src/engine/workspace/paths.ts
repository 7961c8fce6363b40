import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { STATE_DIR, progressPath } from '../progress/progress.js';

export const DEFAULT_WORKSPACE_NAME = 'go-docker-lab';

export const isWorkspace = (dir: string): boolean => existsSync(join(dir, STATE_DIR));

/**
 * The workspace a command works on: --dir, else the current folder when it is one, else
 * ./go-docker-lab. Commands other than init fail with the next step when there is none.
 */
export const resolveWorkspace = (dirFlag: string | undefined, cwd: string): string | undefined => {
  if (dirFlag) return resolve(cwd, dirFlag);
  if (isWorkspace(cwd)) return cwd;
  const nested = join(cwd, DEFAULT_WORKSPACE_NAME);
  if (isWorkspace(nested)) return nested;
  return undefined;
};

export const requireWorkspace = (dirFlag: string | undefined, cwd: string): string => {
  const dir = resolveWorkspace(dirFlag, cwd);
  if (dir && existsSync(progressPath(dir))) return dir;
  if (dir && isWorkspace(dir)) return dir;
  const where = dir ?? join(cwd, DEFAULT_WORKSPACE_NAME);
  throw new UserError(L(`No learn-go-docker workspace at ${where}.`, `${where} 不是 learn-go-docker 工作区。`), {
    next: L(
      `Create one with: npx learn-go-docker init${dirFlag ? ` --dir ${dirFlag}` : ''}`,
      `先创建工作区：npx learn-go-docker init${dirFlag ? ` --dir ${dirFlag}` : ''}`,
    ),
  });
};
