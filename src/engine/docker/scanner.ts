import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runGuarded } from './exec.js';

/**
 * An image vulnerability scanner the learner has installed: Trivy or Grype, found on PATH (the
 * course installs neither). Each reads the image from the engine by its id and prints JSON; what
 * the JSON means is the judge's (checks/docker/scan-report.ts), so a measurement keeps its text.
 */
export type ScannerName = 'trivy' | 'grype';

export interface ScanRun {
  readonly scanner: ScannerName;
  readonly exitCode: number | null;
  readonly stdout: string;
  /** The last lines of its errors (a database it could not fetch, an image it could not read). */
  readonly stderrTail: readonly string[];
  readonly timedOut: boolean;
}

/** Scanners fetch a vulnerability database on their first run: minutes on a slow network. */
const SCAN_TIMEOUT_MS = 10 * 60_000;

const onPath = (name: string, path = process.env.PATH ?? ''): string | undefined => {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
};

/** The first scanner on PATH (Trivy before Grype), or undefined. */
export const findScanner = (): { name: ScannerName; file: string } | undefined => {
  for (const name of ['trivy', 'grype'] as const) {
    const file = onPath(name);
    if (file) return { name, file };
  }
  return undefined;
};

/** The arguments that scan a local image by id, vulnerabilities only, as JSON on stdout. */
export const scanArgs = (name: ScannerName, imageId: string): string[] =>
  name === 'trivy'
    ? ['image', '--quiet', '--format', 'json', '--scanners', 'vuln', '--image-src', 'docker', imageId]
    : [`docker:${imageId}`, '--output', 'json', '--quiet'];

export const scanImage = async (scanner: { name: ScannerName; file: string }, imageId: string, signal?: AbortSignal): Promise<ScanRun> => {
  const out = await runGuarded(scanner.file, scanArgs(scanner.name, imageId), { timeoutMs: SCAN_TIMEOUT_MS, signal });
  return {
    scanner: scanner.name,
    exitCode: out.exitCode ?? null,
    stdout: out.stdout,
    stderrTail: out.stderr
      .split('\n')
      .filter((line) => line.trim())
      .slice(-5),
    timedOut: Boolean(out.timedOut),
  };
};
