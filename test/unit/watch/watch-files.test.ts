import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFiles, type FileWatcher } from '../../../src/engine/watch/watch-files.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  const start = async (): Promise<FileWatcher> => {
    watcher = watchFiles([join(dir, 'Dockerfile'), join(dir, '.dockerignore')], (path) => changes.push(path), {
      usePolling,
      intervalMs: 50,
      onError: (error) => errors.push(error),
    });
    await watcher.ready;
    // Let the first poll (or inotify registration) settle before changing anything.
    await delay(150);
    return watcher;
  };

  it('reports the chosen mode', async () => {
    expect((await start()).mode).toBe(usePolling ? 'polling' : 'events');
  });

  it('turns a burst of writes into one debounced callback', async () => {
    await start();
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nUSER 1000\n');
    await delay(40);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nUSER 1001\n');
    await delay(40);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nUSER 1002\n');
    expect(changes).toEqual([]);
    await delay(900);
    expect(changes).toEqual([join(dir, 'Dockerfile')]);
    expect(errors).toEqual([]);
  });

  it('sees an atomic save (write a temp file, rename it over the original)', async () => {
    await start();
    await writeFile(join(dir, '.Dockerfile.swp'), 'FROM scratch\nEXPOSE 8080\n');
    await rename(join(dir, '.Dockerfile.swp'), join(dir, 'Dockerfile'));
    await delay(900);
    expect(changes).toEqual([join(dir, 'Dockerfile')]);
    // The replaced file is a new inode; the next save must still be seen.
    await writeFile(join(dir, '.Dockerfile.swp'), 'FROM scratch\nEXPOSE 9090\n');
    await rename(join(dir, '.Dockerfile.swp'), join(dir, 'Dockerfile'));
    await delay(900);
    expect(changes).toEqual([join(dir, 'Dockerfile'), join(dir, 'Dockerfile')]);
  });

  it('sees a watched file being created and ignores other files', async () => {
    await start();
    await writeFile(join(dir, 'notes.txt'), 'changed\n');
    await delay(600);
    expect(changes).toEqual([]);
    await writeFile(join(dir, '.dockerignore'), '.git\n');
    await delay(900);
    expect(changes).toEqual([join(dir, '.dockerignore')]);
  });

  it('sees a target whose folder is created after watching started', async () => {
    watcher = watchFiles([join(dir, 'Dockerfile'), join(dir, '.github/workflows/ci.yml')], (path) => changes.push(path), {
      usePolling,
      intervalMs: 50,
      onError: (error) => errors.push(error),
    });
    await watcher.ready;
    await delay(150);
    await mkdir(join(dir, '.github/workflows'), { recursive: true });
    await delay(400);
    await writeFile(join(dir, '.github/workflows/ci.yml'), 'on: push\n');
    await delay(900);
    expect(changes).toEqual([join(dir, '.github/workflows/ci.yml')]);
    expect(errors).toEqual([]);
  });

  it('stays silent after close', async () => {
    await (await start()).close();
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nUSER 1\n');
    await delay(600);
    expect(changes).toEqual([]);
  });
});
