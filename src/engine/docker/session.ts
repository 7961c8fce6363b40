import type { ScanRun } from './scanner.js';
import type { SwarmUse } from './swarm.js';
import type { ServiceState, ServiceTask } from './swarm-stack.js';
import type { Readable } from 'node:stream';
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
  /** The daemon can enforce `--cpus` (CFS quota); without it Docker refuses the flag, so the runner's default is left out. */
  readonly cpuQuota?: boolean;
}

export interface BuildOptions {
  /** Build context. It is staged (copied without `.learn-go-docker/`) unless `staged` is true. */
  readonly contextDir: string;
  /** Dockerfile path relative to the context (default "Dockerfile"), or absolute for a derived one outside it. */
  readonly dockerfile?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** BuildKit secrets: id -> file path. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  readonly target?: string;
  /** `--platform` (e.g. linux/arm64): the platform the image is built for (BuildKit). */
  readonly platform?: string;
  readonly timeoutMs?: number;
  /** The context is already a staged copy the session owns: do not copy it again. */
  readonly staged?: boolean;
}

export interface BuildStepResult {
  /** "[builder 3/7] RUN go mod download" (BuildKit) or "[3/7] RUN go mod download" (classic). */
  readonly name: string;
  readonly cached: boolean;
  readonly durationMs?: number;
  /** "go: downloading ..." lines the step printed (Go fetched modules), when there were any. */
  readonly goDownloads?: number;
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
  /** Dockerfile instruction steps and whether each came from cache (BuildKit "CACHED", classic "Using cache"). */
  readonly steps: readonly BuildStepResult[];
  /** The build ran past its time budget and was stopped. */
  readonly timedOut?: boolean;
  /** Set when the Dockerfile needs BuildKit features the learner's Docker lacks (the build was not attempted). */
  readonly needsBuildkit?: boolean;
  /** BuildKit-only syntax found (line + feature), when needsBuildkit. */
  readonly buildkitFeatures?: readonly { readonly feature: string; readonly line: number }[];
  /** Which builder ran it. */
  readonly builder: DockerCapabilities['builder'];
  /** Staged context the build used (owned by the session, removed on dispose). */
  readonly contextDir?: string;
}

export interface RunOptions {
  readonly image: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Container ports to publish on 127.0.0.1 with a host port Docker picks (`-p 127.0.0.1::PORT`). */
  readonly publish?: readonly number[];
  readonly volumes?: readonly { readonly name: string; readonly target: string }[];
  /** `--memory` / `--cpus` instead of the runner's defaults (limits.ts); a pids limit and no-new-privileges always apply. */
  readonly memory?: string;
  readonly cpus?: string;
  readonly user?: string;
  /** Arguments after the image (replace CMD). */
  readonly args?: readonly string[];
  /** Replaces ENTRYPOINT: first element is the entrypoint, the rest are prepended to args. */
  readonly entrypoint?: readonly string[];
  /** Create only (`docker create`), never start: for copying files out. */
  readonly createOnly?: boolean;
  /** A debug container: joins this container's PID and network namespaces (`--pid/--network container:ID`). */
  readonly join?: string;
  /** A network of this session (createNetwork) to attach to, and the name other containers there reach it by. */
  readonly network?: { readonly name: string; readonly alias?: string };
}

export interface Container {
  readonly id: string;
  /** container port -> host port on 127.0.0.1 (empty when the container exited before ports were read). */
  readonly ports: Readonly<Record<number, number>>;
  /** false when `docker start` failed (bad entrypoint...); `startError` says why. */
  readonly started: boolean;
  readonly startError?: string;
}

export interface HistoryEntry {
  readonly createdBy: string;
  readonly size: number;
  readonly comment: string;
}

export interface ComposeUpOptions {
  /** Compose file relative to the context (default: compose.yaml / compose.yml / docker-compose.yml). */
  readonly file?: string;
  readonly service: string;
  /** Container port of the service to find the published host port of. */
  readonly port: number;
  readonly timeoutMs?: number;
}

export interface ComposeUpResult {
  readonly ok: boolean;
  /** Host port the service's port is published on, when ok. */
  readonly hostPort?: number;
  readonly project: string;
  readonly durationMs: number;
  /** Last lines of compose's output when it failed. */
  readonly tail: readonly string[];
  /** Fixed host ports in the file that are already taken on this machine. */
  readonly busyHostPorts: readonly number[];
  /** Set when the file asks for access to the machine the runner refuses (privileged, host paths...): nothing was started. */
  readonly refusal?: Localized;
}

/** A compose service's container: running or not, its environment and what is mounted where. */
export interface ComposeServiceState {
  /** The container's id (for docker cp, logs); absent in measurements recorded before it was read. */
  readonly id?: string;
  readonly running: boolean;
  /** "NAME=value" entries of the container's config. */
  readonly env: readonly string[];
  /** type volume (name: the volume's, e.g. <project>_db-data, or 64 hex digits when anonymous), bind or tmpfs. */
  readonly mounts: readonly { readonly type: string; readonly name: string; readonly source: string; readonly destination: string }[];
  /** How the container was started (HostConfig), for the run-time hardening checks (absent as for id). */
  readonly host?: {
    readonly readOnlyRootfs: boolean;
    readonly capAdd: readonly string[];
    readonly capDrop: readonly string[];
    readonly securityOpt: readonly string[];
    /** null: no limit. */
    readonly pidsLimit: number | null;
    /** Paths mounted as tmpfs (HostConfig.Tmpfs keys). */
    readonly tmpfs: readonly string[];
  };
}

/**
 * One verify's use of Docker. Everything it creates is labelled `learn-go-docker` and removed by
 * `dispose()`, which the runner calls on success, failure, Ctrl-C and SIGTERM.
 */
export interface DockerSession {
  /** Random id; also the value of the `learn-go-docker.session` label on its objects. */
  readonly id: string;
  readonly lessonId: string;
  capabilities(): Promise<DockerCapabilities>;
  /**
   * What capabilities() found at the last verify on this machine with the same client, read
   * without asking Docker (undefined when unknown or old): enough to start the lesson's build
   * early, never to judge. Optional (fakes need not remember).
   */
  rememberedCapabilities?(): Promise<DockerCapabilities | undefined>;
  /** The lesson's image, built once per verify (memoized per build-arg set) as learn-go-docker/<lesson>:verify. */
  lessonImage(buildArgs?: Readonly<Record<string, string>>): Promise<BuildResult>;
  /**
   * Starts copying the lesson's build context, the first step of lessonImage(), before the build is
   * asked for: the copy then runs while `docker version` answers. Optional (fakes need not stage).
   */
  stageLessonContext?(): void;
  /** An extra build with a unique tag, removed on dispose. */
  build(options: BuildOptions): Promise<BuildResult>;
  /** A fresh staged copy of the lesson's context (for derived builds such as cache-reuse); removed on dispose. */
  stageContext(): Promise<string>;
  inspectImage(ref: string): Promise<ImageInspect>;
  /** The tags this engine has of one repository (`golang` gives golang:1.26-trixie, ...); [] when none. */
  localTags?(repository: string): Promise<string[]>;
  /** The digest this engine recorded for each image (when it pulled it), as `sha256:…`; images without one left out. */
  repoDigests?(refs: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Scans an image with the learner's Trivy or Grype (docker/scanner.ts); null when neither is installed. */
  scanImage?(imageId: string): Promise<ScanRun | null>;
  /** Creates (labelled, tracked) and starts a container; ports are read back with `docker port`. */
  run(options: RunOptions): Promise<Container>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  /** uids of the container's processes, from `docker top` (works with no shell in the image). */
  processUids(id: string): Promise<number[]>;
  logs(id: string): Promise<{ stdout: string; stderr: string }>;
  /** Files added or changed in the container's file system (`docker diff`): "A /app/app.log"... */
  changedFiles(id: string): Promise<{ readonly kind: 'A' | 'C' | 'D'; readonly path: string }[]>;
  /** Stops with the given grace period; returns the time taken and exit code. */
  stop(id: string, graceSeconds: number): Promise<{ seconds: number; exitCode: number | null }>;
  remove(id: string): Promise<void>;
  /** Creates a labelled named volume; removed on dispose. */
  createVolume(): Promise<string>;
  /** Creates a labelled bridge network (containers on it reach each other by alias); removed on dispose. */
  createNetwork(): Promise<string>;
  /** Freezes every process of a container (`docker pause`): its ports accept connections that nobody answers. */
  pauseContainer(id: string): Promise<void>;
  /** Thaws a paused container (`docker unpause`). */
  unpauseContainer(id: string): Promise<void>;
  /** Copies a file out of an image (docker create, never started + docker cp) to a local path. */
  copyFromImage(image: string, path: string, dest: string): Promise<void>;
  /** `docker history` entries, newest first. */
  history(image: string): Promise<HistoryEntry[]>;
  /** Streams the image's file system as a tar (docker create + export). */
  exportFilesystem(image: string): Promise<Readable>;
  /** Streams `docker save` of an image: config, manifest and every layer, files deleted by later layers included. */
  saveImage(image: string): Promise<Readable>;
  /** `docker compose up` of the staged context under a session project name; `down -v` on dispose. */
  composeUp(options: ComposeUpOptions): Promise<ComposeUpResult>;
  /** The container's processes with their parents and command lines (`docker top -eo pid,ppid,uid,args`). */
  processes(id: string): Promise<ContainerProcess[]>;
  /** Sends a signal to the container's main process (`docker kill --signal`). */
  signalContainer(id: string, signal: string): Promise<void>;
  /** Copies a local file into a container (running or stopped) at an absolute path (`docker cp`). */
  copyToContainer(id: string, source: string, path: string): Promise<void>;
  /** Copies a file out of a container (running or stopped) to a local path (`docker cp`). */
  copyFromContainer(id: string, path: string, dest: string): Promise<void>;
  /** Free TCP port on 127.0.0.1 (bind port 0); prefer `publish` which lets Docker pick. */
  freePort(): Promise<number>;
  /** The session's AbortSignal (aborted on Ctrl-C or dispose). */
  readonly signal: AbortSignal;
  /** Removes everything the session created. Idempotent. */
  dispose(): Promise<void>;
  /** `docker compose down` (named volumes stay) then `up` again, of the project composeUp started; the service's host port anew. */
  composeRestart(options: ComposeUpOptions): Promise<ComposeUpResult>;
  /** A service's container in the project composeUp started (mounts, env); null when there is none. */
  composeService(service: string): Promise<ComposeServiceState | null>;
  /**
   * Swarm mode for this session: on as found, or turned on when `allowInit` (the learner agreed);
   * a swarm the runner turned on is left again when the last session using it is disposed.
   */
  useSwarm(allowInit: boolean): Promise<SwarmUse>;
  /** A tag of this session for an image (removed on dispose): Swarm needs a name per release. */
  tagImage(image: string): Promise<string>;
  /**
   * `docker stack deploy` of the runner's copy of a workspace stack file (its image tag, labels and
   * limits, no published port) under this session's stack name; `stack rm` on dispose.
   */
  deployStack(options: {
    file: string;
    service: string;
    image: string;
  }): Promise<{ ok: boolean; stack: string; error: string; missingService?: boolean; unpublished: readonly string[] }>;
  /** The first of these networks a one-off container may join (attachable, not internal), and their names. */
  joinableNetwork(ids: readonly string[]): Promise<{ id?: string; names: string[] }>;
  swarmService(name: string): Promise<ServiceState | null>;
  swarmTasks(name: string): Promise<ServiceTask[]>;
  /** `docker service update --detach` to an image (and added environment): a release under the service's update_config. */
  updateSwarmService(name: string, change: { image: string; envAdd?: readonly string[] }): Promise<void>;
}

/** Subset of `docker image inspect` we rely on. */
export interface ImageInspect {
  readonly id: string;
  readonly size: number;
  readonly user: string;
  readonly env: readonly string[];
  readonly entrypoint: readonly string[] | null;
  readonly cmd: readonly string[] | null;
  /** "8080/tcp" entries. */
  readonly exposedPorts: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Healthcheck Test ("CMD", ...args or "CMD-SHELL", cmd), null when none. */
  readonly healthcheck: readonly string[] | null;
  readonly workingDir: string;
  readonly architecture: string;
  readonly os: string;
  readonly created: string;
  /** The diff ids of its layers, oldest first (an image built FROM another starts with the base's). */
  readonly layers?: readonly string[];
}

export interface ContainerInspect {
  readonly id: string;
  /** "created", "running", "exited"... */
  readonly status: string;
  readonly running: boolean;
  /** Exit code once it is no longer running. */
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  /** Docker's own error (e.g. the entrypoint could not be executed). */
  readonly error: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly health: 'starting' | 'healthy' | 'unhealthy' | null;
  /** Last health probe results, oldest first. */
  readonly healthLog: readonly { readonly exitCode: number; readonly output: string; readonly start?: string; readonly end?: string }[];
  readonly restartCount: number;
  /** Host pid of the container's main process (PID 1 inside), 0 when it is not running. */
  readonly pid?: number;
}

/** A process of a running container, as `docker top` lists it (pids are the host's). */
export interface ContainerProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  /** The command line (argv joined by spaces). */
  readonly args: string;
}
