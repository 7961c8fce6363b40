import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerRunner, startRunners } from './proof-runners.js';
import type { MeasurementRecord } from '../../src/engine/checks/run.js';
import { checkRegistry } from '../../src/engine/checks/registry.js';
import { checkLessons, selectLessons, type LessonCheckResult } from '../../src/engine/dev/check-lessons.js';
import { createDockerSession, detectCapabilities } from '../../src/engine/docker/index.js';
import { loadCourse } from '../../src/engine/lessons/load.js';
import { packageRoot } from '../../src/engine/util/package-root.js';

// The test that keeps the curriculum honest, against the real engine: the whole course in one
// workspace, in order, as a learner goes through it. Each lesson's start must fail with exactly the
// check ids it declares, and its solution (applied on top of the previous lessons' work) must pass
// every check.
const summary = (checks: LessonCheckResult['start']): string => checks.map((c) => `${c.status.padEnd(7)} ${c.id}: ${c.message.en.split('\n')[0]}`).join('\n');

// RECORD_MEASUREMENTS=1 also writes every Docker check's measurement with its verdict to
// test/fixtures/docker/recorded/measurements/: the judges' unit tests replay them without Docker.
const RECORD = Boolean(process.env.RECORD_MEASUREMENTS);
const RECORD_DIR = join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements');

interface Recorded {
  readonly lesson: string;
  readonly state: 'start' | 'solution';
  readonly record: MeasurementRecord;
}

const writeRecordings = (result: LessonCheckResult, records: readonly Recorded[]): void => {
  mkdirSync(RECORD_DIR, { recursive: true });
  for (const { lesson, state, record } of records) {
    const report = (state === 'start' ? result.start : result.solution).find((c) => c.id === record.checkId);
    if (!report) continue;
    const file = join(RECORD_DIR, `${lesson}.${state}.${record.checkId.replace(/[^a-z0-9.-]/gi, '_')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ lesson, state, checkId: record.checkId, status: report.status, dockerfile: record.dockerfile ?? null, history: record.history, measurement: record.measurement }, null, 1)}\n`,
    );
  }
};

/** The conformance suite; `proofs.test.ts` runs it beside the proof cases. */
export const describeConformance = (): void => {
  describe('lesson conformance (real Docker)', async () => {
    const caps = await detectCapabilities();
    it('has a Docker engine to test against', () => {
      // Under CI this must fail rather than skip: a green run without Docker proves nothing.
      expect(caps.available, caps.problem?.message.en).toBe(true);
    });
    const course = await loadCourse(packageRoot(), checkRegistry());
    // CONFORMANCE_LESSONS=id,id checks (and records) only those lessons, each in a fresh workspace as
    // `dev-check --lesson` does, for authors at work; the full run chains the whole course.
    const only = (process.env.CONFORMANCE_LESSONS ?? '').split(',').filter(Boolean);
    const lessons = selectLessons(course, only);
    const recorded: Recorded[] = [];
    // One chained run of the whole course; each lesson's test waits only for its own result, so its
    // time limit covers that lesson (a cold first build can take minutes), not the course.
    const settle = new Map<string, (r: LessonCheckResult | undefined) => void>();
    const results = new Map(lessons.map((l) => [l.meta.id, new Promise<LessonCheckResult | undefined>((resolve) => settle.set(l.meta.id, resolve))]));
    let run: Promise<void> | undefined;
    let runError: unknown;
    const runAll = () =>
      (run ??= checkLessons({
        course,
        createSession: createDockerSession,
        chain: only.length === 0,
        only,
        onMeasured: (lesson, state, record) => recorded.push({ lesson, state, record }),
        onLesson: (r) => {
          settle.get(r.lesson)?.(r);
          if (RECORD) writeRecordings(r, recorded.splice(0));
          process.stderr.write(
            `conformance: ${r.lesson} start ${r.startOk ? 'ok' : 'WRONG'}, solution ${r.solutionOk ? 'ok' : 'WRONG'} (${r.seconds.toFixed(0)} s)\n`,
          );
        },
      })
        .then(
          () => undefined,
          (error: unknown) => {
            runError = error;
          },
        )
        .finally(() => {
          // A run that stopped early (an error) settles the lessons it never reached.
          for (const resolve of settle.values()) resolve(undefined);
        }));

    registerRunner(runAll);

    for (const lesson of lessons) {
      it(`${lesson.number}. ${lesson.meta.id}: start fails as declared, solution passes`, async () => {
        startRunners();
        const result = await results.get(lesson.meta.id);
        expect(result, `lesson was not checked: ${String(runError ?? 'the course run stopped before it')}`).toBeDefined();
        if (!result) return;
        expect([...result.startFailing].sort(), `start of ${lesson.meta.id}:\n${summary(result.start)}`).toEqual([...result.expectedFailing].sort());
        // A check that broke proves nothing either way (skips are fine: e.g. no probe when the build failed).
        expect(
          result.start.filter((c) => c.status === 'error').map((c) => c.id),
          summary(result.start),
        ).toEqual([]);
        expect(result.solutionOk, `solution of ${lesson.meta.id}:\n${summary(result.solution)}`).toBe(true);
      });
    }
  });
};
