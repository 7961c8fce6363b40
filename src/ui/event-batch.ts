/**
 * Gathers events that arrive in bursts (a build prints hundreds of lines a second) and hands them
 * over together at most once per interval: each state update redraws the whole lesson screen, and
 * Ink re-tokenises every character on it. (Measured alone it changed little; the spinner's own
 * 80 ms timer was most of the redraws. Together they keep a verify to 5 frames a second.) The first
 * event of a quiet spell is handed over at once, so a single event (a check starting) shows without
 * delay.
 */
export interface EventBatch<E> {
  push(event: E): void;
  /** Hands over what is waiting now (before a verdict replaces the progress). */
  flush(): void;
  /** Drops what is waiting and stops the timer. */
  dispose(): void;
}

export const createEventBatch = <E>(
  deliver: (events: readonly E[]) => void,
  intervalMs: number,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): EventBatch<E> => {
  let waiting: E[] = [];
  let timer: unknown;
  const take = (): void => {
    const events = waiting;
    waiting = [];
    deliver(events);
  };
  // The interval ended: hand over what came during it and hold the next ones for another interval;
  // a quiet interval ends the holding, so the next event is shown at once.
  const tick = (): void => {
    timer = undefined;
    if (waiting.length === 0) return;
    take();
    timer = timers.set(tick, intervalMs);
  };
  const flush = (): void => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    if (waiting.length > 0) take();
  };
  return {
    push(event) {
      if (timer === undefined) {
        // Quiet until now: deliver at once, then hold later events for the interval.
        deliver([event]);
        timer = timers.set(tick, intervalMs);
        return;
      }
      waiting.push(event);
    },
    flush,
    dispose() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      waiting = [];
    },
  };
};
