#!/usr/bin/env node
// The executable, bundled on its own to dist/cli.cjs. It loads the CLI's core (dist/core.cjs,
// everything but the interactive UI) with a V8 code cache (see core-loader.ts), and answers
// `--version` before loading anything. CommonJS on purpose: Node starts its ES module loader only
// for the UI (dist/ui.js), so a command like `verify` never pays for it. Kept apart from cli.ts so
// tests can import main().
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandKind, loadCore } from './core-loader.js';

/** Set by the bundler (scripts/build.mjs): the package version, and a hash of dist/core.cjs. */
declare const __LGD_VERSION__: string;
declare const __LGD_CORE_KEY__: string;

// `learn-go-docker list | head`: a reader that stops early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Answered before the CLI loads: a version check costs no more than Node's own start.
  process.stdout.write(`${__LGD_VERSION__}\n`);
} else {
  try {
    const { core, saveCodeCache } = loadCore(join(__dirname, 'core.cjs'), __LGD_CORE_KEY__, () => import(pathToFileURL(join(__dirname, 'ui.js')).href));
    core.main(argv).then(
      (code) => {
        process.exitCode = code;
        saveCodeCache(commandKind(argv));
      },
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exitCode = 70;
      },
    );
  } catch (error) {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 70;
  }
}
