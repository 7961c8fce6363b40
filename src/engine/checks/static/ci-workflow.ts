import { asArray, asString, isMap, locateYaml, type YamlMap } from './yaml-file.js';

/**
 * A GitHub Actions workflow as ci.workflow reads it: jobs with their `needs`, `if` and steps, each
 * with the line it starts on, so every finding can name its line. Pure.
 */
export interface WorkflowStep {
  readonly job: string;
  readonly index: number;
  readonly uses: string;
  readonly run: string;
  readonly with: YamlMap;
  readonly if: string;
  readonly continueOnError: boolean;
  /** The whole step as JSON, for searching expressions in it. */
  readonly text: string;
  readonly line: number | undefined;
  /** Line of `text` matched by a pattern inside the step's `run:` (a block scalar spans lines). */
  readonly runLineOf: (pattern: RegExp) => number | undefined;
}

export interface WorkflowJob {
  readonly name: string;
  readonly needs: readonly string[];
  readonly if: string;
  readonly continueOnError: boolean;
  readonly steps: readonly WorkflowStep[];
  readonly line: number | undefined;
}

export interface Workflow {
  readonly on: unknown;
  readonly jobs: readonly WorkflowJob[];
  /** Line of a path in the file (`['on', 'push', 'tags']`), when it is there. */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** `continue-on-error: true` (a literal: an expression is left alone). */
const truthy = (value: unknown): boolean => value === true || asString(value).trim().toLowerCase() === 'true';

/** Reads a parsed workflow (`value`) with the lines of its source `text`. */
export const readWorkflow = async (text: string, value: YamlMap): Promise<Workflow> => {
  const { lineOf, rangeOf, lineAt: lineAtOffset } = await locateYaml(text);
  const jobsMap = isMap(value.jobs) ? value.jobs : {};
  const jobs = Object.entries(jobsMap).map(([name, raw]): WorkflowJob => {
    const job = isMap(raw) ? raw : {};
    const needs = Array.isArray(job.needs) ? job.needs.map(asString) : job.needs === undefined ? [] : [asString(job.needs)];
    const steps = asArray(job.steps).map((rawStep, index): WorkflowStep => {
      const step = isMap(rawStep) ? rawStep : {};
      const range = rangeOf(['jobs', name, 'steps', index, 'run']);
      const runLineOf = (pattern: RegExp): number | undefined => {
        if (!range) return undefined;
        const source = text.slice(range[0], range[1]);
        const match = pattern.exec(source);
        return match ? lineAtOffset(range[0] + match.index) : lineAtOffset(range[0]);
      };
      return {
        job: name,
        index,
        uses: asString(step.uses),
        run: asString(step.run),
        with: isMap(step.with) ? step.with : {},
        if: asString(step.if),
        continueOnError: truthy(step['continue-on-error']),
        text: JSON.stringify(step),
        line: lineOf(['jobs', name, 'steps', index]),
        runLineOf,
      };
    });
    return { name, needs, if: asString(job.if), continueOnError: truthy(job['continue-on-error']), steps, line: lineOf(['jobs', name]) };
  });
  return { on: value.on, jobs, lineOf };
};

/** The jobs a job waits for, directly or through others. */
export const upstreamOf = (workflow: Workflow, job: string): Set<string> => {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    for (const need of workflow.jobs.find((j) => j.name === name)?.needs ?? []) {
      if (seen.has(need)) continue;
      seen.add(need);
      visit(need);
    }
  };
  visit(job);
  return seen;
};

/** The events of `on:` with their filters: `push` -> {push: null}, `[push, pull_request]`, or the map. */
export const eventsOf = (on: unknown): Record<string, unknown> => {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [asString(e), null]));
  return isMap(on) ? on : {};
};
