#!/usr/bin/env bash
# The whole test suite, with all its set-up: `npm test` (README) and .ci/run call this.
# Stages: install, Docker test environment, typecheck, format, build, unit+UI tests, Go tests of the
# sample app, Docker-backed tests (checks, interrupt, lesson conformance), packed-CLI end-to-end.
# Ends with one line "N passed, N failed". Docker-backed tests fail (never skip) without an engine.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT="$ROOT/.tmp/test-results"
rm -rf "$OUT" && mkdir -p "$OUT"
started=$(date +%s)
failed_stages=()

stage() { echo; echo "=== $1 ($(( $(date +%s) - started )) s)"; }
run_stage() { # name, command...
  local name=$1; shift
  stage "$name"
  if ! "$@"; then failed_stages+=("$name"); echo "!!! stage failed: $name"; return 1; fi
}

stage "install"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; exit 1; }
fi

# The Docker engine and the lessons' base images (idempotent, quick when already there).
if ! run_stage "test environment" bash scripts/test-env.sh; then
  echo "The Docker test environment could not be set up; Docker-backed tests cannot run."
  echo "0 passed, 1 failed"
  exit 1
fi
if [ -f .tmp/test-env.env ]; then set -a; . .tmp/test-env.env; set +a; fi

run_stage "typecheck" npx tsc --noEmit
run_stage "format (prettier --check; fix with npm run format)" npm run format:check --silent
run_stage "build" npm run build --silent

vitest_project() { # project, result name
  npx vitest run --project "$1" --reporter=default --reporter=json --outputFile.json="$OUT/$2.json"
}
run_stage "unit and UI tests" vitest_project unit unit

go_tests() {
  (cd sample-app && go vet ./... && go test -count=1 -json ./... > "$OUT/go.jsonl"; rc=$?; \
    grep -h '"Action":"fail"' "$OUT/go.jsonl" | grep '"Test"' | head -20; exit $rc) || return 1
  # Every lesson's Go files (start, solution, proof cases) still compile against the app.
  node scripts/vet-lesson-go.mjs >> "$OUT/go.jsonl"
}
run_stage "sample-app: go vet + go test, and the lessons' Go files" go_tests

CI=${CI:-} run_stage "Docker-backed tests (checks, interrupts, lesson conformance)" vitest_project docker docker
run_stage "packed CLI end-to-end" vitest_project e2e e2e

stage "summary"
node scripts/summarize-tests.mjs "$OUT" "${failed_stages[@]+"${failed_stages[@]}"}"
