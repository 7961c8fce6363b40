import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { useEffect, useMemo, useState } from 'react';
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

// ink-select-input gives an item component only { isSelected, label }; the label carries the lesson id.
const lessonItem = (ctx: ItemContext) =>
  function LessonItem({ isSelected = false, label }: { isSelected?: boolean; label: string }) {
    const lesson = ctx.byId.get(label);
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

const NoIndicator = () => null;
const ERROR_MAX = 4;

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
  const ids = lessons.map((l) => l.id).join('\0');
  // Stable items: ink-select-input resets the selection whenever the item values change.
  const items = useMemo(() => lessons.map((l) => ({ key: l.id, label: l.id, value: l.id })), [ids]);
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

  const mode = help ? 'help' : openedId ? 'list-from-lesson' : 'list';
  const onAction = (action: Action) => {
    if (action === 'quit') return onQuit();
    if (action === 'back') return help ? setHelp(false) : onBack();
    if (action === 'help') return setHelp(true);
    if (action === 'lang') void onToggleLang().then(setLangProblem);
  };
  useKeymap(mode, onAction, opening === undefined);

  const select = (item: { value: string }) => {
    setOpening(item.value);
    setProblem(undefined);
    onOpen(item.value).catch((error: unknown) => {
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
  const chapters = chapterStarts.size + partStarts.size;
  // Worst case every chapter and part header is in view, so this many lessons always fit.
  const limit = Math.max(1, listRows - chapters);
  const done = lessons.filter((l) => l.status === 'done').length;

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
          <SelectInput
            items={items}
            initialIndex={initialIndex}
            limit={limit}
            isFocused={opening === undefined}
            indicatorComponent={NoIndicator}
            itemComponent={Item}
            onSelect={select}
          />
        </Box>
      )}
      {problem === undefined ? null : <ErrorBanner error={problem} lang={lang} width={width} maxLines={ERROR_MAX} theme={theme} />}
      <Lines lines={notes} theme={theme} />
      <KeyHints hints={hints} lang={lang} width={width} theme={theme} />
    </Box>
  );
};
