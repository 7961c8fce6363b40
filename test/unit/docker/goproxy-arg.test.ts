import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildArgsFor } from '../../../src/engine/docker/build.js';
import { lessonGoproxy, roomGoproxy, useRoomGoproxy, USUAL_GOPROXY } from '../../../src/engine/docker/goproxy-arg.js';
import type { DockerCapabilities } from '../../../src/engine/docker/session.js';

// A lesson build's GOPROXY: the learner's LEARN_GO_DOCKER_GOPROXY wins; in a workshop room the
// room's proxy comes first ("|": any error of it falls through), then the learner's usual proxy.

const ROOM = 'http://192.168.1.20:8787/goproxy/';
const caps = { available: true, builder: 'buildkit-env', compose: 'v2', daemonReachable: true, permissionDenied: false } as DockerCapabilities;
const base = { contextDir: '/ctx', tag: 'lgd:1', labels: { 'learn-go-docker': '1' }, caps };
const goproxyArg = (args: string[]): string | undefined =>
  args.map((a, i) => (args[i - 1] === '--build-arg' && a.startsWith('GOPROXY=') ? a.slice('GOPROXY='.length) : undefined)).find(Boolean);

afterEach(() => {
  useRoomGoproxy(undefined);
  vi.unstubAllEnvs();
});

describe('lessonGoproxy', () => {
  it('nothing outside a room: the Dockerfile’s default (and the cache keys prepare warmed)', () => {
    expect(lessonGoproxy({}, undefined)).toBeUndefined();
  });
  it('the room first, then the lessons’ default', () => {
    expect(lessonGoproxy({}, ROOM)).toBe(`${ROOM}|https://proxy.golang.org,direct`);
    expect(USUAL_GOPROXY).toBe('https://proxy.golang.org,direct');
  });
  it('then the learner’s own GOPROXY when it can work inside a build', () => {
    expect(lessonGoproxy({ GOPROXY: 'https://goproxy.cn,direct' }, ROOM)).toBe(`${ROOM}|https://goproxy.cn,direct`);
    expect(lessonGoproxy({ GOPROXY: 'https://a.example|https://b.example,off' }, ROOM)).toBe(`${ROOM}|https://a.example|https://b.example,off`);
    // The host's file cache or a proxy on its loopback is not the build's: the default instead.
    expect(lessonGoproxy({ GOPROXY: 'file:///home/me/go/pkg/mod/cache/download,direct' }, ROOM)).toBe(`${ROOM}|${USUAL_GOPROXY}`);
    expect(lessonGoproxy({ GOPROXY: 'http://127.0.0.1:3000,direct' }, ROOM)).toBe(`${ROOM}|${USUAL_GOPROXY}`);
  });
  it('the learner’s LEARN_GO_DOCKER_GOPROXY wins, whole', () => {
    expect(lessonGoproxy({ LEARN_GO_DOCKER_GOPROXY: 'https://goproxy.cn,direct', GOPROXY: 'https://x.example' }, ROOM)).toBe('https://goproxy.cn,direct');
    expect(lessonGoproxy({ LEARN_GO_DOCKER_GOPROXY: 'https://goproxy.cn,direct' }, undefined)).toBe('https://goproxy.cn,direct');
  });
  it('a room on loopback is left out: inside a BuildKit RUN 127.0.0.1 is the build itself', () => {
    for (const room of ['http://127.0.0.1:8787/goproxy/', 'http://localhost:8787/goproxy/', 'http://[::1]:8787/goproxy/'])
      expect([room, lessonGoproxy({}, room)]).toEqual([room, undefined]);
  });
});

describe('buildArgsFor carries it', () => {
  it('no GOPROXY build arg outside a room (unchanged)', () => {
    vi.stubEnv('LEARN_GO_DOCKER_GOPROXY', undefined);
    vi.stubEnv('GOPROXY', undefined);
    expect(goproxyArg(buildArgsFor(base, '/tmp/iid'))).toBeUndefined();
  });
  it('the room proxy once the engine handed it over', () => {
    vi.stubEnv('LEARN_GO_DOCKER_GOPROXY', undefined);
    vi.stubEnv('GOPROXY', undefined);
    useRoomGoproxy(ROOM);
    expect(roomGoproxy()).toBe(ROOM);
    expect(goproxyArg(buildArgsFor(base, '/tmp/iid'))).toBe(`${ROOM}|https://proxy.golang.org,direct`);
    // A check's own build args still win over it (as over LEARN_GO_DOCKER_GOPROXY before).
    expect(goproxyArg(buildArgsFor({ ...base, buildArgs: { GOPROXY: 'off' } }, '/tmp/iid'))).toBe('off');
    useRoomGoproxy(undefined);
    expect(goproxyArg(buildArgsFor(base, '/tmp/iid'))).toBeUndefined();
  });
  it('the learner’s own LEARN_GO_DOCKER_GOPROXY wins over the room', () => {
    vi.stubEnv('LEARN_GO_DOCKER_GOPROXY', 'https://goproxy.cn,direct');
    useRoomGoproxy(ROOM);
    expect(goproxyArg(buildArgsFor(base, '/tmp/iid'))).toBe('https://goproxy.cn,direct');
  });
});
