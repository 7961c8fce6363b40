import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GO_SUM_LABEL, MODULES_IMAGE, goSumHash } from '../../../src/engine/prepare/modules.js';
import { ROOM_GOPROXY_FILE, fillRoomModules, loopbackHost, type RoomModulesDriver } from '../../../src/engine/workshop/room-modules.js';
import { tempRoot } from './helpers.js';

// Filling the room's module proxy folder at `workshop serve`: the instructor's go, else prepare's
// module image, else off with a reason. Fake processes; the folder work is real.

let root: { dir: string; done: () => Promise<void> };
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => root.done());

const GO_MOD = 'module example.com/notes\n\ngo 1.25.0\n';
const GO_SUM = 'github.com/gin-gonic/gin v1.10.1 h1:abc=\n';

/** Writes what a module download cache holds for one module. */
const writeDownload = async (cacheDownload: string): Promise<void> => {
  const at = join(cacheDownload, 'github.com', 'gin-gonic', 'gin', '@v');
  await mkdir(at, { recursive: true });
  for (const [name, text] of [
    ['list', 'v1.10.1\n'],
    ['v1.10.1.info', '{"Version":"v1.10.1"}'],
    ['v1.10.1.mod', 'module github.com/gin-gonic/gin\n'],
    ['v1.10.1.zip', 'PK'],
  ])
    await writeFile(join(at, name as string), text as string);
};

const fakeDriver = (options: { go?: 'ok' | 'fails' | 'missing'; image?: 'ok' | 'other' | 'missing' | 'no-docker'; goSum?: string }) => {
  const calls: string[] = [];
  const driver: RoomModulesDriver = {
    goEnv: async () => {
      calls.push('go env');
      return options.go === 'missing' || options.go === undefined
        ? { found: false }
        : { found: true, modCache: '/home/me/go/pkg/mod', goproxy: 'https://proxy.golang.org,direct', version: 'go1.26.0' };
    },
    goModDownload: async ({ appDir, modCache, goproxy }) => {
      calls.push(`go mod download ${goproxy}`);
      expect(await readFile(join(appDir, 'go.mod'), 'utf8')).toBe(GO_MOD);
      expect(await readFile(join(appDir, 'go.sum'), 'utf8')).toBe(options.goSum ?? GO_SUM);
      if (options.go === 'fails') return { ok: false, detail: 'dial tcp: lookup proxy.golang.org: no such host' };
      await writeDownload(join(modCache, 'cache', 'download'));
      return { ok: true, modules: 1 };
    },
    imageLabels: async (image) => {
      calls.push(`inspect ${image}`);
      if (options.image === 'missing' || options.image === undefined) return { found: false, docker: true };
      if (options.image === 'no-docker') return { found: false, docker: false };
      return { found: true, labels: { [GO_SUM_LABEL]: options.image === 'ok' ? goSumHash(GO_SUM) : 'another' } };
    },
    copyFromImage: async (image, from, dest) => {
      calls.push(`cp ${image}:${from}`);
      await writeDownload(dest);
      return { ok: true };
    },
  };
  return { driver, calls };
};

const fill = (driver: RoomModulesDriver, onFilling?: () => void) =>
  fillRoomModules({ roomDir: join(root.dir, 'room'), goMod: GO_MOD, goSum: GO_SUM, driver, ...(onFilling ? { onFilling } : {}) });

describe('fillRoomModules', () => {
  it('with go: downloads into the room folder (the instructor’s own cache first), then keeps it for this go.sum', async () => {
    const { driver, calls } = fakeDriver({ go: 'ok' });
    let filling = 0;
    const first = await fill(driver, () => (filling += 1));
    expect(first).toEqual({ ok: true, dir: join(root.dir, 'room', 'goproxy'), modules: 1, source: 'go' });
    expect(filling).toBe(1);
    expect(calls).toEqual(['go env', 'go mod download file:///home/me/go/pkg/mod/cache/download,https://proxy.golang.org,direct']);
    expect(await readFile(join(root.dir, 'room', 'goproxy', 'github.com', 'gin-gonic', 'gin', '@v', 'v1.10.1.info'), 'utf8')).toContain('v1.10.1');
    const marker = JSON.parse(await readFile(join(root.dir, 'room', ROOM_GOPROXY_FILE), 'utf8')) as Record<string, unknown>;
    expect(marker).toMatchObject({ version: 1, goSum: goSumHash(GO_SUM), source: 'go', modules: 1 });
    // Nothing left behind but the folder and its marker (the temp app and extracted modules are gone).
    expect((await readdir(join(root.dir, 'room'))).sort()).toEqual(['goproxy', 'goproxy.json']);
    // A restart: no process, no download.
    const again = fakeDriver({ go: 'ok' });
    expect(await fill(again.driver, () => (filling += 1))).toEqual({ ok: true, dir: join(root.dir, 'room', 'goproxy'), modules: 1, source: 'kept' });
    expect(again.calls).toEqual([]);
    expect(filling).toBe(1);
  });

  it('fills again when the course’s go.sum changed', async () => {
    await fill(fakeDriver({ go: 'ok' }).driver);
    const changed = fakeDriver({ go: 'ok', goSum: `${GO_SUM}x\n` });
    const result = await fillRoomModules({ roomDir: join(root.dir, 'room'), goMod: GO_MOD, goSum: `${GO_SUM}x\n`, driver: changed.driver });
    expect(result.ok && result.source).toBe('go');
    expect(changed.calls).toHaveLength(2);
  });

  it('without go: copies the download cache out of prepare’s module image', async () => {
    const { driver, calls } = fakeDriver({ go: 'missing', image: 'ok' });
    expect(await fill(driver)).toEqual({ ok: true, dir: join(root.dir, 'room', 'goproxy'), modules: 1, source: 'image' });
    expect(calls).toEqual(['go env', `inspect ${MODULES_IMAGE}`, `cp ${MODULES_IMAGE}:/go/pkg/mod/cache/download`]);
  });

  it('go failing (no internet, empty cache): the image too', async () => {
    const { driver } = fakeDriver({ go: 'fails', image: 'ok' });
    expect(await fill(driver)).toMatchObject({ ok: true, source: 'image' });
  });

  it('neither: off, with both reasons in one line, in both languages', async () => {
    const missing = await fill(fakeDriver({ go: 'missing', image: 'missing' }).driver);
    expect(missing).toEqual({
      ok: false,
      reason: {
        en: `go is not on this laptop’s PATH; ${MODULES_IMAGE} is not here (run npx learn-go-docker prepare)`,
        'zh-CN': `这台电脑的 PATH 中没有 go；本机没有 ${MODULES_IMAGE}（请运行 npx learn-go-docker prepare）`,
      },
    });
    const failed = await fill(fakeDriver({ go: 'fails', image: 'other' }).driver);
    expect(failed.ok ? '' : failed.reason.en).toBe(
      `go mod download of the sample app failed (dial tcp: lookup proxy.golang.org: no such host); ${MODULES_IMAGE} holds another go.sum's modules (run npx learn-go-docker prepare again)`,
    );
    const noDocker = await fill(fakeDriver({ go: 'missing', image: 'no-docker' }).driver);
    expect(noDocker.ok ? '' : noDocker.reason.en).toContain('Docker does not answer');
    // Nothing half-made is left to serve.
    expect((await readdir(join(root.dir, 'room'))).filter((n) => n !== '.')).toEqual([]);
  });
});

describe('loopbackHost', () => {
  it('is true only for this machine’s own loopback', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].map(loopbackHost)).toEqual([true, true, true, true, true]);
    expect(['192.168.1.20', '0.0.0.0', '::', '10.0.0.5'].map(loopbackHost)).toEqual([false, false, false, false]);
  });
});
