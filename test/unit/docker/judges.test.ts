import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerChecks } from '../../../src/engine/checks/docker/index.js';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import type { BoundCheck, CheckStatus, Measured } from '../../../src/engine/checks/types.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// Every Docker check's verdict, without Docker: measurements recorded on a real engine (lesson starts
// and solutions, proof cases; `RECORD_MEASUREMENTS=1` on the conformance test writes them) are
// judged again and must give the verdict they gave then.
const DIR = join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements');

interface Recording {
  /** A lesson id, or "audit" (test/docker/audit.test.ts): then `check` and `params` say what was bound. */
  readonly lesson: string;
  readonly check?: string;
  readonly params?: unknown;
  readonly state: string;
  readonly checkId: string;
  readonly status: CheckStatus;
  readonly dockerfile: string | null;
  readonly history: Readonly<Record<string, Measured>>;
  readonly measurement: unknown;
}

const recordings: (Recording & { file: string })[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Recording) }));

const course = await loadCourse(packageRoot(), checkRegistry());
const registry = checkRegistry();

/** The recorded check as it was bound: a lesson's, or one of audit's scorecard bound with the recorded params. */
const boundOf = (r: Recording): { id: string; bound: BoundCheck; dockerfilePath: string } | undefined => {
  if (r.lesson === 'audit') {
    const definition = r.check === undefined ? undefined : registry.get(r.check);
    return definition ? { id: definition.id, bound: definition.bind(r.params ?? {}), dockerfilePath: 'Dockerfile' } : undefined;
  }
  const lesson = course.byId(r.lesson);
  const check = lesson?.checks.find((c) => c.id === r.checkId);
  return lesson && check ? { id: check.definition.id, bound: check.bound, dockerfilePath: lesson.meta.dockerfile } : undefined;
};

describe('Docker check judges on recorded measurements', () => {
  it('has recordings to replay', () => {
    expect(recordings.length).toBeGreaterThan(30);
  });

  for (const r of recordings) {
    it(`${r.file}: ${r.status}`, () => {
      const check = boundOf(r);
      if (!check || check.bound.kind !== 'docker') throw new Error(`${r.file}: no Docker check ${r.checkId} in lesson ${r.lesson}`);
      const dockerfile = r.dockerfile === null ? undefined : analyzeDockerfile(r.dockerfile, { dockerignore: null });
      const outcome = check.bound.judge(r.measurement, { dockerfile, dockerfilePath: check.dockerfilePath, history: r.history });
      expect(outcome.status, outcome.message.en).toBe(r.status);
      expect(outcome.message.en.length).toBeGreaterThan(0);
      expect(outcome.message['zh-CN'].length).toBeGreaterThan(0);
    });
  }

  it("words every replayed verdict in Chinese by the spacing rule, without the runner's English probe words", () => {
    const problems = new Set<string>();
    for (const r of recordings) {
      const check = boundOf(r);
      if (!check || check.bound.kind !== 'docker') continue;
      const dockerfile = r.dockerfile === null ? undefined : analyzeDockerfile(r.dockerfile, { dockerignore: null });
      let outcome;
      try {
        outcome = check.bound.judge(r.measurement, { dockerfile, dockerfilePath: check.dockerfilePath, history: r.history });
      } catch {
        continue; // its own test above says why
      }
      const zh = outcome.message['zh-CN'];
      for (const p of cjkSpacingProblems(zh)) problems.add(`${r.checkId}: ${p}`);
      // (A probe's own output, quoted, may say "connect: connection refused": that is the container's.)
      for (const words of [/(?<!connect: )connection refused/, /connection reset/, /no attempt made/, /no answer within/, /exited before its port/]) {
        if (words.test(zh)) problems.add(`${r.checkId}: English ${String(words)} in: ${zh}`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  it('never leaves a colon hanging: quoted output follows a colon, no output ends the sentence', async () => {
    const { endWithLines } = await import('../../../src/engine/checks/outcome.js');
    expect(endWithLines([])).toEqual({ en: '.', 'zh-CN': '。' });
    expect(endWithLines(['step 3 failed'])).toEqual({ en: ':\n  | step 3 failed', 'zh-CN': '：\n  | step 3 failed' });
    // The same on every replayed verdict, and on build.test-target's judge when the build said nothing.
    const hanging = (text: string) => /[:：]\s*$/.test(text);
    for (const r of recordings) {
      const check = boundOf(r);
      if (!check || check.bound.kind !== 'docker') continue;
      const dockerfile = r.dockerfile === null ? undefined : analyzeDockerfile(r.dockerfile, { dockerignore: null });
      const outcome = check.bound.judge(r.measurement, { dockerfile, dockerfilePath: check.dockerfilePath, history: r.history });
      expect(hanging(outcome.message.en) || hanging(outcome.message['zh-CN']), `${r.file}: ${outcome.message.en}`).toBe(false);
    }
    const testTarget = registry.get('build.test-target')!.bind({ target: 'test' });
    if (testTarget.kind !== 'docker') throw new Error('expected a Docker check');
    const silent = { ok: false, seconds: 2, tail: [], failedStep: undefined };
    const outcome = testTarget.judge(
      { test: { ...silent, ok: true }, planted: { ...silent, file: 'internal/x/zz_test.go' } },
      { dockerfile: undefined, dockerfilePath: 'Dockerfile', history: {} },
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toMatch(/cannot be told whether a failing test fails it\.$/);
    expect(outcome.message['zh-CN']).toMatch(/。$/);
  });

  it('covers every Docker check with a recorded pass and a recorded fail', () => {
    const seen = (status: CheckStatus) => new Set(recordings.filter((r) => r.status === status).map((r) => boundOf(r)?.id));
    const passes = seen('pass');
    const fails = seen('fail');
    const unknowns = seen('unknown');
    const missing = dockerChecks.flatMap((d) => {
      // image.scan runs the learner's own Trivy or Grype: the project's machines have neither (nor
      // the internet their databases need), so a real engine records its unknown; its pass and fail
      // are judged on reports in the scanners' documented JSON (image-scan.test.ts).
      if (d.id === 'image.scan') return unknowns.has(d.id) ? [] : [`${d.id}: no unknown`];
      return [...(passes.has(d.id) ? [] : [`${d.id}: no pass`]), ...(fails.has(d.id) ? [] : [`${d.id}: no fail`])];
    });
    expect(missing).toEqual([]);
  });
});
