import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCases } from './cases.suite.js';
import { describeConformance } from './conformance.suite.js';
import { runnersDone } from './proof-runners.js';

// Every lesson proves itself on the real engine: its start fails as declared and its solution
// passes (conformance), and its proof cases get the verdicts they declare. The two suites run side
// by side (proof-runners.ts). For authors at work, CASES_LESSONS=id,... and CONFORMANCE_LESSONS=id,...
// narrow them; naming only one of them runs only that suite.
const casesOnly = Boolean(process.env.CASES_LESSONS);
const conformanceOnly = Boolean(process.env.CONFORMANCE_LESSONS);
const focused = casesOnly || conformanceOnly;

// Volumes no container uses: an anonymous one (an image's VOLUME) that a run orphaned has no label
// for any clean-up to find, so the proofs must leave none behind.
const danglingVolumes = async (): Promise<string[]> => {
  const docker = process.env.LEARN_GO_DOCKER_DOCKER ?? 'docker';
  return (await execa(docker, ['volume', 'ls', '-q', '--filter', 'dangling=true'], { timeout: 60_000 })).stdout.split('\n').filter(Boolean);
};
let before: string[] = [];
beforeAll(async () => {
  before = await danglingVolumes();
});

if (!focused || casesOnly) describeCases();
if (!focused || conformanceOnly) describeConformance();

describe('after the proofs', () => {
  it('no volume was left behind', async () => {
    await runnersDone();
    expect((await danglingVolumes()).filter((v) => !before.includes(v))).toEqual([]);
  });
});
