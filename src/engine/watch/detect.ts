import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decidePolling, parseMounts, type PollingDecision } from './polling.js';

/** Side-effect edges of the polling decision, replaceable in tests. */
export interface DetectDeps {
  readonly platform: NodeJS.Platform;
  readText(path: string): string | undefined;
  realpath(path: string): string | undefined;
}

const readTextOrUndefined = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const realpathOrUndefined = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

const defaultDeps: DetectDeps = { platform: process.platform, readText: readTextOrUndefined, realpath: realpathOrUndefined };

// The watched file may not exist yet (a lesson's new .dockerignore): resolve the nearest existing ancestor.
const resolveExisting = (path: string, deps: DetectDeps): string => {
  let current = resolve(path);
  for (;;) {
    const real = deps.realpath(current);
    if (real !== undefined) return real + resolve(path).slice(current.length);
    const parent = dirname(current);
    if (parent === current) return resolve(path);
    current = parent;
  }
};

/** Reads /proc/version and /proc/mounts (Linux only) and decides whether watching `path` needs polling. */
export const detectPolling = (path: string, deps: DetectDeps = defaultDeps): PollingDecision => {
  if (deps.platform !== 'linux') return decidePolling({ path: resolve(path), platform: deps.platform });
  const mountsText = deps.readText('/proc/self/mounts') ?? deps.readText('/proc/mounts');
  return decidePolling({
    path: resolveExisting(path, deps),
    platform: deps.platform,
    procVersion: deps.readText('/proc/version'),
    mounts: mountsText === undefined ? undefined : parseMounts(mountsText),
  });
};
