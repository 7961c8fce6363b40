import { keepYoungGenerationSmall } from '../heap-limits.js';
import type * as Ui from '../ui/run.js';

/**
 * Given by the executable when it runs the bundled core (src/core-loader.ts): the core is
 * CommonJS and cannot import the UI, an ES module (ink's layout engine loads with a top-level
 * await). From source (tests, `tsx`) it is absent and the UI is imported directly.
 */
declare const __lgdImportUi: (() => Promise<typeof Ui>) | undefined;

/**
 * The interactive UI's module, loaded when the tutorial starts (a few hundred milliseconds). The UI
 * runs for as long as the learner works, so its young generation stays small from here on; the
 * short commands keep V8's defaults.
 */
export const loadUi = (): Promise<typeof Ui> => {
  keepYoungGenerationSmall();
  return typeof __lgdImportUi === 'function' ? __lgdImportUi() : import('../ui/run.js');
};
