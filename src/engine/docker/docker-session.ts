import { localDigests } from './repo-digests.js';
import { findScanner, scanImage, type ScanRun } from './scanner.js';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { ProgressEvent } from './progress.js';
import { runBuild } from './build.js';
import { detectCapabilities, rememberedCapabilities, sameBuilder } from './capabilities.js';
import { cleanStale, pidAlive, removeSessionObjects } from './clean.js';
import { DockerAbortedError, DockerCommandError, dockerBinary, dockerExec, dockerOut, environmentError } from './exec.js';
import { LABEL, LESSON_LABEL, labelArgs, sessionLabels } from './labels.js';
import { containerLimitArgs } from './limits.js';
import { installInterruptCleanup, registerSession, unregisterSession } from './live-sessions.js';
import { parseContainerInspect, parseHistory, parseImageInspect, parseTopProcesses, parseTopUids } from './parse-inspect.js';
import { readCache, sweepCacheTemps, writeCache } from './machine-cache.js';
import type {
  BuildOptions,
  BuildResult,
  ComposeUpOptions,
  ComposeUpResult,
  Container,
  DockerCapabilities,
  DockerSession,
  ImageInspect,
  RunOptions,
} from './session.js';
import { removeStaged, stageContext } from './stage-context.js';
import { sweepStagedFolders } from './staged-folders.js';
import { pruneReplacedImage, tidyCourseImages } from './image-tidy.js';
import { heldTag } from './parse-tidy.js';
import { rememberInspect, rememberedInspect } from './image-configs.js';
import type { SwarmUse } from './swarm.js';

export interface CreateSessionOptions {
  /** The workspace (build context); staged without `.learn-go-docker/` before building. */
  readonly contextDir: string;
  /** Dockerfile relative to contextDir (default "Dockerfile"). */
  readonly dockerfile?: string;
  readonly lessonId: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** `--target` of the image's builds (audit --target); the Dockerfile's last stage when absent. */
  readonly target?: string;
  /**
   * A one-off session (audit): its image is removed on dispose like everything else, and the
   * course's lesson images are left alone (no tidy: they are the learner's, not this run's).
   */
  readonly transient?: boolean;
  /** How long a build may take before it is stopped (default BUILD_TIMEOUT_MS). */
  readonly buildTimeoutMs?: number;
}

const STOP_EXTRA_MS = 20_000;
const PAUSE_ATTEMPTS = 3;
const PAUSE_RETRY_MS = 300;

/** Docker's words when the cgroup freezer could not freeze every process of the container this time. */
export const freezeRefused = (stderr: string): boolean => /unable to freeze/i.test(stderr);

let staleCleaned: Promise<unknown> | undefined;
let staleSwept: Promise<unknown> | undefined;

const SWEEP_STAMP = 'last-sweep.json';
/** Leftovers of killed runs are rare: looking for them once an hour is enough (`clean` removes them now). */
const SWEEP_EVERY_MS = 3_600_000;

/**
 * At most once an hour on this machine: remove what a killed earlier run left (best effort). It
 * runs beside the build, not before it: it only touches objects of processes that are gone.
 */
const cleanStaleOnce = (): Promise<unknown> =>
  (staleCleaned ??= (async () => {
    const last = await readCache<{ at: number }>(SWEEP_STAMP);
    if (last && Date.now() - last.at < SWEEP_EVERY_MS) return;
    await writeCache(SWEEP_STAMP, { at: Date.now() });
    await sweepCacheTemps(pidAlive);
    await cleanStale();
    // A swarm a killed run turned on: left once nothing runs on it (never while this process uses it).
    await loadSwarm().then((m) => m.leaveIfIdle());
  })().catch(() => undefined));
/** Once per process, beside the first copy: remove temp folders of runs that are gone (best effort). */
const sweepStagedOnce = (): Promise<unknown> => (staleSwept ??= sweepStagedFolders().catch(() => undefined));

/** Creates the Docker session a verify uses; registered for interrupt cleanup until disposed. */
export const createDockerSession = (options: CreateSessionOptions): DockerSession => {
  // The first session arms the clean-up on Ctrl-C, SIGTERM and crashes (a process that never
  // starts one has nothing to clean). A program that exits on signals itself installed it first.
  installInterruptCleanup({ exit: false });
  const session = new RealDockerSession(options);
  registerSession(session);
  return session;
};

class RealDockerSession implements DockerSession {
  readonly id = randomBytes(6).toString('hex');
  readonly lessonId: string;
  private readonly controller = new AbortController();
  private readonly containers = new Set<string>();
  private readonly volumes = new Set<string>();
  private readonly networks = new Set<string>();
  private readonly images = new Set<string>();
  /** Tags that only hold the lesson image while this session uses it (the image keeps its :verify tag). */
  private readonly heldTags = new Set<string>();
  private readonly stagedDirs = new Set<string>();
  private readonly composeProjects = new Map<string, { dir: string; file: string; override: string }>();
  /** Swarm stacks deployed by this session (removed on dispose, before the swarm is released). */
  private readonly stacks = new Set<string>();
  private swarm: Promise<SwarmUse> | undefined;
  private tags = 0;
  private readonly lessonBuilds = new Map<string, Promise<BuildResult>>();
  private lessonContext: Promise<string> | undefined;
  /** The leftovers sweep running beside this session's work; dispose waits for it. */
  private sweeping: Promise<unknown> | undefined;
  /** The lesson's image replaced by this session's build, being removed (pruneReplacedImage). */
  private pruning: Promise<unknown> | undefined;
  /** A create or run failed or was interrupted before it gave its id: dispose looks by label. */
  private untracked = false;
  /** `run`/`create` calls not yet settled: dispose waits for them (they are aborted, so briefly). */
  private readonly creating = new Set<Promise<unknown>>();
  private readonly inspected = new Map<string, Promise<ImageInspect>>();
  private cids = 0;
  private disposing: Promise<void> | undefined;
  private extraBuilds = 0;
  /** Kept so dispose can detach it: a process running many verifies shares one outer signal. */
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(private readonly options: CreateSessionOptions) {
    this.lessonId = options.lessonId;
    // Every docker call of the session listens to this signal; dozens may be in flight over a verify.
    setMaxListeners(200, this.controller.signal);
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.controller.abort();
      else outer.addEventListener('abort', this.onOuterAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  capabilities = () => detectCapabilities();

  private guard(): void {
    if (this.disposing || this.controller.signal.aborted) throw new DockerAbortedError();
  }

  private track(kind: Set<string>, value: string): string {
    kind.add(value);
    return value;
  }

  private get labels(): Record<string, string> {
    return sessionLabels(this.id);
  }

  private get quick() {
    return { signal: this.controller.signal };
  }

  lessonImage(buildArgs: Readonly<Record<string, string>> = {}): Promise<BuildResult> {
    const key = JSON.stringify(Object.entries(buildArgs).sort());
    let build = this.lessonBuilds.get(key);
    if (!build) {
      const primary = this.lessonBuilds.size === 0;
      build = this.buildLesson(buildArgs, primary);
      this.lessonBuilds.set(key, build);
      // The lesson's image replaced by this build, if any, goes beside the checks (dispose waits).
      if (primary && !this.options.transient)
        this.pruning = build.then(
          (made) => (made.ok && made.imageId ? pruneReplacedImage(this.lessonId, made.imageId).catch(() => undefined) : undefined),
          () => undefined,
        );
    }
    return build;
  }

  stageLessonContext(): void {
    if (!this.disposing && !this.controller.signal.aborted) void this.lessonContextCopy();
  }

  /** The staged copy of the lesson's context, made once per session. */
  private lessonContextCopy(): Promise<string> {
    this.lessonContext ??= this.stageContext();
    this.lessonContext.catch(() => undefined); // awaited by its users; not unhandled meanwhile
    return this.lessonContext;
  }

  private async buildLesson(buildArgs: Readonly<Record<string, string>>, primary: boolean): Promise<BuildResult> {
    this.guard();
    // The context is copied while `docker version` answers: both are on the way to the build.
    const lessonContext = this.lessonContextCopy();
    // The lesson's first build starts with the capabilities this machine had at the last verify,
    // while `docker version` answers; what it made counts only once they are confirmed (below).
    const guess = primary ? await this.rememberedCapabilities() : undefined;
    const caps = guess ?? (await this.capabilities());
    if (caps.available && primary && !this.options.transient) {
      const buildkit = caps.builder === 'buildx' || caps.builder === 'buildkit-env';
      // Beside the build, off its path: leftovers of killed runs, and other lessons' images.
      this.sweeping = Promise.all([cleanStaleOnce(), tidyCourseImages({ lessonId: this.lessonId, buildkit }).catch(() => undefined)]);
    }
    const contextDir = await lessonContext;
    // The lesson image keeps a stable tag so the next verify reuses its layers; other arg sets get unique tags.
    const keep = primary && !this.options.transient;
    const tag = keep ? `learn-go-docker/${this.lessonId}:verify` : this.extraTag();
    const labels: Record<string, string> = keep ? { [LABEL]: '1', [LESSON_LABEL]: this.lessonId } : { ...this.labels, [LESSON_LABEL]: this.lessonId };
    if (!keep) this.images.add(tag);
    // While this session uses the image, a tag of its own holds it: another verify of the lesson
    // re-tagging :verify would leave it dangling, and a dangling image can be pruned mid-check.
    const held = keep ? `learn-go-docker/${this.lessonId}:${heldTag(process.pid, this.id)}` : undefined;
    if (held) this.heldTags.add(held);
    const build = (using: DockerCapabilities, signal: AbortSignal) =>
      runBuild({
        contextDir,
        dockerfile: this.options.dockerfile,
        buildArgs,
        tag,
        ...(held ? { extraTags: [held] } : {}),
        ...(this.options.target ? { target: this.options.target } : {}),
        ...(this.options.buildTimeoutMs ? { timeoutMs: this.options.buildTimeoutMs } : {}),
        labels,
        caps: using,
        signal,
        onProgress: this.options.onProgress,
      });
    if (!guess) return build(caps, this.controller.signal);
    // The guessed build can be stopped alone (the session's abort stops it too).
    const stop = new AbortController();
    const made = build(caps, AbortSignal.any([this.controller.signal, stop.signal]));
    const real = await this.capabilities();
    // Unreachable now: no check uses this build (their gate skips them with the reason).
    if (!real.available || sameBuilder(real, guess)) return made;
    // Docker changed since the last verify (another builder or client): that build is stopped
    // and made again its way (the capabilities just found are remembered for the next verify).
    stop.abort();
    await made.catch(() => undefined);
    this.guard();
    return build(real, this.controller.signal);
  }

  /** Read once per session: the head start's gate and the lesson build use the same guess. */
  private remembered: Promise<DockerCapabilities | undefined> | undefined;
  rememberedCapabilities = (): Promise<DockerCapabilities | undefined> => (this.remembered ??= rememberedCapabilities());

  private extraTag(): string {
    this.extraBuilds += 1;
    return `learn-go-docker/${this.lessonId}:s-${this.id}-${this.extraBuilds}`;
  }

  async stageContext(): Promise<string> {
    this.guard();
    // Beside the copy, not before it: the sweep only removes folders of processes that are gone.
    const sweep = sweepStagedOnce();
    const dir = await stageContext(this.options.contextDir);
    this.stagedDirs.add(dir);
    await sweep;
    return dir;
  }

  async build(options: BuildOptions): Promise<BuildResult> {
    this.guard();
    const contextDir = options.staged ? options.contextDir : await stageContextInto(this, options.contextDir);
    const tag = this.extraTag();
    this.images.add(tag);
    return runBuild({
      ...(this.options.target ? { target: this.options.target } : {}),
      ...(this.options.buildTimeoutMs ? { timeoutMs: this.options.buildTimeoutMs } : {}),
      ...options,
      contextDir,
      dockerfile: options.dockerfile ?? this.options.dockerfile,
      tag,
      labels: { ...this.labels, [LESSON_LABEL]: this.lessonId },
      caps: await this.capabilities(),
      signal: this.controller.signal,
      onProgress: this.options.onProgress,
    });
  }

  /** Stages an arbitrary folder (not only the lesson context) and tracks it for removal. */
  async stageFolder(dir: string): Promise<string> {
    await sweepStagedOnce();
    const staged = await stageContext(dir);
    this.stagedDirs.add(staged);
    return staged;
  }

  /**
   * An image's config, asked once per session (several checks read the same one), and not at all
   * for an image id this machine inspected before (image-configs: an id fixes its config).
   */
  inspectImage(ref: string): Promise<ImageInspect> {
    let found = this.inspected.get(ref);
    if (!found) {
      found = (async () => {
        const remembered = await rememberedInspect(ref);
        if (remembered) return remembered;
        const inspect = parseImageInspect(await dockerOut(['image', 'inspect', ref], this.quick));
        // Beside the checks, not before them: the next verify of this same image reads it.
        void rememberInspect(inspect);
        return inspect;
      })();
      found.catch(() => this.inspected.delete(ref));
      this.inspected.set(ref, found);
    }
    return found;
  }

  async localTags(repository: string): Promise<string[]> {
    const out = await dockerExec(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository], this.quick);
    return out.exitCode === 0 ? [...new Set(out.stdout.split('\n').filter((line) => line && !line.endsWith(':<none>')))] : [];
  }

  repoDigests(refs: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return localDigests(refs, this.controller.signal);
  }

  async scanImage(imageId: string): Promise<ScanRun | null> {
    this.guard();
    const scanner = findScanner();
    return scanner ? scanImage(scanner, imageId, this.controller.signal) : null;
  }

  async run(options: RunOptions): Promise<Container> {
    this.guard();
    // Limits go on every container, created-only ones included: nothing the runner creates is unbounded.
    const { cpuQuota } = await this.capabilities();
    const publish = options.publish ?? [];
    // One `docker run -d` on host ports chosen here (free on 127.0.0.1), instead of create, start
    // and port: three round trips fewer. A port taken meanwhile is retried once on new ones.
    for (let attempt = 0; ; attempt += 1) {
      const hostPorts = options.createOnly ? [] : await Promise.all(publish.map(() => this.freePort()));
      const cidfile = join(tmpdir(), `learn-go-docker-cid-${process.pid}-${this.id}-${(this.cids += 1)}`);
      const args = [options.createOnly ? 'create' : 'run', ...(options.createOnly ? [] : ['-d']), '--cidfile', cidfile, ...labelArgs(this.labels)];
      args.push(...containerLimitArgs({ memory: options.memory, cpus: options.cpus }, cpuQuota));
      publish.forEach((port, i) => args.push('-p', options.createOnly ? `127.0.0.1::${port}` : `127.0.0.1:${hostPorts[i]}:${port}`));
      for (const [key, value] of Object.entries(options.env ?? {})) args.push('-e', `${key}=${value}`);
      for (const volume of options.volumes ?? []) args.push('-v', `${volume.name}:${volume.target}`);
      if (options.user) args.push('--user', options.user);
      if (options.join) args.push('--pid', `container:${options.join}`, '--network', `container:${options.join}`);
      if (options.network) {
        args.push('--network', options.network.name);
        if (options.network.alias) args.push('--network-alias', options.network.alias);
      }
      const [entrypoint, ...entryArgs] = options.entrypoint ?? [];
      if (entrypoint !== undefined) args.push('--entrypoint', entrypoint);
      args.push(options.image, ...entryArgs, ...(options.args ?? []));
      // Tracked until its id is known: a Ctrl-C lands in the middle of this call, and dispose must
      // see the container (or that it has none) before it cleans up.
      const created = (async () => {
        const result = await dockerExec(args, { ...this.quick, timeoutMs: 60_000 });
        // The cid file is written when the container is created, even if it then fails to start.
        const id = (await readFile(cidfile, 'utf8').catch(() => '')).trim();
        await rm(cidfile, { force: true });
        if (id) this.track(this.containers, id);
        else this.untracked = true;
        return { result, id };
      })();
      this.creating.add(created);
      const { result, id } = await created.finally(() => this.creating.delete(created));
      if (result.aborted) throw new DockerAbortedError();
      const envError = environmentError(result);
      if (envError) throw envError;
      if (options.createOnly) {
        if (result.exitCode !== 0) throw new DockerCommandError(result);
        return { id, ports: {}, started: false };
      }
      if (result.exitCode === 0) return { id, ports: Object.fromEntries(publish.map((port, i) => [port, hostPorts[i] as number])), started: true };
      const error = result.stderr || result.stdout;
      if (attempt === 0 && /port is already allocated|address already in use/i.test(error)) {
        if (id) await this.remove(id);
        continue;
      }
      return { id, ports: {}, started: false, startError: cleanDaemonError(error) };
    }
  }

  async inspectContainer(id: string) {
    return parseContainerInspect(await dockerOut(['container', 'inspect', id], this.quick));
  }

  async processUids(id: string) {
    return parseTopUids(await dockerOut(['top', id, '-eo', 'uid,pid'], this.quick));
  }

  async logs(id: string) {
    const result = await dockerExec(['logs', id], { ...this.quick, timeoutMs: 30_000 });
    return { stdout: result.stdout, stderr: result.stderr };
  }

  async changedFiles(id: string) {
    const out = await dockerOut(['diff', id], this.quick);
    return out
      .split('\n')
      .map((line) => /^([ACD]) (.+)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ kind: m[1] as 'A' | 'C' | 'D', path: m[2] ?? '' }));
  }

  async stop(id: string, graceSeconds: number) {
    const started = Date.now();
    await dockerOut(['stop', '-t', String(graceSeconds), id], { ...this.quick, timeoutMs: graceSeconds * 1000 + STOP_EXTRA_MS });
    const seconds = (Date.now() - started) / 1000;
    const state = await this.inspectContainer(id);
    return { seconds, exitCode: state.exitCode };
  }

  async remove(id: string) {
    await dockerExec(['rm', '-f', '-v', id], { timeoutMs: 60_000 });
    this.containers.delete(id);
  }

  async createVolume() {
    this.guard();
    const name = `learn-go-docker-${this.id}-${this.volumes.size + 1}`;
    await dockerOut(['volume', 'create', ...labelArgs(this.labels), name], this.quick);
    return this.track(this.volumes, name);
  }

  async createNetwork() {
    this.guard();
    const name = `learn-go-docker-${this.id}-net${this.networks.size + 1}`;
    await dockerOut(['network', 'create', ...labelArgs(this.labels), name], this.quick);
    return this.track(this.networks, name);
  }

  async pauseContainer(id: string) {
    // The cgroup freezer can fail to freeze a busy container at the first try ("OCI runtime pause
    // failed: unable to freeze"; seen once in a CI run, under load): asked again, it freezes. Any
    // other failure, or the third refusal, is the error it was.
    for (let attempt = 1; ; attempt++) {
      try {
        await dockerOut(['pause', id], this.quick);
        return;
      } catch (error) {
        if (attempt >= PAUSE_ATTEMPTS || !(error instanceof DockerCommandError) || !freezeRefused(error.result.stderr)) throw error;
        await sleep(PAUSE_RETRY_MS * attempt, undefined, { signal: this.controller.signal }).catch(() => undefined);
        this.guard();
      }
    }
  }

  async unpauseContainer(id: string) {
    await dockerOut(['unpause', id], this.quick);
  }

  async copyFromImage(image: string, path: string, dest: string) {
    const container = await this.run({ image, createOnly: true, entrypoint: ['/learn-go-docker-never-started'] });
    try {
      await dockerOut(['cp', '-L', `${container.id}:${path}`, dest], { ...this.quick, timeoutMs: 120_000 });
    } finally {
      await this.remove(container.id);
    }
  }

  async history(image: string) {
    return parseHistory(await dockerOut(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', image], this.quick));
  }

  async exportFilesystem(image: string): Promise<Readable> {
    const container = await this.run({ image, createOnly: true, entrypoint: ['/learn-go-docker-never-started'] });
    const subprocess = execa(dockerBinary(), ['export', container.id], {
      reject: false,
      timeout: 10 * 60_000,
      cancelSignal: this.controller.signal,
      stdin: 'ignore',
      buffer: false,
      encoding: 'buffer',
    });
    const stream = subprocess.stdout;
    if (!stream) throw new Error('docker export gave no output stream');
    // The container goes once the stream is read (or the session is disposed).
    void subprocess.finally(() => this.remove(container.id).catch(() => undefined));
    return stream;
  }

  async saveImage(image: string): Promise<Readable> {
    this.guard();
    const subprocess = execa(dockerBinary(), ['save', image], {
      reject: false,
      timeout: 10 * 60_000,
      cancelSignal: this.controller.signal,
      stdin: 'ignore',
      buffer: false,
      encoding: 'buffer',
    });
    const stream = subprocess.stdout;
    if (!stream) throw new Error('docker save gave no output stream');
    return stream;
  }

  async composeUp(options: ComposeUpOptions): Promise<ComposeUpResult> {
    this.guard();
    const caps = await this.capabilities();
    const dir = await this.lessonContextCopy();
    const project = `learn-go-docker-${this.id}`;
    const { composeUp } = await loadCompose();
    return composeUp({
      ...options,
      caps,
      dir,
      project,
      labels: this.labels,
      signal: this.controller.signal,
      onStarted: (info) => this.composeProjects.set(project, info),
    });
  }

  private get composeProject(): string {
    return `learn-go-docker-${this.id}`;
  }

  async composeRestart(options: ComposeUpOptions): Promise<ComposeUpResult> {
    this.guard();
    const project = this.composeProject;
    const files = this.composeProjects.get(project);
    if (!files) return { ok: false, tail: ['docker compose up did not run in this verify'], busyHostPorts: [], project, durationMs: 0 };
    const { composeRestart } = await loadCompose();
    return composeRestart({ ...options, ...files, caps: await this.capabilities(), project, signal: this.controller.signal });
  }

  async composeService(service: string) {
    this.guard();
    const { composeServiceState } = await loadCompose();
    return composeServiceState(this.composeProject, service, this.controller.signal);
  }

  useSwarm(allowInit: boolean): Promise<SwarmUse> {
    this.guard();
    this.swarm ??= loadSwarm().then((m) => m.acquireSwarm(allowInit));
    return this.swarm;
  }

  async tagImage(image: string): Promise<string> {
    this.guard();
    this.tags += 1;
    // A held tag (parse-tidy.ts): the sweep of a later run removes it if this process dies first.
    const tag = `learn-go-docker/${this.lessonId}:${heldTag(process.pid, `${this.id}${this.tags.toString(16)}`)}`;
    this.heldTags.add(tag);
    await dockerOut(['tag', image, tag], this.quick);
    return tag;
  }

  async deployStack(options: { file: string; service: string; image: string }) {
    this.guard();
    const { runnerStackFile, stackDeploy } = await loadSwarmStack();
    const { cpuQuota } = await this.capabilities();
    const dir = await this.lessonContextCopy();
    const stack = `learn-go-docker-${this.id}`;
    const text = await readFile(join(dir, options.file), 'utf8').catch(() => undefined);
    if (text === undefined) return { ok: false, stack, error: `${options.file} is missing`, unpublished: [] };
    const copy = runnerStackFile(text, { service: options.service, image: options.image, labels: this.labels, cpuQuota: cpuQuota === true });
    if (!copy.ok) return { ok: false, stack, error: copy.error ?? '', missingService: copy.missingService === true, unpublished: [] };
    // Beside the learner's file in the staged copy (removed with it): relative paths resolve alike.
    const file = `.learn-go-docker-stack-${this.id}.yaml`;
    await writeFile(join(dir, file), copy.text);
    this.stacks.add(stack);
    const result = await stackDeploy({ stack, dir, file, image: options.image, signal: this.controller.signal });
    if (result.aborted) throw new DockerAbortedError();
    const envError = environmentError(result);
    if (envError) throw envError;
    return { ok: result.exitCode === 0, stack, error: cleanDaemonError((result.stderr || result.stdout).trim()), unpublished: copy.unpublished };
  }

  async joinableNetwork(ids: readonly string[]) {
    return (await loadSwarmStack()).joinableNetwork(ids, this.quick);
  }

  async swarmService(name: string) {
    return (await loadSwarmStack()).serviceInspect(name, this.quick);
  }

  async swarmTasks(name: string) {
    return (await loadSwarmStack()).serviceTasks(name, this.quick);
  }

  async updateSwarmService(name: string, change: { image: string; envAdd?: readonly string[] }) {
    this.guard();
    await (await loadSwarmStack()).serviceUpdate(name, change, this.quick);
  }

  async processes(id: string) {
    // ps needs the pid column to filter the container's processes; args last (it holds spaces).
    return parseTopProcesses(await dockerOut(['top', id, '-eo', 'pid,ppid,uid,args'], this.quick));
  }

  async signalContainer(id: string, signal: string) {
    await dockerOut(['kill', '--signal', signal, id], this.quick);
  }

  async copyToContainer(id: string, source: string, path: string) {
    await dockerOut(['cp', source, `${id}:${path}`], { ...this.quick, timeoutMs: 60_000 });
  }

  async copyFromContainer(id: string, path: string, dest: string) {
    await dockerOut(['cp', `${id}:${path}`, dest], { ...this.quick, timeoutMs: 60_000 });
  }

  freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(port));
      });
    });
  }

  dispose(): Promise<void> {
    this.disposing ??= this.doDispose();
    return this.disposing;
  }

  private async doDispose(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onOuterAbort);
    this.controller.abort();
    // The staged copies go beside the Docker clean-up, not after it: no build reads them any more
    // (a build still running was just aborted).
    const staged = [...this.stagedDirs];
    this.stagedDirs.clear();
    const unstaged = Promise.all(staged.map((dir) => removeStaged(dir).catch(() => undefined)));
    try {
      await Promise.allSettled([...this.creating]);
      // Untagging never waits for the containers (they run the image by id, which keeps its :verify
      // tag): beside their removal, one round trip fewer. If :verify moved meanwhile, the held tag
      // was the image's last name and the untag waits until the containers are gone (below).
      const untagHeld = () => dockerExec(['image', 'rm', '-f', ...this.heldTags], { timeoutMs: 60_000 });
      const untag = this.heldTags.size ? untagHeld().catch(() => undefined) : undefined;
      const caps = await this.capabilities();
      if (this.composeProjects.size) {
        const { composeDown } = await loadCompose();
        for (const [project, info] of this.composeProjects) await composeDown({ caps, project, ...info }).catch(() => undefined);
      }
      if (this.containers.size) await dockerExec(['rm', '-f', '-v', ...this.containers], { timeoutMs: 60_000 });
      // After the containers (the load client holds an endpoint on the stack's network).
      if (this.stacks.size) {
        const { stackRemove } = await loadSwarmStack();
        for (const stack of this.stacks) await stackRemove(stack).catch(() => undefined);
      }
      if (this.swarm)
        await loadSwarm()
          .then((m) => m.releaseSwarm())
          .catch(() => undefined);
      if (this.volumes.size) await dockerExec(['volume', 'rm', '-f', ...this.volumes], { timeoutMs: 60_000 });
      // After the containers: a network with a container attached cannot be removed.
      if (this.networks.size) await dockerExec(['network', 'rm', ...this.networks], { timeoutMs: 60_000 });
      // Anything created but never tracked (a create interrupted before it wrote its id).
      if (this.untracked) await removeSessionObjects(this.id).catch(() => undefined);
      if (untag && (await untag)?.exitCode !== 0) await untagHeld();
      if (this.images.size) await dockerExec(['image', 'rm', '-f', ...this.images], { timeoutMs: 60_000 });
      await Promise.all([this.sweeping, this.pruning]);
    } finally {
      // Copies staged while the clean-up ran (a copy started just before the abort) go too.
      await unstaged;
      for (const dir of this.stagedDirs) await removeStaged(dir).catch(() => undefined);
      unregisterSession(this);
    }
  }
}

/** Compose and its YAML parser (115 KB) load only in a verify that runs compose: most lessons never do. */
const loadCompose = () => import('./compose.js');
/** Swarm's commands load only in the lesson that deploys a stack. */
const loadSwarm = () => import('./swarm.js');
const loadSwarmStack = () => import('./swarm-stack.js');

const stageContextInto = async (session: RealDockerSession, dir: string): Promise<string> => session.stageFolder(dir);

/** Keeps the useful end of a daemon error ("exec: "/server": stat /server: no such file or directory"). */
export const cleanDaemonError = (text: string): string =>
  text
    // The CLI's usage pointer ("See 'docker run --help'.", "Run 'docker run --help' for more information") is not the error.
    .replace(/^\s*(See|Run) 'docker [\w-]+ --help'.*$/gim, '')
    .trim()
    .replace(/^(docker: )?Error response from daemon:\s*/i, '')
    .replace(/^failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: /i, '')
    .replace(/: unknown\.?$/, '')
    .split('\n')
    .pop() ?? '';
