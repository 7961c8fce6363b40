import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import type { AnalyzeOptions, DockerfileAnalysis, Finding } from '../../../src/engine/dockerfile/types.js';
import { staticChecks } from '../../../src/engine/checks/static/index.js';
import type { StaticContext } from '../../../src/engine/checks/types.js';

/**
 * Data-driven cases: test/fixtures/dockerfiles/<case>.Dockerfile with the expected facts and
 * findings in <case>.expect.json. Finding specs are "id", "id@line" or "id@line:severity".
 */
interface Expectation {
  readonly options?: AnalyzeOptions;
  readonly ok?: boolean;
  readonly parseErrorLine?: number | null;
  readonly parseErrorIncludes?: string;
  readonly facts?: Record<string, unknown>;
  readonly findings?: readonly string[];
  readonly exactFindings?: readonly string[];
  readonly absent?: readonly string[];
  readonly messageIncludes?: Record<string, string>;
  readonly stages?: readonly Record<string, unknown>[];
  readonly exposedPorts?: readonly number[];
  readonly labels?: Record<string, string>;
  readonly env?: readonly Record<string, unknown>[];
  readonly instruction?: Record<string, unknown>;
  readonly instructionCount?: number;
  readonly userLine?: number;
  readonly checks?: Record<string, string>;
}

const dir = new URL('../../fixtures/dockerfiles/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.Dockerfile'))
  .map((f) => f.replace(/\.Dockerfile$/, ''))
  .sort();

/** Params the data-driven check runs use (the static-checks tests cover params in depth). */
const CHECK_PARAMS: Record<string, Record<string, unknown>> = {
  'dockerfile.final-base': { allow: ['scratch', 'gcr.io/distroless/static*'] },
  'dockerfile.labels': { keys: ['org.opencontainers.image.title', 'org.opencontainers.image.version'] },
  'dockerfile.expose': { port: 8080 },
};

const matches = (finding: Finding, spec: string): boolean => {
  const [idAndLine = '', severity] = spec.split(':');
  const [id, line] = idAndLine.split('@');
  return finding.id === id && (line === undefined || finding.line === Number(line)) && (severity === undefined || finding.severity === severity);
};

const describeFindings = (analysis: DockerfileAnalysis): string => analysis.findings.map((f) => `${f.id}@${f.line ?? '-'}:${f.severity}`).join(', ');

const runCheck = async (analysis: DockerfileAnalysis, id: string) => {
  const def = staticChecks.find((c) => c.id === id);
  if (!def) throw new Error(`no check ${id}`);
  const ctx: StaticContext = {
    files: { dir: '/nowhere', read: async () => undefined, list: async () => [] },
    dockerfile: analysis,
    dockerfilePath: 'Dockerfile',
    history: {},
  };
  const bound = def.bind(CHECK_PARAMS[id] ?? {});
  if (bound.kind !== 'static') throw new Error(`${id} is not static`);
  return bound.run(ctx);
};

describe('analyzeDockerfile on fixture files', () => {
  it('has at least 70 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  for (const name of cases) {
    it(name, async () => {
      const text = readFileSync(new URL(`${name}.Dockerfile`, dir), 'utf8');
      const want = JSON.parse(readFileSync(new URL(`${name}.expect.json`, dir), 'utf8')) as Expectation;
      const analysis = analyzeDockerfile(text, want.options ?? {});

      expect(analysis.ok, analysis.parseError?.message.en).toBe(want.ok ?? true);
      if (!analysis.ok) {
        expect(analysis.parseError?.line ?? null).toBe(want.parseErrorLine ?? null);
        expect(analysis.parseError?.message.en).toBeTruthy();
        expect(analysis.parseError?.message['zh-CN']).toBeTruthy();
        if (want.parseErrorIncludes) expect(analysis.parseError?.message.en).toContain(want.parseErrorIncludes);
        expect(analysis.facts.stages).toBe(0);
        expect(analysis.findings).toEqual([]);
      }
      if (want.facts) expect(analysis.facts).toMatchObject(want.facts);
      for (const spec of want.findings ?? []) {
        expect(
          analysis.findings.some((f) => matches(f, spec)),
          `${spec} in [${describeFindings(analysis)}]`,
        ).toBe(true);
      }
      for (const id of want.absent ?? []) {
        expect(
          analysis.findings.map((f) => f.id),
          describeFindings(analysis),
        ).not.toContain(id);
      }
      if (want.exactFindings) expect(analysis.findings.map((f) => f.id).sort()).toEqual([...want.exactFindings].sort());
      for (const [id, text] of Object.entries(want.messageIncludes ?? {})) {
        expect(analysis.findings.find((f) => f.id === id)?.message.en).toContain(text);
      }
      if (want.stages) {
        expect(analysis.stages).toHaveLength(want.stages.length);
        want.stages.forEach((stage, i) => expect(analysis.stages[i]).toMatchObject(stage));
      }
      if (want.exposedPorts) expect(analysis.exposedPorts).toEqual(want.exposedPorts);
      if (want.labels) expect(analysis.labels).toEqual(want.labels);
      for (const entry of want.env ?? []) expect(analysis.env).toContainEqual(expect.objectContaining(entry));
      if (want.instruction) expect(analysis.instructions).toContainEqual(expect.objectContaining(want.instruction));
      if (want.instructionCount !== undefined) expect(analysis.instructions).toHaveLength(want.instructionCount);
      if (want.userLine !== undefined) expect(analysis.details.userLine).toBe(want.userLine);
      for (const [id, status] of Object.entries(want.checks ?? {})) {
        const outcome = await runCheck(analysis, id);
        expect(outcome.status, `${id}: ${outcome.message.en}`).toBe(status);
      }

      // Every finding is localized and names its line first.
      for (const finding of analysis.findings) {
        expect(finding.message.en.length).toBeGreaterThan(20);
        expect(finding.message['zh-CN'].length).toBeGreaterThan(10);
        if (finding.line !== null) {
          expect(finding.message.en.startsWith(`Line ${finding.line}: `)).toBe(true);
          expect(finding.message['zh-CN'].startsWith(`第 ${finding.line} 行：`)).toBe(true);
        }
      }
    });
  }
});
