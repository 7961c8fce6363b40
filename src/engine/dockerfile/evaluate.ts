import { expandWord, type VarValue, type Expanded } from './expand.js';
import { jsonForm, type ParsedInstruction } from './instruction.js';
import type { EvalInstruction, PropertyValue, StageModel } from './model.js';
import type { GlobalScope, StageScope } from './scope.js';
import { parseProperties, splitWords } from './words.js';

const EXPANDED_KEYWORDS = new Set(['USER', 'WORKDIR', 'EXPOSE', 'STOPSIGNAL', 'VOLUME']);
const FORM_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'RUN']);

/** Expands name=value pairs; `declare` (when given) runs after each pair, so later pairs see earlier ones. */
export const propertiesOf = (
  instr: ParsedInstruction,
  escape: string,
  lookup: StageScope['lookup'] | GlobalScope['lookup'],
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

export const asVar = (value: Expanded | null): VarValue | null =>
  value === null ? null : value.known ? { kind: 'set', value: value.text } : { kind: 'unknown' };

/** Expands what BuildKit expands for one instruction of a stage and records ENV/ARG in its scope. */
export const evaluate = (instr: ParsedInstruction, stage: StageModel, escape: string): EvalInstruction => {
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
