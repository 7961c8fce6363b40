import type { AnySchema, Infer } from '../util/schema.js';
import type { Localized } from '../i18n.js';
import type { BoundCheck, CheckDefinition, CheckOutcome, DockerContext, JudgeContext, Need, StaticContext } from './types.js';

interface Common<S extends AnySchema> {
  /** Stable id, e.g. "image.user"; lessons refer to it. */
  readonly id: string;
  readonly title: Localized;
  /** The lesson's params (util/schema.ts): validated once, when the course loads. */
  readonly params: S;
  /**
   * Docker features it needs (a missing one is a skip with its reason); may depend on the params.
   * A static check needs one when its advice only holds there (a cache mount needs BuildKit).
   */
  readonly needs?: readonly Need[] | ((params: Infer<S>) => readonly Need[]);
}

/** A static check: judges the workspace files and the Dockerfile analysis. */
export interface StaticCheckSpec<S extends AnySchema> extends Common<S> {
  readonly kind: 'static';
  run(ctx: StaticContext, params: Infer<S>): Promise<CheckOutcome> | CheckOutcome;
}

/**
 * A Docker check in two halves: `measure` makes the Docker calls and returns plain data (JSON, so a
 * measurement can be recorded and replayed in unit tests); `judge` turns it into the verdict and
 * the words, and is a pure function of the measurement, the params and the Dockerfile analysis.
 */
export interface DockerCheckSpec<S extends AnySchema, M> extends Common<S> {
  readonly kind: 'docker';
  /**
   * Whether its measure builds the lesson image (no build args) first, as most Docker checks do
   * (default true). A verify starts that build while the static checks run; a check that builds
   * otherwise (compose, build args, secrets) says false, or decides from its params, so no build
   * it would not make is started.
   */
  readonly buildsLessonImage?: boolean | ((params: Infer<S>) => boolean);
  measure(ctx: DockerContext, params: Infer<S>): Promise<M>;
  judge(measurement: M, params: Infer<S>, ctx: JudgeContext): CheckOutcome;
}

/** A Docker check's halves with their types, for tests that record and replay measurements. */
export interface DockerCheck<S extends AnySchema, M> extends CheckDefinition {
  readonly spec: DockerCheckSpec<S, M>;
}

/** The one way to define a check (see docs/CONTRIBUTING.md, "add a check in 5 steps"). */
export function defineCheck<S extends AnySchema>(spec: StaticCheckSpec<S>): CheckDefinition;
export function defineCheck<S extends AnySchema, M>(spec: DockerCheckSpec<S, M>): DockerCheck<S, M>;
export function defineCheck<S extends AnySchema, M>(spec: StaticCheckSpec<S> | DockerCheckSpec<S, M>): CheckDefinition {
  /** A spec field given as a value or as a function of the params. */
  const ofParams = <T>(field: T | ((params: Infer<S>) => T) | undefined, params: Infer<S>, fallback: T): T =>
    field === undefined ? fallback : typeof field === 'function' ? (field as (params: Infer<S>) => T)(params) : field;
  const bind = (raw: unknown): BoundCheck => {
    const params = spec.params.parse(raw) as Infer<S>;
    const needs = ofParams(spec.needs, params, []);
    if (spec.kind === 'static') return { kind: 'static', needs, run: (ctx) => spec.run(ctx, params) };
    return {
      kind: 'docker',
      needs,
      buildsLessonImage: ofParams(spec.buildsLessonImage, params, true),
      measure: (ctx) => spec.measure(ctx, params),
      // The measurement comes from this very check's measure (or a recording of it).
      judge: (measurement, ctx) => spec.judge(measurement as M, params, ctx),
    };
  };
  const definition: CheckDefinition = { id: spec.id, kind: spec.kind, title: spec.title, bind };
  if (spec.kind === 'static') return definition;
  const docker: DockerCheck<S, M> = { ...definition, spec };
  return docker;
}
