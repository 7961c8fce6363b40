import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_DIR, WORKSHOP_FILE, joinWorkshop, readWorkshopConfig, roomProxyUrl, type FetchLike } from '../../../src/engine/workshop/client.js';
import { WORKSHOP_CONFIG_PATH, isRoomProxyUrl, reachableRoomGoproxy, storedRoomGoproxy } from '../../../src/engine/workshop/room-proxy.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { learnerWorkspace, serve, tempRoot, testClock } from './helpers.js';

// `join` learns the room's module proxy from /v1/hello and keeps it in workshop.json; a verify reads
// it back (room-proxy.ts, without the client) and asks the room before the builds use it.

let root: { dir: string; done: () => Promise<void> };
let servers: WorkshopServer[];

beforeEach(async () => {
  root = await tempRoot();
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await root.done();
});

const start = async (name: string, withProxy: boolean) => {
  const dir = join(root.dir, name);
  await mkdir(join(dir, 'goproxy'), { recursive: true });
  const server = await serve(dir, testClock(), withProxy ? { goproxyDir: join(dir, 'goproxy') } : {});
  servers.push(server);
  return server;
};

describe('join and the room module proxy', () => {
  it('stores the proxy the server announces, joined to the address the learner used', async () => {
    const server = await start('room', true);
    const ada = await learnerWorkspace(root.dir, 'ada');
    const config = await joinWorkshop({ workspace: ada, url: server.url.replace('http://', ''), code: server.code, name: 'Ada' });
    expect(config.goproxy).toBe(`${server.url}/goproxy/`);
    const stored = JSON.parse(await readFile(join(ada, '.learn-go-docker', 'workshop.json'), 'utf8')) as Record<string, unknown>;
    expect(stored.goproxy).toBe(`${server.url}/goproxy/`);
    expect((await readWorkshopConfig(ada))?.goproxy).toBe(`${server.url}/goproxy/`);
    expect(await storedRoomGoproxy(ada)).toBe(`${server.url}/goproxy/`);
    // The room answers: the verify's builds get it.
    expect(await reachableRoomGoproxy(ada)).toBe(`${server.url}/goproxy/`);
  });

  it('joining a room without a proxy again drops the stored one (the learner id stays)', async () => {
    const withProxy = await start('room', true);
    const ada = await learnerWorkspace(root.dir, 'ada');
    const first = await joinWorkshop({ workspace: ada, url: withProxy.url, code: withProxy.code, name: 'Ada' });
    expect(first.goproxy).toBeDefined();
    const plain = await start('plain', false);
    const again = await joinWorkshop({ workspace: ada, url: plain.url, code: plain.code, name: 'Ada' });
    expect(again.goproxy).toBeUndefined();
    expect(again.learnerId).toBe(first.learnerId);
    expect(await storedRoomGoproxy(ada)).toBeUndefined();
  });

  it('a room that stopped answering is not used (a laptop at home must not wait on a LAN address)', async () => {
    const server = await start('room', true);
    const ada = await learnerWorkspace(root.dir, 'ada');
    await joinWorkshop({ workspace: ada, url: server.url, code: server.code, name: 'Ada' });
    await server.close();
    expect(await storedRoomGoproxy(ada)).toBe(`${server.url}/goproxy/`);
    expect(await reachableRoomGoproxy(ada)).toBeUndefined();
    // A probe that hangs is cut at its time limit.
    const hanging = (_url: string, init: { signal: AbortSignal }) =>
      new Promise<{ status: number }>((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('timeout'))));
    expect(await reachableRoomGoproxy(ada, { timeoutMs: 50, fetchImpl: hanging })).toBeUndefined();
    expect(await reachableRoomGoproxy(ada, { fetchImpl: async () => ({ status: 404 }) })).toBeUndefined();
  });

  it('takes only a path on the same server from /v1/hello; anything else is ignored and the join still works', async () => {
    const ws = await learnerWorkspace(root.dir, 'bo');
    for (const goproxy of [
      'http://elsewhere.example/goproxy/',
      '//elsewhere.example/',
      '/a,https://evil.example/',
      '/a|b/',
      '/../x/',
      '/goproxy',
      42,
      '/ space/',
    ]) {
      const fetchImpl: FetchLike = async () => ({ status: 200, json: async () => ({ schema: 'learn-go-docker/workshop', version: 1, goproxy }) });
      const config = await joinWorkshop({ workspace: ws, url: 'http://192.168.1.20:8787', code: 'K7M4QX', name: 'Bo', fetchImpl });
      expect([goproxy, config.goproxy]).toEqual([goproxy, undefined]);
    }
    const fetchImpl: FetchLike = async () => ({ status: 200, json: async () => ({ schema: 'learn-go-docker/workshop', version: 1, goproxy: '/goproxy/' }) });
    expect((await joinWorkshop({ workspace: ws, url: '192.168.1.20:8787', code: 'K7M4QX', name: 'Bo', fetchImpl })).goproxy).toBe(
      'http://192.168.1.20:8787/goproxy/',
    );
    expect(roomProxyUrl('/goproxy/', 'http://[fe80::1]:8787')).toBe('http://[fe80::1]:8787/goproxy/');
  });

  it('reads back only a URL join could have written (a hand-edited file cannot smuggle a GOPROXY list)', async () => {
    const ws = await learnerWorkspace(root.dir, 'cy');
    const base = { version: 1, url: 'http://192.168.1.20:8787', code: 'K7M4QX', name: 'Cy', learnerId: 'abcdefgh12345678' };
    for (const goproxy of ['http://192.168.1.20:8787/goproxy/,direct', 'file:///tmp/', 'http://192.168.1.20:8787/goproxy', 'http://u:p@h/goproxy/']) {
      await writeFile(join(ws, '.learn-go-docker', 'workshop.json'), JSON.stringify({ ...base, goproxy }));
      expect(await storedRoomGoproxy(ws)).toBeUndefined();
      expect((await readWorkshopConfig(ws))?.goproxy).toBeUndefined();
      // The rest of the file is still the room.
      expect((await readWorkshopConfig(ws))?.name).toBe('Cy');
    }
    expect(isRoomProxyUrl('http://192.168.1.20:8787/goproxy/')).toBe(true);
    expect(isRoomProxyUrl('https://room.local/a/b/')).toBe(true);
    expect(await storedRoomGoproxy(join(root.dir, 'never-joined'))).toBeUndefined();
  });

  it('room-proxy.ts reads the file client.ts writes', () => {
    expect(WORKSHOP_CONFIG_PATH[1]).toBe(WORKSHOP_FILE);
    // Same runner-state folder as the outbox's.
    expect(join(...WORKSHOP_CONFIG_PATH, '..', OUTBOX_DIR)).toBe(join('.learn-go-docker', OUTBOX_DIR));
  });
});
