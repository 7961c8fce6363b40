import { staticChecks } from './static/index.js';
import { dockerChecks } from './docker/index.js';
import type { CheckDefinition } from './types.js';

let registry: ReadonlyMap<string, CheckDefinition> | undefined;

/** Every check the course may name, by id. Built once; a duplicate id is a bug caught at start-up. */
export const checkRegistry = (): ReadonlyMap<string, CheckDefinition> => {
  if (registry) return registry;
  const map = new Map<string, CheckDefinition>();
  for (const def of [...staticChecks, ...dockerChecks] as CheckDefinition[]) {
    if (map.has(def.id)) throw new Error(`duplicate check id ${def.id}`);
    map.set(def.id, def);
  }
  registry = map;
  return map;
};
