import { L, tr, type Lang } from '../i18n.js';
import type { RoomState } from './room.js';
import { utcMinute } from '../util/utc-minute.js';

// The room after the day, for a spreadsheet (CSV) or a page of notes (Markdown). Names come from
// the network: a CSV cell starting with = + - @ would run as a formula in a spreadsheet, so it is
// quoted with a leading apostrophe; Markdown cells escape the pipe.

const HEADER = [
  'name',
  'learner_id',
  'lesson_number',
  'lesson_id',
  'passed',
  'attempts',
  'failed_in_a_row',
  'minutes',
  'stuck',
  'help_pending',
  'failing_checks',
];

const csvCell = (value: string | number | boolean): string => {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const roomCsv = (room: RoomState): string => {
  const rows = room.learners.map((l) => [
    l.name,
    l.learnerId,
    l.lesson.number,
    l.lesson.id,
    l.passed,
    l.attempts,
    l.failedInARow,
    l.minutes,
    l.stuck || '',
    l.help !== null,
    l.failing.join(' '),
  ]);
  // LF line ends: every spreadsheet reads them, and the CLI's terminal-safe output turns CRLF into LF anyway.
  return `${[HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
};

const mdCell = (value: string | number): string => String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The room as notes, in the instructor's language (CSV keeps its column names for scripts). */
export const roomMarkdown = (room: RoomState, lang: Lang = 'en'): string => {
  const t = (en: string, zh: string) => tr(L(en, zh), lang);
  const yes = t('yes', '是');
  const at = utcMinute(room.at);
  const count = room.learners.length;
  const lines = [
    t(`# Workshop room, ${at}`, `# 工作坊教室，${at}`),
    '',
    t(
      `${count} learner${count === 1 ? '' : 's'}, ${room.stuck} stuck, ${room.helpPending} asking for help.`,
      `${count} 名学员，${room.stuck} 名卡住，${room.helpPending} 名在求助。`,
    ),
    '',
    t(
      '| Learner | Lesson | Passed | Attempts | Failed in a row | Minutes | Stuck | Help |',
      '| 学员 | 课程 | 通过 | 尝试次数 | 连续失败 | 分钟 | 卡住 | 求助 |',
    ),
    '|---|---|---|---|---|---|---|---|',
    ...room.learners.map(
      (l) =>
        `| ${mdCell(l.name)} | ${l.lesson.number} (${mdCell(l.lesson.id)}) | ${l.passed ? yes : t('no', '否')} | ${l.attempts} | ${l.failedInARow} | ${l.minutes} | ${l.stuck || ''} | ${l.help ? yes : ''} |`,
    ),
  ];
  if (room.failingChecks.length > 0) {
    lines.push(
      '',
      t('## Checks that fail most', '## 失败最多的检查'),
      '',
      t('| Check | Learners failing now | Failed verifies |', '| 检查 | 当前失败的学员 | 失败的校验次数 |'),
      '|---|---|---|',
    );
    for (const c of room.failingChecks) lines.push(`| \`${c.id}\` | ${c.learners} | ${c.failures} |`);
  }
  const asking = room.learners.filter((l) => l.help);
  if (asking.length > 0) lines.push('', t('## Help requests', '## 求助请求'));
  for (const l of asking) {
    const help = l.help;
    if (!help) continue;
    const verdict = help.lastVerdict;
    const name = mdCell(l.name);
    const lesson = `${help.lesson.number} (${mdCell(help.lesson.id)})`;
    lines.push('', t(`### ${name}, lesson ${lesson}, ${help.at}`, `### ${name}，第 ${lesson} 课，${help.at}`), '');
    const failing = verdict?.failedChecks.map((c) => `\`${c}\``).join(', ') || t('none', '无');
    lines.push(
      !verdict
        ? t('No verify yet.', '还没有校验过。')
        : verdict.passed
          ? t(
              `Last verify: passed after ${verdict.attempts} ${verdict.attempts === 1 ? 'attempt' : 'attempts'}.`,
              `最近一次校验：第 ${verdict.attempts} 次尝试后通过。`,
            )
          : t(
              `Last verify: failed after ${verdict.attempts} ${verdict.attempts === 1 ? 'attempt' : 'attempts'}; failing: ${failing}.`,
              `最近一次校验：第 ${verdict.attempts} 次尝试后仍失败；失败的检查：${failing}。`,
            ),
    );
    if (help.dockerfile !== null) lines.push('', fenced(help.dockerfile, 'dockerfile'));
    else lines.push('', t('No Dockerfile in the workspace.', '工作区里没有 Dockerfile。'));
  }
  return `${lines.join('\n')}\n`;
};

/** A code block whose fence is longer than any run of backticks in the text, so the text cannot close it. */
const fenced = (text: string, info: string): string => {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
};
