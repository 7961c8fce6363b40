import type { JsonForm } from './instruction.js';
import type { EvalInstruction, Model } from './model.js';
import { chainInstructions } from './stages.js';

/** The CMD/ENTRYPOINT/HEALTHCHECK that end up in the final image config (through the stage chain). */
export interface RuntimeConfig {
  readonly entrypoint: EvalInstruction | null;
  readonly cmd: EvalInstruction | null;
  readonly healthcheck: EvalInstruction | null;
}

export const runtimeConfig = (model: Model, stageIndex: number): RuntimeConfig => {
  let entrypoint: EvalInstruction | null = null;
  let cmd: EvalInstruction | null = null;
  let healthcheck: EvalInstruction | null = null;
  for (const instr of chainInstructions(model, stageIndex)) {
    if (instr.keyword === 'ENTRYPOINT') {
      entrypoint = instr;
      // Setting ENTRYPOINT resets a CMD inherited from the base (Docker's rule).
      cmd = null;
    } else if (instr.keyword === 'CMD') cmd = instr;
    else if (instr.keyword === 'HEALTHCHECK') healthcheck = instr;
  }
  return { entrypoint, cmd, healthcheck };
};

const isExec = (form: JsonForm | undefined): boolean => form?.kind === 'exec';

/** true when the command that runs is exec form; null when neither CMD nor ENTRYPOINT is set. */
export const execFormOf = (config: RuntimeConfig): boolean | null => {
  const present = [config.entrypoint, config.cmd].filter((i): i is EvalInstruction => i !== null);
  if (present.length === 0) return null;
  return present.every((i) => isExec(i.form));
};

export const isHealthcheckNone = (instr: EvalInstruction): boolean => /^NONE\b/i.test(instr.args.trim());

/** Ports EXPOSEd by the final image: numbers, plus whether some EXPOSE could not be expanded. */
export const exposedPorts = (model: Model, stageIndex: number): { ports: number[]; unknown: boolean; lines: number[] } => {
  const ports: number[] = [];
  let unknown = false;
  const lines: number[] = [];
  for (const instr of chainInstructions(model, stageIndex)) {
    if (instr.keyword !== 'EXPOSE') continue;
    lines.push(instr.line);
    for (const word of instr.expanded ?? []) {
      if (!word.known) {
        unknown = true;
        continue;
      }
      // "8080/tcp" -> 8080; a range "9000-9010" records its first port.
      const match = /^(\d+)(?:-\d+)?(?:\/\w+)?$/.exec(word.text.trim());
      const port = match ? Number(match[1]) : NaN;
      if (Number.isInteger(port) && !ports.includes(port)) ports.push(port);
    }
  }
  return { ports, unknown, lines };
};

/** LABELs of the final image (later ones win); keys whose value could not be expanded are listed apart. */
export const finalLabels = (model: Model, stageIndex: number): { labels: Record<string, string>; unknownKeys: string[] } => {
  const labels: Record<string, string> = {};
  const unknownKeys: string[] = [];
  for (const instr of chainInstructions(model, stageIndex)) {
    if (instr.keyword !== 'LABEL') continue;
    for (const prop of instr.properties ?? []) {
      labels[prop.name] = prop.value?.text ?? '';
      if (prop.value && !prop.value.known) unknownKeys.push(prop.name);
    }
  }
  return { labels, unknownKeys };
};
