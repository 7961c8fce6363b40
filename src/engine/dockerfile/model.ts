import { L } from '../i18n.js';
import { asVar, evaluate, propertiesOf } from './evaluate.js';
import { expandWord, type Expanded, type VarValue } from './expand.js';
import { isScratch } from './image-ref.js';
import { parseInstruction, type JsonForm, type ParsedInstruction } from './instruction.js';
import type { ScanError, ScanResult } from './scan.js';
import { GlobalScope, StageScope } from './scope.js';
import { stageError } from './stage-errors.js';
import { validateInstruction } from './validate.js';
import { splitWords } from './words.js';

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

/** Evaluates instructions in order: validation, stages, variable scopes, expansion. */
export const buildModel = (scan: ScanResult): Model => {
  const escape = scan.escape;
  const global = new GlobalScope();
  const all: EvalInstruction[] = [];
  const stages: StageModel[] = [];
  const fail = (error: ScanError): Model => ({ escape, all, stages, global, error });
  if (scan.error) return fail(scan.error);
  let previous: ParsedInstruction | undefined;
  for (const logical of scan.instructions) {
    const instr = parseInstruction(logical, escape);
    const invalid = validateInstruction(instr, escape, previous);
    if (invalid) return fail(invalid);
    previous = instr;
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
          message: L(
            `Line ${instr.line}: ${instr.keyword} comes before the first FROM; only ARG may appear there. Start the build with FROM <image>.`,
            `第 ${instr.line} 行：${instr.keyword} 出现在第一个 FROM 之前，那里只允许 ARG。请以 FROM <镜像> 开始构建。`,
          ),
        });
      }
      // Global ARGs are resolved one by one (BuildKit's meta args), so `ARG A=1 B=${A}2` gives B=12.
      const properties = propertiesOf(instr, escape, global.lookup, (prop) => global.args.set(prop.name, asVar(prop.value) ?? { kind: 'unknown' }));
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
      message:
        scan.instructions.length === 0
          ? scan.hasText
            ? L(
                'The Dockerfile has only comments: no instruction to build. Start with FROM <image> on a line without #.',
                'Dockerfile 只有注释：没有可以构建的指令。请在一行不带 # 的行上以 FROM <镜像> 开始。',
              )
            : L('The Dockerfile is empty: it has no instructions. Start with FROM <image>.', 'Dockerfile 是空的：没有任何指令。请以 FROM <镜像> 开始。')
          : L(
              'The Dockerfile has no FROM instruction, so there is nothing to build. Add FROM <image>.',
              'Dockerfile 没有 FROM 指令，无法构建。请添加 FROM <镜像>。',
            ),
    });
  }
  return { escape, all, stages, global };
};
