// The proof suites' runs, one after the other in the order the suites registered (the order of
// their tests): the first test of either starts the chain. Side by side they were no faster on
// two cores (both are bound by the CPU of the builds they make) and only made timing checks share
// the CPU with more builds.
const runners: (() => unknown)[] = [];
let chain: Promise<unknown> | undefined;

export const registerRunner = (runner: () => unknown): void => {
  runners.push(runner);
};

export const startRunners = (): void => {
  chain ??= runners.reduce<Promise<unknown>>((previous, runner) => previous.then(() => runner()).catch(() => undefined), Promise.resolve());
};

/** Every registered run, once all of them are done (errors are the suites' to report). */
export const runnersDone = async (): Promise<void> => {
  startRunners();
  await chain;
};
