import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerRunner, startRunners } from './proof-runners.js';
import { registryForCourse } from './course.js';
import { checkCases, type CaseResult } from '../../src/engine/dev/check-cases.js';
import { createDockerSession, detectCapabilities } from '../../src/engine/docker/index.js';
import { loadCases } from '../../src/engine/lessons/cases.js';
import { packageRoot } from '../../src/engine/util/package-root.js';

// Every lesson proves itself against answers a learner would write: each case in
// lessons/*/cases/ gets the verdict it declares on the real engine (wrong answers fail exactly the
// checks they name, right ones pass). RECORD_MEASUREMENTS=1 also records the measurements for the
// judges' unit tests.
const RECORD = Boolean(process.env.RECORD_MEASUREMENTS);
const RECORD_DIR = join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements');

const SHORT_OF_CASES: string[] = [];

const summary = (r: CaseResult): string =>
  `${r.why}\nfailing [${r.failing.join(', ')}], declared [${r.expectedFailing.join(', ')}]\n${r.checks.map((c) => `${c.status.padEnd(7)} ${c.id}: ${c.message.en.split('\n')[0]}`).join('\n')}`;

/** The proof-case suite; `proofs.test.ts` runs it beside the conformance chain. */
export const describeCases = (): void => {
  describe('proof cases (real Docker)', async () => {
    const caps = await detectCapabilities();
    it('has a Docker engine to test against', () => {
      expect(caps.available, caps.problem?.message.en).toBe(true);
    });
    const course = await registryForCourse();
    // CASES_LESSONS=id,id runs (and records) only those lessons' cases, for authors at work.
    const only = (process.env.CASES_LESSONS ?? '').split(',').filter(Boolean);
    const lessons = only.length ? course.lessons.filter((l) => only.includes(l.meta.id)) : course.lessons;
    const all = (await Promise.all(lessons.map(loadCases))).flat();
    const settle = new Map<string, (r: CaseResult | undefined) => void>();
    const results = new Map(
      all.map((c) => [`${c.lesson}/${c.name}`, new Promise<CaseResult | undefined>((resolve) => settle.set(`${c.lesson}/${c.name}`, resolve))]),
    );
    let run: Promise<unknown> | undefined;
    const runAll = () =>
      (run ??= checkCases({
        course,
        lessons,
        createSession: createDockerSession,
        // Cases mostly wait on containers (health intervals, stop timeouts, a database): three at once.
        concurrency: Number(process.env.CASES_CONCURRENCY ?? 3),
        onMeasured: (lesson, name, record) => {
          if (!RECORD) return;
          mkdirSync(RECORD_DIR, { recursive: true });
          const file = join(RECORD_DIR, `${lesson}.case-${name}.${record.checkId.replace(/[^a-z0-9.-]/gi, '_')}.json`);
          pending.set(file, {
            lesson,
            state: `case-${name}`,
            checkId: record.checkId,
            dockerfile: record.dockerfile ?? null,
            history: record.history,
            measurement: record.measurement,
          });
        },
        onCase: (r) => {
          // A measurement is written with the verdict it got (known once the case is done).
          for (const [file, rec] of pending) {
            const report = r.checks.find((c) => c.id === rec.checkId);
            if (report && rec.state === `case-${r.name}` && rec.lesson === r.lesson)
              writeFileSync(file, `${JSON.stringify({ ...rec, status: report.status }, null, 1)}\n`);
          }
          for (const [file, rec] of pending) if (rec.state === `case-${r.name}` && rec.lesson === r.lesson) pending.delete(file);
          settle.get(`${r.lesson}/${r.name}`)?.(r);
          process.stderr.write(`case ${r.lesson}/${r.name}: ${r.ok ? 'ok' : 'WRONG'} (${r.seconds.toFixed(0)} s)\n`);
        },
      }).finally(() => {
        for (const resolve of settle.values()) resolve(undefined);
      }));
    registerRunner(runAll);
    const pending = new Map<string, Record<string, unknown> & { lesson: string; state: string; checkId: string }>();

    it.skipIf(only.length > 0)('every lesson with Docker checks has at least three wrong and two right answers', () => {
      const short = course.lessons
        .filter((l) => l.checks.some((c) => c.definition.kind === 'docker'))
        .map((l) => ({
          id: l.meta.id,
          wrong: all.filter((c) => c.lesson === l.meta.id && c.expect === 'fail').length,
          right: all.filter((c) => c.lesson === l.meta.id && c.expect === 'pass').length,
        }))
        .filter((l) => l.wrong < 3 || l.right < 2)
        .map((l) => l.id);
      // Lessons still short of cases: this list only shrinks (issue 12 fills it).
      expect(short).toEqual(SHORT_OF_CASES.filter((id) => short.includes(id)));
      expect(
        short.every((id) => SHORT_OF_CASES.includes(id)),
        `newly short: ${short.join(', ')}`,
      ).toBe(true);
    });

    for (const proof of all) {
      it(`${proof.lesson}/cases/${proof.name}: ${proof.expect}${proof.failing.length ? ` [${proof.failing.join(', ')}]` : ''}`, async () => {
        startRunners();
        const result = await results.get(`${proof.lesson}/${proof.name}`);
        expect(result, 'case was not run').toBeDefined();
        if (result) expect(result.ok, summary(result)).toBe(true);
      });
    }
  });
};
