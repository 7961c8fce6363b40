import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectCapabilities, resetCapabilitiesCache } from '../../src/engine/docker/capabilities.js';
import { disposeFixture, dockerForTests, expectStatus, fixture, labelledObjects, runCheck, type Fixture } from './helpers.js';

// Builds that compile Go inside Docker (cache reuse, -ldflags version) and builder/availability edges.
const caps = await dockerForTests();
const buildkit = caps?.builder === 'buildx' || caps?.builder === 'buildkit-env';

describe.skipIf(!caps)('builds against a real engine', () => {
  describe.skipIf(!buildkit)('Go build with go.mod copied first', () => {
    let f: Fixture | undefined;
    beforeAll(async () => {
      f = await fixture('go-cache-good');
    });
    afterAll(async () => disposeFixture(f));
    it('build.cache-reuse passes: the dependency step is CACHED after a source-only change', async () => {
      const o = await runCheck('build.cache-reuse', f!.ctx);
      expectStatus(o, 'pass');
      expect(o.measured?.cached).toBe(true);
      expect(o.message.en).toMatch(/dependency step was reused from cache \(\d+\.\d s\)/);
      expect(o.message.en).toContain('cmd/server/main.go');
      expect(f!.events.some((e) => e.type === 'build-step')).toBe(true);
    });
    it('build.version-arg passes with -ldflags -X main.version', async () =>
      expectStatus(await runCheck('build.version-arg', f!.ctx, { arg: 'VERSION', value: '2.3.4', path: '/version' }), 'pass'));
  });

  describe.skipIf(!buildkit)('Go build with COPY . . before go mod download', () => {
    let f: Fixture | undefined;
    beforeAll(async () => {
      f = await fixture('go-cache-bad');
    });
    afterAll(async () => disposeFixture(f));
    it('build.cache-reuse fails and names the step that busted the cache', async () => {
      const o = await runCheck('build.cache-reuse', f!.ctx);
      expectStatus(o, 'fail');
      expect(o.measured?.cached).toBe(false);
      expect(o.message.en).toContain('COPY . .');
      expect(o.line).toBe(3);
    });
  });

  describe('BuildKit-only syntax', () => {
    const saved = process.env.LEARN_GO_DOCKER_DOCKER;
    afterEach(() => {
      if (saved === undefined) delete process.env.LEARN_GO_DOCKER_DOCKER;
      else process.env.LEARN_GO_DOCKER_DOCKER = saved;
      resetCapabilitiesCache();
    });
    it.skipIf(!buildkit)('builds with BuildKit', async () => {
      const f = await fixture('needs-buildkit');
      try {
        expectStatus(await runCheck('image.builds', f.ctx), 'pass');
      } finally {
        await disposeFixture(f);
      }
    });
    it('says "needs BuildKit" (skip) with a classic-only client instead of failing the learner', async () => {
      // The docker on PATH here is a 23+ client without buildx: the classic builder only.
      process.env.LEARN_GO_DOCKER_DOCKER = 'docker';
      resetCapabilitiesCache();
      const f = await fixture('needs-buildkit');
      try {
        const builder = (await f.session.capabilities()).builder;
        const o = await runCheck('image.builds', f.ctx);
        if (builder === 'classic') {
          expectStatus(o, 'skip');
          expect(o.reason).toBe('needs-buildkit');
          expect(o.message.en).toContain('line 2: run-mount');
          expectStatus(await runCheck('image.no-secret', f.ctx, { value: 'abcdef', secretId: 'k' }), 'skip');
        } else {
          expectStatus(o, 'pass');
        }
      } finally {
        await disposeFixture(f);
      }
    });
  });

  describe('the classic builder', () => {
    const saved = process.env.LEARN_GO_DOCKER_DOCKER;
    afterEach(() => {
      if (saved === undefined) delete process.env.LEARN_GO_DOCKER_DOCKER;
      else process.env.LEARN_GO_DOCKER_DOCKER = saved;
      resetCapabilitiesCache();
    });
    it('builds, records "Using cache" per step, and the image serves', async () => {
      process.env.LEARN_GO_DOCKER_DOCKER = 'docker';
      resetCapabilitiesCache();
      const first = await fixture('good');
      const second = await fixture('good');
      try {
        if ((await first.session.capabilities()).builder !== 'classic') return;
        expectStatus(await runCheck('image.builds', first.ctx), 'pass');
        const again = await second.session.lessonImage();
        expect(again.builder).toBe('classic');
        expect(again.steps.filter((s) => s.cached).length).toBeGreaterThan(2);
        expect(second.events.some((e) => e.type === 'build-step' && e.step.includes('COPY server /server'))).toBe(true);
        expectStatus(await runCheck('http.probe', second.ctx, { path: '/ping' }), 'pass');
      } finally {
        await disposeFixture(first);
        await disposeFixture(second);
      }
    });
  });

  describe('the build started from the capabilities remembered at the last verify', () => {
    const saved = process.env.LEARN_GO_DOCKER_CACHE_DIR;
    afterEach(() => {
      if (saved === undefined) delete process.env.LEARN_GO_DOCKER_CACHE_DIR;
      else process.env.LEARN_GO_DOCKER_CACHE_DIR = saved;
      resetCapabilitiesCache();
    });
    it('is made again the way this Docker builds when they were wrong (another builder since)', async () => {
      const cache = await mkdtemp(join(tmpdir(), 'lgd-remembered-'));
      process.env.LEARN_GO_DOCKER_CACHE_DIR = cache;
      resetCapabilitiesCache();
      const real = await detectCapabilities();
      const file = join(cache, 'capabilities.json');
      const remembered = JSON.parse(await readFile(file, 'utf8')) as { last: { builder: string } };
      expect(remembered.last.builder).toBe(real.builder);
      // As if the last verify had found another builder: the lesson build starts with it.
      const wrong = real.builder === 'classic' ? 'buildkit-env' : 'classic';
      await writeFile(file, JSON.stringify({ ...remembered, last: { ...remembered.last, builder: wrong } }));
      resetCapabilitiesCache();
      const f = await fixture('good');
      try {
        expect((await f.session.rememberedCapabilities?.())?.builder).toBe(wrong);
        const built = await f.session.lessonImage();
        expect(built).toMatchObject({ ok: true, builder: real.builder });
        expectStatus(await runCheck('image.builds', f.ctx), 'pass');
        // Corrected for the next verify: a wrong guess costs one build, not one per verify.
        expect((JSON.parse(await readFile(file, 'utf8')) as { last: { builder: string } }).last.builder).toBe(real.builder);
      } finally {
        await disposeFixture(f);
        await rm(cache, { recursive: true, force: true });
      }
    });
  });

  describe('without a reachable Docker', () => {
    const saved = process.env.DOCKER_HOST;
    afterEach(() => {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      resetCapabilitiesCache();
    });
    it('every check skips with the reason', async () => {
      process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
      resetCapabilitiesCache();
      const f = await fixture('good');
      try {
        for (const [id, params] of [
          ['image.builds', {}],
          ['http.probe', { path: '/ping' }],
          ['compose.up', { service: 'app', path: '/' }],
        ] as const) {
          const o = await runCheck(id, f.ctx, params);
          expectStatus(o, 'skip');
          expect(o.reason).toBe('docker-unavailable');
          expect(o.message.en).toContain('Docker is not usable');
          expect(o.blocking?.en).toContain('nonexistent');
        }
      } finally {
        await f.session.dispose();
      }
    });
  });

  it('leaves no labelled object of this process behind', async () => {
    expect(await labelledObjects(`label=learn-go-docker.pid=${process.pid}`)).toEqual([]);
  });
});
