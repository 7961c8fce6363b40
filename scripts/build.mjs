// Bundles the CLI into dist/: the executable, its CommonJS core and the Ink UI (an ES module loaded only when the tutorial starts).
// The installed package then has no runtime dependencies to fetch.
import { build } from 'esbuild';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

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
const version = JSON.parse(await readFile('package.json', 'utf8')).version;
const shared = { bundle: true, platform: 'node', target: 'node20.19', minify: true, legalComments: 'none', metafile: true, logLevel: 'warning' };
await rm('dist', { recursive: true, force: true });

// 1. The core: every command and the engine, one CommonJS file that the executable runs with a V8
// code cache (src/core-loader.ts). Modules the CLI loads on demand stay lazy inside it (esbuild
// runs a dynamically imported module's code only when it is imported). It holds no `import()`:
// the executable runs it through `vm`, which has no module loader, so built-ins load with
// `require` and the UI through the loader's `__lgdImportUi`.
const uiOutside = {
  name: 'ui-outside-core',
  setup(b) {
    b.onResolve({ filter: /[\\/]ui[\\/]run\.js$/ }, () => ({ path: './ui.js', external: true }));
  },
};
const core = await build({
  ...shared,
  entryPoints: { core: 'src/core.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: {
    'process.env.NODE_ENV': '"production"',
    __LGD_BUNDLED__: 'true',
    __LGD_VERSION__: JSON.stringify(version),
    'import.meta.url': '__lgdCoreUrl',
  },
  plugins: [uiOutside, lspTypesStub],
});
const coreText = await readFile('dist/core.cjs', 'utf8');
if (/\bimport\(/.test(coreText.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""')))
  throw new Error('dist/core.cjs contains an import(): it runs through vm, which cannot import');

// 2. The interactive UI: an ES module (ink's layout engine loads with a top-level await). Its
// imports of the engine reach the core already loaded, through a bridge module that requires it.
const engineExports = await build({
  entryPoints: ['src/engine/index.ts'],
  bundle: true,
  write: false,
  outdir: '.tmp/engine-exports',
  format: 'esm',
  platform: 'node',
  packages: 'external',
  metafile: true,
  logLevel: 'error',
}).then((r) => Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.exports ?? []);
const engineBridge = {
  name: 'engine-bridge',
  setup(b) {
    b.onResolve({ filter: /[\\/]engine[\\/]index\.js$/ }, () => ({ path: 'engine', namespace: 'engine-bridge' }));
    b.onResolve({ filter: /^\.\/core\.cjs$/ }, () => ({ path: './core.cjs', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'engine-bridge' }, () => ({
      contents: [`const { engine } = require('./core.cjs');`, ...engineExports.map((name) => `export const ${name} = engine.${name};`)].join('\n'),
      loader: 'js',
    }));
  },
};
const ui = await build({
  ...shared,
  entryPoints: { ui: 'src/ui/run.tsx' },
  outdir: 'dist',
  format: 'esm',
  define: { 'process.env.NODE_ENV': '"production"', __LGD_BUNDLED__: 'true', __LGD_VERSION__: JSON.stringify(version) },
  plugins: [engineBridge, inkDevtoolsStub],
  // CommonJS dependencies inside ESM output need a require (signal-exit, the bridge to the core).
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await mkdir('.tmp', { recursive: true });
await writeFile(
  '.tmp/build-meta.json',
  JSON.stringify({ inputs: { ...core.metafile.inputs, ...ui.metafile.inputs }, outputs: { ...core.metafile.outputs, ...ui.metafile.outputs } }),
);

// 3. The executable: src/bin.ts as CommonJS; the core's hash names its code cache.
const { createHash } = await import('node:crypto');
await build({
  ...shared,
  metafile: false,
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  define: {
    __LGD_VERSION__: JSON.stringify(version),
    __LGD_CORE_KEY__: JSON.stringify(createHash('sha256').update(coreText).digest('hex').slice(0, 16)),
  },
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
const bytes = [core, ui].flatMap((r) => Object.values(r.metafile.outputs)).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist/ (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
