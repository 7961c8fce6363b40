import { describe, expect, it } from 'vitest';
import { composeHardened, writtenLimits, type HardenedMeasurement } from '../../../src/engine/checks/docker/compose-hardened.js';
import { portOf, readComposeDoc } from '../../../src/engine/checks/docker/compose.js';

describe('writtenLimits', () => {
  it('reads security_opt and the pids limit as written, from pids_limit or deploy', () => {
    expect(writtenLimits({ services: { app: { security_opt: ['no-new-privileges:true'], pids_limit: 100 } } }, 'app')).toEqual({
      securityOpt: ['no-new-privileges:true'],
      pidsLimit: 100,
    });
    expect(writtenLimits({ services: { app: { deploy: { resources: { limits: { pids: '64' } } } } } }, 'app')).toEqual({ securityOpt: [], pidsLimit: 64 });
    expect(writtenLimits({ services: { app: { pids_limit: -1 } } }, 'app').pidsLimit).toBe(-1);
    expect(writtenLimits({ services: {} }, 'app')).toEqual({ securityOpt: [], pidsLimit: null });
  });
});

// The judge on measurements shaped like the recorded ones (judges.test.ts replays those).
const right: HardenedMeasurement = {
  port: 8080,
  up: { ok: true, seconds: 1, tail: [], busyHostPorts: [] },
  state: {
    running: true,
    host: { readOnlyRootfs: true, capAdd: [], capDrop: ['ALL'], securityOpt: ['no-new-privileges:true'], pidsLimit: 100, tmpfs: ['/tmp'] },
  },
  dataMount: 'volume',
  rootWrite: 'container rootfs is marked read-only',
  ready: 200,
  post: 201,
  get: 200,
  written: { securityOpt: ['no-new-privileges:true'], pidsLimit: 100 },
};
const check = composeHardened.bind({ service: 'app' });
const judge = (m: HardenedMeasurement) => {
  if (check.kind !== 'docker') throw new Error('compose.hardened is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('compose.hardened judge', () => {
  it('passes a locked-down service that still works, in the daemon’s words', () => {
    const o = judge(right);
    expect(o.status).toBe('pass');
    expect(o.message.en).toContain('a write to / was refused: container rootfs is marked read-only');
  });
  it('fails /data on a tmpfs even when every request works', () => {
    const o = judge({ ...right, dataMount: 'tmpfs' });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('/data is a tmpfs: the notes vanish at every restart');
  });
  it('says that a pids limit of -1 is no limit', () => {
    const o = judge({ ...right, written: { ...right.written!, pidsLimit: -1 } });
    expect(o.message.en).toContain('Your file sets pids_limit: -1 (no limit)');
  });
  it('reports a refused file without starting anything', () => {
    const o = judge({ ...right, up: { ...right.up, ok: false, refusal: { en: 'refused', 'zh-CN': '拒绝' } } });
    expect(o).toMatchObject({ status: 'fail', message: { en: 'refused' } });
  });
});

describe('the compose file as compose reads it', () => {
  it('resolves merge keys (<<: *anchor), so settings written once in an x- field count', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'lgd-merge-'));
    try {
      await writeFile(
        join(dir, 'compose.yaml'),
        'x-h: &h\n  security_opt: ["no-new-privileges:true"]\n  pids_limit: 100\nservices:\n  app:\n    <<: *h\n    pids_limit: 50\n    ports: ["127.0.0.1::9090"]\n',
      );
      const doc = await readComposeDoc(dir, undefined);
      expect(writtenLimits(doc, 'app')).toEqual({ securityOpt: ['no-new-privileges:true'], pidsLimit: 50 });
      expect(portOf(doc, 'app')).toBe(9090);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
