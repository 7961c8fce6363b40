import { describe, expect, it } from 'vitest';
import { imageSize } from '../../../src/engine/checks/docker/image.js';
import type { DockerContext } from '../../../src/engine/checks/types.js';

// image.size copies the binary out of the image (three docker commands: create, cp, rm) only when
// its verdict uses the binary's size: for the chart, or to say what to shrink when over budget.
const contextWith = (sizeBytes: number) => {
  const copies: string[] = [];
  const docker = {
    lessonImage: async () => ({ ok: true, imageId: 'sha256:abc' }),
    inspectImage: async () => ({ size: sizeBytes, entrypoint: ['/server'], cmd: [] }),
    copyFromImage: async (_ref: string, path: string) => {
      copies.push(path);
      throw new Error('no such file in this fake image');
    },
  };
  return { ctx: { docker } as unknown as DockerContext, copies };
};

const measure = (sizeBytes: number, params: { maxMB: number; chart?: boolean }) => {
  const { ctx, copies } = contextWith(sizeBytes);
  return imageSize.spec.measure(ctx, { chart: false, ...params }).then((m) => ({ m, copies }));
};

describe('image.size measures the binary only when the verdict uses it', () => {
  it('under budget without a chart: the image size alone', async () => {
    const { m, copies } = await measure(11_000_000, { maxMB: 20 });
    expect(m).toEqual({ sizeBytes: 11_000_000, binaryBytes: null });
    expect(copies).toEqual([]);
  });

  it('over budget: it looks for the binary, to say whether the binary is what to shrink', async () => {
    const { copies } = await measure(29_000_000, { maxMB: 20 });
    expect(copies.length).toBeGreaterThan(0);
  });

  it('with the chart: it looks for the binary even under budget', async () => {
    const { copies } = await measure(11_000_000, { maxMB: 20, chart: true });
    expect(copies.length).toBeGreaterThan(0);
  });
});
