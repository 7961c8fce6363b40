import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ProgressEvent } from './progress.js';
import { DockerAbortedError, dockerExec, environmentError } from './exec.js';
import { lessonGoproxy, roomGoproxy } from './goproxy-arg.js';
import { labelArgs } from './labels.js';
import { IID_PREFIX, ownedTempDir } from './stage-context.js';
import { BuildOutputParser, failureTail, isClassicNoise } from './parse-build.js';
import type { BuildOptions, BuildResult, DockerCapabilities } from './session.js';

export const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface RunBuildOptions extends BuildOptions {
  readonly tag: string;
  /** More names for the same image (one build, no extra call). */
  readonly extraTags?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly caps: DockerCapabilities;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Environment that selects the builder the capabilities found. */
export const builderEnv = (caps: DockerCapabilities): Record<string, string> => {
  if (caps.builder === 'buildkit-env' || caps.builder === 'buildx') return { DOCKER_BUILDKIT: '1' };
  return { DOCKER_BUILDKIT: '0' };
};

/**
 * The Dockerfile's path: relative to the context, or absolute for a derived Dockerfile a check
 * writes outside it (the context, and so every COPY, stays the learner's).
 */
const dockerfileOf = (options: Pick<RunBuildOptions, 'contextDir' | 'dockerfile'>): string => {
  const file = options.dockerfile ?? 'Dockerfile';
  return isAbsolute(file) ? file : join(options.contextDir, file);
};

export const buildArgsFor = (options: RunBuildOptions, iidfile: string): string[] => {
  const buildkit = options.caps.builder === 'buildx' || options.caps.builder === 'buildkit-env';
  const args = ['build', '-f', dockerfileOf(options), '-t', options.tag, '--iidfile', iidfile];
  for (const tag of options.extraTags ?? []) args.push('-t', tag);
  args.push(...labelArgs(options.labels));
  if (buildkit) args.push('--progress=plain');
  // A non-default buildx builder (docker-container driver) would keep the image out of the image store.
  if (options.caps.builder === 'buildx') args.push('--load');
  // The classic builder leaves the failed step's container behind without --force-rm.
  if (!buildkit) args.push('--force-rm');
  // A learner behind a slow or blocked proxy sets LEARN_GO_DOCKER_GOPROXY once; lessons declare ARG GOPROXY.
  // In a workshop room that serves the course's modules, the room's proxy comes first (goproxy-arg.ts).
  const goproxy = lessonGoproxy(process.env, roomGoproxy());
  const buildArgs = { ...(goproxy ? { GOPROXY: goproxy } : {}), ...(options.buildArgs ?? {}) };
  for (const [key, value] of Object.entries(buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [id, src] of Object.entries(options.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
  if (options.noCache) args.push('--no-cache');
  if (options.target) args.push('--target', options.target);
  if (options.platform) args.push('--platform', options.platform);
  args.push(options.contextDir);
  return args;
};

/** Builds an already staged context, parsing the output live into progress events. */
export const runBuild = async (options: RunBuildOptions): Promise<BuildResult> => {
  const started = Date.now();
  const { caps } = options;
  const buildkit = caps.builder === 'buildx' || caps.builder === 'buildkit-env';
  const base = { builder: caps.builder, contextDir: options.contextDir, tag: options.tag };
  const dockerfileText = await readFile(dockerfileOf(options), 'utf8').catch(() => undefined);
  if (dockerfileText === undefined) {
    return {
      ...base,
      ok: false,
      durationMs: 0,
      tail: [`${options.dockerfile ?? 'Dockerfile'}: no such file in the build context`],
      steps: [],
    };
  }
  // BuildKit-only syntax is found by the Dockerfile analysis before a build is asked for; build
  // secrets cannot even be passed to the classic builder.
  if (!buildkit && Object.keys(options.secrets ?? {}).length > 0) {
    return { ...base, ok: false, durationMs: 0, tail: [], steps: [], needsBuildkit: true, buildkitFeatures: [] };
  }
  const work = await ownedTempDir(IID_PREFIX);
  const iidfile = join(work, 'iid');
  const parser = new BuildOutputParser();
  const stderrLines: string[] = [];
  try {
    const result = await dockerExec(buildArgsFor(options, iidfile), {
      timeoutMs: options.timeoutMs ?? BUILD_TIMEOUT_MS,
      signal: options.signal,
      env: builderEnv(caps),
      onLine: (line, stream) => {
        if (stream === 'stderr' && line.trim()) {
          stderrLines.push(line);
          if (stderrLines.length > 50) stderrLines.shift();
        }
        const step = parser.push(line);
        if (step) options.onProgress?.({ type: 'build-step', step: step.name, elapsedMs: Date.now() - started });
        if (line.trim()) options.onProgress?.({ type: 'build-output', line });
      },
    });
    if (result.aborted) throw new DockerAbortedError();
    // A build past its time budget is a slow build (a big compile on a small machine), not a
    // Docker that does not answer: it is a failed build that says where it was and for how long.
    if (result.timedOut) {
      const parsed = parser.result();
      const step = parsed.steps.filter((s) => s.instruction).pop()?.name;
      return {
        ...base,
        ok: false,
        timedOut: true,
        durationMs: Date.now() - started,
        ...(step ? { failedStep: step } : {}),
        tail: [],
        steps: [],
      };
    }
    const envError = environmentError(result);
    if (envError) throw envError;
    const ok = result.exitCode === 0;
    if (!ok && !buildkit) {
      const meaningful = stderrLines.filter((line) => !isClassicNoise(line));
      parser.markClassicFailure(meaningful[meaningful.length - 1] ?? 'build failed');
    }
    const parsed = parser.result();
    const imageId = ok ? (await readFile(iidfile, 'utf8').catch(() => '')).trim() || parsed.imageId : undefined;
    const steps = parsed.steps
      .filter((step) => step.instruction)
      .map((step) => ({ name: step.name, cached: step.cached, durationMs: step.durationMs, ...goDownloads(step.lines) }));
    const tail = ok ? [] : failureTail(parsed);
    return {
      ...base,
      ok,
      imageId,
      durationMs: Date.now() - started,
      failedStep: ok ? undefined : parsed.failedStep?.name,
      tail: tail.length ? tail : ok ? [] : (result.stderr || result.stdout).trim().split('\n').slice(-15),
      steps,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

/** How many modules a step's go command fetched ("go: downloading <module> <version>"), when it fetched any. */
const goDownloads = (lines: readonly string[]): { goDownloads?: number } => {
  const count = lines.filter((line) => /^\s*go: downloading \S/.test(line)).length;
  return count > 0 ? { goDownloads: count } : {};
};
