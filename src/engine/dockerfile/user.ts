import type { Expanded } from './expand.js';
import { knownDefaultUser } from './image-ref.js';
import type { Model } from './model.js';
import { rootImage, stageChain } from './stages.js';

export type RootVerdict = 'yes' | 'no' | 'unknown';

/** root, 0, 0:0, root:root, 0:root... are root; the group does not matter, the user part decides. */
export const isRootUser = (user: Expanded): RootVerdict => {
  if (!user.known) return 'unknown';
  const name = (user.text.split(':')[0] ?? '').trim();
  if (name === '') return 'unknown';
  return name === 'root' || /^0+$/.test(name) ? 'yes' : 'no';
};

export interface UserFacts {
  /** Effective USER after expansion (as written when it cannot be expanded), null when no USER line. */
  readonly user: string | null;
  readonly isRoot: RootVerdict;
  /** Line of the USER in effect, null when none. */
  readonly line: number | null;
  /** Where the verdict comes from. */
  readonly source: 'user-line' | 'base-image' | 'unknown-base';
  /** The final stage itself has a USER line. */
  readonly inFinalStage: boolean;
}

/**
 * The user the final image runs as: the last USER of the final stage or of the stages it is built
 * FROM; otherwise the default of the base image when it is well known (scratch: root).
 */
export const userFacts = (model: Model, stageIndex: number): UserFacts => {
  const chain = stageChain(model, stageIndex);
  for (let s = chain.length - 1; s >= 0; s--) {
    const stage = chain[s];
    const users = stage?.instructions.filter((i) => i.keyword === 'USER') ?? [];
    const last = users[users.length - 1];
    const value = last?.expanded?.[0];
    if (last && value) {
      return { user: value.text, isRoot: isRootUser(value), line: last.line, source: 'user-line', inFinalStage: s === chain.length - 1 };
    }
  }
  const base = rootImage(model, stageIndex);
  const known = base.known ? knownDefaultUser(base.text) : null;
  if (!known) return { user: null, isRoot: 'unknown', line: null, source: 'unknown-base', inFinalStage: false };
  return { user: null, isRoot: known.root ? 'yes' : 'no', line: null, source: 'base-image', inFinalStage: false };
};
