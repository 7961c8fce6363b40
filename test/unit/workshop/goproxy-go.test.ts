import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goModDownload, instructorGoEnv } from '../../../src/engine/docker/go-modules.js';
import { fillRoomModules, type RoomModulesDriver } from '../../../src/engine/workshop/room-modules.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { serve, tempRoot, testClock } from './helpers.js';

// The real `go` against the room's proxy: the room folder filled by the instructor's go (the real
// driver calls, no Docker: the image path throws if reached), then a learner's `go mod download`
// with the room as its only GOPROXY and an empty module cache. A module with upper case in its
// path (github.com/BurntSushi/toml → !burnt!sushi) proves the case-encoding end to end. Skipped
// when go is not installed or the first download cannot reach a module proxy (offline CI).

const GO_MOD = 'module example.com/roomcheck\n\ngo 1.22\n\nrequire github.com/BurntSushi/toml v1.4.0\n';

let root: { dir: string; done: () => Promise<void> };
let servers: WorkshopServer[];
beforeEach(async () => {
  root = await tempRoot();
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  // go's module cache is read-only unless -modcacherw; the learner's below used it.
  await root.done();
});

const noDocker: Pick<RoomModulesDriver, 'imageLabels' | 'copyFromImage'> = {
  imageLabels: () => Promise.reject(new Error('Docker is not part of this test')),
  copyFromImage: () => Promise.reject(new Error('Docker is not part of this test')),
};

describe('go mod download from the room proxy', () => {
  it('fills the room with the instructor’s go, then a learner’s go downloads everything from the room alone', { timeout: 180_000 }, async (ctx) => {
    const env = await instructorGoEnv();
    if (!env.found) ctx.skip();
    // The go.sum the course would ship (go mod tidy's: the zip's and the go.mod's hashes), from one
    // download from the usual proxy.
    const app = join(root.dir, 'app');
    await mkdir(app, { recursive: true });
    await writeFile(join(app, 'go.mod'), GO_MOD);
    const seed = await execa('go', ['mod', 'download', '-json'], {
      cwd: app,
      reject: false,
      timeout: 120_000,
      env: { GOMODCACHE: join(root.dir, 'seed-cache'), GOFLAGS: '-mod=mod -modcacherw', GOTOOLCHAIN: 'local', GOWORK: 'off' },
    });
    if (seed.exitCode !== 0) ctx.skip();
    const sums = JSON.parse(seed.stdout) as { Path: string; Version: string; Sum: string; GoModSum: string };
    const goSum = `${sums.Path} ${sums.Version} ${sums.Sum}\n${sums.Path} ${sums.Version}/go.mod ${sums.GoModSum}\n`;
    expect(goSum).toMatch(/^github\.com\/BurntSushi\/toml v1\.4\.0 h1:/);

    const roomDir = join(root.dir, 'room');
    const filled = await fillRoomModules({
      roomDir,
      goMod: GO_MOD,
      goSum,
      driver: { goEnv: () => instructorGoEnv(), goModDownload: (o) => goModDownload({ ...o, timeoutMs: 120_000 }), ...noDocker },
    });
    expect(filled).toMatchObject({ ok: true, source: 'go', modules: 1 });
    if (!filled.ok) return;
    const server = await serve(roomDir, testClock(), { goproxyDir: filled.dir });
    servers.push(server);

    // The learner: an empty module cache, the room as the only proxy, no checksum database.
    const learner = join(root.dir, 'learner');
    await mkdir(learner, { recursive: true });
    await writeFile(join(learner, 'go.mod'), GO_MOD);
    await writeFile(join(learner, 'go.sum'), goSum);
    const result = await execa('go', ['mod', 'download', '-json'], {
      cwd: learner,
      reject: false,
      timeout: 120_000,
      env: {
        GOPROXY: server.goproxy as string,
        GOSUMDB: 'off',
        GOFLAGS: '-mod=mod -modcacherw',
        GOMODCACHE: join(root.dir, 'learner-cache'),
        GOTOOLCHAIN: 'local',
        GOWORK: 'off',
      },
    });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const downloaded = JSON.parse(result.stdout) as { Path: string; Version: string; Zip?: string; Error?: string };
    expect(downloaded).toMatchObject({ Path: 'github.com/BurntSushi/toml', Version: 'v1.4.0' });
    expect(downloaded.Error).toBeUndefined();
    expect(downloaded.Zip).toContain(join('learner-cache', 'cache', 'download', 'github.com', '!burnt!sushi', 'toml', '@v', 'v1.4.0.zip'));
    // go checked the zip against go.sum's hash: the room served the very bytes of the module.
    expect((await readFile(downloaded.Zip as string)).length).toBeGreaterThan(1000);
  });
});
