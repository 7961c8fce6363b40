import { describe, expect, it } from 'vitest';
import { imagesByRegistry, judgeRegistries, type RegistryProbe } from '../../../src/engine/doctor/registry-item.js';

// doctor's registries item judged on measurements as `measureRegistries` returns them: which
// registries answered, and the daemon's Docker Hub mirrors.
const hub = (answered: boolean, reason?: string): RegistryProbe => ({
  registry: 'docker.io',
  image: 'golang:1.26-trixie',
  answered,
  ms: answered ? 820 : 15_000,
  ...(reason ? { reason } : {}),
});
const gcr = (answered: boolean, reason?: string): RegistryProbe => ({
  registry: 'gcr.io',
  image: 'gcr.io/distroless/static-debian13:nonroot',
  answered,
  ms: answered ? 640 : 15_000,
  ...(reason ? { reason } : {}),
});

describe('imagesByRegistry', () => {
  it('takes the first lesson image of each registry, Docker Hub for short names, never scratch', () => {
    const images = [
      'scratch',
      'golang:1.26-trixie',
      'docker.io/library/debian:trixie-slim',
      'gcr.io/distroless/static-debian13:nonroot',
      'gcr.io/distroless/base-debian13',
    ];
    expect([...imagesByRegistry(images)]).toEqual([
      ['docker.io', 'golang:1.26-trixie'],
      ['gcr.io', 'gcr.io/distroless/static-debian13:nonroot'],
    ]);
  });
});

describe('judgeRegistries', () => {
  it('is ok when every registry answered, with what it measured', () => {
    const item = judgeRegistries({ probes: [hub(true), gcr(true)], mirrors: [] });
    expect(item.status).toBe('ok');
    expect(item.message.en).toBe('Docker Hub answered (golang:1.26-trixie in 0.8 s); gcr.io answered (gcr.io/distroless/static-debian13:nonroot in 0.6 s).');
    expect(item.message['zh-CN']).toContain('Docker Hub 有响应');
  });

  it('explains registry-mirrors when Docker Hub is silent and none is configured, never blocking', () => {
    const item = judgeRegistries({ probes: [hub(false, 'no answer within 15 s'), gcr(true)], mirrors: [] });
    expect(item).toMatchObject({ status: 'warn' });
    expect(item.blocking).toBeUndefined();
    expect(item.message.en).toBe(
      'Docker Hub did not answer for golang:1.26-trixie (no answer in time). gcr.io answered (gcr.io/distroless/static-debian13:nonroot in 0.6 s).',
    );
    expect(item.fix?.en).toContain('"registry-mirrors": ["https://<mirror>"] in daemon.json');
    expect(item.fix?.['zh-CN']).toContain('/etc/docker/daemon.json');
  });

  it('says when nothing needs pulling now, because every base image is here', () => {
    const item = judgeRegistries({ probes: [hub(false, 'no such host')], mirrors: [], basesLocal: true });
    expect(item.message.en).toBe(
      'Docker Hub did not answer for golang:1.26-trixie (its name does not resolve). Every base image of the lessons is on this machine already, so nothing needs pulling now; this matters when one is missing or you want a newer one.',
    );
    expect(item.message['zh-CN']).toContain('现在不需要拉取');
  });

  it('names the configured mirror instead of asking for one', () => {
    const item = judgeRegistries({ probes: [hub(false, 'dial tcp: i/o timeout')], mirrors: ['https://mirror.example.cn/'] });
    expect(item.fix?.en).toContain('through your registry mirror (https://mirror.example.cn/)');
    expect(item.details).toMatchObject({ silent: 'docker.io', mirrors: 'https://mirror.example.cn/' });
  });

  it('for gcr.io says mirrors do not apply and how to give a mirrored copy its original name', () => {
    const item = judgeRegistries({ probes: [hub(true), gcr(false, 'lookup gcr.io: no such host')], mirrors: ['https://mirror.example.cn'] });
    expect(item.status).toBe('warn');
    expect(item.fix?.en).toContain('"registry-mirrors" serves Docker Hub only, not gcr.io');
    expect(item.fix?.en).toContain(
      'docker pull <mirror>/distroless/static-debian13:nonroot && docker tag <mirror>/distroless/static-debian13:nonroot gcr.io/distroless/static-debian13:nonroot',
    );
    expect(item.fix?.['zh-CN']).toContain('只作用于 Docker Hub');
    expect(item.message.en).toContain('gcr.io did not answer for gcr.io/distroless/static-debian13:nonroot (its name does not resolve).');
    expect(item.message['zh-CN']).toContain('（域名无法解析）');
  });

  it('is ok with nothing to pull', () => {
    expect(judgeRegistries({ probes: [], mirrors: [] }).status).toBe('ok');
  });
});
