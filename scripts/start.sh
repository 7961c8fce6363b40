#!/usr/bin/env bash
# `npm start [-- args]`: run the tutorial from a checkout (installs and builds first when needed:
# when src/, lessons/ or package.json changed since the last build, as the course is compiled into dist/).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$ROOT/node_modules" ]; then (cd "$ROOT" && npm ci --no-audit --no-fund >&2); fi
if [ ! -f "$ROOT/dist/cli.cjs" ] || [ -n "$(find "$ROOT/src" "$ROOT/lessons" "$ROOT/package.json" -newer "$ROOT/dist/cli.cjs" -print -quit)" ]; then
  (cd "$ROOT" && npm run build --silent >&2)
fi
exec node "$ROOT/dist/cli.cjs" "$@"
