import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckReport, ProgressEvent, TutorialApi, VerifyResult } from '../../engine/index.js';
import { collectGarbage } from '../../heap-limits.js';
import { createEventBatch } from '../event-batch.js';
import { applyProgress, startProgress, type VerifyProgress } from '../verify-progress.js';

export interface VerifyState {
  readonly running: boolean;
  /** Ctrl-C was pressed; the engine is removing what it created. */
  readonly cancelling: boolean;
  readonly startedAt?: number;
  readonly progress?: VerifyProgress;
  /** Verdicts of the running verify known so far: static ones within milliseconds, Docker ones as they finish. */
  readonly partial?: readonly CheckReport[];
  /** The last finished verify (from progress at first). */
  readonly result?: VerifyResult;
}

export type VerifyOutcome =
  | { readonly kind: 'result'; readonly result: VerifyResult; readonly previous?: VerifyResult }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'error'; readonly error: unknown };

export interface VerifyControl {
  readonly state: VerifyState;
  /** Starts a verify; false (and nothing happens) when one is already running. */
  run(): boolean;
  /** Aborts the running verify (the engine cleans up its Docker objects). */
  cancel(): void;
  /**
   * The files changed while a verify ran: its verdict would describe files that are gone, so it is
   * cancelled and a new one starts once the old one has cleaned up (at most one waits).
   */
  restart(): void;
  isRunning(): boolean;
  /** Resolves when no verify is running. */
  settled(): Promise<void>;
}

/** How often a running verify's progress is folded in: with the screen's clock (LessonScreen CLOCK_MS), 5 times a second. */
const PROGRESS_MS = 200;

/**
 * A full garbage collection once a verify is over and nothing else started for a while: the screen
 * is idle then, and the frames of the verify are garbage (see heap-limits.ts).
 */
let collectTimer: ReturnType<typeof setTimeout> | undefined;
const scheduleCollect = (): void => {
  if (collectTimer) clearTimeout(collectTimer);
  collectTimer = setTimeout(() => {
    collectTimer = undefined;
    collectGarbage();
  }, COLLECT_AFTER_MS);
  collectTimer.unref?.();
};
const COLLECT_AFTER_MS = 1500;

/** Runs api.verify with an AbortController and folds its progress events into state. */
export const useVerify = (api: TutorialApi, lessonId: string, onOutcome: (outcome: VerifyOutcome) => void): VerifyControl => {
  const [state, setState] = useState<VerifyState>(() => ({ running: false, cancelling: false, result: api.lastVerify(lessonId) }));
  const controller = useRef<AbortController | undefined>(undefined);
  const pending = useRef<Promise<void>>(Promise.resolve());
  const lastResult = useRef(state.result);
  const rerun = useRef(false);
  const outcome = useRef(onOutcome);
  outcome.current = onOutcome;

  const run = useCallback((): boolean => {
    if (controller.current) return false;
    const abort = new AbortController();
    controller.current = abort;
    const startedAt = Date.now();
    setState((s) => ({ ...s, running: true, cancelling: false, startedAt, progress: startProgress(startedAt), partial: [] }));
    const previous = lastResult.current;
    // Progress is folded in at most every PROGRESS_MS: one render per burst of build lines, not per line.
    const progress = createEventBatch<ProgressEvent>((events) => {
      if (controller.current !== abort) return;
      setState((s) => (s.progress ? { ...s, progress: events.reduce((p, event) => applyProgress(p, event, Date.now()), s.progress) } : s));
    }, PROGRESS_MS);
    const finish = (report: VerifyOutcome, result?: VerifyResult) => {
      progress.dispose();
      scheduleCollect();
      controller.current = undefined;
      if (result) lastResult.current = result;
      setState((s) => ({ running: false, cancelling: false, result: result ?? s.result }));
      if (rerun.current) {
        // Replaced by a newer save: no "cancelled" notice, the new verify starts at once.
        rerun.current = false;
        runRef.current();
        return;
      }
      outcome.current(report);
    };
    pending.current = api
      .verify(lessonId, {
        signal: abort.signal,
        onProgress: (event) => {
          if (controller.current !== abort) return;
          progress.push(event);
        },
        onReport: (report) => {
          if (controller.current !== abort) return;
          // The progress that led to this verdict shows with it, never after it.
          progress.flush();
          // The check named as running has its verdict now: it is no longer named (the clean-up after
          // the last check would otherwise show it as still running beside its verdict).
          setState((s) => ({
            ...s,
            partial: [...(s.partial ?? []), report],
            ...(s.progress?.checkId === report.id ? { progress: { ...s.progress, checkId: undefined, checkTitle: undefined } } : {}),
          }));
        },
      })
      .then(
        (result) => {
          // A cancelled verify's partial result is not a verdict: keep showing the previous one.
          if (abort.signal.aborted) finish({ kind: 'cancelled' });
          else finish({ kind: 'result', result, previous }, result);
        },
        (error: unknown) => finish(abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'error', error }),
      );
    return true;
  }, [api, lessonId]);

  const runRef = useRef(run);
  runRef.current = run;

  const restart = useCallback(() => {
    if (!controller.current) {
      runRef.current();
      return;
    }
    rerun.current = true;
    if (!controller.current.signal.aborted) controller.current.abort();
  }, []);

  const cancel = useCallback(() => {
    if (!controller.current || controller.current.signal.aborted) return;
    controller.current.abort();
    setState((s) => ({ ...s, cancelling: true }));
  }, []);

  // Leaving the screen mid-verify must not leave containers behind.
  useEffect(() => () => controller.current?.abort(), []);

  return {
    state,
    run,
    cancel,
    restart,
    isRunning: () => controller.current !== undefined,
    settled: () => pending.current,
  };
};
