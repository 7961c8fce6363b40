import { userInfo } from 'node:os';
import {
  L,
  UserError,
  joinedNameOf,
  learnerReportOf,
  sizeText,
  mergeReportFiles,
  tr,
  type Lang,
  type LearnerReport,
  type Localized,
  type MergeResult,
} from '../engine/index.js';
import { say, sayErr, type CommandContext } from './context.js';
import { bold, paint } from './format.js';

export interface ReportCommandOptions {
  readonly dir?: string;
  readonly name?: string;
  readonly merge: boolean;
  readonly files: readonly string[];
  readonly json: boolean;
  readonly md: boolean;
}

/** A size as the checks word it ("1.10 GB", "10.4 MB"), or a dash when none was measured. */
const mb = (bytes: number | null): string => (bytes === null ? '–' : sizeText(bytes));
const duration = (seconds: number): Localized =>
  seconds >= 60 ? L(`${Math.round(seconds / 60)} min`, `${Math.round(seconds / 60)} 分钟`) : L(`${seconds} s`, `${seconds} 秒`);

/** The account name, when --name is not given (a report handed in needs a name on it). */
export const defaultLearner = (): string => {
  try {
    return userInfo().username || 'learner';
  } catch {
    // No passwd entry for this uid (a container): a name is still needed.
    return 'learner';
  }
};

/** `report --json`: schema learn-go-docker/report version 1 (docs/ARCHITECTURE.md, "Report"), titles in the chosen language. */
export const reportJson = (report: LearnerReport, lang: Lang): unknown => ({
  ...report,
  capstone: report.capstone && {
    ...report.capstone,
    items: report.capstone.items.map((i) => ({ ...i, title: tr(i.title, lang) })),
  },
  lessons: report.lessons.map((l) => ({ ...l, title: tr(l.title, lang) })),
});

const lessonLine = (l: LearnerReport['lessons'][number], lang: Lang): string => {
  const mark = l.passed ? '✓' : l.attempts > 0 ? '✗' : '·';
  const took = l.minutes === null ? '' : tr(L(` · ${l.minutes} min to pass`, ` · ${l.minutes} 分钟通过`), lang);
  const tries = l.attempts ? tr(L(` · ${l.attempts} verifies, ${l.failures} failed`, ` · 校验 ${l.attempts} 次，失败 ${l.failures} 次`), lang) : '';
  const hints = l.hints ? tr(L(` · ${l.hints} hint${l.hints === 1 ? '' : 's'}`, ` · ${l.hints} 条提示`), lang) : '';
  return `${mark} ${String(l.number).padStart(2)}. ${tr(l.title, lang)}${took}${tries}${hints}`;
};

const summaryOf = (report: LearnerReport): Localized => {
  const s = report.summary;
  return L(
    `${report.learner}: ${s.passed} of ${s.lessons} lessons passed, ${s.attempts} verifies, ${duration(s.verifySeconds).en} in verifies. First image ${mb(report.firstImageBytes)}, last ${mb(report.finalImageBytes)}.`,
    `${report.learner}：${s.lessons} 课中通过 ${s.passed} 课，校验 ${s.attempts} 次，校验共用时 ${duration(s.verifySeconds)['zh-CN']}。第一个镜像 ${mb(report.firstImageBytes)}，最后一个 ${mb(report.finalImageBytes)}。`,
  );
};

const capstoneLine = (report: LearnerReport): Localized | undefined => {
  const c = report.capstone;
  if (!c) return undefined;
  const pass = c.items.filter((i) => i.status === 'pass').length;
  return c.passed
    ? L(`Capstone scorecard: passed, ${pass}/${c.items.length} items (${c.at}).`, `结业评分卡：已通过，${c.items.length} 项中通过 ${pass} 项（${c.at}）。`)
    : L(`Capstone scorecard: ${pass}/${c.items.length} items pass (${c.at}).`, `结业评分卡：${c.items.length} 项中通过 ${pass} 项（${c.at}）。`);
};

const reportMarkdown = (report: LearnerReport, lang: Lang): string => {
  const t = (l: Localized) => tr(l, lang);
  const out = [t(L(`## learn-go-docker: ${report.learner}`, `## learn-go-docker：${report.learner}`)), '', t(summaryOf(report))];
  const capstone = capstoneLine(report);
  if (capstone) out.push('', t(capstone));
  out.push('', t(L('| Lesson | Passed | Verifies | Minutes |', '| 课程 | 通过 | 校验次数 | 分钟 |')), '|---|---|---|---|');
  for (const l of report.lessons) {
    out.push(`| ${l.number}. ${t(l.title).replace(/\|/g, '\\|')} | ${l.passed ? '✅' : ''} | ${l.attempts || ''} | ${l.minutes ?? ''} |`);
  }
  if (report.capstone) {
    out.push('', t(L('### Capstone scorecard', '### 结业评分卡')), '');
    for (const i of report.capstone.items)
      out.push(
        `- ${i.status === 'pass' ? '✅' : i.status === 'fail' ? '❌' : '❔'} ${t(i.title)}${i.lesson ? t(L(` (lesson ${i.lesson})`, `（第 ${i.lesson} 课）`)) : ''}`,
      );
  }
  return `${out.join('\n')}\n`;
};

const mergedMarkdown = (merged: MergeResult, lang: Lang): string => {
  const t = (l: Localized) => tr(l, lang);
  const out = [
    t(L(`## learn-go-docker: ${merged.rows.length} learners`, `## learn-go-docker：${merged.rows.length} 位学员`)),
    '',
    t(
      L(
        '| Learner | Passed | On lesson | Verifies | Time in verifies | Last image | Capstone |',
        '| 学员 | 通过 | 当前课程 | 校验次数 | 校验用时 | 最后的镜像 | 结业 |',
      ),
    ),
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of merged.rows) {
    const capstone = r.capstonePassed === null ? '' : r.capstonePassed ? '✅' : '❌';
    out.push(
      `| ${r.learner.replace(/\|/g, '\\|')} | ${r.passed}/${r.lessons} | ${r.current ?? ''} | ${r.attempts} | ${t(duration(r.verifySeconds))} | ${mb(r.finalImageBytes)} | ${capstone} |`,
    );
  }
  for (const s of merged.skipped) out.push('', `> ${t(L(`Skipped ${s.file}: ${s.reason.en}.`, `已跳过 ${s.file}：${s.reason['zh-CN']}。`))}`);
  return `${out.join('\n')}\n`;
};

/**
 * `report [--name N] [--json|--md]`: the learner's summary; `report --merge FILES...`: many in one
 * table. Exit 0; 1 when --merge skipped a file (the rest is printed); 2 when nothing could be read.
 */
export const reportCommand = async (ctx: CommandContext, options: ReportCommandOptions): Promise<number> => {
  if (options.json && options.md) throw new UserError(L('Choose one of --json and --md.', '--json 和 --md 只能选一个。'));
  if (!options.merge) {
    if (options.files.length > 0)
      throw new UserError(
        L(
          `report takes no file unless it merges: npx learn-go-docker report --merge ${options.files.join(' ')}`,
          `report 只有在合并时才接受文件：npx learn-go-docker report --merge ${options.files.join(' ')}`,
        ),
      );
    // The name on the room's table when the workspace joined one, else the account's.
    const name = options.name ?? (await joinedNameOf(options.dir, ctx.cwd)) ?? defaultLearner();
    const report = await learnerReportOf(options.dir, ctx.cwd, name);
    if (options.json) ctx.stdout.write(`${JSON.stringify(reportJson(report, ctx.lang), null, 2)}\n`);
    else if (options.md) ctx.stdout.write(reportMarkdown(report, ctx.lang));
    else {
      say(ctx, bold(tr(summaryOf(report), ctx.lang), ctx.color));
      const capstone = capstoneLine(report);
      if (capstone) say(ctx, capstone);
      say(ctx, '');
      for (const l of report.lessons) say(ctx, lessonLine(l, ctx.lang));
      say(ctx, '');
      say(ctx, L('To hand it in: npx learn-go-docker report --json > report.json', '提交报告：npx learn-go-docker report --json > report.json'));
    }
    return 0;
  }
  if (options.files.length === 0)
    throw new UserError(
      L(
        '--merge needs the report files: npx learn-go-docker report --merge reports/*.json',
        '--merge 需要报告文件：npx learn-go-docker report --merge reports/*.json',
      ),
    );
  const merged = await mergeReportFiles(options.files, ctx.cwd);
  for (const s of merged.skipped) sayErr(ctx, L(`Skipped ${s.file}: ${s.reason.en}.`, `已跳过 ${s.file}：${s.reason['zh-CN']}。`));
  if (merged.rows.length === 0) throw new UserError(L('No report could be read.', '没有可以读取的报告。'));
  if (options.json) {
    const skipped = merged.skipped.map((s) => ({ file: s.file, reason: tr(s.reason, ctx.lang) }));
    ctx.stdout.write(`${JSON.stringify({ schema: 'learn-go-docker/report-merge', version: 1, rows: merged.rows, skipped }, null, 2)}\n`);
  } else if (options.md) ctx.stdout.write(mergedMarkdown(merged, ctx.lang));
  else {
    for (const r of merged.rows) {
      const capstone =
        r.capstonePassed === null
          ? ''
          : tr(r.capstonePassed ? L(' · capstone passed', ' · 结业已通过') : L(' · capstone not passed', ' · 结业未通过'), ctx.lang);
      say(
        ctx,
        `${paint(r.learner, 1, ctx.color)}  ${tr(L(`${r.passed}/${r.lessons} passed · on lesson ${r.current ?? '–'} · ${r.attempts} verifies`, `通过 ${r.passed}/${r.lessons} · 当前第 ${r.current ?? '–'} 课 · 校验 ${r.attempts} 次`), ctx.lang)}${capstone}`,
      );
    }
  }
  return merged.skipped.length > 0 ? 1 : 0;
};
