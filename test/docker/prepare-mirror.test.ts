import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLocalImage } from '../../src/engine/docker/image-transfer.js';
import { courseBaseImages } from '../../src/engine/lessons/base-images.js';
import { realPrepareDriver } from '../../src/engine/prepare/driver.js';
import { parseMirrors } from '../../src/engine/prepare/mirror.js';
import { runPrepare } from '../../src/engine/prepare/prepare.js';
import type { PrepareEvent } from '../../src/engine/prepare/types.js';
import { registryForCourse } from './course.js';
import { dockerForTests } from './helpers.js';
import { serveImage, type MiniRegistry } from './mini-registry.js';

// prepare --mirror on the real engine: an image the machine lacks is pulled from a mirror (a
// registry on 127.0.0.1), named as the course names it, and the mirror's name is dropped. The image
// is made here (FROM scratch, a file unique to this run), saved for the mirror and removed, so the
// engine has none of its layers and must download them. It is wanted under a registry that does
// not exist (lgd-mirror.test): no stand-in is touched, and only the mirror can have answered.

const caps = await dockerForTests();
const docker = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const WANTED = `lgd-mirror.test/prepare-standin:${process.pid}`;
const SOURCE = `learn-go-docker-test/mirror-source:${process.pid}`;

describe.skipIf(!caps)('prepare --mirror against the real engine', () => {
  let registry: MiniRegistry;
  let sourceId: string;
  let goImage: string;
  let goMod: Uint8Array;
  let goSum: Uint8Array;

  beforeAll(async () => {
    const course = await registryForCourse();
    const images = await courseBaseImages(course);
    goMod = (await course.files.read('sample-app/go.mod'))?.bytes ?? new Uint8Array();
    goSum = (await course.files.read('sample-app/go.sum'))?.bytes ?? new Uint8Array();
    goImage = images.find((i) => /^golang:.*-trixie$/.test(i)) ?? '';
    const context = await mkdtemp(join(tmpdir(), 'lgd-mirror-source-'));
    try {
      await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY marker /marker\n');
      await writeFile(join(context, 'marker'), `prepare --mirror test ${process.pid} ${Date.now()}\n`);
      await execa(docker(), ['build', '-q', '--label', 'learn-go-docker=1', '-t', SOURCE, context], { timeout: 120_000 });
    } finally {
      await rm(context, { recursive: true, force: true });
    }
    sourceId = (await inspectLocalImage(SOURCE))?.id ?? '';
    expect(sourceId).toMatch(/^sha256:/);
    registry = await serveImage(docker(), SOURCE, 'mirror/prepare-standin', String(process.pid));
    await execa(docker(), ['image', 'rm', SOURCE]);
  }, 180_000);

  afterAll(async () => {
    await execa(docker(), ['image', 'rm', WANTED, SOURCE], { reject: false });
    await registry?.close();
  });

  it('pulls a missing image from the mirror, gives it the course name (the same image id) and drops the mirror name', async () => {
    expect(await inspectLocalImage(WANTED)).toBeUndefined();
    const mirrors = parseMirrors([`lgd-mirror.test=${registry.host}/mirror`]);
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: realPrepareDriver(), images: [WANTED, goImage], goMod, goSum, mirrors, onEvent: (e) => events.push(e) });
    const from = `${registry.host}/mirror/prepare-standin:${process.pid}`;
    expect(
      result.images.find((i) => i.ref === WANTED),
      JSON.stringify(result.images),
    ).toMatchObject({ status: 'pulled', id: sourceId });
    expect(events.find((e) => e.type === 'image-pulled')).toMatchObject({ ref: WANTED, from });
    expect((await inspectLocalImage(WANTED))?.id).toBe(sourceId);
    expect(await inspectLocalImage(from)).toBeUndefined();
    // The manifest and the layer came from the mirror: the engine had neither.
    const asked = registry.requests.join('\n');
    expect(asked).toContain(`/v2/mirror/prepare-standin/manifests/${process.pid}`);
    expect(asked).toContain('GET /v2/mirror/prepare-standin/blobs/sha256:');
    // The Go image was here: asked of nobody.
    expect(result.images.find((i) => i.ref === goImage)?.status).toBe('present');
  }, 300_000);

  it('a mirror without the image: that pull fails, in words that name the mirror copy and what to do', async () => {
    await execa(docker(), ['image', 'rm', WANTED], { reject: false });
    const mirrors = parseMirrors([`lgd-mirror.test=${registry.host}/elsewhere`]);
    const result = await runPrepare({ driver: realPrepareDriver(), images: [WANTED, goImage], goMod, goSum, mirrors });
    const outcome = result.images.find((i) => i.ref === WANTED);
    expect(outcome?.status).toBe('failed');
    const message = outcome?.status === 'failed' ? outcome.message.en : '';
    expect(message).toContain(`the pull of ${registry.host}/elsewhere/prepare-standin:${process.pid} failed`);
    expect(message).toContain('--mirror');
    expect(result.ready).toBe(false);
    expect(await inspectLocalImage(WANTED)).toBeUndefined();
  }, 300_000);
});
