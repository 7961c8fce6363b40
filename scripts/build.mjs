// Bundles the CLI into dist/ (ESM, code-split so the Ink UI loads only when the tutorial starts).
// The installed package then has no runtime dependencies to fetch.
import { build } from 'esbuild';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

/** zod re-exports every locale (`export * as locales`); code splitting keeps them all in the chunk every command loads. */
const zodLocalesStub = {
  name: 'zod-locales-stub',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: new URL('./stubs/zod-locales.mjs', import.meta.url).pathname } : undefined,
    );
  },
};

const started = Date.now();
await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/bin.ts' },
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
  // ink's devtools import is only used with DEV=true; a stub keeps it out of the bundle (see anchors/stack.md).
  alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.mjs' },
  plugins: [zodLocalesStub],
  // CommonJS dependencies inside ESM output need a require (signal-exit, cross-spawn, marked-terminal's chain).
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
await mkdir('.tmp', { recursive: true });
await writeFile('.tmp/build-meta.json', JSON.stringify(result.metafile));
const cli = await readFile('dist/cli.js', 'utf8');
if (!cli.startsWith('#!')) await writeFile('dist/cli.js', `#!/usr/bin/env node\n${cli}`);
await chmod('dist/cli.js', 0o755);
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
