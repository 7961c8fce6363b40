import { hostname } from 'node:os';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanStale } from '../../src/engine/docker/clean.js';
import { dockerForTests } from './helpers.js';

// cleanStale removes what a crashed run left (its pid is gone) and nothing else.
const caps = await dockerForTests();
const bin = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const docker = async (...args: string[]) => (await execa(bin(), args)).stdout.trim();
const exists = async (kind: 'container' | 'volume', id: string) => (await execa(bin(), [kind, 'inspect', id], { reject: false })).exitCode === 0;

describe.skipIf(!caps)('cleanStale', () => {
  const created: { kind: 'container' | 'volume'; id: string }[] = [];
  afterAll(async () => {
    for (const { kind, id } of created) await execa(bin(), kind === 'container' ? ['rm', '-f', id] : ['volume', 'rm', '-f', id], { reject: false });
  });

  it('removes labelled objects of a dead process, keeps live and unlabelled ones', async () => {
    const dead = String(2 ** 22 + 4242);
    const labels = (pid: string) => [
      '--label',
      'learn-go-docker=1',
      '--label',
      `learn-go-docker.pid=${pid}`,
      '--label',
      `learn-go-docker.host=${hostname()}`,
      '--label',
      'learn-go-docker.session=stale-test',
    ];
    const image = 'debian:trixie-slim';
    const staleContainer = await docker('create', ...labels(dead), image, 'true');
    const liveContainer = await docker('create', ...labels(String(process.pid)), image, 'true');
    const unlabelled = await docker('create', '--label', 'learn-go-docker.stand-in=true', image, 'true');
    const staleVolume = await docker('volume', 'create', ...labels(dead));
    created.push(
      { kind: 'container', id: staleContainer },
      { kind: 'container', id: liveContainer },
      { kind: 'container', id: unlabelled },
      { kind: 'volume', id: staleVolume },
    );
    const result = await cleanStale();
    expect(result.containers).toContain(staleContainer);
    expect(result.volumes).toContain(staleVolume);
    expect(await exists('container', staleContainer)).toBe(false);
    expect(await exists('volume', staleVolume)).toBe(false);
    expect(await exists('container', liveContainer)).toBe(true);
    expect(await exists('container', unlabelled)).toBe(true);
  });
});
