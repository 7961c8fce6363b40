import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerSession } from '../../src/engine/docker/docker-session.js';
import type { DockerSession } from '../../src/engine/docker/session.js';
import { dockerForTests } from './helpers.js';

// What the engine really applied to containers the runner started: docker inspect, not our arguments.
const caps = await dockerForTests();
const bin = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const IMAGE = 'debian:trixie-slim';

interface HostConfig {
  Memory: number;
  NanoCpus: number;
  PidsLimit: number | null;
  SecurityOpt: string[] | null;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
}
const hostConfig = async (id: string): Promise<HostConfig> =>
  JSON.parse((await execa(bin(), ['container', 'inspect', '--format', '{{json .HostConfig}}', id])).stdout) as HostConfig;

describe.skipIf(!caps)("limits the engine applies to the runner's containers", () => {
  const sessions: DockerSession[] = [];
  const dirs: string[] = [];
  const session = async (files: Record<string, string> = {}) => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-limits-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    dirs.push(dir);
    const s = createDockerSession({ contextDir: dir, lessonId: 'limits-test' });
    sessions.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("a container gets 512 MiB, 1 CPU, 256 pids, no-new-privileges and ports on 127.0.0.1; a check's own limits win", async () => {
    const s = await session();
    const plain = await s.run({ image: IMAGE, publish: [8080], entrypoint: ['sleep', '30'] });
    const own = await s.run({ image: IMAGE, memory: '128m', cpus: '0.5', entrypoint: ['sleep', '30'] });
    const a = await hostConfig(plain.id);
    const b = await hostConfig(own.id);
    if (process.env.LGD_PRINT) console.log(JSON.stringify({ plain: a, own: b }));
    expect(plain.started).toBe(true);
    expect([a.Memory, a.NanoCpus, a.PidsLimit, a.SecurityOpt]).toEqual([512 * 1024 * 1024, 1e9, 256, ['no-new-privileges']]);
    // Bound to loopback only, on the free port the runner picked (one docker run, no docker port).
    expect(a.PortBindings?.['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(plain.ports[8080]) }]);
    expect(plain.ports[8080]).toBeGreaterThan(0);
    expect([b.Memory, b.NanoCpus, b.PidsLimit, b.SecurityOpt]).toEqual([128 * 1024 * 1024, 5e8, 256, ['no-new-privileges']]);
  });

  it('a fork bomb in CMD stops at the pids limit and the host carries on', async () => {
    const s = await session();
    const bomb = await s.run({ image: IMAGE, createOnly: true, entrypoint: ['/bin/sh', '-c', 'f() { f | f & }; f; sleep 30'] });
    // Never start it unless the engine holds the limit: on a host without it this would be a real bomb.
    const limits = await hostConfig(bomb.id);
    expect(limits.PidsLimit).toBe(256);
    const info = (await execa(bin(), ['info', '--format', '{{.PidsLimit}}'])).stdout.trim();
    expect(info).toBe('true');
    await execa(bin(), ['start', bomb.id]);
    // Until the bomb hits the limit (fork fails, it says so): how fast depends on the machine's load.
    let pids = 0;
    let most = 0;
    let hit = false;
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline && !hit) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      pids = Number((await execa(bin(), ['stats', '--no-stream', '--format', '{{.PIDs}}', bomb.id])).stdout.trim());
      most = Math.max(most, pids);
      const said = await execa(bin(), ['logs', bomb.id], { reject: false });
      hit = /fork|Resource temporarily unavailable/i.test(`${said.stdout}${said.stderr}`);
    }
    // The host still forks at once, and the container never went past its limit.
    const t0 = Date.now();
    execFileSync('true');
    const hostForkMs = Date.now() - t0;
    const logs = await execa(bin(), ['logs', bomb.id], { reject: false });
    if (process.env.LGD_PRINT) console.log(JSON.stringify({ pids, most, hostForkMs, log: logs.stderr.split('\n').slice(0, 2) }));
    await s.remove(bomb.id);
    expect(hit, `no fork failure within 40 s (at most ${most} processes seen)`).toBe(true);
    expect(most).toBeLessThanOrEqual(256);
    expect(`${logs.stdout}${logs.stderr}`).toMatch(/fork|Resource temporarily unavailable/i);
    expect(hostForkMs).toBeLessThan(2_000);
  });

  it.skipIf(!caps || caps.compose === 'none')('compose services get the limits too, and ports on 127.0.0.1 even when the file names none', async () => {
    const s = await session({
      'compose.yaml':
        'services:\n  app:\n    image: debian:trixie-slim\n    command: ["sleep", "60"]\n    ports: ["8080", {target: 9090}]\n  side:\n    image: debian:trixie-slim\n    command: ["sleep", "60"]\n    mem_limit: 64m\n',
    });
    const up = await s.composeUp({ service: 'app', port: 8080 });
    expect(up.ok, up.tail.join('\n')).toBe(true);
    const ids = (await execa(bin(), ['ps', '-q', '--filter', `label=com.docker.compose.project=${up.project}`])).stdout.split('\n').filter(Boolean);
    expect(ids).toHaveLength(2);
    const configs = await Promise.all(ids.map(hostConfig));
    if (process.env.LGD_PRINT) console.log(JSON.stringify(configs));
    for (const c of configs) {
      expect([c.NanoCpus, c.PidsLimit, c.SecurityOpt]).toEqual([1e9, 256, ['no-new-privileges:true']]);
      for (const bindings of Object.values(c.PortBindings ?? {})) for (const b of bindings) expect(b.HostIp).toBe('127.0.0.1');
    }
    expect(configs.map((c) => c.Memory).sort((x, y) => x - y)).toEqual([64 * 1024 * 1024, 512 * 1024 * 1024]);
    expect(configs.flatMap((c) => Object.keys(c.PortBindings ?? {})).sort()).toEqual(['8080/tcp', '9090/tcp']);
  });
});
