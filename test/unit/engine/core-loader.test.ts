import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The executable's loader of dist/core.cjs (src/core-loader.ts), bundled as the build bundles it
// and run in a new Node process each time, as each start of the CLI is (one process would keep
// compiled code in memory and never read the cache): what it runs the core with, and the code
// cache it leaves, reads back and refuses.
const CORE = `
exports.main = async (argv) => argv.length;
exports.seen = { url: __lgdCoreUrl, file: __filename, same: require.cache[__filename] === module };
exports.ui = () => __lgdImportUi();
`;

let dir: string;
let loader: string;
let cache: string;
const core = () => join(dir, 'core.cjs');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-core-loader-'));
  loader = join(dir, 'loader.cjs');
  await build({
    entryPoints: [resolve(import.meta.dirname, '../../../src/core-loader.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: loader,
    logLevel: 'error',
  });
  writeFileSync(core(), CORE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  cache = mkdtempSync(join(dir, 'cache-'));
});

/** One start: loads the core with `key`, runs main, asks the UI importer, saves the cache. */
const start = (key: string, cacheDir = cache, kind?: string) => {
  const script = `
    const { loadCore } = require(${JSON.stringify(loader)});
    const r = loadCore(${JSON.stringify(core())}, ${JSON.stringify(key)}, async () => 'the ui');
    Promise.all([r.core.main(['a', 'b']), r.core.ui()]).then(([code, ui]) => {
      r.saveCodeCache(${JSON.stringify(kind ?? null)} ?? undefined);
      const again = require(${JSON.stringify(core())}) === r.core;
      process.stdout.write(JSON.stringify({ code, ui, again, codeCache: r.codeCache, seen: r.core.seen }));
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, LEARN_GO_DOCKER_CACHE_DIR: cacheDir } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { code: number; ui: string; again: boolean; codeCache: string; seen: { url: string; file: string; same: boolean } };
};
const codeFiles = () => readdirSync(join(cache, 'code')).sort();
const named = (key: string) => `${key}-${process.version}-${process.arch}.bin`;

describe('loadCore', () => {
  it('runs the core as a CommonJS module with its URL and the UI importer, where require finds that same module', () => {
    const r = start('k1');
    expect(r.seen).toEqual({ url: `file://${core()}`, file: core(), same: true });
    expect(r).toMatchObject({ code: 2, ui: 'the ui', again: true });
  });

  it('leaves a code cache at the first start, and the next start uses it without writing it again', () => {
    expect(start('k1').codeCache).toBe('none');
    expect(codeFiles()).toEqual([named('k1')]);
    const path = join(cache, 'code', named('k1'));
    const at = new Date(2020, 0, 1);
    utimesSync(path, at, at);
    expect(start('k1').codeCache).toBe('used');
    expect(Math.round(statSync(path).mtimeMs)).toBe(at.getTime());
  });

  it('a command of a kind the cache has not seen writes it again once, with its own functions added', () => {
    const path = join(cache, 'code', named('k1'));
    const kinds = () => JSON.parse(readFileSync(`${path}.kinds`, 'utf8')) as string[];
    const age = () => {
      const at = new Date(2020, 0, 1);
      utimesSync(path, at, at);
      return at.getTime();
    };
    expect(start('k1', cache, 'init').codeCache).toBe('none');
    expect(kinds()).toEqual(['init']);
    let at = age();
    expect(start('k1', cache, 'init').codeCache).toBe('used');
    expect(Math.round(statSync(path).mtimeMs)).toBe(at); // the same kind: not written again
    expect(start('k1', cache, 'verify').codeCache).toBe('used');
    expect(Math.round(statSync(path).mtimeMs)).not.toBe(at);
    expect(kinds()).toEqual(['init', 'verify']);
    at = age();
    expect(start('k1', cache, 'verify').codeCache).toBe('used');
    expect(Math.round(statSync(path).mtimeMs)).toBe(at);
    // The list of kinds goes with its cache when an old build's cache is removed.
    for (const key of ['k2', 'k3', 'k4', 'k5']) start(key, cache, 'verify');
    expect(codeFiles().filter((f) => f.startsWith('k1'))).toEqual([]);
  });

  it('a cache V8 refuses (damaged) is replaced, and the command runs as without one', () => {
    start('k1');
    const path = join(cache, 'code', named('k1'));
    writeFileSync(path, 'not a code cache');
    const r = start('k1');
    expect(r).toMatchObject({ code: 2, codeCache: 'refused' });
    expect(readFileSync(path, 'utf8')).not.toBe('not a code cache');
    expect(start('k1').codeCache).toBe('used');
  });

  it("another build's key never reads this one's cache; the newest few of the others are kept", () => {
    start('k0');
    for (const [i, key] of ['old1', 'old2', 'old3', 'old4'].entries()) {
      const path = join(cache, 'code', `${key}.bin`);
      writeFileSync(path, 'x');
      const at = new Date(2021, 0, 1 + i);
      utimesSync(path, at, at);
    }
    expect(start('k5').codeCache).toBe('none');
    expect(codeFiles()).toEqual([named('k0'), named('k5'), 'old3.bin', 'old4.bin']);
  });

  it('a folder where the cache file would be: no error, and no half-written file left beside it', () => {
    mkdirSync(join(cache, 'code', named('k1')), { recursive: true });
    expect(start('k1')).toMatchObject({ code: 2, codeCache: 'none' });
    expect(codeFiles()).toEqual([named('k1')]);
  });

  it('a cache folder it cannot write is no error', () => {
    const blocked = join(cache, 'blocked');
    writeFileSync(blocked, 'a file where the folder would be');
    expect(start('k1', blocked)).toMatchObject({ code: 2, codeCache: 'none' });
  });
});

describe('commandKind (the code cache is written once per kind of command)', () => {
  it('is the first command word, an option value skipped, with --static-only apart', async () => {
    const { commandKind } = await import('../../../src/core-loader.js');
    expect(commandKind(['verify'])).toBe('verify');
    expect(commandKind(['--lang', 'en', 'verify'])).toBe('verify');
    expect(commandKind(['--dir', 'lab', 'list', '--json'])).toBe('list');
    expect(commandKind(['verify', '--static-only', '--json'])).toBe('verify --static-only');
    expect(commandKind(['--lang', 'zh-CN'])).toBe('tutorial');
    expect(commandKind([])).toBe('tutorial');
  });

  it('knows every option of the CLI that takes a value', async () => {
    const [{ VALUE_OPTIONS }, { OPTIONS }] = await Promise.all([import('../../../src/core-loader.js'), import('../../../src/cli.js')]);
    const withValues = Object.entries(OPTIONS)
      .filter(([, o]) => o.type === 'string')
      .map(([name]) => `--${name}`);
    expect([...VALUE_OPTIONS].sort()).toEqual(withValues.sort());
  });
});
