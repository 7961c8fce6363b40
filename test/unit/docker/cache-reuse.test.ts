import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCacheReuse, firstRerun } from '../../../src/engine/checks/docker/build.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

// build.cache-reuse on a cache the engine lost: a full run once saw `WORKDIR /src` re-run in the
// rebuild of a right answer (two builds beside it on the same base), and the judge blamed the
// Dockerfile ("WORKDIR comes before it and copies the changed file"). A step that reads no file
// cannot have seen the change: the measure rebuilds once more, and when it is still so the verdict
// is unknown, never a fail.
const recorded = JSON.parse(
  readFileSync(
    join(packageRoot(), 'test/fixtures/docker/recorded/measurements/layers-and-cache.case-deps-first-no-cache-mount.build.cache-reuse.json'),
    'utf8',
  ),
) as { dockerfile: string; measurement: { steps: { name: string; cached: boolean }[] } };

const bound = buildCacheReuse.bind({});
const judge = (steps: { name: string; cached: boolean }[]) => {
  if (bound.kind !== 'docker') throw new Error('build.cache-reuse is a Docker check');
  return bound.judge(
    { ...recorded.measurement, steps, retried: true },
    { dockerfile: analyzeDockerfile(recorded.dockerfile, { dockerignore: null }), dockerfilePath: 'Dockerfile', history: {} },
  );
};

/** The recorded rebuild with every step from `from` on re-run. */
const lostFrom = (from: string) => {
  const at = recorded.measurement.steps.findIndex((s) => s.name.includes(from));
  return recorded.measurement.steps.map((s, i) => ({ ...s, cached: i >= at ? false : s.cached }));
};

describe('build.cache-reuse when the cache was lost outside the Dockerfile', () => {
  it('was recorded passing: the download step reused, the source copy and the build re-run', () => {
    expect(judge(recorded.measurement.steps).status).toBe('pass');
    expect(firstRerun(recorded.measurement.steps, 'go mod download')).toBeUndefined();
  });

  it('finds the first step to re-run before the download step, and whether it reads the context', () => {
    expect(firstRerun(lostFrom('WORKDIR'), 'go mod download')).toMatchObject({ step: { name: '[stage-0 2/5] WORKDIR /src' }, readsContext: false });
    expect(firstRerun(lostFrom('COPY go.mod'), 'go mod download')).toMatchObject({ step: { name: '[3/6] COPY go.mod go.sum ./' }, readsContext: true });
    expect(firstRerun(lostFrom('WORKDIR'), 'no such step')).toBeUndefined();
  });

  it("counts a RUN with a bind mount as reading the context: its re-run is the Dockerfile's doing", () => {
    const steps = lostFrom('WORKDIR').map((s) =>
      s.name.includes('WORKDIR') ? { ...s, name: '[stage-0 2/5] RUN --mount=type=bind,target=/src go list -m all' } : s,
    );
    expect(firstRerun(steps, 'go mod download')).toMatchObject({ readsContext: true });
    expect(judge(steps).status).toBe('fail');
  });

  it('says unknown, not fail, when a step that reads no file re-ran first', () => {
    const outcome = judge(lostFrom('WORKDIR'));
    expect(outcome.status, outcome.message.en).toBe('unknown');
    expect(outcome.message.en).toContain('`[stage-0 2/5] WORKDIR /src`');
    expect(outcome.message.en).not.toContain('copies the changed file');
    expect(outcome.message['zh-CN']).toContain('WORKDIR /src');
  });

  it('still fails when a COPY before the download step re-ran: that one read the changed file', () => {
    const outcome = judge(lostFrom('COPY go.mod'));
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('comes before it and copies the changed file');
  });
});
