import { checkRegistry } from '../../src/engine/checks/registry.js';
import { loadCourse, type Course } from '../../src/engine/lessons/load.js';
import { packageRoot } from '../../src/engine/util/package-root.js';

/** The shipped course, loaded as the CLI does. */
export const registryForCourse = (): Promise<Course> => loadCourse(packageRoot(), checkRegistry());
