import { L } from '../i18n.js';
import { EnvironmentError } from '../errors.js';

/** Default time limit of a quick docker call (inspect, ps, version...). */
export const QUICK_TIMEOUT_MS = 30_000;
const HUNG_GRACE_MS = 3_000;

/** The docker client to use: LEARN_GO_DOCKER_DOCKER (a path) else `docker` on PATH. */
export const dockerBinary = (env: NodeJS.ProcessEnv = process.env): string => env.LEARN_GO_DOCKER_DOCKER || 'docker';

export interface DockerExecOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Extra environment on top of process.env (DOCKER_HOST, contexts... pass through untouched). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly input?: string;
  /** Called with each output line (stdout and stderr) as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface DockerExecResult {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The binary could not be started (not installed, not executable). */
  readonly notFound: boolean;
  readonly durationMs: number;
}

/** A docker command that exited non-zero; `stderr` says why. */
export class DockerCommandError extends Error {
  constructor(readonly result: DockerExecResult) {
    super(`docker ${result.args.join(' ')} failed (exit ${result.exitCode}): ${lastLines(result.stderr || result.stdout, 3)}`);
    this.name = 'DockerCommandError';
  }
}

/** The run was aborted (Ctrl-C); callers stop quietly. */
export class DockerAbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'DockerAbortedError';
  }
}

const lastLines = (text: string, n: number): string => text.trim().split('\n').slice(-n).join(' | ');

const splitLines = (onLine: (line: string) => void) => {
  let rest = '';
  return {
    push(chunk: Buffer | string) {
      rest += chunk.toString();
      const parts = rest.split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const part of parts) onLine(part);
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
};

let library: Promise<typeof import('execa')> | undefined;
/** execa loads with the first process started: commands that start none (`verify --static-only`) never load it. */
const processLibrary = (): Promise<typeof import('execa')> => (library ??= import('execa'));

/** Runs `docker <args>` with an argument array and a timeout; never rejects for a non-zero exit. */
export const dockerExec = (args: readonly string[], options: DockerExecOptions = {}): Promise<DockerExecResult> => runGuarded(dockerBinary(), args, options);

/** Runs any command (docker, docker-compose) with the same timeout, abort and hang handling. */
export const runGuarded = async (file: string, args: readonly string[], options: DockerExecOptions = {}): Promise<DockerExecResult> => {
  const started = Date.now();
  if (options.signal?.aborted) throw new DockerAbortedError();
  const { execa } = await processLibrary();
  if (options.signal?.aborted) throw new DockerAbortedError();
  const subprocess = execa(file, [...args], {
    reject: false,
    timeout: options.timeoutMs ?? QUICK_TIMEOUT_MS,
    cancelSignal: options.signal,
    forceKillAfterDelay: 2_000,
    env: options.env ? { ...options.env } : undefined,
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    stripFinalNewline: true,
    maxBuffer: 64 * 1024 * 1024,
  });
  const { onLine } = options;
  if (onLine) {
    const out = splitLines((line) => onLine(line, 'stdout'));
    const err = splitLines((line) => onLine(line, 'stderr'));
    subprocess.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    subprocess.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    subprocess.stdout?.on('end', () => out.end());
    subprocess.stderr?.on('end', () => err.end());
  }
  // Killing the client may leave a child (a CLI plugin) holding its pipes open, so the subprocess
  // promise would never settle: give it a grace period after the deadline or abort, then give up on it.
  const timeoutMs = options.timeoutMs ?? QUICK_TIMEOUT_MS;
  // The listener and the timer both go once the call settles: a session's signal outlives its
  // calls, and a listener left on it would start a grace timer at dispose that keeps the process up.
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), timeoutMs + HUNG_GRACE_MS);
    onAbort = () => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve('hung'), HUNG_GRACE_MS);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const settled = await Promise.race([subprocess, hung]);
  clearTimeout(timer);
  if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  if (settled === 'hung') {
    subprocess.kill('SIGKILL');
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
    subprocess.catch(() => undefined);
    const aborted = Boolean(options.signal?.aborted);
    return { args, exitCode: null, stdout: '', stderr: '', timedOut: !aborted, aborted, notFound: false, durationMs: Date.now() - started };
  }
  const result = settled;
  const code = (result as { code?: string }).code;
  return {
    args,
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: Boolean(result.timedOut),
    aborted: Boolean(result.isCanceled) || Boolean(options.signal?.aborted),
    notFound: code === 'ENOENT' || code === 'EACCES',
    durationMs: Date.now() - started,
  };
};

/** The learner-facing error for a docker client that is missing or a daemon that does not answer. */
export const environmentError = (result: DockerExecResult): EnvironmentError | undefined => {
  if (result.notFound) {
    return new EnvironmentError(L(`The Docker command "${dockerBinary()}" was not found.`, `找不到 Docker 命令 "${dockerBinary()}"。`), {
      next: L(
        'Install Docker (Docker Desktop, or Docker Engine on Linux), or set LEARN_GO_DOCKER_DOCKER to the path of your docker client.',
        '请安装 Docker（Docker Desktop，或 Linux 上的 Docker Engine），或将 LEARN_GO_DOCKER_DOCKER 设为 docker 客户端的路径。',
      ),
    });
  }
  if (result.timedOut) {
    const seconds = Math.round(result.durationMs / 1000);
    return new EnvironmentError(
      L(
        `Docker did not answer within ${seconds} s (docker ${result.args.slice(0, 2).join(' ')}).`,
        `Docker 在 ${seconds} 秒内没有响应（docker ${result.args.slice(0, 2).join(' ')}）。`,
      ),
      {
        next: L(
          'Check that the Docker daemon is running and responsive: `docker info`. Restart Docker Desktop or the docker service if it hangs.',
          '请检查 Docker 守护进程是否在运行并能响应：`docker info`。如果它卡住了，请重启 Docker Desktop 或 docker 服务。',
        ),
      },
    );
  }
  return undefined;
};

/** Runs docker and returns stdout; throws UserError (missing/hung), DockerAbortedError or DockerCommandError. */
export const dockerOut = async (args: readonly string[], options: DockerExecOptions = {}): Promise<string> => {
  const result = await dockerExec(args, options);
  if (result.aborted) throw new DockerAbortedError();
  const envError = environmentError(result);
  if (envError) throw envError;
  if (result.exitCode !== 0) throw new DockerCommandError(result);
  return result.stdout;
};
