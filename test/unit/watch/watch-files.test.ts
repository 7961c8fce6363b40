import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFiles, type FileWatcher } from '../../../src/engine/watch/watch-files.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Longer than debounce + a polling interval, so a second (unwanted) callback would have arrived.
const QUIET_MS = 400;

// Real temp folders and real OS events (or polling): the point is to see what editors actually do.
describe.each([false, true])('watchFiles (usePolling: %s)', (usePolling) => {
  let dir: string;
  let watcher: FileWatcher | undefined;
  const changes: string[] = [];
  const errors: Error[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lgd-watch-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(dir, 'notes.txt'), 'not watched\n');
    changes.length = 0;
    errors.length = 0;
  });

  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  // The default 200 ms debounce where it is the subject; 100 ms elsewhere to keep the suite quick.
  const start = async (files = [join(dir, 'Dockerfile'), join(dir, '.dockerignore')], debounceMs = 100): Promise<FileWatcher> => {
    watcher = watchFiles(files, (path) => changes.push(path), { usePolling, debounceMs, intervalMs: 50, onError: (error) => errors.push(error) });
    await watcher.ready;
    // Let the first poll (or inotify registration) settle before changing anything.
    await delay(150);
    return watcher;
  };

  /** Waits for `n` callbacks, then a quiet period to catch extra ones. */
  const settle = async (n: number, timeoutMs = 5000) => {
    const until = Date.now() + timeoutMs;
    while (changes.length < n && Date.now() < until) await delay(20);
    await delay(QUIET_MS);
  };

  it('reports the chosen mode', async () => {
    expect((await start()).mode).toBe(usePolling ? 'polling' : 'events');
  });

  it('turns a burst of writes into one debounced callback', async () => {
    watcher = watchFiles([join(dir, 'Dockerfile')], (path) => changes.push(path), { usePolling, intervalMs: 50, debounceMs: 200 });
    await watcher.ready;
    await delay(150);
    for (const user of [1000, 1001, 1002]) {
      await writeFile(join(dir, 'Dockerfile'), `FROM scratch\nUSER ${user}\n`);
      await delay(40);
    }
    expect(changes).toEqual([]);
    await settle(1);
    expect(changes).toEqual([join(dir, 'Dockerfile')]);
    expect(errors).toEqual([]);
  });

  it('sees an atomic save (write a temp file, rename it over the original), twice', async () => {
    await start();
    await writeFile(join(dir, '.Dockerfile.swp'), 'FROM scratch\nEXPOSE 8080\n');
    await rename(join(dir, '.Dockerfile.swp'), join(dir, 'Dockerfile'));
    await settle(1);
    expect(changes).toEqual([join(dir, 'Dockerfile')]);
    // The replaced file is a new inode; the next save must still be seen.
    await writeFile(join(dir, '.Dockerfile.swp'), 'FROM scratch\nEXPOSE 9090\n');
    await rename(join(dir, '.Dockerfile.swp'), join(dir, 'Dockerfile'));
    await settle(2);
    expect(changes).toEqual([join(dir, 'Dockerfile'), join(dir, 'Dockerfile')]);
  });

  it('sees a watched file being created and ignores other files', async () => {
    await start();
    await writeFile(join(dir, 'notes.txt'), 'changed\n');
    await delay(QUIET_MS);
    expect(changes).toEqual([]);
    await writeFile(join(dir, '.dockerignore'), '.git\n');
    await settle(1);
    expect(changes).toEqual([join(dir, '.dockerignore')]);
  });

  it('sees a target whose folder is created after watching started', async () => {
    await start([join(dir, 'Dockerfile'), join(dir, '.github/workflows/ci.yml')]);
    await mkdir(join(dir, '.github/workflows'), { recursive: true });
    await delay(300);
    await writeFile(join(dir, '.github/workflows/ci.yml'), 'on: push\n');
    await settle(1);
    expect(changes).toEqual([join(dir, '.github/workflows/ci.yml')]);
    expect(errors).toEqual([]);
  });

  it('stays silent after close', async () => {
    await (await start()).close();
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nUSER 1\n');
    await delay(QUIET_MS);
    expect(changes).toEqual([]);
  });
});
