// Bundles the CLI into dist/ (ESM, code-split so the Ink UI loads only when the tutorial starts).
// The installed package then has no runtime dependencies to fetch.
import { build } from 'esbuild';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

/** ink-spinner imports every spinner of cli-spinners (30 KB); the UI shows two of them. */
const SPINNERS_USED = ['dots', 'line'];
const spinnersSubset = {
  name: 'cli-spinners-subset',
  setup(b) {
    b.onResolve({ filter: /^cli-spinners$/ }, () => ({ path: 'cli-spinners', namespace: 'spinners-subset' }));
    b.onLoad({ filter: /.*/, namespace: 'spinners-subset' }, async () => {
      const all = JSON.parse(await readFile('node_modules/cli-spinners/spinners.json', 'utf8'));
      const used = Object.fromEntries(SPINNERS_USED.map((name) => [name, all[name]]));
      return { contents: `export default ${JSON.stringify(used)};`, loader: 'js' };
    });
  },
};

/** An esbuild plugin: `specifier`, imported from inside node_modules/`pkg`, resolves to scripts/stubs/`stub`. */
const stubWithin = (pkg, specifier, stub) => ({
  name: `${pkg}-${stub}`,
  setup(b) {
    const inside = new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]`);
    b.onResolve({ filter: new RegExp(`^${specifier.replace(/[.]/g, '\\.')}$`) }, (args) =>
      inside.test(args.importer) ? { path: new URL(`./stubs/${stub}`, import.meta.url).pathname } : undefined,
    );
  },
});

/**
 * ink loads its devtools (a WebSocket client, 49 KB) only when DEV=true; the installed tutorial
 * never offers React devtools, so the import resolves to an empty module.
 */
const inkDevtoolsStub = stubWithin('ink', './devtools.js', 'empty.mjs');

/** dockerfile-ast needs two constructors of vscode-languageserver-types; the stub has just those. */
const lspTypesStub = stubWithin('dockerfile-ast', 'vscode-languageserver-types', 'lsp-types.mjs');

const started = Date.now();
await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'none',
  metafile: true,
  define: {
    'process.env.NODE_ENV': '"production"',
    __LGD_BUNDLED__: 'true',
    __LGD_VERSION__: JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version),
  },
  plugins: [spinnersSubset, inkDevtoolsStub, lspTypesStub],
  // CommonJS dependencies inside ESM output need a require (signal-exit, cross-spawn, marked-terminal's chain).
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
await mkdir('.tmp', { recursive: true });
await writeFile('.tmp/build-meta.json', JSON.stringify(result.metafile));
// The executable: src/bin.ts as CommonJS (see there why), loading the ES bundle for any command.
const toMain = {
  name: 'bin-to-main',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: './main.js', external: true }));
  },
};
await build({
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'none',
  define: { __LGD_VERSION__: JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version) },
  plugins: [toMain],
  logLevel: 'warning',
});
const cli = await readFile('dist/cli.cjs', 'utf8');
if (!cli.startsWith('#!')) await writeFile('dist/cli.cjs', `#!/usr/bin/env node\n${cli}`);
await chmod('dist/cli.cjs', 0o755);
// The course as the installed CLI reads it: lesson.yaml files parsed and validated now, not at every start.
await build({
  entryPoints: ['src/engine/lessons/compile-entry.ts'],
  outfile: '.tmp/compile-course.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
const { execFileSync } = await import('node:child_process');
execFileSync(process.execPath, ['.tmp/compile-course.mjs', process.cwd()], { stdio: ['ignore', 'ignore', 'inherit'] });
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist/ (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
