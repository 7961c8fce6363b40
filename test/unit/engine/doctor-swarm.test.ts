import { describe, expect, it } from 'vitest';
import { swarmItem } from '../../../src/engine/doctor/docker-items.js';
import { parseSwarmInfo } from '../../../src/engine/docker/swarm.js';
import type { DockerCapabilities } from '../../../src/engine/docker/session.js';

const caps: DockerCapabilities = { available: true, binary: 'docker', daemonReachable: true, permissionDenied: false, builder: 'buildkit-env', compose: 'v2' };
const info = (swarm: object, security: readonly string[] = ['name=seccomp,profile=default']) =>
  parseSwarmInfo(`${JSON.stringify(swarm)}\n${JSON.stringify(security)}`);

describe('swarm mode in doctor', () => {
  it('reads the state, the manager flag and a rootless engine from docker info', () => {
    expect(info({ LocalNodeState: 'inactive', ControlAvailable: false, Error: '' })).toEqual({ state: 'inactive', manager: false, rootless: false, error: '' });
    expect(info({ LocalNodeState: 'active', ControlAvailable: true }, ['name=seccomp,profile=default', 'name=rootless', 'name=cgroupns'])).toMatchObject({
      state: 'active',
      manager: true,
      rootless: true,
    });
    expect(parseSwarmInfo('not json')).toBeUndefined();
    expect(parseSwarmInfo('null\nnull')).toBeUndefined();
  });
  it('says an inactive swarm is off and how to turn it on and off, and is ok with a manager', () => {
    const off = swarmItem(caps, info({ LocalNodeState: 'inactive', ControlAvailable: false }));
    expect(off).toMatchObject({ id: 'swarm', status: 'ok' });
    expect(off.message.en).toBe('Off. docker swarm init --advertise-addr 127.0.0.1 turns it on, docker swarm leave --force off again.');
    expect(swarmItem(caps, info({ LocalNodeState: 'active', ControlAvailable: true })).status).toBe('ok');
  });
  it('warns, never fails, for a worker, a locked swarm, a rootless engine, Podman and an unreadable answer', () => {
    const items = [
      swarmItem(caps, info({ LocalNodeState: 'active', ControlAvailable: false })),
      swarmItem(caps, info({ LocalNodeState: 'locked', ControlAvailable: false })),
      swarmItem(caps, info({ LocalNodeState: 'inactive' }, ['name=rootless'])),
      swarmItem({ ...caps, flavour: 'podman' }, undefined),
      swarmItem(caps, undefined),
      swarmItem(caps, info({ LocalNodeState: 'error', Error: 'manager stopped' })),
    ];
    expect(items.map((i) => i.status)).toEqual(['warn', 'warn', 'warn', 'warn', 'warn', 'warn']);
    expect(items[0]?.message.en).toContain('this engine is a worker');
    expect(items[1]?.fix?.en).toBe('Unlock it: docker swarm unlock');
    expect(items[2]?.message.en).toContain('no overlay networks');
    expect(items[5]?.message.en).toBe('In state error: manager stopped.');
  });
});
