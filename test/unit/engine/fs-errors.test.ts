import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { asUserError, userErrorFromFs } from '../../../src/engine/fs-errors.js';

// File-system errors the learner can fix become one localized line naming the path and what to do
// (exit 2), in one place (issue 9); anything else stays a bug report.

const errno = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${code}: x`), { code, errno: -1, ...extra });
let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lgd-fserr-'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('userErrorFromFs', () => {
  it.each([
    ['ELOOP', 'too many symbolic links', 'Replace the link'],
    ['EISDIR', 'is a folder where a file was expected', 'Rename or remove'],
    ['EACCES', 'Permission denied', 'Give your user access'],
    ['EPERM', 'Operation not permitted', 'Check its permissions'],
    ['EROFS', 'read-only file system', 'Use a writable folder'],
    ['ENOSPC', 'No space left', 'Free some space'],
    ['EDQUOT', 'quota', 'Free some space'],
    ['ENAMETOOLONG', 'too long', 'shorter path'],
    ['EMFILE', 'Too many open files', 'ulimit -n'],
    ['ENFILE', 'Too many open files', 'ulimit -n'],
    ['EIO', 'Input/output error', 'Check it'],
    ['EBUSY', 'is busy', 'Close that program'],
    ['ENOENT', 'does not exist', 'Check the path'],
  ])('%s names the path and what to do, in both languages, exit 2', (code, what, todo) => {
    const mapped = userErrorFromFs(errno(code, { path: '/x/lab/Dockerfile', syscall: 'open' }));
    expect(mapped).toBeInstanceOf(UserError);
    expect(mapped?.exitCode).toBe(2);
    expect(mapped?.localized.en).toContain('/x/lab/Dockerfile');
    expect(mapped?.localized.en).toContain(what);
    expect(mapped?.localized.en).toContain(todo);
    expect(mapped?.localized['zh-CN']).toContain('/x/lab/Dockerfile');
    expect(mapped?.localized['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(mapped?.localized.en).not.toContain('\n');
  });

  it('ENOTDIR names the file that stands where a folder should be', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    const mapped = userErrorFromFs(errno('ENOTDIR', { path: join(file, 'lab', '.learn-go-docker'), syscall: 'mkdir' }));
    expect(mapped?.localized.en).toMatch(new RegExp(`^${file} is a file, not a folder, so .*lab/.learn-go-docker cannot be used`));
  });

  it('names the file as the caller shows it, and a pathless error by where the caller worked', () => {
    expect(userErrorFromFs(errno('EACCES', { path: '/abs/ws/Dockerfile' }), { shown: 'Dockerfile' })?.localized.en).toMatch(/^Permission denied: Dockerfile\./);
    expect(userErrorFromFs(errno('ENOSPC', { syscall: 'write' }), { near: '/home/me/lab' })?.localized.en).toContain('/home/me/lab');
    expect(userErrorFromFs(errno('ENOSPC', { syscall: 'write' }))?.localized.en).toBe('No space left on the disk. Free some space, then try again.');
  });

  it('looks inside a wrapping error (cause)', () => {
    expect(userErrorFromFs(new Error('copy failed', { cause: errno('ELOOP', { path: '/a' }) }))?.localized.en).toContain('/a: too many symbolic links');
  });

  it('leaves everything else alone: spawn errors (Docker), unknown codes, plain errors, pathless codes', () => {
    expect(userErrorFromFs(errno('ENOENT', { syscall: 'spawn docker', path: 'docker' }))).toBeUndefined();
    expect(userErrorFromFs(errno('EWHATEVER', { path: '/a' }))).toBeUndefined();
    expect(userErrorFromFs(new TypeError('x is undefined'))).toBeUndefined();
    expect(userErrorFromFs(errno('EACCES'))).toBeUndefined();
    expect(userErrorFromFs('ELOOP')).toBeUndefined();
  });

  it('asUserError passes a UserError through', () => {
    const error = new UserError({ en: 'a', 'zh-CN': '甲' });
    expect(asUserError(error)).toBe(error);
  });
});
