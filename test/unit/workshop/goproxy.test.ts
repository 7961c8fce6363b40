import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGoproxyPath } from '../../../src/engine/workshop/goproxy.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { serve, tempRoot, testClock } from './helpers.js';

// The room's Go module proxy (issue 15): read-only GOPROXY protocol over a folder in the module
// download cache's layout, no join code, nothing outside that folder. Real HTTP on 127.0.0.1.

let root: { dir: string; done: () => Promise<void> };
let servers: WorkshopServer[];
let proxyDir: string;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10, 0x80]);

beforeEach(async () => {
  root = await tempRoot();
  servers = [];
  // example.com/Upper/mod: upper case travels as "!u" (the protocol's case-encoding), in the folder too.
  proxyDir = join(root.dir, 'room', 'goproxy');
  const upper = join(proxyDir, 'example.com', '!upper', 'mod', '@v');
  await mkdir(upper, { recursive: true });
  await writeFile(join(upper, 'list'), 'v1.0.0\nv1.1.0-!r!c1\n');
  await writeFile(join(upper, 'v1.0.0.info'), '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}');
  await writeFile(join(upper, 'v1.0.0.mod'), 'module example.com/Upper/mod\n\ngo 1.21\n');
  await writeFile(join(upper, 'v1.0.0.zip'), ZIP);
  await writeFile(join(upper, 'v1.0.0.lock'), '');
  await writeFile(join(upper, 'v1.0.0.ziphash'), 'h1:xyz');
  await writeFile(join(upper, 'v1.1.0-!r!c1.info'), '{"Version":"v1.1.0-RC1"}');
  // A module whose folder has no list file (only .mod downloads, or another cache): listed from its .info files.
  const nolist = join(proxyDir, 'example.com', 'nolist', '@v');
  await mkdir(nolist, { recursive: true });
  await writeFile(join(nolist, 'v0.2.0.info'), '{"Version":"v0.2.0"}');
  await writeFile(join(nolist, 'v0.0.0-20240101000000-abcdefabcdef.info'), '{"Version":"v0.0.0-20240101000000-abcdefabcdef"}');
  // Links out of the folder, planted: never followed (a file, a list, a whole module folder).
  await symlink(join(root.dir, 'room', 'session.json'), join(upper, 'v9.9.9.info'));
  const linkedList = join(proxyDir, 'example.com', 'linkedlist', '@v');
  await mkdir(linkedList, { recursive: true });
  await symlink(join(root.dir, 'room', 'session.json'), join(linkedList, 'list'));
  await mkdir(join(root.dir, 'outside', '@v'), { recursive: true });
  await writeFile(join(root.dir, 'outside', '@v', 'list'), 'v6.6.6 secret\n');
  await symlink(join(root.dir, 'outside'), join(proxyDir, 'example.com', 'linked'));
});
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await root.done();
});

const start = async (extra: Parameters<typeof serve>[2] = { goproxyDir: proxyDir }) => {
  const server = await serve(join(root.dir, 'room'), testClock(), extra);
  servers.push(server);
  return server;
};

/** The path exactly as written (no URL normalisation of "..": a client can send that). */
const get = (
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

describe('the room module proxy', () => {
  it('serves list, .info, .mod and .zip of a case-encoded module, with no join code', async () => {
    const server = await start();
    expect(server.goproxy).toBe(`${server.url}/goproxy/`);
    const base = '/goproxy/example.com/!upper/mod/@v';
    const list = await get(server.url, `${base}/list`);
    expect([list.status, list.body.toString()]).toEqual([200, 'v1.0.0\nv1.1.0-!r!c1\n']);
    const info = await get(server.url, `${base}/v1.0.0.info`);
    expect(info.status).toBe(200);
    expect(info.headers['content-type']).toBe('application/json');
    expect(JSON.parse(info.body.toString())).toEqual({ Version: 'v1.0.0', Time: '2024-01-01T00:00:00Z' });
    const mod = await get(server.url, `${base}/v1.0.0.mod`);
    expect([mod.status, mod.body.toString()]).toEqual([200, 'module example.com/Upper/mod\n\ngo 1.21\n']);
    const zip = await get(server.url, `${base}/v1.0.0.zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.body.equals(ZIP)).toBe(true);
    // A case-encoded version, and the same path percent-encoded as some clients send it.
    expect((await get(server.url, `${base}/v1.1.0-!r!c1.info`)).status).toBe(200);
    expect((await get(server.url, '/goproxy/example.com/%21upper/mod/@v/v1.0.0.mod')).status).toBe(200);
  });

  it('answers HEAD with the length and no body', async () => {
    const server = await start();
    const head = await get(server.url, '/goproxy/example.com/!upper/mod/@v/v1.0.0.zip', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(ZIP.length));
    expect(head.body.length).toBe(0);
    // The route itself answers: the learners' laptops ask it before a build.
    expect((await get(server.url, '/goproxy/', 'HEAD')).status).toBe(200);
  });

  it('lists a module without a list file from its .info files, leaving out pseudo-versions', async () => {
    const server = await start();
    const list = await get(server.url, '/goproxy/example.com/nolist/@v/list');
    expect([list.status, list.body.toString()]).toEqual([200, 'v0.2.0\n']);
  });

  it('says 404 for what it does not hold: an unknown module or version, @latest, sumdb, the cache’s own files, upper case', async () => {
    const server = await start();
    for (const path of [
      '/goproxy/example.com/unknown/@v/list',
      '/goproxy/example.com/!upper/mod/@v/v2.0.0.info',
      '/goproxy/example.com/!upper/mod/@latest',
      '/goproxy/sumdb/sum.golang.org/supported',
      '/goproxy/example.com/!upper/mod/@v/v1.0.0.lock',
      '/goproxy/example.com/!upper/mod/@v/v1.0.0.ziphash',
      // Not case-encoded: the protocol never sends upper case.
      '/goproxy/example.com/Upper/mod/@v/v1.0.0.info',
      '/goproxy/example.com/!upper/mod/@v/master.info',
    ]) {
      expect([path, (await get(server.url, path)).status]).toEqual([path, 404]);
    }
  });

  it('refuses every way out of its folder, and never follows a link', async () => {
    const server = await start();
    await writeFile(join(root.dir, 'secret.txt'), 'not for the room');
    for (const path of [
      '/goproxy/../session.json',
      '/goproxy/..%2fsession.json/@v/list',
      '/goproxy/%2e%2e/%2e%2e/secret.txt/@v/list',
      '/goproxy/example.com/../../session.json/@v/v1.0.0.info',
      '/goproxy/example.com/!upper/mod/@v/..%2f..%2f..%2f..%2fsession.json.info',
      '/goproxy/example.com/!upper/mod/@v/v..%2f..%2f..%2fsession.info',
      '/goproxy/.hidden/@v/list',
      '/goproxy/example.com%5c..%5c..%5csecret.txt/@v/list',
      '/goproxy/%00/@v/list',
      '/goproxy/example.com/!upper/mod/@v/v9.9.9.info',
      '/goproxy/example.com/linkedlist/@v/list',
      '/goproxy/example.com/linked/@v/list',
    ]) {
      const answer = await get(server.url, path);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body.toString()).not.toMatch(/code|secret|not for the room/);
    }
  });

  it('is read-only: POST, PUT and DELETE get 405', async () => {
    const server = await start();
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await get(server.url, '/goproxy/example.com/!upper/mod/@v/v1.0.0.zip', method)).status).toBe(405);
    }
  });

  it('/v1/hello names it, as a path on the same server; a room without the folder has no proxy at all', async () => {
    const server = await start();
    const hello = await get(server.url, '/v1/hello', 'GET', { 'x-workshop-code': server.code });
    expect(JSON.parse(hello.body.toString())).toEqual({ schema: 'learn-go-docker/workshop', version: 1, goproxy: '/goproxy/' });
    const plain = await start({});
    expect(plain.goproxy).toBeUndefined();
    expect(JSON.parse((await get(plain.url, '/v1/hello', 'GET', { 'x-workshop-code': plain.code })).body.toString())).toEqual({
      schema: 'learn-go-docker/workshop',
      version: 1,
    });
    expect((await get(plain.url, '/goproxy/example.com/!upper/mod/@v/list')).status).toBe(404);
  });

  it('holds one address to its rate (429, which makes go try the next proxy); module requests never count as wrong codes', async () => {
    const server = await start({ goproxyDir: proxyDir, goproxyRate: { burst: 3, perSecond: 0 } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(server.url, '/goproxy/example.com/!upper/mod/@v/list')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // 20 wrong codes block an address; the module requests above were none of them.
    expect((await get(server.url, '/v1/hello', 'GET', { 'x-workshop-code': server.code })).status).toBe(200);
  });
});

describe('parseGoproxyPath', () => {
  it('reads the protocol’s requests and nothing else', () => {
    expect(parseGoproxyPath('github.com/!burnt!sushi/toml/@v/v1.4.0.zip')).toEqual({ kind: 'zip', module: 'github.com/!burnt!sushi/toml', version: 'v1.4.0' });
    expect(parseGoproxyPath('golang.org/x/text/@v/list')).toEqual({ kind: 'list', module: 'golang.org/x/text' });
    expect(parseGoproxyPath('gopkg.in/yaml.v3/@v/v3.0.1.mod')).toEqual({ kind: 'mod', module: 'gopkg.in/yaml.v3', version: 'v3.0.1' });
    expect(parseGoproxyPath('github.com/modern-go/concurrent/@v/v0.0.0-20180306012644-bacd9c7ef1dd.info')?.kind).toBe('info');
    expect(parseGoproxyPath('example.com/m/@v/v2.0.0+incompatible.info')?.kind).toBe('info');
    expect(parseGoproxyPath('example.com/m/@latest')).toEqual({ kind: 'latest', module: 'example.com/m' });
    for (const bad of [
      '',
      'example.com/m',
      'example.com/m/@v/',
      'example.com/M/@v/list',
      'example.com/!M/@v/list',
      'example.com//m/@v/list',
      '../m/@v/list',
      'example.com/m/@v/v1.0.0.txt',
      'example.com/m/@v/1.0.0.info',
      '%zz/@v/list',
    ])
      expect([bad, parseGoproxyPath(bad)]).toEqual([bad, undefined]);
  });
});
