import type { Localized } from '../i18n.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import type { ProgressEvent } from '../docker/progress.js';
import type { DockerSession } from '../docker/session.js';

export type CheckKind = 'static' | 'docker';
/**
 * pass/fail: a verdict. skip: could not run (Docker missing, an earlier step failed): not the learner's fault.
 * unknown: a static check that cannot know and leaves the verdict to the Docker checks.
 * error: the check itself broke (a bug or an environment problem), never counted as the learner failing.
 */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'unknown' | 'error';

/** Values a check measured (bytes, seconds, uid...), for progress, the scorecard and charts. */
export type Measured = Readonly<Record<string, number | string | boolean | null>>;

/**
 * Why a check was skipped. Several checks often share one reason (Docker is missing, the image did
 * not build): verify reports that problem once (`BlockingProblem`) and each renderer decides how
 * to point back at it.
 */
export const SKIP_REASONS = [
  'docker-unavailable',
  'needs-buildkit',
  'needs-compose',
  'needs-swarm',
  'not-built',
  'static-only',
  'cancelled',
  'no-dockerfile',
  'dockerfile-invalid',
  'not-applicable',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A problem that keeps several checks from running, with the full explanation, reported once. */
export interface BlockingProblem {
  readonly reason: SkipReason;
  readonly message: Localized;
  readonly line?: number;
}

/** What a check returns. `message` says what was measured and, on failure, what to change. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  readonly message: Localized;
  /** Dockerfile line (1-based) the message points at, when there is one. */
  readonly line?: number;
  readonly measured?: Measured;
  /** Set on skips: why (see SkipReason). */
  readonly reason?: SkipReason;
}

/** Files of the workspace a check may read, already loaded. */
export interface WorkspaceFiles {
  /** Absolute path of the workspace (the Docker build context). */
  readonly dir: string;
  /** Reads a workspace-relative file; undefined when it does not exist. */
  read(relPath: string): Promise<string | undefined>;
  /** Lists workspace-relative paths under a folder (recursive), [] when absent. */
  list(relDir: string): Promise<string[]>;
}

/** What a verdict may depend on besides the measurement: pure data, no Docker. */
export interface JudgeContext {
  /** Analysis of the lesson's Dockerfile (undefined when the file is missing). */
  readonly dockerfile?: DockerfileAnalysis;
  /** Path of the Dockerfile relative to the workspace (default "Dockerfile"). */
  readonly dockerfilePath: string;
  /** Measured values from earlier verifies (e.g. the first image's size), read-only. */
  readonly history: Readonly<Record<string, Measured>>;
}

export interface StaticContext extends JudgeContext {
  readonly files: WorkspaceFiles;
  /** The app's container port when it is given (audit --port); else EXPOSE, else 8080 (appPort). */
  readonly port?: number;
}

/** What a Docker check's `measure` may use: the workspace, the analysis and the Docker session. */
export interface DockerContext extends StaticContext {
  readonly docker: DockerSession;
  /** Aborted on Ctrl-C; long waits must honour it. */
  readonly signal: AbortSignal;
  /** Live progress for long work (build steps, waiting for health). */
  readonly progress: (event: ProgressEvent) => void;
  /** The learner agreed that swarm mode may be turned on for the check and off again after (`verify --swarm`). */
  readonly swarmInit?: boolean;
}

export type { ProgressEvent };

/** A Docker capability a check needs; a missing one is a skip with its reason, never a fail. */
export type Need = 'buildkit' | 'compose';

/**
 * A check with its lesson's params already validated (at course load): what verify runs.
 * Static checks judge the workspace files and the analysis; Docker checks measure through the
 * session (Docker calls only), then judge the measurement (a pure function).
 */
export type BoundCheck =
  | {
      readonly kind: 'static';
      /** Docker features its verdict depends on (usually none: then it never touches Docker). */
      readonly needs: readonly Need[];
      run(ctx: StaticContext): Promise<CheckOutcome> | CheckOutcome;
    }
  | {
      readonly kind: 'docker';
      readonly needs: readonly Need[];
      /** Its measure starts by building the lesson image with no build args (see define.ts). */
      readonly buildsLessonImage: boolean;
      measure(ctx: DockerContext): Promise<unknown>;
      judge(measurement: unknown, ctx: JudgeContext): CheckOutcome;
    };

/** A check in the registry: a stable id lessons refer to, a title, and how to bind params. */
export interface CheckDefinition {
  /** Stable id, e.g. "dockerfile.exec-form"; lessons refer to it. */
  readonly id: string;
  readonly kind: CheckKind;
  readonly title: Localized;
  /** Validates a lesson's params (throws a ZodError naming the field) and binds them. */
  bind(params: unknown): BoundCheck;
}

/** One check as reported by verify (the JSON shape of `verify --json`). */
export interface CheckReport {
  readonly id: string;
  readonly title: Localized;
  readonly kind: CheckKind;
  readonly status: CheckStatus;
  readonly message: Localized;
  readonly line?: number;
  readonly measured?: Measured;
  readonly reason?: SkipReason;
  /** The earlier lesson that teaches this check (filled by the tutorial from the course; the capstone's scorecard). */
  readonly lesson?: number;
}
