import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cleanDaemonError } from './docker-session.js';
import { DockerAbortedError, dockerBinary, dockerExec, dockerOut, environmentError } from './exec.js';
import { PullTracker, parseManifestSizes } from './parse-pull.js';

/**
 * Moving images for `prepare`: pull (with progress), the platform's layer sizes, save into a file
 * and load from a part of one. Each call has a time limit (long ones generous but bounded) and stops
 * on its AbortSignal.
 */

/** A pull of the biggest base image over a slow room Wi-Fi: generous, bounded. */
export const PULL_TIMEOUT_MS = 45 * 60_000;
/** `docker save` / `docker load` of every base image (about 1 GB) to or from a USB stick. */
export const TRANSFER_TIMEOUT_MS = 60 * 60_000;
const MANIFEST_TIMEOUT_MS = 20_000;
const KILL_GRACE_MS = 2_000;

/** What `prepare` needs to know of a local image. */
export interface LocalImage {
  readonly id: string;
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly repoDigests: readonly string[];
  readonly size: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** The local image of that name, or undefined when there is none. */
export const inspectLocalImage = async (ref: string, signal?: AbortSignal): Promise<LocalImage | undefined> => {
  const result = await dockerExec(['image', 'inspect', ref], { timeoutMs: 30_000, signal });
  if (result.aborted) throw new DockerAbortedError();
  const envError = environmentError(result);
  if (envError) throw envError;
  if (result.exitCode !== 0) return undefined;
  try {
    const [raw] = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    if (!raw || typeof raw.Id !== 'string') return undefined;
    const config = (raw.Config ?? {}) as { Labels?: Record<string, string> | null };
    return {
      id: raw.Id,
      os: typeof raw.Os === 'string' ? raw.Os : '',
      architecture: typeof raw.Architecture === 'string' ? raw.Architecture : '',
      ...(typeof raw.Variant === 'string' && raw.Variant ? { variant: raw.Variant } : {}),
      repoDigests: Array.isArray(raw.RepoDigests) ? raw.RepoDigests.filter((d): d is string => typeof d === 'string') : [],
      size: typeof raw.Size === 'number' ? raw.Size : 0,
      labels: config.Labels ?? {},
    };
  } catch {
    return undefined;
  }
};

/** Compressed layer sizes of `ref` for `platform` as the registry lists them; undefined when it does not answer. */
export const imageLayerSizes = async (ref: string, platform: string, signal?: AbortSignal): Promise<Map<string, number> | undefined> => {
  const result = await dockerExec(['manifest', 'inspect', '-v', ref], { timeoutMs: MANIFEST_TIMEOUT_MS, signal });
  if (result.aborted) throw new DockerAbortedError();
  return result.exitCode === 0 ? parseManifestSizes(result.stdout, platform) : undefined;
};

export interface PullProgress {
  /** Layers seen so far and how many of them are downloaded. */
  readonly layers: number;
  readonly layersDone: number;
  /** Short digests of the downloaded layers (to add up their sizes). */
  readonly downloaded: readonly string[];
}

export interface PullResult {
  readonly ok: boolean;
  /** The daemon's error, its useful end, when not ok. */
  readonly error?: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** `docker pull --platform P REF`, reporting its layers as they arrive. */
export const pullImage = async (
  ref: string,
  options: { platform: string; signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: PullProgress) => void },
): Promise<PullResult> => {
  const tracker = new PullTracker();
  const result = await dockerExec(['pull', '--platform', options.platform, ref], {
    timeoutMs: options.timeoutMs ?? PULL_TIMEOUT_MS,
    signal: options.signal,
    onLine: (line) => {
      if (tracker.push(line)) {
        const downloaded = tracker.downloaded;
        options.onProgress?.({ layers: tracker.total, layersDone: downloaded.length, downloaded });
      }
    },
  });
  if (result.aborted) throw new DockerAbortedError();
  if (result.notFound) throw environmentError(result) ?? new Error('docker not found');
  if (result.timedOut)
    return { ok: false, timedOut: true, durationMs: result.durationMs, error: `no answer within ${Math.round(result.durationMs / 60_000)} min` };
  if (result.exitCode === 0) return { ok: true, timedOut: false, durationMs: result.durationMs };
  return { ok: false, timedOut: false, durationMs: result.durationMs, error: cleanDaemonError(result.stderr || result.stdout) || `exit ${result.exitCode}` };
};

/** Counts (and optionally hashes) the bytes that go through. */
const meter = (onBytes: ((bytes: number) => void) | undefined, hash?: ReturnType<typeof createHash>) => {
  let bytes = 0;
  let last = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      hash?.update(chunk);
      // At most ten reports a second: a gigabyte arrives in 64 KB chunks.
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        onBytes?.(bytes);
      }
      done(null, chunk);
    },
    flush(done) {
      onBytes?.(bytes);
      done();
    },
  });
  return { stream, bytes: () => bytes };
};

let execaLibrary: Promise<typeof import('execa')> | undefined;
const processLibrary = (): Promise<typeof import('execa')> => (execaLibrary ??= import('execa'));

const lastLine = (text: string): string => cleanDaemonError(text.trim()) || text.trim().split('\n').pop() || '';

/**
 * `docker save REFS...` written into `file` from byte `start` on (the file exists: the archive's
 * header comes first). Returns the bytes written and their sha256. Throws DockerCommandError-like
 * Error with the daemon's words when docker refuses.
 */
export const saveImagesInto = async (
  refs: readonly string[],
  options: { file: string; start: number; signal?: AbortSignal; timeoutMs?: number; onBytes?: (bytes: number) => void },
): Promise<{ bytes: number; sha256: string }> => {
  if (options.signal?.aborted) throw new DockerAbortedError();
  const { execa } = await processLibrary();
  const subprocess = execa(dockerBinary(), ['save', ...refs], {
    reject: false,
    timeout: options.timeoutMs ?? TRANSFER_TIMEOUT_MS,
    cancelSignal: options.signal,
    forceKillAfterDelay: KILL_GRACE_MS,
    stdin: 'ignore',
    buffer: { stdout: false, stderr: true },
    encoding: 'buffer',
  });
  const stdout = subprocess.stdout;
  if (!stdout) throw new Error('docker save gave no output stream');
  const hash = createHash('sha256');
  const counted = meter(options.onBytes, hash);
  const written = pipeline(stdout as Readable, counted.stream, createWriteStream(options.file, { flags: 'r+', start: options.start }));
  const [result, wrote] = await Promise.allSettled([subprocess, written]);
  if (options.signal?.aborted) throw new DockerAbortedError();
  const done = result.status === 'fulfilled' ? result.value : undefined;
  if (!done || done.exitCode !== 0 || done.timedOut) {
    const stderr = done ? Buffer.from(done.stderr as unknown as Uint8Array).toString('utf8') : '';
    const why = done?.timedOut
      ? `no end within ${Math.round((options.timeoutMs ?? TRANSFER_TIMEOUT_MS) / 60_000)} min`
      : lastLine(stderr) || 'docker save failed';
    throw new TransferError('save', why);
  }
  if (wrote.status === 'rejected') throw wrote.reason;
  return { bytes: counted.bytes(), sha256: hash.digest('hex') };
};

/**
 * `docker load` of `length` bytes of `file` from byte `start` (the images inside an archive), hashed
 * as they are read. Returns what docker said it loaded and the sha256 of the bytes it was given.
 */
export const loadImagesFrom = async (options: {
  file: string;
  start: number;
  length: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  onBytes?: (bytes: number) => void;
}): Promise<{ loaded: string[]; sha256: string; bytes: number }> => {
  if (options.signal?.aborted) throw new DockerAbortedError();
  const { execa } = await processLibrary();
  const hash = createHash('sha256');
  const counted = meter(options.onBytes, hash);
  const source =
    options.length > 0
      ? createReadStream(options.file, { start: options.start, end: options.start + options.length - 1 })
      : createReadStream(options.file, { start: options.start, end: options.start - 1 });
  source.on('error', (error) => counted.stream.destroy(error));
  const input = source.pipe(counted.stream);
  const result = await execa(dockerBinary(), ['load'], {
    reject: false,
    timeout: options.timeoutMs ?? TRANSFER_TIMEOUT_MS,
    cancelSignal: options.signal,
    forceKillAfterDelay: KILL_GRACE_MS,
    input,
    stripFinalNewline: true,
  }).finally(() => source.destroy());
  if (options.signal?.aborted) throw new DockerAbortedError();
  const code = (result as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EACCES') {
    throw environmentError({
      args: ['load'],
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      aborted: false,
      notFound: true,
      durationMs: 0,
    });
  }
  if (result.timedOut) throw new TransferError('load', `no end within ${Math.round((options.timeoutMs ?? TRANSFER_TIMEOUT_MS) / 60_000)} min`);
  if (result.exitCode !== 0)
    throw new TransferError('load', lastLine(String(result.stderr ?? '')) || lastLine(String(result.stdout ?? '')) || 'docker load failed');
  const loaded = String(result.stdout ?? '')
    .split('\n')
    .map((line) => /^Loaded image(?: ID)?: (.+)$/.exec(line.trim())?.[1])
    .filter((ref): ref is string => Boolean(ref));
  return { loaded, sha256: hash.digest('hex'), bytes: counted.bytes() };
};

/** `docker save` or `docker load` refused or broke; `reason` is the daemon's last words. */
export class TransferError extends Error {
  constructor(
    readonly step: 'save' | 'load',
    readonly reason: string,
  ) {
    super(`docker ${step} failed: ${reason}`);
    this.name = 'TransferError';
  }
}

/** `docker image rm` of one name (the image stays while another name or a container uses it). */
export const untagImage = async (ref: string, signal?: AbortSignal): Promise<void> => {
  await dockerOut(['image', 'rm', ref], { timeoutMs: 60_000, signal });
};
