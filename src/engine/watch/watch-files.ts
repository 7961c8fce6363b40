import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import { detectPolling } from './detect.js';
import { planWatch } from './plan.js';
import type { PollingDecision } from './polling.js';

export interface WatchFilesOptions {
  /**
   * Quiet time after the last event before `onChange` fires (default 60 ms: an editor's save is a
   * burst of a few events within milliseconds, and the static verdicts should be on screen within
   * 150 ms of it).
   */
  readonly debounceMs?: number;
  /** Force polling (true) or OS events (false); detected from the path when omitted. */
  readonly usePolling?: boolean;
  /** Polling interval in ms when polling (default 300). */
  readonly intervalMs?: number;
  /** Watcher failures (inotify limit ENOSPC, EMFILE, EACCES...). The caller decides how to fall back. */
  readonly onError?: (error: Error) => void;
}

export interface FileWatcher {
  readonly mode: 'events' | 'polling';
  /** Why polling was chosen automatically, when it was. */
  readonly pollingReason?: Extract<PollingDecision, { usePolling: true }>['reason'];
  /** Resolves once the initial scan is done; changes before that are not reported. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

/**
 * Watches files and calls `onChange` once per burst of changes (debounced), with the last changed path.
 * The parent folders are watched, not the files, so editors that save by writing a temp file and
 * renaming it over the original (vim, many IDEs) are still seen, and so are files created later.
 */
export const watchFiles = (paths: readonly string[], onChange: (path: string) => void, options: WatchFilesOptions = {}): FileWatcher => {
  const { roots, depth, dirs, targets } = planWatch(paths, existsSync);
  const decision: PollingDecision =
    options.usePolling === undefined
      ? detectPolling(paths[0] ?? process.cwd())
      : options.usePolling
        ? { usePolling: true, reason: 'network-fs' }
        : { usePolling: false };
  const debounceMs = options.debounceMs ?? 60;

  let timer: NodeJS.Timeout | undefined;
  let lastPath = '';
  let closed = false;
  const schedule = (path: string): void => {
    lastPath = path;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange(lastPath);
    }, debounceMs);
  };

  const watcher = watch([...roots], {
    ignoreInitial: true,
    persistent: true,
    depth,
    usePolling: decision.usePolling,
    // A lesson file may be a link out of the workspace (or a loop); the watcher never follows one.
    // Replacing the link is still seen; edits through a link are not (verify then refuses the link).
    followSymlinks: false,
    interval: options.intervalMs ?? 300,
    binaryInterval: options.intervalMs ?? 300,
    // Only the target files and the folders leading to them matter; skipping the rest avoids
    // watching (and stat-ing) the whole workspace.
    ignored: (path: string) => {
      const full = resolve(path);
      return !dirs.has(full) && !targets.has(full);
    },
  });
  watcher.on('all', (event, path) => {
    if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
    const full = resolve(path);
    if (targets.has(full)) schedule(full);
  });
  // `mkdir -p .github/workflows` creates the inner folder while chokidar is still setting up the
  // outer one, and under load it can miss it: a folder on the way to a target is added again once
  // it exists (chokidar then reads it), and a target already in it counts as a change.
  watcher.on('addDir', (path) => {
    const full = resolve(path);
    if (closed || !dirs.has(full)) return;
    watcher.add(full);
    for (const target of targets) if (dirname(target) === full && existsSync(target)) schedule(target);
  });
  watcher.on('error', (error) => {
    if (!closed) options.onError?.(asError(error));
  });
  const ready = new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));

  return {
    mode: decision.usePolling ? 'polling' : 'events',
    pollingReason: decision.usePolling && options.usePolling === undefined ? decision.reason : undefined,
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
};
