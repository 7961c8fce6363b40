/**
 * Runs items in course order on a small pool of workers, with the items that mostly wait (`waits`)
 * in a lane of their own beside it when there is more than one worker: their waiting then overlaps
 * the pool's work from the start instead of holding its workers at the end. With one worker
 * everything runs in order, one at a time.
 */
export const runInLanes = async <T>(
  items: readonly T[],
  options: { readonly concurrency: number; readonly waits: (item: T) => boolean; readonly run: (item: T) => Promise<void>; readonly stopped?: () => boolean },
): Promise<void> => {
  const concurrency = Math.max(1, options.concurrency);
  const waiting = concurrency > 1 ? items.filter(options.waits) : [];
  const working = items.filter((item) => !waiting.includes(item));
  const worker = async (queue: T[]): Promise<void> => {
    for (let next = queue.shift(); next !== undefined && !options.stopped?.(); next = queue.shift()) await options.run(next);
  };
  await Promise.all([...Array.from({ length: concurrency }, () => worker(working)), ...(waiting.length ? [worker(waiting)] : [])]);
};
