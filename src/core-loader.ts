import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheFolder } from './engine/util/cache-dir.js';

/** What dist/core.cjs exports (src/core.ts). */
export interface Core {
  main(argv: string[]): Promise<number>;
}

/** Code caches kept in the cache folder, this build's included. */
const KEPT = 4;

/**
 * The parameters the core is run with besides CommonJS's five: its own URL (the bundle's
 * `import.meta.url`) and how to import the UI, an ES module the core cannot import itself (it
 * has no `import()`: a script run through `vm` has no module loader of its own).
 */
const PARAMS = 'exports, require, module, __filename, __dirname, __lgdCoreUrl, __lgdImportUi';

export interface LoadedCore {
  readonly core: Core;
  /** Whether a code cache was found and used, or refused by V8 (then compiled as if none). */
  readonly codeCache: 'none' | 'used' | 'refused';
  /**
   * Leaves the compiled code for the next start, when there was no usable cache, or when `kind`
   * (the command: verify, list...) has not run with this cache yet: the cache holds the functions
   * compiled by the run that wrote it, and the first command after an install is often not the one
   * a learner repeats (`init` wrote a cache that made a verify take 9% longer than one `verify`
   * wrote). Each kind adds its functions once; never throws.
   */
  readonly saveCodeCache: (kind?: string) => void;
}

/**
 * Loads the CLI's CommonJS core with a V8 code cache, as Node 22's compile cache does (Node 20 has
 * none): the first run compiles and leaves the compiled code in the user's cache folder, later runs
 * read it back instead of parsing and compiling about 1 MB of JavaScript again (a static verify
 * takes about three quarters of the time). `key` names this exact build (a hash of the core's
 * bytes, made at build time), so an upgrade never reads an older build's code; V8 itself refuses a
 * cache of another V8 version or other flags. A missing, unreadable or refused cache costs only the
 * compile; nothing about the cache can fail a command.
 */
export const loadCore = (file: string, key: string, importUi: () => Promise<unknown>): LoadedCore => {
  const source = readFileSync(file, 'utf8');
  const folder = codeCacheFolder();
  const cacheFile = join(folder, `${key}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // One line: the core's own line numbers stay as they are in its stack traces.
  const script = new Script(`(function (${PARAMS}) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  // Registered as a CommonJS module before it runs, as `require` would: the UI's bridge
  // (`require('./core.cjs')`) then gets this same instance, with the same engine state.
  const mod = new Module(file);
  mod.filename = file;
  const requireHere = createRequire(file);
  requireHere.cache[file] = mod as unknown as NodeJS.Module;
  run.call(mod.exports, mod.exports, requireHere, mod, file, dirname(file), pathToFileURL(file).href, importUi);
  mod.loaded = true;
  const saveCodeCache = (kind?: string) => {
    const usable = cachedData !== undefined && !script.cachedDataRejected;
    // The kinds of command whose functions the cache holds: read only now, after the command.
    const kindsFile = `${cacheFile}.kinds`;
    const kinds = kind === undefined || !usable ? [] : readKinds(kindsFile);
    if (usable && (kind === undefined || kinds.includes(kind))) return;
    try {
      mkdirSync(folder, { recursive: true });
      // After the command ran: the functions it compiled on the way are in the cache too, with
      // those it read from the cache (a command of another kind adds its own to theirs).
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      try {
        renameSync(tmp, cacheFile);
      } catch (error) {
        rmSync(tmp, { force: true }); // a folder where the cache file would be: nothing left behind
        throw error;
      }
      if (kind !== undefined) writeFileSync(kindsFile, JSON.stringify([...kinds, kind]));
      // Older builds' and Node versions' caches: the newest few are kept (two installed versions
      // used in turn do not evict each other), the rest removed.
      const others = readdirSync(folder)
        .filter((name) => !name.endsWith('.kinds'))
        .map((name) => join(folder, name))
        .filter((path) => path !== cacheFile)
        .map((path) => ({ path, at: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
        .sort((a, b) => b.at - a.at);
      for (const { path } of others.slice(KEPT - 1)) {
        rmSync(path, { force: true });
        rmSync(`${path}.kinds`, { force: true });
      }
    } catch {
      // A read-only home is no reason to fail: the cache only makes the next start faster.
    }
  };
  const codeCache = !cachedData ? 'none' : script.cachedDataRejected ? 'refused' : 'used';
  return { core: mod.exports as Core, codeCache, saveCodeCache };
};

const readKinds = (file: string): string[] => {
  try {
    const kinds: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(kinds) ? kinds.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
};

/**
 * The options that take a value (cli.ts OPTIONS of type string; a unit test keeps the two lists
 * equal): their value is no command word. Listed here so the executable loads nothing more.
 */
export const VALUE_OPTIONS: readonly string[] = [
  '--dir',
  '--lang',
  '--lesson',
  '--dockerfile',
  '--target',
  '--port',
  '--path',
  '--host',
  '--name',
  '--platform',
  '--export',
  '--import',
  '--mirror',
];

/**
 * The command, for the code cache: its first word, and whether it runs Docker (`--static-only`).
 * `--lang en verify` is a verify: an option's value is skipped. An unknown order only costs one
 * more write of the cache.
 */
export const commandKind = (args: readonly string[]): string => {
  let word: string | undefined;
  for (let i = 0; i < args.length && word === undefined; i += 1) {
    const arg = args[i] as string;
    if (VALUE_OPTIONS.includes(arg)) i += 1;
    else if (/^[a-z][a-z-]*$/.test(arg)) word = arg;
  }
  return args.includes('--static-only') ? `${word ?? 'tutorial'} --static-only` : (word ?? 'tutorial');
};
