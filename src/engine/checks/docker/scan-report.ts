/**
 * What Trivy (`trivy image --format json`) and Grype (`grype -o json`) report, in one shape. Both
 * formats are their documented JSON: Trivy's `Results[].Vulnerabilities[]` (`VulnerabilityID`,
 * `PkgName`, `InstalledVersion`, `FixedVersion`, `Severity`), Grype's `matches[]` (`vulnerability.id`,
 * `.severity`, `.fix.versions`, `artifact.name`, `.version`).
 */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Vulnerability {
  readonly id: string;
  readonly pkg: string;
  readonly installed: string;
  /** The version that fixes it; null when no fix is released. */
  readonly fixed: string | null;
  readonly severity: Severity;
}

const severity = (value: unknown): Severity => {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : upper === 'NEGLIGIBLE' ? 'LOW' : 'UNKNOWN';
};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

const fromTrivy = (doc: Record<string, unknown>): Vulnerability[] =>
  list(doc.Results).flatMap((result) =>
    list(record(result).Vulnerabilities).map((v) => {
      const vuln = record(v);
      return {
        id: text(vuln.VulnerabilityID),
        pkg: text(vuln.PkgName),
        installed: text(vuln.InstalledVersion),
        fixed: text(vuln.FixedVersion) || null,
        severity: severity(vuln.Severity),
      };
    }),
  );

const fromGrype = (doc: Record<string, unknown>): Vulnerability[] =>
  list(doc.matches).map((m) => {
    const vuln = record(record(m).vulnerability);
    const artifact = record(record(m).artifact);
    const fix = record(vuln.fix);
    const versions = list(fix.versions).map(text).filter(Boolean);
    return {
      id: text(vuln.id),
      pkg: text(artifact.name),
      installed: text(artifact.version),
      fixed: text(fix.state) === 'fixed' && versions.length ? versions.join(', ') : null,
      severity: severity(vuln.severity),
    };
  });

/** The vulnerabilities in a scanner's JSON, or undefined when it is not that scanner's report. */
export const parseScanReport = (scanner: 'trivy' | 'grype', stdout: string): Vulnerability[] | undefined => {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const root = record(doc);
  if (scanner === 'trivy') return 'Results' in root || 'SchemaVersion' in root ? fromTrivy(root) : undefined;
  return 'matches' in root ? fromGrype(root) : undefined;
};
