import { L, failingNow, learnerMarks, tr, type Lang, type RoomState } from '../engine/index.js';

/**
 * The room as plain text for the instructor's terminal: one line per learner (name, lesson,
 * attempts, minutes, STUCK, HELP), then the checks that fail most. No Ink: it scrolls in any
 * terminal, a projector included, and can be piped to a file.
 */

const cut = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

export const roomTable = (room: RoomState, lang: Lang): string => {
  const time = new Date(room.at).toTimeString().slice(0, 8);
  const head = tr(
    L(
      `${time}  ${room.learners.length} learner${room.learners.length === 1 ? '' : 's'} · ${room.stuck} stuck · ${room.helpPending} asking for help`,
      `${time}  ${room.learners.length} 位学员 · ${room.stuck} 位卡住 · ${room.helpPending} 位请求帮助`,
    ),
    lang,
  );
  if (room.learners.length === 0) return `${head}\n${tr(L('  (nobody has joined yet)', '  （还没有人加入）'), lang)}\n`;
  const lines = [
    head,
    tr(L('  learner               lesson                     tries  min', '  学员                  课程                       次数   分钟'), lang),
  ];
  for (const l of room.learners) {
    // The live view marks rows with the same words (learnerMarks, beside the room's rules).
    const marks = learnerMarks(l).map((m) => tr(m, lang));
    lines.push(
      `  ${cut(l.name, 20)}  ${cut(`${l.lesson.number} ${l.lesson.id}`, 25)}  ${String(l.attempts).padStart(5)}  ${String(l.minutes).padStart(3)}  ${marks.join(' ')}`.trimEnd(),
    );
  }
  const failing = failingNow(room);
  if (failing.length > 0)
    lines.push(
      tr(L('  failing most: ', '  失败最多：'), lang) +
        failing
          .map((c) => tr(L(`${c.id} (${c.learners} now, ${c.failures} in all)`, `${c.id}（当前 ${c.learners} 人，共 ${c.failures} 次）`), lang))
          .join(lang === 'zh-CN' ? '；' : ', '),
    );
  return `${lines.join('\n')}\n`;
};
