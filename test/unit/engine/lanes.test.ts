import { describe, expect, it } from 'vitest';
import { runInLanes } from '../../../src/engine/dev/lanes.js';

// The proof cases' scheduler: a pool in course order, and the cases that mostly wait (Swarm) in a
// lane of their own from the start.
const item = (name: string, waits = false) => ({ name, waits });

const record = () => {
  let running = 0;
  const log: { name: string; event: 'start' | 'end'; running: number }[] = [];
  const run = async ({ name }: { name: string }) => {
    running += 1;
    log.push({ name, event: 'start', running });
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
    log.push({ name, event: 'end', running });
  };
  return { log, run, started: () => log.filter((e) => e.event === 'start').map((e) => e.name) };
};

describe('runInLanes', () => {
  it('starts the waiting items at once in their own lane, beside a full pool', async () => {
    const items = [item('a'), item('b'), item('c'), item('d'), item('swarm-1', true), item('swarm-2', true)];
    const r = record();
    await runInLanes(items, { concurrency: 2, waits: (i) => i.waits, run: r.run });
    // The first round: two pool workers and the lane, the lane's first item among them.
    expect(r.started().slice(0, 3).sort()).toEqual(['a', 'b', 'swarm-1']);
    expect(Math.max(...r.log.map((e) => e.running))).toBe(3);
    // Each item once; each lane in course order.
    expect(r.started().sort()).toEqual(['a', 'b', 'c', 'd', 'swarm-1', 'swarm-2']);
    expect(r.started().filter((n) => n.startsWith('swarm'))).toEqual(['swarm-1', 'swarm-2']);
    expect(r.started().filter((n) => !n.startsWith('swarm'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with one worker runs everything in course order, one at a time (no lane)', async () => {
    const items = [item('a'), item('swarm', true), item('b')];
    const r = record();
    await runInLanes(items, { concurrency: 1, waits: (i) => i.waits, run: r.run });
    expect(r.started()).toEqual(['a', 'swarm', 'b']);
    expect(Math.max(...r.log.map((e) => e.running))).toBe(1);
  });

  it('starts nothing new once stopped (a cancelled proof run)', async () => {
    const items = [item('a'), item('b'), item('c')];
    const r = record();
    let stop = false;
    await runInLanes(items, {
      concurrency: 1,
      waits: () => false,
      run: async (i) => {
        await r.run(i);
        stop = true;
      },
      stopped: () => stop,
    });
    expect(r.started()).toEqual(['a']);
  });
});
