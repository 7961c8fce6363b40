import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../../src/cli.js';

/** What one run of the real CLI entry point printed, returned and took. */
export interface Run {
  readonly args: readonly string[];
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** Runs `main(args)` in-process with stdout/stderr captured (plain text: NO_COLOR unless `color`). */
export const runCli = async (args: string[], options: { color?: boolean; lang?: 'en' | 'zh-CN' } = {}): Promise<Run> => {
  let out = '';
  let err = '';
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
  if (options.color) {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = '1';
  } else {
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR;
  }
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (out += t)) as typeof process.stdout.write);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (err += t)) as typeof process.stderr.write);
  const started = performance.now();
  try {
    const code = await main([...args, '--lang', options.lang ?? 'en']);
    return { args, code, out, err, ms: performance.now() - started };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

/**
 * Every file and link under `root` (except `skip`) with a hash of its content, to prove a run
 * wrote nothing outside the workspace it was given.
 */
export const fingerprint = (root: string, skip: (name: string) => boolean = () => false): Map<string, string> => {
  const seen = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (skip(path)) continue;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) seen.set(path, `link:${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        seen.set(path, 'dir');
        walk(path);
      } else if (stat.isFile()) {
        const hash = stat.mode & 0o444 ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'unreadable';
        seen.set(path, `file:${stat.size}:${hash}`);
      } else seen.set(path, `special:${stat.mode}`);
    }
  };
  walk(root);
  return seen;
};

/** Any control character a terminal would act on (ESC, C1, BEL, CR...), allowing \n and \t. */
// eslint-disable-next-line no-control-regex -- this is exactly what must never be printed raw
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Lines of a stream, without the trailing empty one. */
export const linesOf = (text: string): string[] => text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
