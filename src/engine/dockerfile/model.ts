import { expandWord, type Expanded, type VarValue } from './expand.js';
import { isScratch } from './image-ref.js';
import { jsonForm, parseInstruction, type JsonForm, type ParsedInstruction } from './instruction.js';
import type { ScanError, ScanResult } from './scan.js';
import { GlobalScope, StageScope } from './scope.js';
import { validateInstruction } from './validate.js';
import { parseProperties, splitWords } from './words.js';
import { stageError } from './stage-errors.js';

export interface PropertyValue {
  readonly name: string;
  /** null when declared without a value (`ARG NAME`). */
  readonly value: Expanded | null;
}

/** An instruction with what BuildKit would expand, expanded in the scope it runs in. */
export interface EvalInstruction extends ParsedInstruction {
  /** Stage index; -1 before the first FROM. */
  readonly stage: number;
  readonly properties?: readonly PropertyValue[];
  readonly expanded?: readonly Expanded[];
  readonly form?: JsonForm;
  /** COPY --from / RUN --mount=from value, expanded. */
  readonly from?: Expanded;
  /** CGO_ENABLED as the Dockerfile declares it where a RUN runs (undefined when never declared). */
  readonly cgo?: VarValue;
}

export interface StageModel {
  readonly index: number;
  readonly name: string | null;
  /** The AS name as written (case kept). */
  readonly nameRaw: string | null;
  readonly imageRaw: string;
  readonly image: Expanded;
  readonly line: number;
  readonly fromStage: number | null;
  readonly instructions: EvalInstruction[];
  readonly scope: StageScope;
}

export interface Model {
  readonly escape: string;
  readonly all: readonly EvalInstruction[];
  readonly stages: readonly StageModel[];
  readonly global: GlobalScope;
  readonly error?: ScanError;
}

const EXPANDED_KEYWORDS = new Set(['USER', 'WORKDIR', 'EXPOSE', 'STOPSIGNAL', 'VOLUME']);
const FORM_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'RUN']);

/** Expands name=value pairs; `declare` (when given) runs after each pair, so later pairs see earlier ones. */
const propertiesOf = (
  instr: ParsedInstruction,
  escape: string,
  lookup: StageScope['lookup'],
  declare?: (prop: PropertyValue) => void,
): PropertyValue[] => {
  const parsed = parseProperties(instr.args, escape, instr.keyword as 'ENV' | 'LABEL' | 'ARG');
  if ('problem' in parsed) return [];
  return parsed.props.map((raw) => {
    const prop = {
      name: expandWord(raw.name, lookup, escape).text,
      value: raw.value === null ? null : expandWord(raw.value, lookup, escape),
    };
    declare?.(prop);
    return prop;
  });
};

const asVar = (value: Expanded | null): VarValue | null =>
  value === null ? null : value.known ? { kind: 'set', value: value.text } : { kind: 'unknown' };

/** Evaluates instructions in order: validation, stages, variable scopes, expansion. */
export const buildModel = (scan: ScanResult): Model => {
  const escape = scan.escape;
  const global = new GlobalScope();
  const all: EvalInstruction[] = [];
  const stages: StageModel[] = [];
  const fail = (error: ScanError): Model => ({ escape, all, stages, global, error });
  if (scan.error) return fail(scan.error);
  for (const logical of scan.instructions) {
    const instr = parseInstruction(logical, escape);
    const invalid = validateInstruction(instr, escape);
    if (invalid) return fail(invalid);
    const current = stages[stages.length - 1];
    if (instr.keyword === 'FROM') {
      const words = splitWords(instr.args, escape);
      const imageRaw = words[0] ?? '';
      const nameRaw = words.length === 3 ? (words[2] ?? null) : null;
      const image = expandWord(imageRaw, global.lookup, escape);
      const lower = image.text.toLowerCase();
      const parent = image.known ? stages.find((s) => s.name !== null && s.name === lower) : undefined;
      const problem = stageError(instr.line, image, nameRaw, stages);
      if (problem) return fail(problem);
      const base = parent ? { kind: 'stage' as const, scope: parent.scope } : { kind: isScratch(image.text) ? ('scratch' as const) : ('external' as const) };
      const stage: StageModel = {
        index: stages.length,
        name: nameRaw === null ? null : nameRaw.toLowerCase(),
        nameRaw,
        imageRaw,
        image,
        line: instr.line,
        fromStage: parent ? parent.index : null,
        instructions: [],
        scope: new StageScope(base, global),
      };
      stages.push(stage);
      all.push({ ...instr, stage: stage.index, expanded: [image] });
      continue;
    }
    if (!current) {
      if (instr.keyword !== 'ARG') {
        return fail({
          line: instr.line,
          message: {
            en: `Line ${instr.line}: ${instr.keyword} comes before the first FROM; only ARG may appear there. Start the build with FROM <image>.`,
            'zh-CN': `第 ${instr.line} 行：${instr.keyword} 出现在第一个 FROM 之前，那里只允许 ARG。请以 FROM <镜像> 开始构建。`,
          },
        });
      }
      // Global ARGs are resolved one by one (BuildKit's meta args), so `ARG A=1 B=${A}2` gives B=12.
      const properties = propertiesOf(instr, escape, global.lookup, (prop) =>
        global.args.set(prop.name, asVar(prop.value) ?? { kind: 'unknown' }),
      );
      all.push({ ...instr, stage: -1, properties });
      continue;
    }
    const evaluated = evaluate(instr, current, escape);
    current.instructions.push(evaluated);
    all.push(evaluated);
  }
  if (stages.length === 0) {
    return fail({
      line: null,
      message: scan.instructions.length === 0
        ? { en: 'The Dockerfile is empty: it has no instructions. Start with FROM <image>.', 'zh-CN': 'Dockerfile 是空的：没有任何指令。请以 FROM <镜像> 开始。' }
        : { en: 'The Dockerfile has no FROM instruction, so there is nothing to build. Add FROM <image>.', 'zh-CN': 'Dockerfile 没有 FROM 指令，无法构建。请添加 FROM <镜像>。' },
    });
  }
  return { escape, all, stages, global };
};

const evaluate = (instr: ParsedInstruction, stage: StageModel, escape: string): EvalInstruction => {
  const scope = stage.scope;
  const base = { ...instr, stage: stage.index };
  const fromFlag = instr.flags.find((f) => f.name === 'from')?.value;
  const from = fromFlag != null ? expandWord(fromFlag, scope.lookup, escape) : undefined;
  switch (instr.keyword) {
    case 'ARG': {
      const properties = propertiesOf(instr, escape, scope.lookup);
      for (const prop of properties) scope.declareArg(prop.name, asVar(prop.value));
      return { ...base, properties };
    }
    case 'ENV': {
      // All values of one ENV line see the environment from before the line (Docker's rule).
      const properties = propertiesOf(instr, escape, scope.lookup);
      for (const prop of properties) scope.env.set(prop.name, asVar(prop.value) ?? { kind: 'unknown' });
      return { ...base, properties };
    }
    case 'LABEL':
      return { ...base, properties: propertiesOf(instr, escape, scope.lookup) };
    case 'COPY':
    case 'ADD':
      return { ...base, ...(from ? { from } : {}) };
    case 'HEALTHCHECK': {
      const command = instr.args.trim().replace(/^CMD\b/i, '');
      return { ...base, form: jsonForm(command) };
    }
    default:
      break;
  }
  if (EXPANDED_KEYWORDS.has(instr.keyword)) {
    const words = instr.keyword === 'USER' || instr.keyword === 'WORKDIR' ? [instr.args.trim()] : splitWords(instr.args, escape);
    return { ...base, expanded: words.map((w) => expandWord(w, scope.lookup, escape)) };
  }
  if (FORM_KEYWORDS.has(instr.keyword)) {
    const form = jsonForm(instr.args);
    if (instr.keyword !== 'RUN') return { ...base, form };
    const mountFrom = instr.flags
      .filter((f) => f.name === 'mount')
      .map((f) => /(?:^|,)from=([^,]+)/.exec(f.value ?? '')?.[1])
      .find((v): v is string => v !== undefined);
    const cgo = scope.declared('CGO_ENABLED');
    return {
      ...base,
      form,
      ...(mountFrom ? { from: expandWord(mountFrom, scope.lookup, escape) } : {}),
      ...(cgo ? { cgo } : {}),
    };
  }
  return base;
};
