import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findScanner, scanImage } from '../../../src/engine/docker/scanner.js';

// The scanner's plumbing with stand-in programs on PATH (what they print is a scanner's JSON; the
// judge's reading of it is image-scan.test.ts): which one is found, what it is asked, what comes back.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lgd-scanner-'));
  vi.stubEnv('PATH', dir);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const program = async (name: string, body: string) => {
  await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`);
  await chmod(join(dir, name), 0o755);
};

describe('image scanners on PATH', () => {
  it('finds none on an empty PATH, Grype alone, and Trivy first when both are there', async () => {
    expect(findScanner()).toBeUndefined();
    await program('grype', 'exit 0');
    expect(findScanner()?.name).toBe('grype');
    await program('trivy', 'exit 0');
    expect(findScanner()).toEqual({ name: 'trivy', file: join(dir, 'trivy') });
  });

  it('asks Trivy for the image by id, vulnerabilities only, as JSON, and keeps its output', async () => {
    await program('trivy', `echo "$@" > "${dir}/args"; echo '{"SchemaVersion":2,"Results":[]}'`);
    const run = await scanImage({ name: 'trivy', file: join(dir, 'trivy') }, 'sha256:abc');
    expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe('image --quiet --format json --scanners vuln --image-src docker sha256:abc');
    expect(run).toMatchObject({ scanner: 'trivy', exitCode: 0, stdout: '{"SchemaVersion":2,"Results":[]}', timedOut: false });
  });

  it('asks Grype for the image from the engine, and keeps the last lines of a failure', async () => {
    await program('grype', `echo "$@" > "${dir}/args"; echo one >&2; echo 'failed to load vulnerability db' >&2; exit 1`);
    const run = await scanImage({ name: 'grype', file: join(dir, 'grype') }, 'sha256:def');
    expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe('docker:sha256:def --output json --quiet');
    expect(run).toMatchObject({ scanner: 'grype', exitCode: 1, stdout: '', stderrTail: ['one', 'failed to load vulnerability db'] });
  });
});
