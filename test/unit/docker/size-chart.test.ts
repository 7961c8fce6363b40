import { describe, expect, it } from 'vitest';
import { sizeChart } from '../../../src/engine/checks/docker/size-chart.js';

describe('sizeChart', () => {
  it('scales bars to the largest, keeps a visible bar for small sizes, and aligns columns', () => {
    const chart = sizeChart(
      [
        { label: 'first image', bytes: 980_900_000 },
        { label: 'this image', bytes: 23_100_000, note: '42.5x smaller' },
        { label: 'binary', bytes: 21_500_000 },
      ],
      20,
    );
    expect(chart.split('\n')).toEqual([
      'first image ####################  980.9 MB',
      'this image  #                      23.1 MB  42.5x smaller',
      'binary      #                      21.5 MB',
    ]);
  });

  it('aligns Chinese labels by terminal columns', () => {
    const lines = sizeChart(
      [
        { label: '第一个镜像', bytes: 100 },
        { label: '二进制', bytes: 50 },
      ],
      4,
    ).split('\n');
    expect(lines).toEqual(['第一个镜像 ####    0.0 MB', '二进制     ##      0.0 MB']);
  });

  it('draws nothing for a zero size', () => {
    expect(
      sizeChart(
        [
          { label: 'a', bytes: 0 },
          { label: 'b', bytes: 10 },
        ],
        4,
      ),
    ).toBe('a         0.0 MB\nb ####    0.0 MB');
  });
});
