import { L } from '../i18n.js';
import { envEntries, computeFacts, instructionInfos } from './facts.js';
import { baseFindings } from './findings/base.js';
import { buildFindings } from './findings/build.js';
import { contextFindings } from './findings/context.js';
import { copyFindings } from './findings/copy.js';
import type { FindingContext } from './findings/finding-context.js';
import { runtimeFindings } from './findings/runtime.js';
import { secretFindings } from './findings/secrets.js';
import { userFindings } from './findings/user.js';
import { isPinned } from './image-ref.js';
import { MAX_DOCKERFILE_CHARS, tooLarge } from './limits.js';
import { buildModel } from './model.js';
import { scanDockerfile } from './scan.js';
import type { AnalyzeOptions, DockerfileAnalysis, DockerfileFacts, Finding } from './types.js';

const EMPTY_FACTS: DockerfileFacts = {
  stages: 0,
  finalBase: '',
  finalBasePinned: false,
  finalUser: null,
  finalUserIsRoot: 'unknown',
  execForm: null,
  healthcheck: false,
  depsBeforeSource: null,
  cgoDisabled: null,
  cacheMounts: false,
  copyFrom: [],
};

const failed = (line: number | null, message: ReturnType<typeof L>, escape = '\\'): DockerfileAnalysis => ({
  ok: false,
  parseError: { line, message },
  facts: EMPTY_FACTS,
  findings: [],
  stages: [],
  finalStage: -1,
  instructions: [],
  env: [],
  exposedPorts: [],
  labels: {},
  details: {
    escape,
    userLine: null,
    execFormLine: null,
    healthcheck: null,
    depsLine: null,
    depsReason: null,
    cgoLine: null,
    finalBaseHasNoShell: false,
    finalBaseHasNoLibc: false,
    exposeUnknown: false,
    labelsUnknown: [],
    neededStages: [],
    goTestStages: [],
    goBuildStages: [],
  },
});

const FINDINGS = [baseFindings, userFindings, runtimeFindings, copyFindings, buildFindings, secretFindings, contextFindings];

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Analyses a Dockerfile: facts about the final stage of the default target and findings that point
 * at lines. Pure and synchronous; never throws (a file that does not parse gives `ok: false` with
 * the reason and line, and safe default facts).
 */
export const analyzeDockerfile = (text: string, options: AnalyzeOptions = {}): DockerfileAnalysis => {
  if (text.length > MAX_DOCKERFILE_CHARS) return failed(null, tooLarge(text.length));
  try {
    const model = buildModel(scanDockerfile(text));
    if (model.error) return failed(model.error.line, model.error.message, model.escape);
    const computed = computeFacts(model);
    const final = model.stages.length - 1;
    const context: FindingContext = { model, facts: computed.facts, options, final };
    const findings: Finding[] = FINDINGS.flatMap((collect) => collect(context)).sort(
      (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
    return {
      ok: true,
      facts: computed.facts,
      findings,
      stages: model.stages.map((s) => ({
        index: s.index,
        name: s.name,
        imageRaw: s.imageRaw,
        image: s.image.text,
        line: s.line,
        fromStage: s.fromStage,
        imageKnown: s.image.known,
        pinned: s.fromStage !== null ? null : s.image.known ? isPinned(s.image.text) : 'arg',
      })),
      finalStage: final,
      instructions: instructionInfos(model),
      env: envEntries(model),
      exposedPorts: computed.exposedPorts,
      labels: computed.labels,
      details: computed.details,
    };
  } catch (error) {
    // A bug in the analyser must not crash verify; the learner is told it is not their fault.
    const reason = error instanceof Error ? error.message : String(error);
    return failed(
      null,
      L(
        `The Dockerfile could not be analysed (a bug in learn-go-docker, not in your file): ${reason}`,
        `无法分析 Dockerfile（这是 learn-go-docker 的缺陷，不是你的文件的问题）：${reason}`,
      ),
    );
  }
};
