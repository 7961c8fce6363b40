import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseKernelFs } from '../../../src/engine/util/system-paths.js';

// A workspace in /proc or /sys is refused up front: Node's recursive mkdir spins forever on procfs.

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lgd-syspaths-'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('refuseKernelFs', () => {
  it('refuses /proc and /sys and anything under them', () => {
    for (const dir of ['/proc', '/proc/1/x', '/sys', '/sys/fs/lab']) expect(() => refuseKernelFs(dir, 'linux'), dir).toThrow(/kernel file system/);
  });

  it('accepts look-alikes and ordinary folders', () => {
    for (const dir of ['/processes/lab', '/system/lab', join(root, 'lab'), '/tmp/proc']) expect(() => refuseKernelFs(dir, 'linux'), dir).not.toThrow();
  });

  it.runIf(process.platform === 'linux')('follows links on the way (a link to /proc/self)', () => {
    const via = join(root, 'p');
    symlinkSync('/proc/self', via);
    expect(() => refuseKernelFs(join(via, 'lab'), 'linux')).toThrow(/inside \/proc/);
  });

  it('does nothing on Windows', () => {
    expect(() => refuseKernelFs('/proc/1/x', 'win32')).not.toThrow();
  });
});
