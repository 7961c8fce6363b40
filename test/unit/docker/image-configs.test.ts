import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberInspect, rememberedInspect } from '../../../src/engine/docker/image-configs.js';
import { parseImageInspect } from '../../../src/engine/docker/parse-inspect.js';
import type { ImageInspect } from '../../../src/engine/docker/session.js';

const id = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;
const inspectJson = (imageId: string, port: string) =>
  JSON.stringify([
    { Id: imageId, Size: 10_500_000, Config: { User: 'nonroot', ExposedPorts: { [port]: {} }, Entrypoint: ['/server'] }, RootFS: { Layers: ['sha256:aa'] } },
  ]);

// An image id is the digest of its config: what `docker image inspect <id>` said once is what it
// says again. A warm verify (same build, same id) reads it instead of asking Docker.
describe('remembered image inspects', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lgd-image-configs-'));
    vi.stubEnv('LEARN_GO_DOCKER_CACHE_DIR', join(dir, 'cache'));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it('are read back by image id, never by name, and an entry another version wrote without layers is not trusted', async () => {
    const image = parseImageInspect(inspectJson(id(1), '8080/tcp'));
    await rememberInspect(image);
    expect(await rememberedInspect(id(1))).toEqual(image);
    expect(await rememberedInspect(id(2))).toBeUndefined();
    // A name can point at another image tomorrow: never looked up, never stored.
    expect(await rememberedInspect('learn-go-docker/multi-stage:verify')).toBeUndefined();
    await rememberInspect({ ...image, id: 'golang:1.26-trixie' });
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'cache', 'image-configs.json'), 'utf8')))).toEqual([id(1)]);
    const { layers: _dropped, ...old } = parseImageInspect(inspectJson(id(3), '8080/tcp'));
    await writeFile(join(dir, 'cache', 'image-configs.json'), JSON.stringify({ [id(3)]: old }));
    expect(await rememberedInspect(id(3))).toBeUndefined();
  });

  it('keep the newest 24 images', async () => {
    for (let n = 1; n <= 30; n += 1) await rememberInspect(parseImageInspect(inspectJson(id(n), '8080/tcp')) as ImageInspect);
    const kept = Object.keys(JSON.parse(await readFile(join(dir, 'cache', 'image-configs.json'), 'utf8')));
    expect(kept).toHaveLength(24);
    expect(kept[0]).toBe(id(7));
    expect(kept.at(-1)).toBe(id(30));
    expect(await rememberedInspect(id(6))).toBeUndefined();
    expect((await rememberedInspect(id(30)))?.exposedPorts).toEqual(['8080/tcp']);
  });

  it('spare the session its docker call for an id inspected by an earlier verify, and still ask for a name', async () => {
    const { createDockerSession } = await import('../../../src/engine/docker/docker-session.js');
    const calls = join(dir, 'calls');
    const fake = join(dir, 'docker');
    await writeFile(fake, `#!/bin/sh\necho "$*" >> ${calls}\nif [ "$1" = image ]; then echo '${inspectJson(id(9), '9090/tcp')}'; fi\nexit 0\n`);
    await chmod(fake, 0o755);
    vi.stubEnv('LEARN_GO_DOCKER_DOCKER', fake);
    const inspects = async () => (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('image inspect')).length;
    const first = createDockerSession({ contextDir: dir, lessonId: 'configs-test', transient: true });
    try {
      expect((await first.inspectImage(id(9))).exposedPorts).toEqual(['9090/tcp']);
      expect(await inspects()).toBe(1);
    } finally {
      await first.dispose();
    }
    // Written beside the checks: wait until it is on disk, as the next process would find it.
    for (let i = 0; i < 50 && !(await rememberedInspect(id(9))); i += 1) await new Promise((r) => setTimeout(r, 20));
    const second = createDockerSession({ contextDir: dir, lessonId: 'configs-test', transient: true });
    try {
      expect((await second.inspectImage(id(9))).exposedPorts).toEqual(['9090/tcp']);
      expect(await inspects()).toBe(1);
      await second.inspectImage('gcr.io/distroless/static-debian13:nonroot');
      expect(await inspects()).toBe(2);
    } finally {
      await second.dispose();
    }
  });
});
