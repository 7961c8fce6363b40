import type { Expanded } from './expand.js';
import { looksLikeImageReference } from './image-ref.js';
import type { EvalInstruction, Model, StageModel } from './model.js';

/** Stages from the root ancestor down to `index` (a stage built FROM an earlier stage inherits its config). */
export const stageChain = (model: Model, index: number): StageModel[] => {
  const chain: StageModel[] = [];
  let stage = model.stages[index];
  while (stage) {
    chain.unshift(stage);
    stage = stage.fromStage === null ? undefined : model.stages[stage.fromStage];
  }
  return chain;
};

/** Instructions that shaped a stage's image config, oldest first. */
export const chainInstructions = (model: Model, index: number): EvalInstruction[] => stageChain(model, index).flatMap((stage) => stage.instructions);

/** The external image (or scratch) at the root of a stage's chain. */
export const rootImage = (model: Model, index: number): Expanded => {
  const root = stageChain(model, index)[0];
  return root ? root.image : { text: '', known: false, unsetRefs: [] };
};

export type FromTarget =
  | { readonly kind: 'stage'; readonly index: number }
  | { readonly kind: 'later'; readonly index: number }
  | { readonly kind: 'self' }
  | { readonly kind: 'image' }
  | { readonly kind: 'unknown'; readonly reason: 'no-such-stage' | 'index-out-of-range' }
  | { readonly kind: 'arg' };

/** What a `--from` value of a stage refers to: a stage by name (any case) or index, or an external image. */
export const resolveFrom = (model: Model, stageIndex: number, value: Expanded): FromTarget => {
  if (!value.known) return { kind: 'arg' };
  const text = value.text.trim();
  const classify = (index: number): FromTarget =>
    index < stageIndex ? { kind: 'stage', index } : index === stageIndex ? { kind: 'self' } : { kind: 'later', index };
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    return index < model.stages.length ? classify(index) : { kind: 'unknown', reason: 'index-out-of-range' };
  }
  const lower = text.toLowerCase();
  const named = model.stages.find((stage) => stage.name === lower);
  if (named) return classify(named.index);
  return looksLikeImageReference(text) ? { kind: 'image' } : { kind: 'unknown', reason: 'no-such-stage' };
};

/** Stages BuildKit builds for a target: the target and everything it uses via FROM, COPY --from, RUN --mount=from. */
export const neededStages = (model: Model, target: number): Set<number> => {
  const needed = new Set<number>();
  const visit = (index: number): void => {
    if (needed.has(index)) return;
    needed.add(index);
    const stage = model.stages[index];
    if (!stage) return;
    if (stage.fromStage !== null) visit(stage.fromStage);
    for (const instr of stage.instructions) {
      if (!instr.from) continue;
      const ref = resolveFrom(model, index, instr.from);
      if (ref.kind === 'stage' || ref.kind === 'later') visit(ref.index);
    }
  };
  visit(target);
  return needed;
};
