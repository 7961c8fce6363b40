import { describe, expect, it } from 'vitest';
import { buildArgsFor } from '../../../src/engine/docker/build.js';
import type { DockerCapabilities } from '../../../src/engine/docker/session.js';

const caps = (builder: DockerCapabilities['builder']): DockerCapabilities =>
  ({ available: true, builder, compose: 'v2', daemonReachable: true, permissionDenied: false }) as DockerCapabilities;
const base = { contextDir: '/ctx', tag: 'lgd:1', labels: { 'learn-go-docker': '1' } };

describe('buildArgsFor', () => {
  it('asks for the platform and the target when a check does (build.platforms, build.test-target)', () => {
    const args = buildArgsFor({ ...base, caps: caps('buildkit-env'), platform: 'linux/arm64', target: 'test' }, '/tmp/iid');
    expect(args.slice(args.indexOf('--target'), args.indexOf('--target') + 4)).toEqual(['--target', 'test', '--platform', 'linux/arm64']);
    expect(args.at(-1)).toBe('/ctx');
  });
  it('leaves --platform out when no platform is asked for (the image is for this machine)', () => {
    expect(buildArgsFor({ ...base, caps: caps('buildkit-env') }, '/tmp/iid')).not.toContain('--platform');
  });
});

describe('buildArgsFor, the Dockerfile path', () => {
  it('reads a relative Dockerfile from the context', () => {
    const args = buildArgsFor({ ...base, dockerfile: 'build/Dockerfile', caps: caps('buildkit-env') }, '/tmp/iid');
    expect(args[args.indexOf('-f') + 1]).toBe('/ctx/build/Dockerfile');
  });
  it('takes an absolute one as it is: a derived Dockerfile outside the context (image.no-secret)', () => {
    const args = buildArgsFor({ ...base, dockerfile: '/tmp/fresh/Dockerfile', caps: caps('buildkit-env') }, '/tmp/iid');
    expect(args[args.indexOf('-f') + 1]).toBe('/tmp/fresh/Dockerfile');
    expect(args.at(-1)).toBe('/ctx');
  });
});
