#!/usr/bin/env node
// The executable (bundled to dist/cli.js). Kept apart from cli.ts so tests can import main().
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 70;
  },
);
