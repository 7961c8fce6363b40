import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { explainOnce, tr, type Lang } from '../../engine/index.js';
import { BuildProgress } from '../components/BuildProgress.js';
import { CheckList } from '../components/CheckList.js';
import { errorText } from '../components/ErrorBanner.js';
import { KeyHints } from '../components/KeyHints.js';
import { Lines } from '../components/Lines.js';
import { Viewport } from '../components/Viewport.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useLessonController, type LessonControllerOptions, type View } from '../hooks/use-lesson-controller.js';
import { useLessonText } from '../hooks/use-lesson-text.js';
import { useNow } from '../hooks/use-now.js';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import type { Action, Mode } from '../keys.js';
import { layoutLesson } from '../lesson-layout.js';
import { wrapToLines } from '../line.js';
import { renderMarkdown } from '../markdown.js';
import { M, fillL } from '../messages.js';
import { watchNotice } from '../notices.js';
import { isScroll, scrollTo } from '../scroll.js';
import { rule, wrapText } from '../text.js';
import { iconsFor, styleFor, type Theme } from '../theme.js';
import { detailsLines, helpLines, solutionLines } from '../views.js';

/** A running verify redraws the screen this often (5 frames a second: the spinner turns, times count). */
const CLOCK_MS = 200;

/** The controller's options plus what drawing needs (language, theme, terminal size). */
export interface LessonScreenProps extends LessonControllerOptions {
  readonly lang: Lang;
  readonly theme: Theme;
  readonly size: TerminalSize;
}

/** Lesson text on top (scrolling), results or build progress below, then notices, watch status and keys. */
export const LessonScreen = (props: LessonScreenProps) => {
  const { api, lessonId, lang, theme, size } = props;
  const ctl = useLessonController(props);
  const { state } = ctl.verify;
  // The one clock of a running verify: elapsed times and the spinner move with it (each tick redraws the screen).
  const now = useNow(CLOCK_MS, state.running);
  const icons = iconsFor(theme);
  // One column spare: some terminals (Windows conhost) wrap a line that fills the last column.
  const width = Math.max(20, size.columns - 1);
  const height = Math.max(12, size.rows - 1);
  const [offsets, setOffsets] = useState<Record<View, number>>({ lesson: 0, solution: 0, help: 0, details: 0 });

  const text = useLessonText(api, lessonId, lang);
  const lessonLines = useMemo(() => {
    if (text.text !== undefined) return renderMarkdown(text.text, { width, color: theme.color });
    if (text.error !== undefined) return wrapText(tr(fillL(M.lesson.textError, { error: errorText(text.error) }), lang), width);
    return [tr(M.lesson.loading, lang)];
  }, [text, width, theme.color, lang]);
  const content =
    ctl.view === 'solution' && ctl.solution
      ? solutionLines(ctl.solution, lang, width, icons)
      : ctl.view === 'help'
        ? helpLines(lang, width)
        : ctl.view === 'details' && state.result
          ? detailsLines(state.result, lang, width, icons)
          : lessonLines;

  const mode: Mode = state.running ? 'running' : ctl.confirm ? 'confirm' : ctl.view;
  const question = ctl.confirm
    ? { tone: 'warn' as const, question: true, message: ctl.confirm === 'reset' ? M.reset.confirm : M.solution.confirmApply }
    : undefined;
  const result = state.result;
  const progress = state.running ? state.progress : undefined;
  const lesson = api.lessons().find((l) => l.id === lessonId);
  const layout = layoutLesson({
    lang,
    width,
    height,
    icons,
    mode,
    status: watchNotice(ctl.watchStatus, api.watchedFiles(lessonId), api.workspaceDir),
    notice: question ?? ctl.notice,
    progress,
    partial: state.running ? state.partial : undefined,
    now,
    result,
    lessonNumber: lesson?.number,
  });
  const { viewHeight } = layout;
  const maxOffset = Math.max(0, content.length - viewHeight);
  const offset = Math.min(offsets[ctl.view], maxOffset);

  const onAction = (action: Action) => {
    if (isScroll(action)) {
      // From the latest offset, not this frame's: several keys may arrive before the next frame.
      setOffsets((o) => ({ ...o, [ctl.view]: scrollTo(Math.min(o[ctl.view], maxOffset), action, content.length, viewHeight) }));
      return;
    }
    if (action === 'solution' || action === 'help' || action === 'details') setOffsets((o) => ({ ...o, solution: 0, help: 0, details: 0 }));
    ctl.onAction(action);
  };
  useKeymap(mode, onAction, !ctl.editing);

  const total = api.lessons().length;
  const title = lesson
    ? [tr(fillL(M.lesson.header, { n: lesson.number, total }), lang), tr(lesson.chapterTitle, lang), tr(lesson.title, lang)].join(' · ')
    : lessonId;
  const position = content.length > viewHeight ? ` ${offset + 1}-${Math.min(content.length, offset + viewHeight)}/${content.length} ` : '';
  const runningTitle = state.progress?.checkTitle ? tr(state.progress.checkTitle, lang) : state.progress?.checkId;

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...styleFor(theme, 'accent', { bold: true })}>
        {title}
      </Text>
      <Viewport lines={content} offset={offset} height={viewHeight} />
      <Text wrap="truncate-end" {...styleFor(theme, 'muted')}>
        {`${rule(icons.rule, 2)}${position}${rule(icons.rule, width - 2 - position.length)}`}
      </Text>
      {progress ? <Lines lines={layout.partialLines} theme={theme} /> : null}
      {progress ? (
        <BuildProgress
          progress={progress}
          checkTitle={runningTitle}
          startedAt={state.startedAt ?? now}
          now={now}
          tickMs={CLOCK_MS}
          cancelling={state.cancelling}
          quitting={ctl.quitting}
          lang={lang}
          width={width}
          maxLines={layout.progressMax}
          lessonNumber={lesson?.number}
          theme={theme}
        />
      ) : result ? (
        <Box flexDirection="column">
          <CheckList checks={explainOnce(result.checks, result.blocking)} lang={lang} width={width} maxLines={layout.checkMax} theme={theme} />
          <Lines lines={layout.outro} theme={theme} />
        </Box>
      ) : (
        <Lines lines={wrapToLines(tr(M.checks.none, lang), width, { tone: 'muted' }).slice(0, 1)} theme={theme} />
      )}
      <Lines lines={layout.noticeLines} theme={theme} />
      <Lines lines={layout.statusLines} theme={theme} />
      <KeyHints hints={layout.hints} lang={lang} width={width} theme={theme} />
    </Box>
  );
};
