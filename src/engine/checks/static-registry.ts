import { staticChecks } from './static/index.js';
import type { CheckDefinition } from './types.js';

let registry: ReadonlyMap<string, CheckDefinition> | undefined;

/**
 * The static checks by id, without the Docker checks: what a static-only verify needs. The Docker
 * checks are a third of the check code and never run there (measured: 10 ms of its ~70 ms start).
 */
export const staticCheckRegistry = (): ReadonlyMap<string, CheckDefinition> => (registry ??= new Map(staticChecks.map((def) => [def.id, def] as const)));
