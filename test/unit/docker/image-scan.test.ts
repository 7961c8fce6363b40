import { describe, expect, it } from 'vitest';
import { imageScan } from '../../../src/engine/checks/docker/scan.js';
import { parseScanReport } from '../../../src/engine/checks/docker/scan-report.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// Reports written in each scanner's documented JSON shape (no scanner can fetch its database on
// the project's machines, so none was recorded): Trivy's Results[].Vulnerabilities[], Grype's matches[].
const TRIVY = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: 'sha256:abc',
  Results: [
    { Target: 'sha256:abc (debian 13.2)', Class: 'os-pkgs', Type: 'debian' },
    {
      Target: 'server',
      Class: 'lang-pkgs',
      Type: 'gobinary',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2026-0001', PkgName: 'stdlib', InstalledVersion: 'v1.26.0', FixedVersion: '1.26.1', Severity: 'HIGH' },
        { VulnerabilityID: 'CVE-2026-0002', PkgName: 'golang.org/x/net', InstalledVersion: 'v0.40.0', FixedVersion: '', Severity: 'CRITICAL' },
        { VulnerabilityID: 'CVE-2026-0003', PkgName: 'github.com/gin-gonic/gin', InstalledVersion: 'v1.10.1', FixedVersion: '1.10.2', Severity: 'MEDIUM' },
      ],
    },
  ],
});
const GRYPE = JSON.stringify({
  matches: [
    {
      vulnerability: { id: 'GHSA-xxxx-0001', severity: 'Critical', fix: { versions: ['0.41.0'], state: 'fixed' } },
      artifact: { name: 'golang.org/x/net', version: 'v0.40.0', type: 'go-module' },
    },
    {
      vulnerability: { id: 'CVE-2026-0009', severity: 'Negligible', fix: { versions: [], state: 'not-fixed' } },
      artifact: { name: 'tzdata', version: '2025b', type: 'deb' },
    },
  ],
});

const bound = imageScan.bind({ severities: ['CRITICAL', 'HIGH'] });
const judge = (measurement: Record<string, unknown>) => {
  if (bound.kind !== 'docker') throw new Error('image.scan is a Docker check');
  return bound.judge(measurement, { dockerfile: analyzeDockerfile('FROM scratch\n', { dockerignore: null }), dockerfilePath: 'Dockerfile', history: {} });
};

describe('scanner reports', () => {
  it('reads Trivy and Grype into one shape, and refuses what is not a report of that scanner', () => {
    expect(parseScanReport('trivy', TRIVY)).toEqual([
      { id: 'CVE-2026-0001', pkg: 'stdlib', installed: 'v1.26.0', fixed: '1.26.1', severity: 'HIGH' },
      { id: 'CVE-2026-0002', pkg: 'golang.org/x/net', installed: 'v0.40.0', fixed: null, severity: 'CRITICAL' },
      { id: 'CVE-2026-0003', pkg: 'github.com/gin-gonic/gin', installed: 'v1.10.1', fixed: '1.10.2', severity: 'MEDIUM' },
    ]);
    expect(parseScanReport('grype', GRYPE)).toEqual([
      { id: 'GHSA-xxxx-0001', pkg: 'golang.org/x/net', installed: 'v0.40.0', fixed: '0.41.0', severity: 'CRITICAL' },
      { id: 'CVE-2026-0009', pkg: 'tzdata', installed: '2025b', fixed: null, severity: 'LOW' },
    ]);
    expect(parseScanReport('trivy', GRYPE)).toBeUndefined();
    expect(parseScanReport('grype', '2026-11-30T10:00:00Z FATAL init error: DB error: failed to download vulnerability DB')).toBeUndefined();
  });
});

describe('image.scan', () => {
  it('is unknown, never a failure, without a scanner or when the scanner printed no report', () => {
    const none = judge({ scanner: null });
    expect(none.status).toBe('unknown');
    expect(none.message.en).toContain('trivy or grype on PATH');
    expect(cjkSpacingProblems(none.message['zh-CN'])).toEqual([]);
    const offline = judge({ scanner: 'trivy', vulnerabilities: null, stderrTail: ['FATAL init error: DB error: failed to download vulnerability DB'] });
    expect(offline.status).toBe('unknown');
    expect(offline.message.en).toContain('failed to download vulnerability DB');
    expect(judge({ scanner: 'grype', timedOut: true, vulnerabilities: null }).message.en).toBe(
      'Grype did not finish within 10 minutes: the image was not scanned.',
    );
  });

  it('fails a vulnerability of the asked severities that has a released fix, the worst first, and says where each fix comes from', () => {
    const trivy = judge({ scanner: 'trivy', vulnerabilities: parseScanReport('trivy', TRIVY) });
    expect(trivy.status).toBe('fail');
    expect(trivy.message.en).toContain('Trivy found 1 CRITICAL or HIGH vulnerability with a released fix:');
    expect(trivy.message.en).toContain('HIGH CVE-2026-0001: stdlib v1.26.0, fixed in 1.26.1');
    expect(trivy.message.en).not.toContain('CVE-2026-0003');
    expect(trivy.message.en).toContain('stdlib a newer Go image');
    expect(trivy.measured).toEqual({ vulnerabilities: 3, fixable: 1 });
    expect(cjkSpacingProblems(trivy.message['zh-CN'])).toEqual([]);
    expect(judge({ scanner: 'grype', vulnerabilities: parseScanReport('grype', GRYPE) }).message.en).toContain(
      'CRITICAL GHSA-xxxx-0001: golang.org/x/net v0.40.0, fixed in 0.41.0',
    );
  });

  it('passes when nothing of those severities has a fix yet, counting what it saw', () => {
    const clean = judge({
      scanner: 'trivy',
      vulnerabilities: [{ id: 'CVE-2026-0002', pkg: 'golang.org/x/net', installed: 'v0.40.0', fixed: null, severity: 'CRITICAL' }],
    });
    expect(clean.status).toBe('pass');
    expect(clean.message.en).toBe(
      'Trivy found no CRITICAL or HIGH vulnerability with a released fix (1 known in all, 1 of them CRITICAL or HIGH without a fix yet).',
    );
    expect(judge({ scanner: 'grype', vulnerabilities: [] }).message.en).toBe(
      'Grype found no CRITICAL or HIGH vulnerability with a released fix (0 known in all).',
    );
  });
});
