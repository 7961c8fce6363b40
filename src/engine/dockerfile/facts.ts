import { cgoDisabled, depsBeforeSource, isGoBuild, isGoTest } from './go-build.js';
import { hasNoLibc, hasNoShell, isPinned } from './image-ref.js';
import type { Model } from './model.js';
import { execFormOf, exposedPorts, finalLabels, isHealthcheckNone, runtimeConfig } from './runtime.js';
import { neededStages, rootImage } from './stages.js';
import type { AnalysisDetails, DockerfileFacts, EnvEntry, InstructionInfo } from './types.js';
import { userFacts } from './user.js';

export interface ComputedFacts {
  readonly facts: DockerfileFacts;
  readonly details: AnalysisDetails;
  readonly exposedPorts: number[];
  readonly labels: Record<string, string>;
}

/** The `lint` facts and the details checks need, for the final stage (the default target). */
export const computeFacts = (model: Model): ComputedFacts => {
  const final = model.stages.length - 1;
  const base = rootImage(model, final);
  const user = userFacts(model, final);
  const config = runtimeConfig(model, final);
  const deps = depsBeforeSource(model);
  const cgo = cgoDisabled(model);
  const expose = exposedPorts(model, final);
  const { labels, unknownKeys } = finalLabels(model, final);
  const health = config.healthcheck;
  // The line to point at: the first of ENTRYPOINT/CMD that is not exec form, else the one that runs.
  const execInstr = [config.entrypoint, config.cmd].find((i) => i !== null && i.form?.kind !== 'exec') ?? config.entrypoint ?? config.cmd;
  const facts: DockerfileFacts = {
    stages: model.stages.length,
    finalBase: base.text,
    finalBasePinned: base.known ? isPinned(base.text) : 'arg',
    finalUser: user.user,
    finalUserIsRoot: user.isRoot,
    execForm: execFormOf(config),
    healthcheck: health !== null && !isHealthcheckNone(health),
    depsBeforeSource: deps.value,
    cgoDisabled: cgo.value,
    cacheMounts: model.all.some((i) => i.keyword === 'RUN' && i.flags.some((f) => f.name === 'mount' && /(^|,)type=cache(,|$)/.test(f.value ?? ''))),
    copyFrom: model.all.filter((i) => i.keyword === 'COPY').flatMap((i) => i.flags.filter((f) => f.name === 'from').map((f) => f.value ?? '')),
  };
  const stagesWith = (test: (i: Model['all'][number]) => boolean): number[] => model.stages.filter((s) => s.instructions.some(test)).map((s) => s.index);
  const details: AnalysisDetails = {
    escape: model.escape,
    userLine: user.line,
    execFormLine: execInstr?.line ?? null,
    healthcheck: health ? { line: health.line, none: isHealthcheckNone(health), execForm: health.form?.kind === 'exec' } : null,
    depsLine: deps.line,
    depsReason: deps.reason,
    cgoLine: cgo.line,
    finalBaseHasNoShell: base.known && hasNoShell(base.text),
    finalBaseHasNoLibc: base.known && hasNoLibc(base.text),
    exposeUnknown: expose.unknown,
    labelsUnknown: unknownKeys,
    neededStages: [...neededStages(model, final)].sort((a, b) => a - b),
    goTestStages: stagesWith(isGoTest),
    goBuildStages: stagesWith(isGoBuild),
  };
  return { facts, details, exposedPorts: expose.ports, labels };
};

export const instructionInfos = (model: Model): InstructionInfo[] =>
  model.all.map((i) => ({
    keyword: i.keyword,
    stage: i.stage,
    line: i.line,
    endLine: i.endLine,
    args: i.args,
    flags: i.flags,
    heredocs: i.heredocs.map((h) => ({ name: h.name, content: h.content })),
  }));

export const envEntries = (model: Model): EnvEntry[] =>
  model.all
    .filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')
    .flatMap((i) =>
      (i.properties ?? []).map((p) => ({
        stage: i.stage,
        line: i.line,
        kind: i.keyword as 'ENV' | 'ARG',
        name: p.name,
        value: p.value === null ? null : p.value.text,
        known: p.value === null || p.value.known,
      })),
    );
