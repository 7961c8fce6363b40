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
// Swarm mode as the proofs found it: a Swarm lesson's check turns it on when it is off, and the
// last one out turns it off again and removes the gateway bridge the init created.
const swarmFootprint = async (): Promise<string> => {
  const docker = process.env.LEARN_GO_DOCKER_DOCKER ?? 'docker';
  const state = (await execa(docker, ['info', '--format', '{{.Swarm.LocalNodeState}}'], { timeout: 60_000 })).stdout.trim();
  const bridge = (await execa(docker, ['network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$'], { timeout: 60_000 })).stdout.trim() !== '';
  const stacks = (await execa(docker, ['network', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace'], { timeout: 60_000 })).stdout.trim();
  return `swarm ${state}, gateway bridge ${bridge ? 'present' : 'absent'}, stack networks [${stacks}]`;
};
let before: string[] = [];
let swarmBefore = '';
beforeAll(async () => {
  before = await danglingVolumes();
  swarmBefore = await swarmFootprint();
});

if (!focused || casesOnly) describeCases();
if (!focused || conformanceOnly) describeConformance();

describe('after the proofs', () => {
  it('no volume was left behind', async () => {
    await runnersDone();
    expect((await danglingVolumes()).filter((v) => !before.includes(v))).toEqual([]);
  });
  it('swarm mode is as the proofs found it, with no stack left', async () => {
    await runnersDone();
    expect(await swarmFootprint()).toBe(swarmBefore);
  });
});
