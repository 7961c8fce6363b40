import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { mirrorName, parseMirrors } from '../../../src/engine/prepare/mirror.js';
import { runPrepare } from '../../../src/engine/prepare/prepare.js';
import type { PrepareEvent } from '../../../src/engine/prepare/types.js';
import { tr } from '../../../src/engine/i18n.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { runCli } from '../hostile/harness.js';
import { COURSE_IMAGES, DEBIAN, DISTROLESS, GO, fakePrepareDriver, image } from './prepare-fakes.js';

const goMod = 'module example.com/notes\n';
const goSum = 'github.com/gin-gonic/gin v1.10.1 h1:abc=\n';
const NO_HOST = 'Get "https://m.example.cn/v2/": dial tcp: lookup m.example.cn on 10.0.0.1:53: no such host';

describe('prepare --mirror: the names a mirror serves the course images under', () => {
  it('prefixes the full name for every registry, or replaces one registry (a path after the host is kept)', () => {
    const prefix = parseMirrors(['m.daocloud.io']);
    expect(mirrorName('golang:1.26-trixie', prefix)).toBe('m.daocloud.io/docker.io/library/golang:1.26-trixie');
    expect(mirrorName('gcr.io/distroless/static-debian13:nonroot', prefix)).toBe('m.daocloud.io/gcr.io/distroless/static-debian13:nonroot');
    expect(mirrorName('bitnami/redis:7', prefix)).toBe('m.daocloud.io/docker.io/bitnami/redis:7');
    const hosts = parseMirrors(['docker.io=docker.m.daocloud.io', 'gcr.io=https://harbor.example.com/gcr/']);
    expect(mirrorName('docker.io/library/postgres:17-trixie', hosts)).toBe('docker.m.daocloud.io/library/postgres:17-trixie');
    expect(mirrorName('gcr.io/distroless/base-debian13:nonroot', hosts)).toBe('harbor.example.com/gcr/distroless/base-debian13:nonroot');
    // A registry no rule covers is pulled as it is.
    expect(mirrorName('quay.io/prometheus/prometheus:v3.0.0', hosts)).toBeUndefined();
    // The registry's own rule wins over a prefix; digests are kept.
    const both = parseMirrors(['m.daocloud.io,docker.io=127.0.0.1:5000']);
    expect(mirrorName('golang:1.26-trixie@sha256:abc', both)).toBe('127.0.0.1:5000/library/golang:1.26-trixie@sha256:abc');
    expect(mirrorName('gcr.io/distroless/static-debian13', both)).toBe('m.daocloud.io/gcr.io/distroless/static-debian13');
    expect(parseMirrors(['index.docker.io=mirror.example.com'])).toEqual([{ registry: 'docker.io', to: 'mirror.example.com' }]);
  });

  it('refuses what is no registry, and two mirrors for one registry, in both languages', () => {
    for (const bad of [
      '',
      ' ',
      'https://',
      'Mirror With Spaces',
      'docker.io=',
      'docker io=mirror.example.com',
      'm.example.cn:port',
      'a.cn,b.cn',
      'gcr.io=a.cn,gcr.io=b.cn',
    ]) {
      let error: unknown;
      try {
        parseMirrors([bad]);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(UserError);
      const message = (error as UserError).localized;
      expect(message.en).toMatch(/^--mirror "/);
      expect(cjkSpacingProblems(message['zh-CN'])).toEqual([]);
    }
    // From the environment: an empty variable is no mirror, and a bad value names the variable.
    expect(parseMirrors([''], 'LEARN_GO_DOCKER_MIRROR')).toEqual([]);
    expect(() => parseMirrors(['bad host'], 'LEARN_GO_DOCKER_MIRROR')).toThrow(/^LEARN_GO_DOCKER_MIRROR "bad host": /);
  });
});

describe('prepare --mirror: pulls from the mirror, names the copy as the lessons do', () => {
  it('pulls each missing image under its mirror name, tags it with its own name, drops the mirror name; present ones are not pulled', async () => {
    const mirrors = parseMirrors(['m.example.cn']);
    const fake = fakePrepareDriver({ local: { [GO]: image(GO) } });
    const events: PrepareEvent[] = [];
    const result = await runPrepare({ driver: fake.driver, images: COURSE_IMAGES, goMod, goSum, mirrors, onEvent: (e) => events.push(e) });
    const hub = `m.example.cn/docker.io/library/debian:trixie-slim`;
    const gcr = `m.example.cn/gcr.io/distroless/static-debian13:nonroot`;
    expect(fake.calls.filter((c) => /^(sizes|pull|tag|rm m\.)/.test(c))).toEqual([
      `sizes ${hub}`,
      `sizes ${gcr}`,
      `pull ${hub} linux/amd64`,
      `tag ${hub} ${DEBIAN}`,
      `rm ${hub}`,
      `pull ${gcr} linux/amd64`,
      `tag ${gcr} ${DISTROLESS}`,
      `rm ${gcr}`,
    ]);
    expect(result.ready).toBe(true);
    expect(result.images.map((i) => [i.ref, i.status])).toEqual([
      [DEBIAN, 'pulled'],
      [DISTROLESS, 'pulled'],
      [GO, 'present'],
    ]);
    expect([...fake.local.keys()]).not.toContain(hub);
    expect(events.find((e) => e.type === 'image-pulled' && e.ref === DEBIAN)).toMatchObject({ from: hub });
  });

  it('says which mirror failed and asks a silent one only once; a failed tag is a failure, not a pull', async () => {
    const mirrors = parseMirrors(['m.example.cn']);
    const silent = fakePrepareDriver({
      pulls: { 'm.example.cn/docker.io/library/debian:trixie-slim': { ok: false, timedOut: false, durationMs: 5, error: NO_HOST } },
    });
    const result = await runPrepare({ driver: silent.driver, images: [DEBIAN, GO], goMod, goSum, mirrors });
    expect(silent.calls.filter((c) => c.startsWith('pull'))).toEqual(['pull m.example.cn/docker.io/library/debian:trixie-slim linux/amd64']);
    const [debian, go] = result.images;
    expect(result.ready).toBe(false);
    expect(debian?.status === 'failed' && tr(debian.message, 'en')).toMatch(
      /^debian:trixie-slim is not on this machine and the mirror m\.example\.cn did not answer/,
    );
    expect(go?.status === 'failed' && tr(go.message, 'en')).toContain('--mirror');
    expect(go?.status === 'failed' && cjkSpacingProblems(tr(go.message, 'zh-CN'))).toEqual([]);

    const untagged = fakePrepareDriver({ tagFails: 'Error response from daemon: no such image' });
    const after = await runPrepare({ driver: untagged.driver, images: [DEBIAN], goMod, goSum, mirrors });
    expect(after.images[0]).toMatchObject({ ref: DEBIAN, status: 'failed' });
    expect(after.images[0]?.status === 'failed' && tr(after.images[0].message, 'en')).toContain(
      'docker tag m.example.cn/docker.io/library/debian:trixie-slim debian:trixie-slim failed',
    );
  });

  it('at the command line: a bad --mirror is a usage error before Docker is asked, and --mirror goes with prepare alone', async () => {
    const bad = await runCli(['prepare', '--mirror', 'not a host']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--mirror "not a host"');
    const withExport = await runCli(['prepare', '--mirror', 'm.daocloud.io', '--export', 'a.tar']);
    expect(withExport.code).toBe(2);
    expect(withExport.err).toContain('--mirror is for prepare alone');
    const withImport = await runCli(['prepare', '--mirror', 'm.daocloud.io', '--import', 'a.tar']);
    expect(withImport.err).toContain('--import loads the images from the archive, with no registry');
    const empty = await runCli(['prepare', '--mirror', '']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('the mirror is empty');
    const zh = await runCli(['prepare', '--mirror', 'docker.io='], { lang: 'zh-CN' });
    expect(zh.code).toBe(2);
    expect(zh.err).toContain('镜像站地址为空');
  });
});
