import { useEffect, useRef, useState } from 'react';

/** What the UI needs from a file watcher (src/engine/watch's watchFiles fits; tests pass a fake). */
export type WatchFn = (
  paths: readonly string[],
  onChange: (path: string) => void,
  options: { readonly onError: (error: Error) => void },
) => { readonly mode: 'events' | 'polling'; close(): Promise<void> };

export type WatchStatus =
  { readonly kind: 'manual' } | { readonly kind: 'watching'; readonly mode: 'events' | 'polling' } | { readonly kind: 'failed'; readonly error: Error };

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

/**
 * Watches the lesson's files while enabled. When the watcher fails (inotify limit, permissions), it
 * is closed and the status says so; the screen then works in manual mode, like rustlings' --manual-run.
 */
export const useWatch = (options: {
  readonly paths: readonly string[];
  readonly enabled: boolean;
  readonly watch: WatchFn;
  readonly onChange: (path: string) => void;
}): WatchStatus => {
  const [status, setStatus] = useState<WatchStatus>({ kind: 'manual' });
  const onChange = useRef(options.onChange);
  onChange.current = options.onChange;
  const key = options.paths.join('\0');
  const { enabled, watch, paths } = options;

  useEffect(() => {
    if (!enabled || paths.length === 0) {
      setStatus({ kind: 'manual' });
      return;
    }
    let closed = false;
    let watcher: ReturnType<WatchFn> | undefined;
    const fail = (error: unknown) => {
      if (closed) return;
      closed = true;
      void watcher?.close().catch(() => undefined);
      setStatus({ kind: 'failed', error: asError(error) });
    };
    try {
      watcher = watch(paths, (path) => !closed && onChange.current(path), { onError: fail });
      // An error reported while starting already set the status; the watcher still has to be closed.
      if (closed) void watcher.close().catch(() => undefined);
      else setStatus({ kind: 'watching', mode: watcher.mode });
    } catch (error) {
      fail(error);
    }
    return () => {
      closed = true;
      void watcher?.close().catch(() => undefined);
    };
    // `key` stands for the paths' contents; a new array with the same files must not restart the watcher.
  }, [enabled, watch, key]);

  return status;
};
