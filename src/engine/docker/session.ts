import type { Localized } from '../i18n.js';

/** What the learner's Docker offers, detected at run time; never assumed. */
export interface DockerCapabilities {
  readonly available: boolean;
  /** Why not available, with the fix, when available is false. */
  readonly problem?: { readonly message: Localized; readonly next: Localized };
  readonly clientVersion?: string;
  readonly serverVersion?: string;
  /** How builds are run: buildx plugin, built-in BuildKit via DOCKER_BUILDKIT=1, or the classic builder. */
  readonly builder: 'buildx' | 'buildkit-env' | 'classic' | 'none';
  readonly compose: 'v2' | 'v1' | 'none';
  readonly arch?: string;
  /** e.g. "podman" when the docker command is Podman. */
  readonly flavour?: string;
  /** The daemon answered `docker version`. */
  readonly daemonReachable: boolean;
  /** The daemon exists but the socket refused us (docker group / rootless). */
  readonly permissionDenied: boolean;
  /** Path or name of the docker client used. */
  readonly binary: string;
  /** Active context name and DOCKER_HOST, as the client reports/uses them. */
  readonly context?: string;
  readonly dockerHost?: string;
  readonly buildxVersion?: string;
  readonly composeVersion?: string;
  /** OS of the daemon ("linux"; Windows containers cannot run the lessons). */
  readonly serverOs?: string;
}

export interface BuildOptions {
  readonly contextDir: string;
  readonly dockerfile?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** BuildKit secrets: id -> file path. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  readonly target?: string;
  readonly timeoutMs?: number;
}

export interface BuildResult {
  readonly ok: boolean;
  /** Image id when ok. */
  readonly imageId?: string;
  /** Tag given to the image (always labelled learn-go-docker). */
  readonly tag?: string;
  readonly durationMs: number;
  /** Step that failed and its last output lines, when not ok. */
  readonly failedStep?: string;
  readonly tail: readonly string[];
  /** Steps and whether each came from cache (BuildKit "CACHED", classic "Using cache"). */
  readonly steps: readonly { readonly name: string; readonly cached: boolean }[];
  /** Set when the Dockerfile needs BuildKit features the learner's Docker lacks. */
  readonly needsBuildkit?: boolean;
}

export interface RunOptions {
  readonly image: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Container ports to publish on 127.0.0.1 with a free host port the runner picks. */
  readonly publish?: readonly number[];
  readonly volumes?: readonly { readonly name: string; readonly target: string }[];
  readonly memory?: string;
  readonly cpus?: string;
  readonly user?: string;
  readonly args?: readonly string[];
  readonly entrypoint?: readonly string[];
}

export interface Container {
  readonly id: string;
  /** container port -> host port on 127.0.0.1 */
  readonly ports: Readonly<Record<number, number>>;
}

/**
 * One verify's use of Docker. Everything it creates is labelled `learn-go-docker` and removed by
 * `dispose()`, which the runner calls on success, failure, Ctrl-C and SIGTERM.
 */
export interface DockerSession {
  capabilities(): Promise<DockerCapabilities>;
  /** The lesson's image, built once per verify (memoized). */
  lessonImage(): Promise<BuildResult>;
  build(options: BuildOptions): Promise<BuildResult>;
  inspectImage(ref: string): Promise<ImageInspect>;
  run(options: RunOptions): Promise<Container>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  /** uids of the container's processes, from `docker top` (works with no shell in the image). */
  processUids(id: string): Promise<number[]>;
  logs(id: string): Promise<{ stdout: string; stderr: string }>;
  /** Stops with the given grace period; returns the time taken and exit code. */
  stop(id: string, graceSeconds: number): Promise<{ seconds: number; exitCode: number | null }>;
  remove(id: string): Promise<void>;
  createVolume(): Promise<string>;
  /** Copies a file out of an image to a local path. */
  copyFromImage(image: string, path: string, dest: string): Promise<void>;
  /** `docker image history` created_by lines, newest first. */
  history(image: string): Promise<string[]>;
  /** Streams the image's file system as a tar (docker create + export). */
  exportFilesystem(image: string): Promise<NodeJS.ReadableStream>;
  /** Free TCP port on 127.0.0.1. */
  freePort(): Promise<number>;
  dispose(): Promise<void>;
}

/** Subset of `docker image inspect` we rely on. */
export interface ImageInspect {
  readonly id: string;
  readonly size: number;
  readonly user: string;
  readonly env: readonly string[];
  readonly entrypoint: readonly string[] | null;
  readonly cmd: readonly string[] | null;
  readonly exposedPorts: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly healthcheck: readonly string[] | null;
  readonly workingDir: string;
  readonly architecture: string;
}

export interface ContainerInspect {
  readonly running: boolean;
  readonly exitCode: number | null;
  readonly health: 'starting' | 'healthy' | 'unhealthy' | null;
  readonly restartCount: number;
}
