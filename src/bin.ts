#!/usr/bin/env node
// The executable, bundled on its own to dist/cli.cjs: CommonJS on purpose, because Node starts its
// ES module loader only when the first ES module loads, and `--version` then answers without it
// (30 ms less on a 2-core machine). Everything else loads the ES bundle (dist/main.js). Kept apart
// from cli.ts so tests can import main().

/** Set by the bundler (scripts/build.mjs) to the package version; absent when run from source. */
declare const __LGD_VERSION__: string | undefined;

// `learn-go-docker list | head`: a reader that stops early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v') && typeof __LGD_VERSION__ === 'string') {
  // Answered before the CLI loads: a version check costs no more than Node's own start.
  process.stdout.write(`${__LGD_VERSION__}\n`);
} else {
  import('./cli.js')
    .then(({ main }) => main(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exitCode = 70;
      },
    );
}
