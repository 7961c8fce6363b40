// The proof suites' runners start together: the first test of either suite starts both, so the
// conformance chain (one verify at a time, in course order, often waiting on a container) runs
// beside the proof-case pool instead of after it, on cores the single chain leaves idle.
const runners = new Map<() => unknown, Promise<unknown> | undefined>();
let started = false;

const start = (runner: () => unknown): void => {
  if (!runners.get(runner)) runners.set(runner, Promise.resolve(runner()));
};

export const registerRunner = (runner: () => unknown): void => {
  runners.set(runner, undefined);
  if (started) start(runner);
};

export const startRunners = (): void => {
  started = true;
  for (const runner of runners.keys()) start(runner);
};

/** Every registered run, once all of them are done (errors are the suites' to report). */
export const runnersDone = async (): Promise<void> => {
  startRunners();
  await Promise.allSettled([...runners.values()]);
};
