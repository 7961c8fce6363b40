import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLessons } from '../../src/engine/dev/check-lessons.js';
import { createDockerSession } from '../../src/engine/docker/docker-session.js';
import { inspectLocalImage } from '../../src/engine/docker/image-transfer.js';
import { courseBaseImages } from '../../src/engine/lessons/base-images.js';
import type { Course } from '../../src/engine/lessons/load.js';
import { realPrepareDriver } from '../../src/engine/prepare/driver.js';
import { MODULES_IMAGE } from '../../src/engine/prepare/modules.js';
import { exportArchive, importArchive, runPrepare } from '../../src/engine/prepare/prepare.js';
import type { PrepareEvent } from '../../src/engine/prepare/types.js';
import { registryForCourse } from './course.js';
import { dockerForTests } from './helpers.js';

// Issue 15's proof on the real engine: prepare --export of the course's base images (CI's local
// stand-ins), one image removed, prepare --import brings it back with the same ID, and a lesson's
// solution then passes. No stand-in base image is ever removed (other tests use them): the image
// removed is a private tag of one of them, so only that name goes and comes back. The module image
// (learn-go-docker/prepare:modules, the runner's own, labelled) is removed too and must come back.
// On CI no container registry can be reached (docs/test-env.md), so everything below works with none.

const caps = await dockerForTests();
const docker = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const PRIVATE = `learn-go-docker-test/prepare-standin:${process.pid}`;

describe.skipIf(!caps)('prepare --export / --import against the real engine', () => {
  let course: Course;
  let images: string[];
  let dir: string;
  let archive: string;
  let goSum: Uint8Array;
  let goMod: Uint8Array;
  let source: string;
  let sourceId: string;

  beforeAll(async () => {
    course = await registryForCourse();
    images = await courseBaseImages(course);
    goMod = (await course.files.read('sample-app/go.mod'))?.bytes ?? new Uint8Array();
    goSum = (await course.files.read('sample-app/go.sum'))?.bytes ?? new Uint8Array();
    dir = await mkdtemp(join(tmpdir(), 'lgd-prepare-'));
    archive = join(dir, 'workshop.tar');
    // The smallest stand-in that is not the golang image: its private name is what goes and comes back.
    source = images.find((i) => i.startsWith('gcr.io/distroless/')) ?? images.find((i) => i !== 'scratch' && !i.startsWith('golang:')) ?? '';
    expect(source, `no base image to tag among ${images.join(', ')}`).not.toBe('');
    sourceId = (await inspectLocalImage(source))?.id ?? '';
    expect(sourceId, `${source} is not on this engine: run npm run test:env`).toMatch(/^sha256:/);
    await execa(docker(), ['tag', source, PRIVATE]);
  });

  afterAll(async () => {
    // Only the private name: the stand-in keeps its own.
    await execa(docker(), ['image', 'rm', PRIVATE], { reject: false });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prepare finds every base image here, pulls nothing, warms the Go modules and is ready', async () => {
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: realPrepareDriver(), images, goMod, goSum, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'image-pull')).toEqual([]);
    expect(
      result.images.every((i) => i.status === 'present'),
      JSON.stringify(result.images),
    ).toBe(true);
    expect(result.modules.ok, result.modules.message.en).toBe(true);
    expect(result.ready, JSON.stringify(result.doctor?.items.filter((i) => i.status === 'fail'))).toBe(true);
    const seeds = await execa(docker(), ['image', 'ls', '-q', '--filter', `reference=learn-go-docker/prepare:seed-*`]);
    expect(seeds.stdout.trim()).toBe('');
  });

  it('exports the base images, the private copy and the module download into one archive', async () => {
    const events: PrepareEvent[] = [];
    const { result, problems } = await exportArchive({
      driver: realPrepareDriver(),
      images: [...images, PRIVATE],
      goMod,
      goSum,
      file: archive,
      tool: 'test',
      onEvent: (e) => events.push(e),
    });
    expect(problems.map((p) => p.message.en)).toEqual([]);
    expect(result?.images).toContain(PRIVATE);
    expect(result?.modules).toBe(MODULES_IMAGE);
    expect(events.some((e) => e.type === 'bytes' && e.step === 'save' && e.bytes > 0)).toBe(true);
    const listing = await execa('tar', ['-tf', archive]);
    expect(listing.stdout.trim().split('\n')).toEqual(['images.tar', 'learn-go-docker-prepare.json']);
  });

  it('imports it after the private copy and the module image are removed: both back with the same IDs', async () => {
    const modulesId = (await inspectLocalImage(MODULES_IMAGE))?.id;
    expect(modulesId).toMatch(/^sha256:/);
    await execa(docker(), ['image', 'rm', PRIVATE]);
    await execa(docker(), ['image', 'rm', MODULES_IMAGE]);
    expect(await inspectLocalImage(PRIVATE)).toBeUndefined();
    expect(await inspectLocalImage(source)).toBeDefined(); // the stand-in itself never went

    const events: PrepareEvent[] = [];
    const result = await importArchive({ driver: realPrepareDriver(), file: archive, goSum, onEvent: (e) => events.push(e) });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.images.find((i) => i.ref === PRIVATE)).toEqual({ ref: PRIVATE, expectedId: sourceId, status: 'ok', actualId: sourceId });
    expect((await inspectLocalImage(PRIVATE))?.id).toBe(sourceId);
    expect((await inspectLocalImage(MODULES_IMAGE))?.id).toBe(modulesId);
    expect(result.modules?.restored, result.modules?.message.en).toBe(true);
    expect(events.some((e) => e.type === 'bytes' && e.step === 'load' && e.bytes > 0)).toBe(true);
  });

  it('a truncated copy of the archive is refused in one line before docker load', async () => {
    const cut = join(dir, 'cut.tar');
    await execa('head', ['-c', '1000000', archive], { stdout: { file: cut } });
    const error = await importArchive({ driver: realPrepareDriver(), file: cut, goSum }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/is not a usable workshop archive: it is truncated/);
    expect(error?.message.split('\n')).toHaveLength(1);
  });

  it("then a lesson's solution passes with no registry (lesson 3: its cache mount of /go/pkg/mod is the one import restored)", async () => {
    const [result] = await checkLessons({ course, createSession: createDockerSession, only: ['layers-and-cache'] });
    const failing = result?.solution.filter((c) => c.status !== 'pass' && c.status !== 'unknown').map((c) => `${c.id}: ${c.status} ${c.message.en}`);
    expect(result?.solutionOk, failing?.join('\n')).toBe(true);
  });
});
