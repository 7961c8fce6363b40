import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfile } from '../dockerfile/dockerfile-arbitrary.js';
import { RAW_CONTROL, runCli } from './harness.js';

// The lint path end to end (issue 9): `lint FILE` and `lint FILE --json` through main() on generated
// Dockerfiles: exit 0 or 1 (never 2 or 70), no stack trace, no raw control character in plain
// text, valid JSON, bounded time. Fewer runs than the analysis properties: each one is a CLI run.

// Made in beforeAll (not at import) so a run filtered with -t leaves no folder behind.
let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-lint-prop-'));
  file = join(dir, 'Dockerfile');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lints = async (text: string): Promise<void> => {
  writeFileSync(file, text);
  const plain = await runCli(['lint', file]);
  const json = await runCli(['lint', file, '--json']);
  for (const run of [plain, json]) {
    expect([0, 1], run.err).toContain(run.code);
    expect(run.err).toBe('');
    expect(run.out).not.toMatch(/^\s+at /m);
    expect(run.ms).toBeLessThan(3000);
  }
  expect(plain.out).not.toMatch(RAW_CONTROL);
  expect(json.code).toBe(plain.code);
  expect(JSON.parse(json.out)).toHaveProperty('findings');
};

describe('lint: properties', () => {
  it('grammar-shaped Dockerfiles', async () => {
    await fc.assert(fc.asyncProperty(dockerfile, lints), { seed: 9, numRuns: 80 });
  });

  it('arbitrary text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), lints), { seed: 9, numRuns: 40 });
  });
});
