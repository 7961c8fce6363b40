import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTextFile } from '../../../src/engine/util/safe-read.js';

// The reader of every workspace file the runner analyses (the corpus in test/unit/hostile drives it
// through the CLI; these pin the rules themselves).

let root = '';
let ws = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lgd-saferead-'));
  ws = join(root, 'ws');
  mkdirSync(join(ws, 'sub'), { recursive: true });
  writeFileSync(join(root, 'outside.txt'), 'outside');
  writeFileSync(join(ws, 'sub', 'real'), 'inside');
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('readTextFile', () => {
  it('reads a file, and undefined when there is none (also under a file: ENOTDIR)', async () => {
    expect(await readTextFile('sub/real', { root: ws })).toBe('inside');
    expect(await readTextFile('missing', { root: ws })).toBeUndefined();
    expect(await readTextFile('sub/real/below', { root: ws })).toBeUndefined();
  });

  it('follows links that stay in the workspace, refuses links that leave it', async () => {
    symlinkSync('sub/real', join(ws, 'in-link'));
    symlinkSync(join(root, 'outside.txt'), join(ws, 'out-link'));
    symlinkSync(root, join(ws, 'out-dir'));
    expect(await readTextFile('in-link', { root: ws })).toBe('inside');
    await expect(readTextFile('out-link', { root: ws })).rejects.toThrow(/^out-link is a symbolic link to .*outside\.txt, outside the workspace/);
    await expect(readTextFile('out-dir/outside.txt', { root: ws })).rejects.toThrow(/outside the workspace/);
  });

  it('without a root (lint outside a workspace) links are followed, as any tool does', async () => {
    expect(await readTextFile(join(ws, 'out-link'))).toBe('outside');
  });

  it('names the file as the caller shows it', async () => {
    writeFileSync(join(ws, 'big'), 'x'.repeat(2048));
    await expect(readTextFile('big', { root: ws, maxBytes: 1024, shown: 'the/big' })).rejects.toThrow(
      /^the\/big is 2,048 bytes; learn-go-docker reads files up to 1,024 bytes/,
    );
  });
});

describe('readTextFile size message', () => {
  it('says the cap in MiB and a near-cap size exactly', async () => {
    writeFileSync(join(ws, 'near'), 'x'.repeat(1024 * 1024 + 13));
    await expect(readTextFile('near', { root: ws })).rejects.toThrow(/^near is 1,048,589 bytes; learn-go-docker reads files up to 1 MiB\./);
  });
});
