import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkshopServer, type WorkshopServer, type WorkshopServerOptions } from '../../../src/engine/workshop/server.js';

export const T0 = Date.parse('2026-11-29T10:00:00Z');

/** A clock the test moves: the server's "now". */
export const testClock = () => {
  let now = T0;
  return { now: () => now, advance: (ms: number) => (now += ms), set: (ms: number) => (now = ms) };
};

export const tempRoot = async (): Promise<{ dir: string; done: () => Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-workshop-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
};

/** A learner's workspace: the client needs only its runner-state folder. */
export const learnerWorkspace = async (root: string, name: string): Promise<string> => {
  const dir = join(root, name);
  await mkdir(join(dir, '.learn-go-docker'), { recursive: true });
  return dir;
};

export const serve = (dir: string, clock: { now: () => number }, extra: Partial<WorkshopServerOptions> = {}): Promise<WorkshopServer> =>
  startWorkshopServer({ dir, host: '127.0.0.1', port: 0, now: clock.now, ...extra });

export const outbox = async (workspace: string): Promise<string[]> =>
  (await readdir(join(workspace, '.learn-go-docker', 'workshop-outbox')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();

/**
 * A raw request (node:http, not fetch): a test of the body limit must send exactly these bytes and
 * read the status even when the server stops reading.
 */
export const raw = (
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean },
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(`${url}${options.path}`, { method: options.method, headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        // No content-length: the server can only find out by counting.
        const body = Buffer.from(options.body);
        for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      } else req.write(options.body);
    }
    req.end();
  });
