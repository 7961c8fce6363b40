import { describe, expect, it } from 'vitest';
import { spinnerFrame } from '../../src/ui/components/BuildProgress.js';
import { createEventBatch } from '../../src/ui/event-batch.js';
import { collectGarbage, keepYoungGenerationSmall } from '../../src/heap-limits.js';

/** Timers the test moves by hand. */
const manualTimers = () => {
  let next: (() => void) | undefined;
  return {
    timers: {
      set: (fn: () => void) => {
        next = fn;
        return 1;
      },
      clear: () => {
        next = undefined;
      },
    },
    fire: () => {
      const fn = next;
      next = undefined;
      fn?.();
    },
    pending: () => next !== undefined,
  };
};

describe('progress batching (one redraw per burst of build lines)', () => {
  it('hands the first event over at once, then the rest of the burst together', () => {
    const got: number[][] = [];
    const t = manualTimers();
    const batch = createEventBatch<number>((events) => got.push([...events]), 200, t.timers);
    batch.push(1);
    expect(got).toEqual([[1]]);
    for (const n of [2, 3, 4]) batch.push(n);
    expect(got).toEqual([[1]]);
    t.fire();
    expect(got).toEqual([[1], [2, 3, 4]]);
    // A steady stream keeps one hand-over per interval.
    batch.push(5);
    expect(got).toHaveLength(2);
    t.fire();
    expect(got).toEqual([[1], [2, 3, 4], [5]]);
    // A quiet interval ends the holding: the next event shows at once.
    t.fire();
    expect(t.pending()).toBe(false);
    batch.push(6);
    expect(got.at(-1)).toEqual([6]);
  });

  it('flush hands over what waits (a verdict never overtakes its progress); dispose drops it', () => {
    const got: string[][] = [];
    const t = manualTimers();
    const batch = createEventBatch<string>((events) => got.push([...events]), 200, t.timers);
    batch.push('a');
    batch.push('b');
    batch.flush();
    expect(got).toEqual([['a'], ['b']]);
    expect(t.pending()).toBe(false);
    batch.push('c');
    batch.push('d');
    batch.dispose();
    t.fire();
    expect(got).toEqual([['a'], ['b'], ['c']]);
  });
});

describe('spinner', () => {
  it('turns one frame per tick of the screen clock', () => {
    expect(spinnerFrame(0, 200, true)).toBe('⠋');
    expect(spinnerFrame(199, 200, true)).toBe('⠋');
    expect(spinnerFrame(200, 200, true)).toBe('⠙');
    expect(spinnerFrame(2000, 200, true)).toBe('⠋');
    expect(spinnerFrame(600, 200, false)).toBe('/');
  });
});

describe('the UI heap', () => {
  it('stops the young generation growing on the Node versions that have the flag, and only there', () => {
    const set: string[] = [];
    expect(keepYoungGenerationSmall('20.19.0', (f) => set.push(f))).toBe(true);
    expect(set).toEqual(['--semi-space-growth-factor=1']);
    // V8 would print an error for a flag it does not know: other versions are left alone.
    expect(keepYoungGenerationSmall('30.0.0', (f) => set.push(f))).toBe(false);
    expect(keepYoungGenerationSmall('16.20.0', (f) => set.push(f))).toBe(false);
    expect(set).toHaveLength(1);
  });

  it('the flag is one this Node knows and obeys: a churning heap keeps a 1 MiB young generation', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `require('v8').setFlagsFromString('--semi-space-growth-factor=1');
      let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
      const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      process.stdout.write(String(s.space_size));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^\d+$/);
    expect(Number(r.stdout)).toBeLessThanOrEqual(2 * 2 ** 20);
  });

  it('collects the garbage of a verify when asked (a full collection, without --expose-gc on the command line)', () => {
    let garbage: { n: number; s: string }[] | undefined = Array.from({ length: 300_000 }, (_, n) => ({ n, s: `row ${n}` }));
    const withGarbage = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(300_000);
    garbage = undefined;
    collectGarbage();
    expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 10 * 2 ** 20);
  });
});
