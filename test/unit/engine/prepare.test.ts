import { execFileSync } from 'node:child_process';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError, UserError } from '../../../src/engine/errors.js';
import { isNetworkPullError, parseManifestSizes, parsePullLine, PullTracker } from '../../../src/engine/docker/parse-pull.js';
import { BLOCK, readArchiveLayout, readTarHeader, tarHeader } from '../../../src/engine/prepare/archive.js';
import { etaSeconds, overallEta } from '../../../src/engine/prepare/eta.js';
import { compareImages, parseManifest } from '../../../src/engine/prepare/manifest.js';
import { GO_SUM_LABEL, MODULES_IMAGE, goSumHash, modulesDockerfile, seedDockerfile } from '../../../src/engine/prepare/modules.js';
import { exportArchive, importArchive, runPrepare } from '../../../src/engine/prepare/prepare.js';
import type { PrepareEvent } from '../../../src/engine/prepare/types.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { COURSE_IMAGES, DEBIAN, DISTROLESS, GO, doctorReport, fakePrepareDriver, idOf, image } from './prepare-fakes.js';
import { availableCaps, tempDir } from './fakes.js';

const goMod = 'module example.com/notes\n';
const goSum = 'github.com/gin-gonic/gin v1.10.1 h1:abc=\n';
const allLocal = () => ({ [GO]: image(GO), [DEBIAN]: image(DEBIAN), [DISTROLESS]: image(DISTROLESS) });
const NO_HOST = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host';

describe('prepare: ordering and skip-present', () => {
  it('inspects every image, asks sizes only for the missing, pulls them in order, warms the modules, then runs doctor', async () => {
    const fake = fakePrepareDriver({
      local: { [GO]: image(GO) },
      sizes: { [DEBIAN]: { aaaaaaaaaaaa: 30e6 }, [DISTROLESS]: { bbbbbbbbbbbb: 2e6, cccccccccccc: 1e6 } },
      pullLayers: { [DEBIAN]: ['aaaaaaaaaaaa'], [DISTROLESS]: ['bbbbbbbbbbbb', 'cccccccccccc'] },
    });
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum, onEvent: (e) => events.push(e) });
    expect(fake.calls).toEqual([
      'capabilities',
      `inspect ${DEBIAN}`,
      `inspect ${DISTROLESS}`,
      `inspect ${GO}`,
      `sizes ${DEBIAN}`,
      `sizes ${DISTROLESS}`,
      `pull ${DEBIAN} linux/amd64`,
      `inspect ${DEBIAN}`,
      `pull ${DISTROLESS} linux/amd64`,
      `inspect ${DISTROLESS}`,
      `inspect ${GO}`,
      'build modules',
      'build seed',
      `rm learn-go-docker/prepare:seed-${process.pid}`,
      'doctor',
    ]);
    expect(result.ready).toBe(true);
    expect(result.platform).toBe('linux/amd64');
    expect(result.images.map((i) => [i.ref, i.status])).toEqual([
      [DEBIAN, 'pulled'],
      [DISTROLESS, 'pulled'],
      [GO, 'present'],
    ]);
    expect(events.find((e) => e.type === 'image-present')).toMatchObject({ ref: GO, index: 3, total: 3 });
    expect(events.find((e) => e.type === 'image-pull' && e.ref === DISTROLESS)).toMatchObject({ bytesTotal: 3e6, index: 2 });
    const progress = events.filter((e) => e.type === 'image-progress' && e.ref === DISTROLESS);
    expect(progress.at(-1)).toMatchObject({ layers: 2, layersDone: 2, bytesDone: 3e6, bytesTotal: 3e6 });
    const overall = events.filter((e) => e.type === 'overall');
    expect(overall.at(-1)).toMatchObject({ imagesDone: 2, images: 2, bytesDone: 33e6, bytesTotal: 33e6 });
  });

  it('pulls nothing and asks no registry when every image is here (offline, or CI with stand-ins)', async () => {
    const fake = fakePrepareDriver({ local: allLocal() });
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum, onEvent: (e) => events.push(e) });
    expect(fake.calls.filter((c) => /^(pull|sizes)/.test(c))).toEqual([]);
    expect(events.filter((e) => e.type === 'image-present').map((e) => (e as { ref: string }).ref)).toEqual([DEBIAN, DISTROLESS, GO]);
    expect(result.ready).toBe(true);
  });

  it('pulls an image whose copy here is for another platform, and says why', async () => {
    const fake = fakePrepareDriver({ local: allLocal() });
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: fake.driver, images: [GO], goMod, goSum, platform: 'linux/arm64', onEvent: (e) => events.push(e) });
    expect(fake.calls).toContain(`pull ${GO} linux/arm64`);
    const pull = events.find((e) => e.type === 'image-pull');
    expect(pull && 'reason' in pull ? pull.reason?.en : '').toBe('the copy here is linux/amd64, not linux/arm64');
    expect(result.images[0]?.status).toBe('pulled');
    // A module build for a platform not the engine's own says so (it needs emulation).
    expect(fake.builds[0]?.platform).toBe('linux/arm64');
  });

  it('refuses a platform the course is not for, and a Docker that is not usable', async () => {
    await expect(runPrepare({ driver: fakePrepareDriver().driver, images: [], goMod, goSum, platform: 'windows/amd64' })).rejects.toThrow(UserError);
    await expect(runPrepare({ driver: fakePrepareDriver().driver, images: [], goMod, goSum, platform: 'windows/amd64' })).rejects.toThrow(
      '--platform must be linux/amd64 or linux/arm64, not "windows/amd64".',
    );
    const none = fakePrepareDriver({ caps: { available: false, builder: 'none' } });
    await expect(runPrepare({ driver: none.driver, images: [GO], goMod, goSum })).rejects.toThrow(EnvironmentError);
  });
});

describe('prepare: no registry', () => {
  it('a missing image is a clear failure naming it and what to do; the silent registry is not asked again', async () => {
    const fake = fakePrepareDriver({
      local: { [GO]: image(GO) },
      pulls: { [DEBIAN]: { ok: false, timedOut: false, durationMs: 5, error: NO_HOST } },
    });
    const result = await runPrepare({ driver: fake.driver, images: [DEBIAN, 'debian:bookworm-slim', GO], goMod, goSum });
    expect(fake.calls.filter((c) => c.startsWith('pull'))).toEqual([`pull ${DEBIAN} linux/amd64`]);
    expect(result.ready).toBe(false);
    const failed = result.images.filter((i) => i.status === 'failed');
    expect(failed.map((f) => f.ref)).toEqual([DEBIAN, 'debian:bookworm-slim']);
    const message = failed[0]?.status === 'failed' ? failed[0].message : undefined;
    expect(message?.en).toContain(`${DEBIAN} is not on this machine and no registry answered (${NO_HOST}).`);
    expect(message?.en).toContain('npx learn-go-docker prepare --import FILE');
    expect(message?.en).toContain('registry-mirrors');
    expect(message?.['zh-CN']).toContain('prepare --import FILE');
    expect(cjkSpacingProblems(message?.['zh-CN'] ?? '')).toEqual([]);
    // The modules still warm in the golang image that is here; doctor still runs.
    expect(result.modules.ok).toBe(true);
    expect(fake.calls.at(-1)).toBe('doctor');
  });

  it("an image here for another platform is said as such, and gcr.io's fix is not Docker Hub's mirror", async () => {
    const fake = fakePrepareDriver({
      local: { [DEBIAN]: image(DEBIAN), [DISTROLESS]: image(DISTROLESS) },
      pulls: {
        [DEBIAN]: { ok: false, timedOut: false, durationMs: 5, error: NO_HOST },
        [DISTROLESS]: { ok: false, timedOut: false, durationMs: 5, error: NO_HOST },
      },
    });
    const result = await runPrepare({ driver: fake.driver, images: [DEBIAN, DISTROLESS], goMod, goSum, platform: 'linux/arm64' });
    const [debian, distroless] = result.images.map((i) => (i.status === 'failed' ? i.message : undefined));
    expect(debian?.en).toMatch(
      new RegExp(`^${DEBIAN} is not on this machine for linux/arm64 \\(the copy here is linux/amd64, not linux/arm64\\) and no registry answered`),
    );
    expect(debian?.en).toContain('registry-mirrors');
    expect(distroless?.en).toContain(`pull a copy from a mirror of gcr.io and docker tag it ${DISTROLESS}`);
    expect(distroless?.en).not.toContain('registry-mirrors');
    expect(cjkSpacingProblems(distroless?.['zh-CN'] ?? '')).toEqual([]);
  });

  it('a registry that refuses (not the network) is said as such, and the next image is still tried', async () => {
    const fake = fakePrepareDriver({
      pulls: { [DEBIAN]: { ok: false, timedOut: false, durationMs: 5, error: 'manifest for debian:trixie-slim not found: manifest unknown' } },
    });
    const result = await runPrepare({ driver: fake.driver, images: [DEBIAN, 'debian:bookworm-slim'], goMod, goSum });
    expect(fake.calls.filter((c) => c.startsWith('pull'))).toHaveLength(2);
    const first = result.images[0];
    expect(first?.status === 'failed' ? first.message.en : '').toMatch(/^debian:trixie-slim is not on this machine and the pull failed: manifest for/);
  });

  it('with the modules warm, a Go proxy that does not answer does not make the machine unready; another blocking item does', async () => {
    const proxyDown = doctorReport([{ id: 'go-proxy', status: 'fail', blocking: true }]);
    expect((await runPrepare({ driver: fakePrepareDriver({ local: allLocal(), doctor: proxyDown }).driver, images: COURSE_IMAGES, goMod, goSum })).ready).toBe(
      true,
    );
    const disk = doctorReport([{ id: 'disk', status: 'fail', blocking: true }]);
    expect((await runPrepare({ driver: fakePrepareDriver({ local: allLocal(), doctor: disk }).driver, images: COURSE_IMAGES, goMod, goSum })).ready).toBe(
      false,
    );
  });
});

describe('prepare: the Go modules', () => {
  it("the module build starts with the lessons' own lines (same cache keys) and the seed fills the /go/pkg/mod cache mount", () => {
    expect(modulesDockerfile(GO)).toBe(`FROM ${GO}\nARG GOPROXY=https://proxy.golang.org,direct\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n`);
    const seed = seedDockerfile('abc');
    expect(seed).toContain(`FROM ${MODULES_IMAGE}`);
    expect(seed).toContain('--mount=type=cache,id=/go/pkg/mod,target=/learn-go-docker-seed');
  });

  it('builds labelled images with go.mod and go.sum as the whole context', async () => {
    const fake = fakePrepareDriver({ local: allLocal() });
    await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum });
    const [modules, seed] = fake.builds;
    expect(modules?.tag).toBe(MODULES_IMAGE);
    expect(modules?.labels).toEqual({ 'learn-go-docker': '1', 'learn-go-docker.prepare': 'modules', [GO_SUM_LABEL]: goSumHash(goSum) });
    expect(Object.keys(modules?.files ?? {})).toEqual(['go.mod', 'go.sum']);
    expect(modules?.platform).toBeUndefined();
    expect(seed?.labels['learn-go-docker']).toBe('1');
    expect(seed?.buildArgs?.LEARN_GO_DOCKER_NONCE).toBeTruthy();
  });

  it('without the golang image the modules are not warmed, and that is said', async () => {
    const fake = fakePrepareDriver({ local: { [DEBIAN]: image(DEBIAN) }, pulls: { [GO]: { ok: false, timedOut: false, durationMs: 1, error: NO_HOST } } });
    const result = await runPrepare({ driver: fake.driver, images: [DEBIAN, GO], goMod, goSum });
    expect(fake.calls.filter((c) => c.startsWith('build'))).toEqual([]);
    expect(result.modules.ok).toBe(false);
    expect(result.modules.message.en).toBe(`Not warmed: ${GO} is not on this machine, and the module download runs in it.`);
  });

  it('a download that fails (no proxy) falls back on the module image an earlier prepare left for this go.sum', async () => {
    const earlier = image(MODULES_IMAGE, { labels: { [GO_SUM_LABEL]: goSumHash(goSum) } });
    const fake = fakePrepareDriver({
      local: { ...allLocal(), [MODULES_IMAGE]: earlier },
      modulesBuildFails: ['go: github.com/gin-gonic/gin: dial tcp: i/o timeout'],
    });
    const result = await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum });
    expect(fake.calls.filter((c) => c.startsWith('build'))).toEqual(['build modules', 'build seed']);
    expect(result.modules.ok).toBe(true);
    const none = fakePrepareDriver({ local: allLocal(), modulesBuildFails: ['go: github.com/gin-gonic/gin: dial tcp: i/o timeout'] });
    const failed = await runPrepare({ driver: none.driver, images: COURSE_IMAGES, goMod, goSum });
    expect(failed.modules.ok).toBe(false);
    expect(failed.modules.message.en).toContain('go mod download of the sample app failed: go: github.com/gin-gonic/gin: dial tcp: i/o timeout');
    expect(failed.modules.fix?.en).toContain('LEARN_GO_DOCKER_GOPROXY');
    expect(failed.ready).toBe(false);
  });

  it('the classic builder has no cache mount: no seed build', async () => {
    const fake = fakePrepareDriver({ local: allLocal(), caps: { builder: 'classic' } });
    const result = await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum });
    expect(fake.calls.filter((c) => c.startsWith('build'))).toEqual(['build modules']);
    expect(result.modules.ok).toBe(true);
  });
});

describe('prepare: the time left', () => {
  it('by bytes when sizes are known, else by images', () => {
    expect(etaSeconds(0, 100, 5000)).toBeUndefined();
    expect(etaSeconds(50, 100, 10_000)).toBe(10);
    expect(etaSeconds(100, 100, 10_000)).toBe(0);
    expect(overallEta({ bytesDone: 25e6, bytesTotal: 100e6, imagesDone: 0, imagesToPull: 2, elapsedMs: 10_000 })).toBe(30);
    expect(overallEta({ bytesDone: 0, bytesTotal: 0, imagesDone: 1, imagesToPull: 3, elapsedMs: 20_000 })).toBe(40);
    expect(overallEta({ bytesDone: 0, bytesTotal: 0, imagesDone: 0, imagesToPull: 3, elapsedMs: 20_000 })).toBeUndefined();
  });
});

describe('docker pull and manifest parsing', () => {
  it('reads layer lines and keeps each layer at its furthest state', () => {
    expect(parsePullLine('a2318d6c47ec: Pulling fs layer')).toEqual({ layer: 'a2318d6c47ec', state: 'waiting' });
    expect(parsePullLine('a2318d6c47ec: Download complete')).toEqual({ layer: 'a2318d6c47ec', state: 'downloaded' });
    expect(parsePullLine('a2318d6c47ec: Already exists')).toEqual({ layer: 'a2318d6c47ec', state: 'done' });
    expect(parsePullLine('Digest: sha256:0123')).toBeUndefined();
    expect(parsePullLine('1.26-trixie: Pulling from library/golang')).toBeUndefined();
    const t = new PullTracker();
    for (const line of ['aaaaaaaaaaaa: Pulling fs layer', 'bbbbbbbbbbbb: Waiting', 'aaaaaaaaaaaa: Pull complete', 'aaaaaaaaaaaa: Downloading']) t.push(line);
    expect(t.total).toBe(2);
    expect(t.downloaded).toEqual(['aaaaaaaaaaaa']);
  });

  it('finds the layer sizes of the asked platform in manifest inspect -v', () => {
    const list = JSON.stringify([
      { Descriptor: { platform: { os: 'linux', architecture: 'amd64' } }, SchemaV2Manifest: { layers: [{ digest: `sha256:${'a'.repeat(64)}`, size: 10 }] } },
      {
        Descriptor: { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        OCIManifest: { layers: [{ digest: `sha256:${'b'.repeat(64)}`, size: 20 }] },
      },
    ]);
    expect(parseManifestSizes(list, 'linux/amd64')).toEqual(new Map([['aaaaaaaaaaaa', 10]]));
    expect(parseManifestSizes(list, 'linux/arm64')).toEqual(new Map([['bbbbbbbbbbbb', 20]]));
    expect(parseManifestSizes(list, 'linux/s390x')).toBeUndefined();
    expect(parseManifestSizes('not json', 'linux/amd64')).toBeUndefined();
  });

  it('tells a registry that does not answer from one that refuses', () => {
    expect(isNetworkPullError(NO_HOST)).toBe(true);
    expect(isNetworkPullError('net/http: TLS handshake timeout')).toBe(true);
    expect(isNetworkPullError('pull access denied for nope, repository does not exist')).toBe(false);
  });
});

describe('prepare --export / --import', () => {
  let dir: string;
  let done: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, done } = await tempDir());
  });
  afterEach(async () => done());

  const exportOnce = async (file: string) => {
    const fake = fakePrepareDriver({ local: allLocal() });
    const events: PrepareEvent[] = [];
    const out = await exportArchive({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum, file, tool: '9.9.9', onEvent: (e) => events.push(e) });
    return { ...out, fake, events };
  };

  it('writes one tar: the saved images and a manifest of their IDs, platform, time and version', async () => {
    const file = join(dir, 'workshop.tar');
    const { result, problems, fake, events } = await exportOnce(file);
    expect(problems).toEqual([]);
    expect(result).toMatchObject({ file, images: [DEBIAN, DISTROLESS, GO], modules: MODULES_IMAGE, platform: 'linux/amd64' });
    expect(fake.calls).toContain(`save ${DEBIAN} ${DISTROLESS} ${GO} ${MODULES_IMAGE}`);
    expect(events.some((e) => e.type === 'bytes' && e.step === 'save')).toBe(true);
    expect(result?.bytes).toBe((await stat(file)).size);
    const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(['images.tar', 'learn-go-docker-prepare.json']);
    const layout = await readArchiveLayout(file);
    const parsed = parseManifest(layout.manifestText);
    if (!('manifest' in parsed)) throw new Error(parsed.problem);
    expect(parsed.manifest).toMatchObject({
      schema: 'learn-go-docker/prepare-archive',
      version: 1,
      tool: '9.9.9',
      platform: 'linux/amd64',
      modules: { ref: MODULES_IMAGE, goSum: goSumHash(goSum) },
      payload: { name: 'images.tar', bytes: layout.imagesBytes },
    });
    expect(parsed.manifest.images.map((i) => [i.ref, i.id])).toEqual([
      [DEBIAN, idOf(DEBIAN)],
      [DISTROLESS, idOf(DISTROLESS)],
      [GO, idOf(GO)],
    ]);
    expect(Date.parse(parsed.manifest.createdAt)).not.toBeNaN();
  });

  it('writes nothing when an image is missing, and says to run prepare first', async () => {
    const file = join(dir, 'workshop.tar');
    const fake = fakePrepareDriver({ local: { [GO]: image(GO) } });
    const { result, problems } = await exportArchive({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum, file, tool: '1' });
    expect(result).toBeUndefined();
    expect(problems.map((p) => p.message.en)).toEqual([
      `${DEBIAN} is not on this machine: run npx learn-go-docker prepare first.`,
      `${DISTROLESS} is not on this machine: run npx learn-go-docker prepare first.`,
    ]);
    expect(fake.calls.some((c) => c.startsWith('save'))).toBe(false);
    await expect(stat(file)).rejects.toThrow();
  });

  it('import loads, finds every image with its ID, and restores the module cache', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const learner = fakePrepareDriver();
    const events: PrepareEvent[] = [];
    const result = await importArchive({ driver: learner.driver, file, goSum, onEvent: (e) => events.push(e) });
    expect(result.ok).toBe(true);
    expect(result.images.map((i) => [i.ref, i.status])).toEqual([
      [DEBIAN, 'ok'],
      [DISTROLESS, 'ok'],
      [GO, 'ok'],
    ]);
    expect(result.modules).toMatchObject({ ref: MODULES_IMAGE, status: 'ok', restored: true });
    expect(learner.calls.filter((c) => c === 'load' || c.startsWith('build'))).toEqual(['load', 'build seed']);
    expect(events.map((e) => e.type === 'step' && e.step).filter(Boolean)).toEqual(['load', 'verify', 'restore']);
  });

  it("refuses an archive made for another platform before loading anything (it would replace this machine's images)", async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const appleSilicon = fakePrepareDriver({ caps: { arch: 'arm64' } });
    await expect(importArchive({ driver: appleSilicon.driver, file, goSum })).rejects.toThrow(
      `${file} holds images for linux/amd64; this Docker runs linux/arm64. Nothing was loaded.`,
    );
    expect(appleSilicon.calls).not.toContain('load');
  });

  it('says exactly what is missing or mismatched after the load', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const learner = fakePrepareDriver({ loadDrops: [DISTROLESS], loadAs: { [GO]: idOf('another golang') } });
    const result = await importArchive({ driver: learner.driver, file, goSum });
    expect(result.ok).toBe(false);
    expect(result.images).toEqual([
      { ref: DEBIAN, expectedId: idOf(DEBIAN), status: 'ok', actualId: idOf(DEBIAN) },
      { ref: DISTROLESS, expectedId: idOf(DISTROLESS), status: 'missing' },
      { ref: GO, expectedId: idOf(GO), status: 'mismatch', actualId: idOf('another golang') },
    ]);
  });

  it('modules for another go.sum are not restored, and that is said', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const result = await importArchive({ driver: fakePrepareDriver().driver, file, goSum: 'another go.sum' });
    expect(result.ok).toBe(false);
    expect(result.modules?.restored).toBe(false);
    expect(result.modules?.message.en).toContain('another go.sum');
  });

  const oneLine = async (file: string, driver = fakePrepareDriver().driver): Promise<string> => {
    const error = await importArchive({ driver, file, goSum }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(cjkSpacingProblems((error as UserError).localized['zh-CN'])).toEqual([]);
    return message;
  };

  it('a truncated archive is one clear line, before anything is loaded', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const { size } = await stat(file);
    await truncate(file, size - 1500);
    const learner = fakePrepareDriver();
    expect(await oneLine(file, learner.driver)).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a usable workshop archive: it is truncated \\(`),
    );
    expect(learner.calls).not.toContain('load');
    await truncate(file, 100);
    expect(await oneLine(file)).toContain('it is truncated (100 bytes)');
    await truncate(file, 0);
    expect(await oneLine(file)).toContain('it is truncated (the file is empty)');
  });

  it('a file that is not an archive, a missing file and a corrupt manifest are one line each', async () => {
    const other = join(dir, 'notes.txt');
    await writeFile(other, 'x'.repeat(4096));
    expect(await oneLine(other)).toContain('it does not start with a tar header; it was not made by prepare --export.');
    expect(await oneLine(join(dir, 'nope.tar'))).toContain('there is no such file.');
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const bytes = await readFile(file);
    const layout = await readArchiveLayout(file);
    const at = bytes.indexOf(Buffer.from('"schema"'), layout.imagesStart + layout.imagesBytes);
    bytes.write('"schemX"', at);
    await writeFile(file, bytes);
    expect(await oneLine(file)).toContain('its manifest is not one (schema undefined, not learn-go-docker/prepare-archive)');
  });

  it('corrupt image bytes (same length) are caught by the checksum; a refused docker load is one line', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const bytes = await readFile(file);
    bytes[BLOCK + 3] = (bytes[BLOCK + 3] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    expect(await oneLine(file)).toContain("its images' checksum differs from the manifest's");
    const refused = fakePrepareDriver({ loadRefuses: 'unexpected EOF' });
    expect(await oneLine(file, refused.driver)).toContain('docker load refused it (unexpected EOF).');
  });

  it('tar headers round-trip, big sizes included, and a bad checksum is no header', () => {
    const header = tarHeader('images.tar', 1234567, 1_700_000_000);
    expect(readTarHeader(header)).toEqual({ name: 'images.tar', size: 1234567 });
    const big = tarHeader('images.tar', 9 * 1024 ** 3, 0);
    expect(readTarHeader(big)).toEqual({ name: 'images.tar', size: 9 * 1024 ** 3 });
    header[10] = 0x41;
    expect(readTarHeader(header)).toBeUndefined();
    expect(readTarHeader(Buffer.alloc(BLOCK))).toBeUndefined();
  });

  it('compares IDs purely', () => {
    expect(
      compareImages(
        [
          { ref: 'a', id: 'sha256:1' },
          { ref: 'b', id: 'sha256:2' },
        ],
        new Map([['a', 'sha256:1']]),
      ).map((c) => c.status),
    ).toEqual(['ok', 'missing']);
  });

  it('import needs a usable Docker only after the archive is known good', async () => {
    const file = join(dir, 'workshop.tar');
    await exportOnce(file);
    const none = fakePrepareDriver({ caps: { ...availableCaps(), available: false, builder: 'none' } });
    await expect(importArchive({ driver: none.driver, file, goSum })).rejects.toThrow(EnvironmentError);
  });
});
