import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { L } from '../../../src/engine/i18n.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import type { Progress } from '../../../src/engine/progress/progress-shape.js';
import { learnerReport } from '../../../src/engine/report/learner-report.js';
import { mergeReports, readReport } from '../../../src/engine/report/merge.js';
import { reportJson } from '../../../src/commands/report.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

const course = await loadCourse(packageRoot(), checkRegistry());
const now = new Date('2026-11-29T12:00:00Z');

const sized = (bytes: number) => ({
  id: 'image.size',
  title: L('The image is small', '镜像足够小'),
  kind: 'docker' as const,
  status: 'pass' as const,
  message: L('ok', 'ok'),
  measured: { sizeBytes: bytes },
});

const progress: Progress = {
  version: 1,
  createdAt: '2026-11-29T09:00:00Z',
  current: 'capstone',
  firstImageBytes: 1_100_000_000,
  lessons: {
    welcome: { attempts: 1, failures: 0, passed: true, startedAt: '2026-11-29T09:00:00Z', passedAt: '2026-11-29T09:05:00Z', hints: {}, verifyMs: 1200 },
    'multi-stage': {
      attempts: 4,
      failures: 3,
      passed: true,
      startedAt: '2026-11-29T09:30:00Z',
      passedAt: '2026-11-29T09:52:00Z',
      hints: { 'image.size': 2, 'dockerfile.multi-stage': 1 },
      verifyMs: 61_400,
      lastVerify: { at: '2026-11-29T09:52:00Z', passed: true, staticOnly: false, checks: [sized(21_000_000)], blocking: [] },
    },
    capstone: {
      attempts: 2,
      failures: 2,
      passed: false,
      startedAt: '2026-11-29T11:00:00Z',
      hints: {},
      verifyMs: 30_000,
      lastVerify: {
        at: '2026-11-29T11:40:00Z',
        passed: false,
        staticOnly: false,
        checks: [
          { ...sized(10_400_000), lesson: 4 },
          { id: 'image.user', title: L('Not root', '非 root'), kind: 'docker', status: 'fail', message: L('root', 'root'), lesson: 8 },
        ],
        blocking: [],
      },
    },
  },
};

describe('report', () => {
  const report = learnerReport(course, progress, { learner: 'ada', now, tool: '9.9.9' });

  it('sums the progress: passes, verifies, time, hints, and minutes to each pass', () => {
    expect(report.summary).toEqual({ passed: 2, lessons: course.lessons.length, attempts: 7, verifySeconds: 93 });
    const multi = report.lessons.find((l) => l.id === 'multi-stage');
    expect(multi).toMatchObject({ passed: true, attempts: 4, failures: 3, hints: 3, minutes: 22, verifySeconds: 61 });
    expect(report.lessons.find((l) => l.id === 'capstone')).toMatchObject({ passed: false, minutes: null });
    expect(report.current).toEqual({ number: course.byId('capstone')?.number, id: 'capstone' });
  });

  it("takes the last image from the latest lesson that measured one, and the capstone's scorecard as it last ran", () => {
    expect(report.firstImageBytes).toBe(1_100_000_000);
    expect(report.finalImageBytes).toBe(10_400_000);
    expect(report.capstone?.passed).toBe(false);
    expect(report.capstone?.items.map((i) => [i.id, i.status, i.lesson])).toEqual([
      ['image.size', 'pass', 4],
      ['image.user', 'fail', 8],
    ]);
  });

  it('reads its own JSON back for a merge, and says why a file is not a report', () => {
    const text = JSON.stringify(reportJson(report, 'en'));
    const row = readReport('ada.json', text);
    expect(row).toMatchObject({
      learner: 'ada',
      passed: 2,
      attempts: 7,
      current: course.byId('capstone')?.number,
      capstonePassed: false,
      finalImageBytes: 10_400_000,
    });
    expect('passedLessons' in row && row.passedLessons).toEqual([1, course.byId('multi-stage')?.number]);
    const why = (t: string) => {
      const r = readReport('x.json', t);
      return 'reason' in r ? r.reason.en : 'read';
    };
    expect(why('{"schema": "learn-go-docker/report"')).toMatch(/^not JSON/);
    expect(why('[]')).toMatch(/not an object/);
    expect(why('{"schema":"learn-go-docker/audit","version":1}')).toMatch(/not a learn-go-docker report/);
    expect(why(text.replace('"version":1', '"version":7'))).toMatch(/report version 7; this tool reads version 1/);
    expect(why(text.replace('"attempts":7', '"attempts":-1'))).toMatch(/summary is incomplete/);
  });

  it('merges many into one table: skipped files said, the newest report of a learner kept, most passed first', () => {
    const ada = JSON.stringify(reportJson(report, 'en'));
    const older = JSON.stringify({
      ...(reportJson(report, 'en') as object),
      generatedAt: '2026-11-28T12:00:00.000Z',
      summary: { ...report.summary, passed: 1 },
    });
    const bob = JSON.stringify({ ...(reportJson({ ...report, learner: 'bob' }, 'zh-CN') as object), summary: { ...report.summary, passed: 5 } });
    const merged = mergeReports([
      { file: 'ada-old.json', text: older },
      { file: 'ada.json', text: ada },
      { file: 'broken.json', text: ada.slice(0, 40) },
      { file: 'bob.json', text: bob },
    ]);
    expect(merged.rows.map((r) => [r.learner, r.passed])).toEqual([
      ['bob', 5],
      ['ada', 2],
    ]);
    expect(merged.skipped.map((s) => s.file)).toEqual(['broken.json']);
    expect(merged.skipped[0]?.reason['zh-CN']).toMatch(/^不是 JSON/);
  });
});
