import { dirname, resolve } from 'node:path';

export interface WatchPlan {
  /** Folders handed to chokidar: each target's folder, or its nearest existing ancestor. */
  readonly roots: readonly string[];
  /** How deep below a root chokidar must look to reach a target's folder once it exists. */
  readonly depth: number;
  /** Folders on the way from a root to a target's folder; everything else is ignored. */
  readonly dirs: ReadonlySet<string>;
  readonly targets: ReadonlySet<string>;
}

/**
 * Plans what to watch so that saves are seen even when editors replace files (rename over them)
 * and when a target's folder does not exist yet (`.github/workflows/ci.yml` in a new workspace).
 */
export const planWatch = (paths: readonly string[], exists: (dir: string) => boolean): WatchPlan => {
  const targets = new Set(paths.map((path) => resolve(path)));
  const roots = new Set<string>();
  const dirs = new Set<string>();
  let depth = 0;
  for (const target of targets) {
    const chain: string[] = [];
    let dir = dirname(target);
    while (!exists(dir) && dirname(dir) !== dir) {
      chain.push(dir);
      dir = dirname(dir);
    }
    roots.add(dir);
    dirs.add(dir);
    for (const missing of chain) dirs.add(missing);
    depth = Math.max(depth, chain.length);
  }
  return { roots: [...roots], depth, dirs, targets };
};
