// Adds up vitest JSON reports and `go test -json` output into the one closing line CI reads:
// "N passed, N failed". A stage that failed without reporting tests counts as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
/** Failures each report recorded, to know whether a failed stage is already counted. */
const failuresBy = {};
for (const name of ['unit', 'docker', 'e2e']) {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load reports no tests: count it.
  for (const suite of report.testResults ?? []) if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  failuresBy[name] = (report.numFailedTests ?? 0) + (report.testResults ?? []).filter((s) => s.status === 'failed').length;
  console.log(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
const goFile = join(dir, 'go.jsonl');
if (existsSync(goFile)) {
  let goPassed = 0;
  let goFailed = 0;
  for (const line of readFileSync(goFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line);
      if (!event.Test) continue;
      if (event.Action === 'pass') goPassed += 1;
      if (event.Action === 'fail') goFailed += 1;
    } catch {
      /* non-JSON build output */
    }
  }
  passed += goPassed;
  failed += goFailed;
  failuresBy.go = goFailed;
  console.log(`go: ${goPassed} passed, ${goFailed} failed`);
}
const stageToReport = {
  'unit and UI tests': 'unit',
  'Docker-backed tests (checks, interrupts, lesson conformance)': 'docker',
  'packed CLI end-to-end': 'e2e',
  "sample-app: go vet + go test, and the lessons' Go files": 'go',
};
for (const stage of failedStages) {
  // typecheck, build, go vet, or a test stage that died before reporting a failing test: one failure each.
  const report = stageToReport[stage];
  if (!report || !failuresBy[report]) {
    console.log(`stage failed: ${stage}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
