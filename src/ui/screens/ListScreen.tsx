import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { diskUseLine, partHeading, tr, type CourseDiskUse, type Lang, type LessonSummary, type Localized, type TutorialApi } from '../../engine/index.js';
import { ErrorBanner, errorLines } from '../components/ErrorBanner.js';
import { KeyHints, packHints } from '../components/KeyHints.js';
import { Lines } from '../components/Lines.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { Viewport } from '../components/Viewport.js';
import { useKeymap } from '../hooks/use-keymap.js';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import { hintsFor, type Action } from '../keys.js';
import { wrapToLines } from '../line.js';
import { M, fillL } from '../messages.js';
import { iconsFor, styleFor, type Icons, type Theme, type Tone } from '../theme.js';
import { helpLines } from '../views.js';

export interface ListScreenProps {
  readonly api: TutorialApi;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly size: TerminalSize;
  /** The lesson open before the list, if any: highlighted first, and esc goes back to it. */
  readonly openedId?: string;
  readonly onOpen: (lessonId: string) => Promise<void>;
  readonly onBack: () => void;
  readonly onToggleLang: () => Promise<Localized | undefined>;
  readonly onQuit: () => void;
}

const MARK_TONES: Readonly<Record<LessonSummary['status'], Tone>> = { done: 'ok', current: 'info', pending: 'muted' };

interface ItemContext {
  readonly byId: ReadonlyMap<string, LessonSummary>;
  readonly chapterStarts: ReadonlySet<string>;
  readonly partStarts: ReadonlySet<string>;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly icons: Icons;
}

const lessonItem = (ctx: ItemContext) =>
  function LessonItem({ isSelected = false, id }: { isSelected?: boolean; id: string }) {
    const lesson = ctx.byId.get(id);
    if (!lesson) return null;
    const { theme } = ctx;
    return (
      <Box flexDirection="column">
        {ctx.partStarts.has(lesson.id) && lesson.partTitle ? (
          <Text wrap="truncate-end" {...styleFor(theme, 'info', { bold: true })}>
            {tr(partHeading(lesson.part, lesson.partTitle), ctx.lang).toUpperCase()}
          </Text>
        ) : null}
        {ctx.chapterStarts.has(lesson.id) ? (
          <Text wrap="truncate-end" {...styleFor(theme, 'accent', { bold: true })}>
            {tr(lesson.chapterTitle, ctx.lang)}
          </Text>
        ) : null}
        <Text wrap="truncate-end">
          <Text {...styleFor(theme, 'info', { bold: true })}>{isSelected ? `${ctx.icons.pointer} ` : '  '}</Text>
          <Text {...styleFor(theme, MARK_TONES[lesson.status])}>{ctx.icons.lesson[lesson.status]} </Text>
          <Text {...styleFor(theme, isSelected ? 'info' : undefined, { bold: isSelected })}>
            {String(lesson.number).padStart(2, '0')} {tr(lesson.title, ctx.lang)}
          </Text>
        </Text>
      </Box>
    );
  };

const ERROR_MAX = 4;

/**
 * The lessons in the list's window, from `top` up to (not including) `end`, given the rows each
 * lesson takes (its own, plus the part and chapter headings it starts). The window moves only as far
 * as needed to keep the selected lesson in view, and never leaves rows empty at the end of the list.
 * Counting each lesson's own headings (not every heading of the course) fills the rows it has.
 */
export const listWindow = (heights: readonly number[], previousTop: number, selected: number, rows: number): { top: number; end: number } => {
  const count = heights.length;
  if (count === 0) return { top: 0, end: 0 };
  const rowsOf = (from: number, to: number) => heights.slice(from, to).reduce((a, b) => a + b, 0);
  let top = Math.max(0, Math.min(previousTop, selected, count - 1));
  while (top < selected && rowsOf(top, selected + 1) > rows) top += 1;
  let end = top;
  while (end < count && (end === top || rowsOf(top, end + 1) <= rows)) end += 1;
  // At the end of the list: earlier lessons fill the rows left.
  while (end === count && top > 0 && rowsOf(top - 1, end) <= rows) top -= 1;
  return { top, end };
};

/** Lessons grouped by chapter with done/current/pending marks and overall progress; enter opens one. */
export const ListScreen = ({ api, lang, theme, size, openedId, onOpen, onBack, onToggleLang, onQuit }: ListScreenProps) => {
  const [opening, setOpening] = useState<string>();
  const [problem, setProblem] = useState<unknown>();
  const [help, setHelp] = useState(false);
  const [langProblem, setLangProblem] = useState<Localized>();
  const [disk, setDisk] = useState<CourseDiskUse>();
  useEffect(() => {
    // The last measured figure (a file read, no Docker call): the list stays instant.
    void api.dockerDiskUse().then(setDisk, () => undefined);
  }, [api]);
  const lessons = api.lessons();
  const icons = iconsFor(theme);
  const width = Math.max(20, size.columns - 1);
  const height = Math.max(12, size.rows - 1);
  const chapterStarts = new Set(lessons.filter((l, i) => i === 0 || lessons[i - 1]?.chapter !== l.chapter).map((l) => l.id));
  const partStarts = new Set(lessons.filter((l, i) => l.partTitle && (i === 0 || lessons[i - 1]?.part !== l.part)).map((l) => l.id));
  const Item = useMemo(
    () => lessonItem({ byId: new Map(lessons.map((l) => [l.id, l])), chapterStarts, partStarts, lang, theme, icons }),
    // Re-create when what the items show changes (status after a pass, the language).
    [lessons.map((l) => `${l.id}:${l.status}`).join(','), lang, theme],
  );
  const focusId = openedId ?? api.currentLessonId();
  const initialIndex = Math.max(
    0,
    lessons.findIndex((l) => l.id === focusId),
  );

  // The selection, moved by the keymap. Kept in a ref, so a burst of keys ("↓↓⏎" in one write) moves
  // as far as every key says and enter opens where they led, not where the last frame was.
  const selection = useRef(initialIndex);
  const [, redraw] = useState(0);
  const topRef = useRef(0);
  const last = lessons.length - 1;
  const moveTo = (index: number) => {
    selection.current = Math.max(0, Math.min(last, index));
    redraw((n) => n + 1);
  };
  const moveBy = (delta: number) => moveTo(selection.current + delta);

  const mode = help ? 'help' : openedId ? 'list-from-lesson' : 'list';
  const onAction = (action: Action) => {
    if (!help && opening === undefined) {
      if (action === 'scrollUp') return moveBy(-1);
      if (action === 'scrollDown') return moveBy(1);
      if (action === 'pageUp') return moveBy(-page);
      if (action === 'pageDown') return moveBy(page);
      if (action === 'top') return moveTo(0);
      if (action === 'bottom') return moveTo(last);
      if (action === 'open') {
        const lesson = lessons[Math.min(selection.current, last)];
        if (lesson) select(lesson.id);
        return;
      }
    }
    if (action === 'quit') return onQuit();
    if (action === 'back') return help ? setHelp(false) : onBack();
    if (action === 'help') return setHelp(true);
    if (action === 'lang') void onToggleLang().then(setLangProblem);
  };
  useKeymap(mode, onAction, opening === undefined);

  const select = (id: string) => {
    setOpening(id);
    setProblem(undefined);
    onOpen(id).catch((error: unknown) => {
      setProblem(error);
      setOpening(undefined);
    });
  };

  const hints = hintsFor(mode);
  const hintRows = packHints(hints, lang, width).length;
  const errorRows = problem === undefined ? 0 : Math.min(ERROR_MAX, errorLines(problem, lang, width).length);
  const notes = [
    ...(langProblem ? wrapToLines(tr(langProblem, lang), width, { tone: 'warn' }) : []),
    ...(opening
      ? wrapToLines(tr(fillL(M.list.opening, { title: lessons.find((l) => l.id === opening)?.title ?? opening }), lang), width, { tone: 'info' })
      : []),
    ...(disk && disk.images > 0 ? wrapToLines(tr(diskUseLine(disk), lang), width, { tone: 'muted' }) : []),
  ];
  const listRows = Math.max(3, height - 3 - hintRows - errorRows - notes.length);
  const heights = lessons.map((l) => 1 + (chapterStarts.has(l.id) ? 1 : 0) + (partStarts.has(l.id) ? 1 : 0));
  const done = lessons.filter((l) => l.status === 'done').length;
  const shown = Math.min(selection.current, last);
  const { top, end } = listWindow(heights, topRef.current, shown, listRows);
  topRef.current = top;
  const page = Math.max(1, end - top - 1);

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...styleFor(theme, 'accent', { bold: true })}>
        {tr(M.list.title, lang)}
      </Text>
      <ProgressBar done={done} total={lessons.length} barWidth={Math.min(30, Math.max(5, width - 30))} lang={lang} theme={theme} />
      <Text> </Text>
      {help ? (
        <Viewport lines={helpLines(lang, width)} offset={0} height={listRows} />
      ) : (
        <Box flexDirection="column" height={listRows} overflow="hidden">
          {lessons.slice(top, end).map((lesson, i) => (
            <Item key={lesson.id} id={lesson.id} isSelected={top + i === shown} />
          ))}
        </Box>
      )}
      {problem === undefined ? null : <ErrorBanner error={problem} lang={lang} width={width} maxLines={ERROR_MAX} theme={theme} />}
      <Lines lines={notes} theme={theme} />
      <KeyHints hints={hints} lang={lang} width={width} theme={theme} />
    </Box>
  );
};
