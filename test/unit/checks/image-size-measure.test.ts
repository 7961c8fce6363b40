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

describe('image.builds counts the steps a cache can serve', () => {
  it('leaves FROM out (a base is resolved, never a cache hit): a build that reused every step says so', async () => {
    const { imageBuilds } = await import('../../../src/engine/checks/docker/image.js');
    const step = (name: string, cached: boolean) => ({ name, instruction: true, cached, lines: [], startedAt: 0 });
    const docker = {
      lessonImage: async () => ({
        ok: true,
        imageId: 'sha256:abc',
        durationMs: 300,
        tail: [],
        steps: [
          step('[build 1/4] FROM docker.io/library/golang:1.26-trixie', false),
          step('[build 2/4] WORKDIR /src', true),
          step('[build 3/4] COPY . .', true),
          step('[build 4/4] RUN go build -o /server ./cmd/server', true),
          step('[stage-1 1/2] FROM gcr.io/distroless/static-debian13:nonroot', false),
          step('[stage-1 2/2] COPY --from=build /server /server', true),
        ],
      }),
      inspectImage: async () => ({ size: 11_000_000 }),
    };
    const m = await imageBuilds.spec.measure({ docker } as unknown as DockerContext, { secrets: [], buildArgs: {} });
    expect(m).toMatchObject({ steps: 4, cachedSteps: 4 });
  });
});

describe('image.builds words a build whose steps it did not see', () => {
  it('leaves the step count out rather than saying "0 of 0 steps from cache" (another build ran the same steps at once)', async () => {
    const { imageBuilds } = await import('../../../src/engine/checks/docker/image.js');
    const bound = imageBuilds.bind({});
    if (bound.kind !== 'docker') throw new Error('expected a Docker check');
    const m = {
      secrets: [],
      ok: true,
      needsBuildkit: false,
      buildkitFeatures: [],
      seconds: 10.3,
      steps: 0,
      cachedSteps: 0,
      failedStep: null,
      tail: [],
      sizeBytes: 10_500_000,
    };
    const outcome = bound.judge(m, { dockerfile: undefined, dockerfilePath: 'Dockerfile', history: {} });
    expect(outcome.status).toBe('pass');
    expect(outcome.message.en).toBe('Built in 10.3 s; the image is 10.5 MB.');
    expect(outcome.message['zh-CN']).not.toContain('0 个');
  });
});
