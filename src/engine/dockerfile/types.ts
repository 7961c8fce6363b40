import type { Localized } from '../i18n.js';

export type Severity = 'error' | 'warning' | 'info';

/** A static finding: explains and points at a line; the built image decides verdicts. */
export interface Finding {
  /** Stable id, e.g. "base-not-pinned", "user-root", "shell-form-entrypoint". */
  readonly id: string;
  readonly severity: Severity;
  /** 1-based line, or null for whole-file findings. */
  readonly line: number | null;
  readonly message: Localized;
}

/** The facts of `lint --json`; they describe the final stage of the default target. */
export interface DockerfileFacts {
  readonly stages: number;
  /** Final stage's base image after ARG expansion ("scratch", "gcr.io/distroless/static-debian13:nonroot", ...). */
  readonly finalBase: string;
  /** true when pinned to a version (image-ref.ts pinProblem: a version tag, a digest); false when untagged, latest, a variant or a major-only tag; "arg" when the tag comes from an ARG without a default. scratch counts as pinned. */
  readonly finalBasePinned: boolean | 'arg';
  /** Effective USER of the final stage after expansion, null when no USER line. */
  readonly finalUser: string | null;
  /** "unknown" when no USER and the base image's user is not known, or the user cannot be expanded. */
  readonly finalUserIsRoot: 'yes' | 'no' | 'unknown';
  /** null when the final stage has neither CMD nor ENTRYPOINT. */
  readonly execForm: boolean | null;
  readonly healthcheck: boolean;
  /** null when nothing is built with Go. */
  readonly depsBeforeSource: boolean | null;
  /** null when the Dockerfile does not say. */
  readonly cgoDisabled: boolean | null;
  readonly cacheMounts: boolean;
  /** Values of every COPY --from in the file, in order, as written. */
  readonly copyFrom: readonly string[];
}

/** A stage of a multi-stage build, after ARG expansion. */
export interface StageInfo {
  readonly index: number;
  /** Lower-cased AS name, or null. */
  readonly name: string | null;
  /** Image as written. */
  readonly imageRaw: string;
  /** Image after expanding ARGs declared before the first FROM. */
  readonly image: string;
  /** 1-based line of FROM. */
  readonly line: number;
  /** Index of the stage this one builds FROM, when it is FROM an earlier stage. */
  readonly fromStage: number | null;
  /** false when the image depends on an ARG whose value only the build knows. */
  readonly imageKnown: boolean;
  /** For an external base: pinned to a version (a version tag or a digest, see image-ref.ts pinProblem); "arg" when unknown; null when FROM a stage. scratch is pinned. */
  readonly pinned: boolean | 'arg' | null;
}

/** Raw instruction view the checks can use without touching dockerfile-ast. */
export interface InstructionInfo {
  readonly keyword: string;
  /** Stage index the instruction belongs to (-1 for ARGs before the first FROM). */
  readonly stage: number;
  /** 1-based start line. */
  readonly line: number;
  /** Argument text after the keyword and flags, continuation lines joined, comment lines dropped; heredoc bodies are in `heredocs`. */
  readonly args: string;
  /** Flags (values unquoted) like --from=build, --mount=type=cache,target=..., name lower-cased. */
  readonly flags: readonly { readonly name: string; readonly value: string | null }[];
  /** 1-based last line (continuations and heredoc bodies included). */
  readonly endLine: number;
  /** Heredoc bodies of RUN/COPY/ADD (`RUN <<EOF ... EOF`), in order. */
  readonly heredocs: readonly { readonly name: string; readonly content: string }[];
}

export interface EnvEntry {
  readonly stage: number;
  readonly line: number;
  readonly kind: 'ENV' | 'ARG';
  readonly name: string;
  /** Value after expansion where possible; null when declared without a value. */
  readonly value: string | null;
  /** false when the value depends on something only the build knows (it then keeps `${X}` as written). */
  readonly known: boolean;
}

export interface DockerfileAnalysis {
  /** false when the file could not be parsed; `parseError` then says why and where. */
  readonly ok: boolean;
  readonly parseError?: { readonly line: number | null; readonly message: Localized };
  readonly facts: DockerfileFacts;
  readonly findings: readonly Finding[];
  readonly stages: readonly StageInfo[];
  /** Index of the final stage of the default target. */
  readonly finalStage: number;
  readonly instructions: readonly InstructionInfo[];
  readonly env: readonly EnvEntry[];
  /** Ports of EXPOSE in the final stage, e.g. [8080]. */
  readonly exposedPorts: readonly number[];
  /** LABEL keys/values in the final stage. */
  readonly labels: Readonly<Record<string, string>>;
  /** Details the static checks need beyond the `lint` facts. */
  readonly details: AnalysisDetails;
}

/** Derived details for the static checks (all about the final stage of the default target unless said). */
export interface AnalysisDetails {
  /** Escape character of the file (`\\` or a backtick from `# escape=`). */
  readonly escape: string;
  /** Line of the USER in effect for the final image, null when none. */
  readonly userLine: number | null;
  /** Line of the CMD/ENTRYPOINT that decides `execForm`, null when none. */
  readonly execFormLine: number | null;
  /** The final HEALTHCHECK: null when none; `none` for HEALTHCHECK NONE. */
  readonly healthcheck: { readonly line: number; readonly none: boolean; readonly execForm: boolean } | null;
  /** Line where the source is copied before the dependencies (when depsBeforeSource is false). */
  readonly depsLine: number | null;
  /** Why depsBeforeSource is false: the source comes first, there is no separate download step, or the download's module cache mount is not on go build. */
  readonly depsReason: 'source-first' | 'no-download' | 'mount-not-on-build' | null;
  /** Line of the go build that decides cgoDisabled. */
  readonly cgoLine: number | null;
  /** The final base has no /bin/sh (scratch, distroless without :debug). */
  readonly finalBaseHasNoShell: boolean;
  /** The final base has no C library (scratch, distroless/static). */
  readonly finalBaseHasNoLibc: boolean;
  /** Some EXPOSE of the final image could not be expanded. */
  readonly exposeUnknown: boolean;
  /** LABEL keys of the final image whose value could not be expanded. */
  readonly labelsUnknown: readonly string[];
  /** Stage indices BuildKit builds for the default target. */
  readonly neededStages: readonly number[];
  /** Stage indices that run `go test`. */
  readonly goTestStages: readonly number[];
  /** Stage indices that run `go build`/`go install`. */
  readonly goBuildStages: readonly number[];
}

export interface AnalyzeOptions {
  /** Contents of .dockerignore, or null when absent (undefined: not looked at). */
  readonly dockerignore?: string | null;
}
