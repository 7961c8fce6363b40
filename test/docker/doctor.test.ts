import { afterEach, describe, expect, it } from 'vitest';
import { detectCapabilities } from '../../src/engine/docker/capabilities.js';
import { formatDoctor } from '../../src/commands/doctor.js';
import { runDoctor } from '../../src/engine/doctor/index.js';
import { dockerForTests, labelledObjects } from './helpers.js';

const caps = await dockerForTests();
const BASES = ['golang:1.26-trixie', 'debian:trixie-slim', 'gcr.io/distroless/static-debian13:nonroot', 'scratch'];

describe.skipIf(!caps)('doctor against the real engine', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['DOCKER_HOST', 'LEARN_GO_DOCKER_DOCKER']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('reports a working setup as not blocking, with every item, and leaves nothing behind', async () => {
    const report = await runDoctor({ baseImages: BASES });
    const ids = report.items.map((i) => i.id);
    expect(ids).toEqual([
      'docker-cli',
      'daemon',
      'permission',
      'build-run',
      'buildkit',
      'compose',
      'swarm',
      'disk',
      'course-images',
      'arch',
      'base-images',
      'registries',
      'go-proxy',
      'proxy',
    ]);
    // No proxy on the test machine and nothing intercepted: the item is there, ok and quiet.
    expect(report.items.find((i) => i.id === 'proxy')).toMatchObject({ status: 'ok', quiet: true });
    const blocking = report.items.filter((i) => i.status === 'fail');
    expect(blocking, JSON.stringify(blocking)).toEqual([]);
    expect(report.blocking).toBe(false);
    expect(report.items.find((i) => i.id === 'build-run')?.status).toBe('ok');
    // The test environment's own lesson images are on this engine: measured, with the way to free them.
    expect(report.items.find((i) => i.id === 'course-images')?.message.en).toMatch(
      /^About \d.* with the base images they are built on .* Remove them: npx learn-go-docker clean$/,
    );
    const text = formatDoctor(report, 'en');
    expect(text).toContain('Nothing blocks the lessons.');
    expect(formatDoctor(report, 'zh-CN')).toContain('没有阻碍课程进行的问题。');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(await labelledObjects(`label=learn-go-docker.session=doctor-${process.pid}`)).toEqual([]);
  });

  it('blocks when the daemon is unreachable and says where it looked', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const report = await runDoctor({ baseImages: BASES, offline: true });
    expect(report.blocking).toBe(true);
    const daemon = report.items.find((i) => i.id === 'daemon');
    expect(daemon?.status).toBe('fail');
    expect(daemon?.message.en).toContain('unix:///nonexistent/docker.sock');
    expect(daemon?.fix?.en).toContain('docker info');
  });

  it('blocks when the docker CLI is missing', async () => {
    process.env.LEARN_GO_DOCKER_DOCKER = '/nonexistent/docker';
    const report = await runDoctor({ offline: true });
    expect(report.blocking).toBe(true);
    expect(report.items[0]).toMatchObject({ id: 'docker-cli', status: 'fail' });
  });

  it('warns (without blocking) about a classic-only builder and missing base images offline', async () => {
    process.env.LEARN_GO_DOCKER_DOCKER = 'docker';
    const report = await runDoctor({ baseImages: ['learn-go-docker/not-there:1'], offline: true });
    const builder = report.items.find((i) => i.id === 'buildkit');
    // `docker` on PATH may or may not have buildx: the item must follow what it really has.
    const classic = (await detectCapabilities()).builder === 'classic';
    expect(builder?.status).toBe(classic ? 'warn' : 'ok');
    if (classic) expect(builder?.message.en).toContain('classic builder');
    expect(report.items.find((i) => i.id === 'base-images')?.status).toBe('warn');
  });
});
