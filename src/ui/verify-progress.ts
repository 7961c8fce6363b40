import type { Localized, ProgressEvent } from '../engine/index.js';

export interface BuildStep {
  readonly step: string;
  /** Build time (ms since the build started) when the step was first and last seen. */
  readonly startMs: number;
  readonly lastMs: number;
}

/** What the UI shows while a verify runs, folded from ProgressEvents. */
export interface VerifyProgress {
  readonly checkId?: string;
  /** The running check's title (the same words as its verdict will have). */
  readonly checkTitle?: Localized;
  readonly steps: readonly BuildStep[];
  readonly currentStep?: string;
  /** Last output lines of the build (or of the check), newest last. */
  readonly tail: readonly string[];
  readonly note?: Localized;
  /** Build time of the newest event and the local clock when it arrived, to tick the current step. */
  readonly lastMs: number;
  readonly lastAt: number;
}

export const TAIL_LINES = 3;
const MAX_STEPS = 100;

const BOOKKEEPING = /^#\d+ (sha256:|DONE\b|CACHED\b|extracting\b|resolve\b|transferring\b|exporting\b|writing image\b|naming to\b|\[internal\])/;

export const startProgress = (now: number): VerifyProgress => ({ steps: [], tail: [], lastMs: 0, lastAt: now });

/**
 * Folds one event in. Build-step events carry the build's elapsed time; a step's duration is the
 * span between its first and last events (BuildKit interleaves parallel stages, so steps are keyed by name).
 */
export const applyProgress = (progress: VerifyProgress, event: ProgressEvent, now: number): VerifyProgress => {
  switch (event.type) {
    case 'check-start':
      // Build steps belong to the check that built; a new check starts with a clean panel.
      return { ...startProgress(now), checkId: event.id, checkTitle: event.title };
    case 'build-step': {
      const known = progress.steps.some((step) => step.step === event.step);
      const steps = known
        ? progress.steps.map((step) => (step.step === event.step ? { ...step, lastMs: event.elapsedMs } : step))
        : [...progress.steps, { step: event.step, startMs: event.elapsedMs, lastMs: event.elapsedMs }].slice(-MAX_STEPS);
      return { ...progress, steps, currentStep: event.step, lastMs: event.elapsedMs, lastAt: now };
    }
    case 'build-output': {
      const line = event.line.replace(/\s+$/, '');
      // BuildKit's bookkeeping (layer digests, "#12 DONE 0.3s", "transferring context") says nothing to a learner.
      if (!line || BOOKKEEPING.test(line)) return progress;
      return { ...progress, tail: [...progress.tail, line].slice(-TAIL_LINES) };
    }
    case 'note':
      return { ...progress, note: event.message };
  }
};

/**
 * Milliseconds a step has taken. The current one keeps ticking with the local clock; an earlier one
 * lasted until its last event or until the next step began, whichever is later (steps run in order
 * unless BuildKit runs stages in parallel).
 */
export const stepDuration = (progress: VerifyProgress, step: BuildStep, now: number, running: boolean): number => {
  if (running && step.step === progress.currentStep) return Math.max(0, progress.lastMs + (now - progress.lastAt) - step.startMs);
  const following = progress.steps[progress.steps.indexOf(step) + 1];
  return Math.max(0, Math.max(step.lastMs, following?.startMs ?? step.lastMs) - step.startMs);
};
