// The CLI's core as dist/core.cjs exports it: main() for the executable, and the engine's API for
// the interactive UI (dist/ui.js), which reaches it through `require('./core.cjs')` so both share
// one engine (the course, the Docker capabilities, the language) in one process.
export { main } from './cli.js';
export * as engine from './engine/index.js';
