import type { Localized } from '../i18n.js';

/** Live progress of a verify: which check runs, build steps and output, notes for long waits. */
export type ProgressEvent =
  | { readonly type: 'check-start'; readonly id: string; readonly title: Localized }
  | { readonly type: 'build-step'; readonly step: string; readonly elapsedMs: number }
  | { readonly type: 'build-output'; readonly line: string }
  | { readonly type: 'note'; readonly message: Localized };
