import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { keepsGit, removeStaged, stageContext } from '../../../src/engine/docker/stage-context.js';
import { folderBytes, listStagedFolders, sweepStagedFolders } from '../../../src/engine/docker/staged-folders.js';

// Above the largest Linux pid (2^22): no process can have it.
const DEAD = 2 ** 22 + 4242;

describe('staged folders left by a killed run', () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterAll(() => {
    child.kill();
  });

  it("sweeps folders of dead processes; keeps live ones, unnamed ones (an earlier version's) and anything else", async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'lgd-sweep-'));
    const make = async (name: string) => {
      await mkdir(join(tmp, name, '.git'), { recursive: true });
      await writeFile(join(tmp, name, '.env'), 'SECRET=1\n');
    };
    await make(`learn-go-docker-ctx-${DEAD}-aB3dE6`);
    await make(`learn-go-docker-compose-${DEAD}-Zz9yY8`);
    await make(`learn-go-docker-iid-${DEAD}-Qq1wW2`);
    await make(`learn-go-docker-ctx-${process.pid}-live01`);
    await make(`learn-go-docker-ctx-${child.pid}-live02`);
    await make('learn-go-docker-ctx-Old123');
    await make('learn-go-docker-ctx-New123');
    await make('learn-go-docker-ctxfoo');
    await make(`something-else-${DEAD}-aB3dE6`);
    await writeFile(join(tmp, `learn-go-docker-ctx-${DEAD}-afile1`), 'not a folder');

    const listed = await listStagedFolders(tmp);
    expect(listed.find((f) => f.pid === child.pid)?.live).toBe(true);
    expect(listed.find((f) => f.pid === DEAD)?.live).toBe(false);

    const swept = (await sweepStagedFolders(tmp)).map((p) => basename(p)).sort();
    expect(swept).toEqual([`learn-go-docker-compose-${DEAD}-Zz9yY8`, `learn-go-docker-ctx-${DEAD}-aB3dE6`, `learn-go-docker-iid-${DEAD}-Qq1wW2`].sort());
    expect((await readdir(tmp)).sort()).toEqual(
      [
        `learn-go-docker-ctx-${DEAD}-afile1`,
        `learn-go-docker-ctx-${child.pid}-live02`,
        `learn-go-docker-ctx-${process.pid}-live01`,
        'learn-go-docker-ctx-New123',
        'learn-go-docker-ctx-Old123',
        'learn-go-docker-ctxfoo',
        `something-else-${DEAD}-aB3dE6`,
      ].sort(),
    );
    expect(listed.find((f) => f.path.endsWith('Old123'))).toMatchObject({ live: false });
    expect(listed.find((f) => f.path.endsWith('Old123'))?.pid).toBeUndefined();
    await rm(tmp, { recursive: true, force: true });
  });

  it('measures a folder as du does (allocated blocks), without following links', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-du-'));
    await writeFile(join(dir, 'a'), Buffer.alloc(100_000, 1));
    const bytes = await folderBytes(dir);
    expect(bytes).toBeGreaterThanOrEqual(100_000);
    expect(bytes).toBeLessThan(200_000);
    expect(await folderBytes(join(dir, 'missing'))).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the staged build context', () => {
  const workspace = async (dockerignore?: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-stage-git-'));
    await mkdir(join(dir, '.git', 'objects'), { recursive: true });
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await mkdir(join(dir, '.learn-go-docker'));
    await writeFile(join(dir, 'main.go'), 'package main\n');
    if (dockerignore !== undefined) await writeFile(join(dir, '.dockerignore'), dockerignore);
    return dir;
  };
  const staged: string[] = [];
  afterAll(async () => {
    for (const dir of staged) await removeStaged(dir);
  });

  it("leaves .git out unless the learner's .dockerignore lets it reach the builder", async () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['.git\n.learn-go-docker\n', false],
      ['/.git/\n', false],
      ['# nothing about git\n/server\n', true],
      ['.git\n!.git/HEAD\n', true],
    ];
    for (const [ignore, kept] of cases) {
      expect(keepsGit(ignore)).toBe(kept);
      const dir = await stageContext(await workspace(ignore));
      staged.push(dir);
      expect(basename(dir)).toMatch(new RegExp(`^learn-go-docker-ctx-${process.pid}-`));
      expect(existsSync(join(dir, '.git', 'HEAD')), `.dockerignore ${JSON.stringify(ignore)}`).toBe(kept);
      expect(existsSync(join(dir, 'main.go'))).toBe(true);
      expect(existsSync(join(dir, '.learn-go-docker'))).toBe(false);
    }
  });
});
