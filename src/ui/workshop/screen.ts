import { cjkGlue, failingNow, learnerMarks, tr, type Lang, type LearnerDetail, type LearnerRow, type Localized, type RoomState } from '../../engine/index.js';
import { wrapToLines, type Line } from '../line.js';
import { widthOf } from '../text.js';
import { iconsFor, type Theme, type Tone } from '../theme.js';
import { W } from './messages.js';
import { selectedIndex, type ViewState } from './view-state.js';

/**
 * The live view as lines, one terminal row each: a pure function of the room, the view state and
 * the screen size. The Ink component only draws them and turns keys into actions, so everything
 * the instructor sees is tested here without a terminal.
 */

/** What learners need to join, computed once by the command (the QR code too: the UI encodes nothing). */
export interface JoinInfo {
  readonly url: string;
  readonly code: string;
  /** The command learners type, as printed (and as the QR code holds it). */
  readonly command: string;
  /** The QR code as half-block text lines, light modules drawn. */
  readonly qr: readonly string[];
}

/** One learner's detail as loaded from the log: it arrives after the pane opens. */
export type DetailState =
  | { readonly learnerId: string; readonly status: 'loading' }
  | { readonly learnerId: string; readonly status: 'ready'; readonly detail: LearnerDetail | undefined }
  | { readonly learnerId: string; readonly status: 'failed'; readonly error: string };

/** A line of the QR code: drawn light-on-dark when colour is on, so it reads on light terminals too. */
export interface ScreenLine extends Line {
  readonly qr?: boolean;
}

export interface ScreenInput {
  readonly room: RoomState;
  readonly view: ViewState;
  readonly join: JoinInfo;
  readonly detail: DetailState | undefined;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly width: number;
  readonly height: number;
}

export interface Screen {
  readonly lines: ScreenLine[];
  /** Rows a page key moves. */
  readonly page: number;
  /** How far the learner pane scrolls. */
  readonly maxScroll: number;
}

/** Cut to a display width (CJK counts two), with an ellipsis when cut, padded to the width. */
export const fit = (text: string, width: number): string => {
  if (widthOf(text) <= width) return text + ' '.repeat(width - widthOf(text));
  let out = '';
  for (const char of text) {
    if (widthOf(`${out}${char}…`) > width) break;
    out += char;
  }
  return out + '…' + ' '.repeat(Math.max(0, width - widthOf(`${out}…`)));
};

/** Pieces joined by a space, or by nothing where Chinese punctuation meets (the one spacing rule of src/engine/i18n.ts). */
const glue = (parts: readonly string[]): string => parts.reduce((text, part) => (text === '' ? part : `${text}${cjkGlue(text, part, ' ')}${part}`), '');

const marksOf = (l: LearnerRow, lang: Lang): string => glue(learnerMarks(l).map((m) => tr(m, lang)));

const clockTime = (at: number | string): string => new Date(at).toTimeString().slice(0, 8);

const toneOf = (l: LearnerRow): Tone | undefined => (l.stuck ? 'bad' : l.help ? 'warn' : l.passed ? 'ok' : undefined);

const hints = (lang: Lang, keys: readonly [string, Localized][]): ScreenLine => ({
  text: keys.map(([key, what]) => `${key} ${tr(what, lang)}`).join('  '),
  tone: 'muted',
});

/** The room: who is where, the stuck in red, help in yellow, the checks failing most. */
const roomLines = (input: ScreenInput): Screen => {
  const { room, lang, width, height } = input;
  const t = (m: Localized) => tr(m, lang);
  const icons = iconsFor(input.theme);
  const title: ScreenLine = { text: t(W.title(input.join.url, input.join.code)), bold: true };
  const failing = failingNow(room);
  const failingLines =
    failing.length === 0
      ? [{ text: t(W.noneFailing), tone: 'muted' as const }]
      : wrapToLines(glue([t(W.failingMost), failing.map((c) => t(W.failingCheck(c.id, c.learners, c.failures))).join(t(W.listSeparator))]), width, {
          tone: 'bad',
        }).slice(0, 2);
  const keys = hints(lang, [
    [input.theme.unicode ? '↑↓' : 'up/down', W.keys.select],
    ['Enter', W.keys.open],
    ['c', W.keys.join],
    ['q', W.keys.quit],
  ]);
  const summaryText = `${clockTime(room.at)}  ${t(W.summary(room.learners.length, room.stuck, room.helpPending))}`;
  if (room.learners.length === 0)
    return { lines: [title, { text: summaryText }, { text: '' }, { text: t(W.nobody) }, { text: '' }, keys], page: 1, maxScroll: 0 };

  // Columns: the marks get what the name and lesson leave (at least ~26 columns at 80 wide).
  const spare = Math.max(0, width - 18 - 26);
  const nameWidth = Math.min(20, Math.max(6, Math.floor(spare * 0.45)));
  const lessonWidth = Math.min(25, Math.max(6, spare - nameWidth));
  const row = (name: string, lesson: string, tries: string, minutes: string) =>
    `${fit(name, nameWidth)}  ${fit(lesson, lessonWidth)}  ${tries.padStart(5)}  ${minutes.padStart(3)}`;
  const head: ScreenLine = {
    lead: { text: '  ' },
    text: row(t(W.columns.learner), t(W.columns.lesson), t(W.columns.tries), t(W.columns.minutes)),
    tone: 'muted',
  };
  // Title, summary, blank, header above the rows; blank, the failing checks, blank, keys below.
  const fixed = 4 + 1 + failingLines.length + 1 + 1;
  const visible = Math.max(1, height - fixed);
  const selected = selectedIndex(input.view, room);
  const count = room.learners.length;
  const start = Math.min(Math.max(0, selected - Math.floor(visible / 2)), Math.max(0, count - visible));
  const shown = room.learners.slice(start, start + visible);
  const windowNote = count > visible ? `  (${t(W.window(start + 1, start + shown.length, count))})` : '';
  const rows = shown.map((l, i): ScreenLine => {
    const isSelected = start + i === selected;
    const marks = marksOf(l, lang);
    const text = `${row(l.name, `${l.lesson.number} ${l.lesson.id}`, String(l.attempts), String(l.minutes))}  ${marks}`.trimEnd();
    return { lead: { text: isSelected ? `${icons.pointer} ` : '  ', tone: 'accent', bold: true }, text, tone: toneOf(l), bold: isSelected };
  });
  return {
    lines: [title, { text: summaryText + windowNote }, { text: '' }, head, ...rows, { text: '' }, ...failingLines, { text: '' }, keys],
    page: visible,
    maxScroll: 0,
  };
};

/** Each check id on a line: failing first (what the instructor came for), then passing. */
const checkLines = (passed: readonly string[], failed: readonly string[], input: ScreenInput): ScreenLine[] => {
  const icons = iconsFor(input.theme);
  if (passed.length === 0 && failed.length === 0) return [{ text: `  ${tr(W.learner.noChecks, input.lang)}`, tone: 'muted' }];
  return [
    ...failed.map((id): ScreenLine => ({ lead: { text: `  ${icons.status.fail} `, tone: 'bad' }, text: id, tone: 'bad' })),
    ...passed.map((id): ScreenLine => ({ lead: { text: `  ${icons.status.pass} `, tone: 'ok' }, text: id })),
  ];
};

/** The learner's last verdict and Dockerfile, from the log; the heading from the live room. */
const learnerLines = (input: ScreenInput): Screen => {
  const { room, lang, width, height, detail } = input;
  const t = (m: Localized) => tr(m, lang);
  const row = room.learners.find((l) => l.learnerId === input.view.selected);
  const heading: ScreenLine[] = row
    ? [
        {
          text: `${t(W.learner.heading(row.name, row.lesson.number, row.lesson.id, row.attempts, row.minutes))}  ${marksOf(row, lang)}`.trimEnd(),
          bold: true,
          tone: toneOf(row),
        },
      ]
    : [{ text: t(W.learner.gone), tone: 'warn' }];
  const body: ScreenLine[] = [];
  if (!detail || detail.learnerId !== input.view.selected || detail.status === 'loading') body.push({ text: t(W.learner.loading), tone: 'muted' });
  else if (detail.status === 'failed') body.push(...wrapToLines(t(W.learner.readFailed(detail.error)), width, { tone: 'bad' }));
  else if (!detail.detail) body.push({ text: t(W.learner.gone), tone: 'warn' });
  else {
    const { lastVerify, lastHelp } = detail.detail;
    if (lastVerify) {
      body.push({
        text: t(W.learner.verify(clockTime(lastVerify.at), lastVerify.lesson.number, lastVerify.attempts, lastVerify.passed)),
        tone: lastVerify.passed ? 'ok' : 'bad',
      });
      body.push(...checkLines(lastVerify.passedChecks, lastVerify.failedChecks, input));
    } else if (lastHelp?.lastVerdict) {
      const v = lastHelp.lastVerdict;
      body.push({ text: t(W.learner.verdictFromHelp(v.attempts, v.passed)), tone: v.passed ? 'ok' : 'bad' });
      body.push(...checkLines(v.passedChecks, v.failedChecks, input));
    } else body.push({ text: t(W.learner.noVerify), tone: 'muted' });
    body.push({ text: '' });
    if (!lastHelp) body.push(...wrapToLines(t(W.learner.noHelp), width, { tone: 'muted' }));
    else {
      body.push({ text: t(W.learner.help(clockTime(lastHelp.at), lastHelp.lesson.number, lastHelp.pending)), tone: lastHelp.pending ? 'warn' : 'muted' });
      if (lastHelp.dockerfile === null) body.push({ text: t(W.learner.noDockerfile), tone: 'muted' });
      else {
        body.push({ text: t(W.learner.dockerfile) });
        const source = lastHelp.dockerfile.replace(/\n$/, '').split('\n');
        const digits = String(source.length).length;
        const bar = iconsFor(input.theme).output;
        // Numbered and cut at the edge, not wrapped: the numbers are what the instructor points at.
        source.forEach((text, i) =>
          body.push({ lead: { text: `${String(i + 1).padStart(digits + 1)} ${bar} `, tone: 'muted' }, text: text.replace(/\t/g, '    ') }),
        );
      }
    }
  }
  const keys = hints(lang, [
    [input.theme.unicode ? '↑↓' : 'up/down', W.keys.scroll],
    ['Esc', W.keys.back],
    ['q', W.keys.quit],
  ]);
  const bodyHeight = Math.max(1, height - heading.length - 2);
  const maxScroll = Math.max(0, body.length - bodyHeight);
  const scroll = Math.min(input.view.scroll, maxScroll);
  return { lines: [...heading, { text: '' }, ...body.slice(scroll, scroll + bodyHeight), keys], page: bodyHeight, maxScroll };
};

/** The join command, the code in large type's stead (bold), and the QR code when the screen holds it. */
const joinLines = (input: ScreenInput): Screen => {
  const { join, lang, width, height } = input;
  const t = (m: Localized) => tr(m, lang);
  const top: ScreenLine[] = [
    { text: t(W.join.heading), bold: true },
    { text: '' },
    { text: t(W.join.type) },
    { text: `  ${join.command}`, tone: 'accent', bold: true },
    { text: t(W.join.code(join.code)), bold: true },
    { text: '' },
  ];
  const keys = hints(lang, [
    ['Esc', W.keys.back],
    ['q', W.keys.quit],
  ]);
  const qrWidth = Math.max(0, ...join.qr.map(widthOf));
  const needRows = top.length + 1 + join.qr.length + 1;
  const qr: ScreenLine[] =
    qrWidth <= width && needRows <= height
      ? [{ text: t(W.join.scan) }, ...join.qr.map((text): ScreenLine => ({ text, qr: true }))]
      : wrapToLines(t(W.join.tooSmall(qrWidth, needRows)), width, { tone: 'muted' });
  return { lines: [...top, ...qr, keys], page: 1, maxScroll: 0 };
};

export const screenLines = (input: ScreenInput): Screen =>
  input.view.pane === 'learner' ? learnerLines(input) : input.view.pane === 'join' ? joinLines(input) : roomLines(input);
