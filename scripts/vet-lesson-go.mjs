// Every Go file a lesson ships (start/, solution/, each proof case over its base) compiles and
// passes `go vet` against the sample app as it is now. Lessons carry whole copies of app files
// (cmd/server/main.go in lessons 6 and 12 and their cases), so an app change that forgets one
// is caught here in seconds, not by a Docker build in the conformance run.
//
// Uses `go vet -overlay` (no copies). Prints one go-test-style JSON event per overlay set on
// stdout (the CI summary counts them with the Go tests) and a readable line per failure on stderr.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(new URL('..', import.meta.url).pathname);
const app = join(root, 'sample-app');
const lessonsDir = join(root, 'lessons');

const goFiles = (dir) => {
  if (!existsSync(dir)) return [];
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.go')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
};

/** workspace-relative path -> file on disk, later layers winning. */
const layers = (...dirs) => {
  const map = new Map();
  for (const dir of dirs) for (const rel of goFiles(dir)) map.set(rel, join(dir, rel));
  return map;
};

const sets = [];
for (const lesson of readdirSync(lessonsDir)
  .filter((f) => /^\d\d-/.test(f))
  .sort()) {
  const dir = join(lessonsDir, lesson);
  const start = join(dir, 'start');
  const solution = join(dir, 'solution');
  sets.push({ name: `${lesson}/start`, files: layers(start) });
  // The solution goes over the start; start Go files it leaves out go back to the sample app's.
  sets.push({ name: `${lesson}/solution`, files: layers(solution) });
  const cases = join(dir, 'cases');
  if (!existsSync(cases)) continue;
  for (const name of readdirSync(cases).sort()) {
    const yaml = existsSync(join(cases, name, 'case.yaml')) ? readFileSync(join(cases, name, 'case.yaml'), 'utf8') : '';
    const base = /^base:\s*start\b/m.test(yaml) ? start : solution;
    // A wrong answer whose point is that the image does not build must not compile either.
    const mustFail = /^failing:.*\bimage\.builds\b/m.test(yaml);
    sets.push({ name: `${lesson}/cases/${name}`, files: layers(base, join(cases, name, 'files')), mustFail });
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'vet-lesson-go-'));
const vet = promisify(execFile);
let failed = 0;
const check = async (set, index) => {
  const overlay = join(tmp, `overlay-${index}.json`);
  writeFileSync(overlay, JSON.stringify({ Replace: Object.fromEntries([...set.files].map(([rel, file]) => [join(app, rel), file])) }));
  let output = '';
  const ok = await vet('go', ['vet', `-overlay=${overlay}`, './...'], { cwd: app, timeout: 300_000 }).then(
    () => true,
    (error) => {
      output = String(error.stderr ?? error.message).trim();
      return false;
    },
  );
  const pass = set.mustFail ? !ok : ok;
  if (!pass) {
    failed += 1;
    const what = set.mustFail ? 'compiles, but the case says the image does not build' : `go vet fails with ${[...set.files.keys()].join(', ')}`;
    process.stderr.write(`FAIL ${set.name}: ${what}\n${output}\n`);
  }
  process.stdout.write(`${JSON.stringify({ Action: pass ? 'pass' : 'fail', Package: 'lessons', Test: set.name })}\n`);
};
try {
  // Two at a time: go vet is mostly waiting on its cache, and CI has two cores.
  const queue = sets.filter((s) => s.files.size > 0).map((set, i) => [set, i]);
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await check(...next);
    }),
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
