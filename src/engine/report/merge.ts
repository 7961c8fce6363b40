import { L, type Localized } from '../i18n.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './learner-report.js';

/** One learner's row of a merged table, read from a `report --json` file. */
export interface MergedRow {
  readonly file: string;
  readonly learner: string;
  readonly generatedAt: string;
  readonly passed: number;
  readonly lessons: number;
  readonly attempts: number;
  readonly verifySeconds: number;
  readonly current: number | null;
  readonly finalImageBytes: number | null;
  readonly capstonePassed: boolean | null;
  /** Lesson numbers passed. */
  readonly passedLessons: readonly number[];
}

export interface MergeResult {
  readonly rows: readonly MergedRow[];
  /** Files that could not be read as a report, each with why (the others are merged). */
  readonly skipped: readonly { readonly file: string; readonly reason: Localized }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A `report --json` file's row, or why it is not one (never throws). */
export const readReport = (file: string, text: string): MergedRow | { reason: Localized } => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { reason: L(`not JSON (${why})`, `不是 JSON（${why}）`) };
  }
  if (!isObj(data)) return { reason: L('not a report (the JSON is not an object)', '不是报告（JSON 不是对象）') };
  const schema = JSON.stringify(data.schema ?? null);
  if (data.schema !== REPORT_SCHEMA)
    return { reason: L(`not a learn-go-docker report (schema ${schema})`, `不是 learn-go-docker 报告（schema 为 ${schema}）`) };
  const version = JSON.stringify(data.version ?? null);
  if (data.version !== REPORT_SCHEMA_VERSION)
    return {
      reason: L(
        `report version ${version}; this tool reads version ${REPORT_SCHEMA_VERSION}`,
        `报告版本为 ${version}；本工具读取第 ${REPORT_SCHEMA_VERSION} 版`,
      ),
    };
  const summary = data.summary;
  const lessons = data.lessons;
  if (typeof data.learner !== 'string' || data.learner === '') return { reason: L('no learner name', '没有学员名字') };
  if (!isObj(summary) || !isCount(summary.passed) || !isCount(summary.lessons) || !isCount(summary.attempts) || !isCount(summary.verifySeconds))
    return { reason: L('its summary is incomplete', '汇总信息不完整') };
  if (!Array.isArray(lessons) || !lessons.every((l) => isObj(l) && isCount(l.number) && typeof l.passed === 'boolean'))
    return { reason: L('its lessons are incomplete', '课程信息不完整') };
  const current = isObj(data.current) && isCount(data.current.number) ? data.current.number : null;
  const capstone = isObj(data.capstone) && typeof data.capstone.passed === 'boolean' ? data.capstone.passed : null;
  return {
    file,
    learner: data.learner,
    generatedAt: typeof data.generatedAt === 'string' ? data.generatedAt : '',
    passed: summary.passed,
    lessons: summary.lessons,
    attempts: summary.attempts,
    verifySeconds: summary.verifySeconds,
    current,
    finalImageBytes: isCount(data.finalImageBytes) ? data.finalImageBytes : null,
    capstonePassed: capstone,
    passedLessons: (lessons as Obj[]).filter((l) => l.passed === true).map((l) => l.number as number),
  };
};

/**
 * Combines many learners' reports into one table (a room with no network hands them in on a USB
 * stick). A file that is not a report is said and skipped; the same learner twice keeps the newest.
 */
export const mergeReports = (files: readonly { file: string; text: string }[]): MergeResult => {
  const rows = new Map<string, MergedRow>();
  const skipped: { file: string; reason: Localized }[] = [];
  for (const { file, text } of files) {
    const row = readReport(file, text);
    if ('reason' in row) {
      skipped.push({ file, reason: row.reason });
      continue;
    }
    const seen = rows.get(row.learner);
    if (!seen || seen.generatedAt < row.generatedAt) rows.set(row.learner, row);
  }
  const sorted = [...rows.values()].sort((a, b) => b.passed - a.passed || a.learner.localeCompare(b.learner));
  return { rows: sorted, skipped };
};
