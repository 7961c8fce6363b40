import { randomBytes } from 'node:crypto';
import { DockerAbortedError, dockerExec, runGuarded } from './exec.js';
import { labelArgs, sessionLabels } from './labels.js';

/**
 * The processes behind the workshop room's module proxy (workshop/room-modules.ts decides, this
 * file runs): the instructor's `go` when it is on PATH, else Docker to copy the module download out
 * of `prepare`'s module image. Here because only the driver spawns processes; each call is an
 * argument array with a time limit, and what it creates in Docker is labelled and removed.
 */

const GO_ENV_TIMEOUT_MS = 20_000;
/** The sample app's ~30 MB of modules over a room's poor link: generous, bounded. */
export const GO_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const CREATE_TIMEOUT_MS = 60_000;
const COPY_TIMEOUT_MS = 5 * 60_000;
const REMOVE_TIMEOUT_MS = 30_000;

/** Where `go mod download` keeps what a GOPROXY serves, inside a module cache. */
export const DOWNLOAD_CACHE = ['cache', 'download'] as const;

const lastLines = (text: string, n = 2): string =>
  text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ')
    .slice(0, 300);

export type GoEnv = { readonly found: true; readonly modCache: string; readonly goproxy: string; readonly version: string } | { readonly found: false };

/** `go env -json`: the instructor's own module cache (copied from first, so a room with no internet still fills) and proxy. */
export const instructorGoEnv = async (signal?: AbortSignal): Promise<GoEnv> => {
  const result = await runGuarded('go', ['env', '-json', 'GOMODCACHE', 'GOPROXY', 'GOVERSION'], { timeoutMs: GO_ENV_TIMEOUT_MS, signal });
  if (result.aborted) throw new DockerAbortedError();
  if (result.notFound || result.exitCode !== 0) return { found: false };
  try {
    const env = JSON.parse(result.stdout) as Record<string, unknown>;
    const text = (key: string): string => (typeof env[key] === 'string' ? (env[key] as string) : '');
    return { found: true, modCache: text('GOMODCACHE'), goproxy: text('GOPROXY'), version: text('GOVERSION') };
  } catch {
    return { found: false };
  }
};

export type GoDownloadResult = { readonly ok: true; readonly modules: number } | { readonly ok: false; readonly detail: string };

/**
 * `go mod download -json` in `appDir` (a folder holding the sample app's go.mod and go.sum) into the
 * module cache `modCache`. GOFLAGS is ours, not the instructor's (-mod=mod: no vendor folder or
 * read-only mode gets in the way; -modcacherw: the extracted copies can be deleted afterwards),
 * GOTOOLCHAIN=local (a go.mod asking for a newer Go must not download a toolchain: the image path
 * is the answer then), GOWORK=off (a go.work around the temp folder is none of ours).
 */
export const goModDownload = async (options: {
  appDir: string;
  modCache: string;
  goproxy: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<GoDownloadResult> => {
  const result = await runGuarded('go', ['mod', 'download', '-json'], {
    cwd: options.appDir,
    timeoutMs: options.timeoutMs ?? GO_DOWNLOAD_TIMEOUT_MS,
    signal: options.signal,
    env: { GOMODCACHE: options.modCache, GOPROXY: options.goproxy, GOFLAGS: '-mod=mod -modcacherw', GOTOOLCHAIN: 'local', GOWORK: 'off' },
  });
  if (result.aborted) throw new DockerAbortedError();
  if (result.notFound) return { ok: false, detail: 'go is not on PATH' };
  if (result.timedOut) return { ok: false, detail: `go mod download ran out of time (${Math.round((options.timeoutMs ?? GO_DOWNLOAD_TIMEOUT_MS) / 1000)} s)` };
  // -json reports a module that failed as an object with "Error"; the exit code says whether any did.
  const errors = [...result.stdout.matchAll(/"Error":\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
  if (result.exitCode !== 0) return { ok: false, detail: errors.length ? errors.slice(-1).join('') : lastLines(result.stderr || result.stdout) };
  return { ok: true, modules: (result.stdout.match(/"Zip":/g) ?? []).length };
};

/** The labels of a local image, or why there are none. */
export const imageLabels = async (
  image: string,
  signal?: AbortSignal,
): Promise<{ readonly found: true; readonly labels: Readonly<Record<string, string>> } | { readonly found: false; readonly docker: boolean }> => {
  const result = await dockerExec(['image', 'inspect', '--format', '{{json .Config.Labels}}', image], { timeoutMs: 30_000, signal });
  if (result.aborted) throw new DockerAbortedError();
  if (result.notFound || result.timedOut) return { found: false, docker: false };
  if (result.exitCode !== 0) {
    // "No such image" is an answer; a daemon that is down is not (the message says which).
    return { found: false, docker: /no such (image|object)/i.test(result.stderr) };
  }
  try {
    const labels = JSON.parse(result.stdout) as Record<string, string> | null;
    return { found: true, labels: labels ?? {} };
  } catch {
    return { found: true, labels: {} };
  }
};

/**
 * Copies `from` (a folder inside `image`) to `dest` on this machine: `docker create` (never started),
 * `docker cp`, `docker rm`. The container is labelled as the runner's objects are (pid, host), so a
 * run killed between create and rm leaves nothing that `clean` or the next run's sweep would not remove.
 */
export const copyFromImage = async (image: string, from: string, dest: string, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; detail: string }> => {
  const name = `learn-go-docker-room-modules-${process.pid}-${randomBytes(3).toString('hex')}`;
  const labels = labelArgs(sessionLabels(`room-modules-${process.pid}`));
  // `true` as the command: the image may name none, and the container never runs anyway.
  const created = await dockerExec(['create', '--name', name, ...labels, image, 'true'], { timeoutMs: CREATE_TIMEOUT_MS, signal });
  if (created.aborted) throw new DockerAbortedError();
  if (created.exitCode !== 0) return { ok: false, detail: created.notFound ? 'docker is not on PATH' : lastLines(created.stderr || created.stdout) };
  try {
    const copied = await dockerExec(['cp', `${name}:${from}`, dest], { timeoutMs: COPY_TIMEOUT_MS, signal });
    if (copied.aborted) throw new DockerAbortedError();
    if (copied.exitCode !== 0) return { ok: false, detail: copied.timedOut ? 'docker cp ran out of time' : lastLines(copied.stderr || copied.stdout) };
    return { ok: true };
  } finally {
    // Not on the signal: the container goes even when the copy was interrupted.
    await dockerExec(['rm', '-f', name], { timeoutMs: REMOVE_TIMEOUT_MS }).catch(() => undefined);
  }
};
