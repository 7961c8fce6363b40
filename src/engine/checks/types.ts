import type { Localized } from '../i18n.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import type { DockerSession } from '../docker/session.js';

export type CheckKind = 'static' | 'docker';
/**
 * pass/fail: a verdict. skip: could not run (Docker missing, an earlier step failed): not the learner's fault.
 * unknown: a static check that cannot know and leaves the verdict to the Docker checks.
 * error: the check itself broke (a bug or an environment problem), never counted as the learner failing.
 */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'unknown' | 'error';

/** What a check returns. `message` says what was measured and, on failure, what to change. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  readonly message: Localized;
  /** Dockerfile line (1-based) the message points at, when there is one. */
  readonly line?: number;
  /** Measured values (bytes, seconds, uid...) for progress, the scorecard and charts. */
  readonly measured?: Readonly<Record<string, number | string | boolean | null>>;
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

export interface StaticContext {
  readonly files: WorkspaceFiles;
  /** Analysis of the lesson's Dockerfile (undefined when the file is missing). */
  readonly dockerfile?: DockerfileAnalysis;
  /** Path of the Dockerfile relative to the workspace (default "Dockerfile"). */
  readonly dockerfilePath: string;
}

export interface DockerContext extends StaticContext {
  readonly docker: DockerSession;
  /** Measured values from earlier verifies (e.g. the first image's size), read-only. */
  readonly history: Readonly<Record<string, Readonly<Record<string, number | string | boolean | null>>>>;
  /** Aborted on Ctrl-C; long waits must honour it. */
  readonly signal: AbortSignal;
  /** Live progress for long work (build steps, waiting for health). */
  readonly progress: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { readonly type: 'check-start'; readonly id: string }
  | { readonly type: 'build-step'; readonly step: string; readonly elapsedMs: number }
  | { readonly type: 'build-output'; readonly line: string }
  | { readonly type: 'note'; readonly message: Localized };

export type ParamsSchema = import('zod').ZodType<Record<string, unknown>>;

interface CheckDefinitionBase<P> {
  /** Stable id, e.g. "dockerfile.exec-form"; lessons refer to it. */
  readonly id: string;
  readonly title: Localized;
  /** Validates the lesson's params for this check (zod). */
  readonly params: import('zod').ZodType<P>;
}

export interface StaticCheckDefinition<P = Record<string, unknown>> extends CheckDefinitionBase<P> {
  readonly kind: 'static';
  run(ctx: StaticContext, params: P): Promise<CheckOutcome> | CheckOutcome;
}

export interface DockerCheckDefinition<P = Record<string, unknown>> extends CheckDefinitionBase<P> {
  readonly kind: 'docker';
  /** Capabilities it needs, so a missing one is reported plainly as skip. */
  readonly needs?: readonly ('buildkit' | 'compose')[];
  run(ctx: DockerContext, params: P): Promise<CheckOutcome>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- params are validated per check by its own zod schema
export type CheckDefinition = StaticCheckDefinition<any> | DockerCheckDefinition<any>;

/** One check as reported by verify (the JSON shape of `verify --json`). */
export interface CheckReport {
  readonly id: string;
  readonly title: Localized;
  readonly kind: CheckKind;
  readonly status: CheckStatus;
  readonly message: Localized;
  readonly line?: number;
  readonly measured?: CheckOutcome['measured'];
}
