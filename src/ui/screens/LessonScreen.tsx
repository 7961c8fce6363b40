import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { tr, type Lang, type Localized } from '../../engine/i18n.js';
import type { TutorialApi } from '../../engine/tutorial-api.js';
import { BuildProgress } from '../components/BuildProgress.js';
import { CheckList } from '../components/CheckList.js';
import { errorText } from '../components/ErrorBanner.js';
import { KeyHints, packHints } from '../components/KeyHints.js';
import { Lines } from '../components/Lines.js';
import { Viewport } from '../components/Viewport.js';
import { checkLines } from '../check-lines.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useLessonController, type View } from '../hooks/use-lesson-controller.js';
import { useLessonText } from '../hooks/use-lesson-text.js';
import { useNow } from '../hooks/use-now.js';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import type { WatchFn } from '../hooks/use-watch.js';
import { hintsFor, type Action, type Mode } from '../keys.js';
import { wrapToLines, type Line } from '../line.js';
import { renderMarkdown } from '../markdown.js';
import { M, fillL } from '../messages.js';
import { watchNotice } from '../notices.js';
import { progressLines } from '../progress-lines.js';
import { isScroll, scrollTo } from '../scroll.js';
import { rule, wrapText } from '../text.js';
import { iconsFor, styleFor, type Theme } from '../theme.js';
import { helpLines, solutionLines } from '../views.js';

export interface LessonScreenProps {
  readonly api: TutorialApi;
  readonly lessonId: string;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly size: TerminalSize;
  readonly manual: boolean;
  readonly watch: WatchFn;
  readonly openInEditor?: (path: string) => Promise<void>;
  readonly editorName?: string;
  readonly nextLessonId?: string;
  readonly arrival?: Localized;
  readonly onOpen: (lessonId: string) => Promise<void>;
  readonly onList: () => void;
  readonly onToggleLang: () => Promise<Localized | undefined>;
  readonly onQuit: () => void;
}

// The lesson text keeps at least this many rows; the results panel gives way first.
const MIN_VIEW = 4;
const NOTICE_MAX = 4;
const PROGRESS_MAX = 7;

/** Lesson text on top (scrolling), results or build progress below, then notices, watch status and keys. */
export const LessonScreen = (props: LessonScreenProps) => {
  const { api, lessonId, lang, theme, size } = props;
  const ctl = useLessonController(props);
  const { state } = ctl.verify;
  const now = useNow(250, state.running);
  const icons = iconsFor(theme);
  // One column spare: some terminals (Windows conhost) wrap a line that fills the last column.
  const width = Math.max(20, size.columns - 1);
  const height = Math.max(12, size.rows - 1);
  const [offsets, setOffsets] = useState<Record<View, number>>({ lesson: 0, solution: 0, help: 0 });

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
        : lessonLines;

  const mode: Mode = state.running ? 'running' : ctl.confirm ? 'confirm' : ctl.view;
  const hints = hintsFor(mode);
  const hintRows = packHints(hints, lang, width).length;
  const status = watchNotice(ctl.watchStatus, api.watchedFiles(lessonId), api.workspaceDir);
  const statusLines = wrapToLines(tr(status.message, lang), width, { tone: status.tone }).slice(0, 3);
  const noticeSource = ctl.confirm
    ? { tone: 'warn' as const, message: ctl.confirm === 'reset' ? M.reset.confirm : M.solution.confirmApply }
    : ctl.notice;
  const noticeLines = noticeSource ? wrapToLines(tr(noticeSource.message, lang), width, { tone: noticeSource.tone, bold: !!ctl.confirm }).slice(0, NOTICE_MAX) : [];
  const fixedRows = 2 + hintRows + statusLines.length + noticeLines.length; // header + rule
  const panelBudget = Math.max(2, height - fixedRows - MIN_VIEW);

  const result = state.result;
  const outro: Line[] =
    result?.passed && !state.running
      ? [
          ...wrapToLines(tr(M.verify.passed, lang), width, { tone: 'ok', bold: true }),
          ...(result.learned ? wrapToLines(tr(fillL(M.verify.learned, { text: result.learned }), lang), width, { tone: 'ok' }) : []),
          ...wrapToLines(tr(M.verify.offer, lang), width, { tone: 'info' }),
        ]
      : [];
  const checkMax = Math.max(2, panelBudget - outro.length);
  const progressMax = Math.min(PROGRESS_MAX, panelBudget - 1);
  const panelRows = state.running
    ? 1 + progressLines({ progress: state.progress ?? { steps: [], tail: [], lastMs: 0, lastAt: now }, now, lang, width, icons, maxLines: progressMax }).length
    : result
      ? checkLines(result.checks, { lang, width, icons, maxLines: checkMax }).length + outro.length
      : 1;
  const viewHeight = Math.max(1, height - fixedRows - panelRows);
  const maxOffset = Math.max(0, content.length - viewHeight);
  const offset = Math.min(offsets[ctl.view], maxOffset);

  const onAction = (action: Action) => {
    if (isScroll(action)) {
      setOffsets((o) => ({ ...o, [ctl.view]: scrollTo(offset, action, content.length, viewHeight) }));
      return;
    }
    if (action === 'solution' || action === 'help') setOffsets((o) => ({ ...o, solution: 0, help: 0 }));
    ctl.onAction(action);
  };
  useKeymap(mode, onAction, !ctl.editing);

  const lesson = api.lessons().find((l) => l.id === lessonId);
  const total = api.lessons().length;
  const title = lesson
    ? [tr(fillL(M.lesson.header, { n: lesson.number, total }), lang), tr(lesson.chapterTitle, lang), tr(lesson.title, lang)].join(' · ')
    : lessonId;
  const position = content.length > viewHeight ? ` ${offset + 1}-${Math.min(content.length, offset + viewHeight)}/${content.length} ` : '';
  const runningId = state.progress?.checkId;
  const runningReport = runningId ? result?.checks.find((check) => check.id === runningId) : undefined;
  const runningTitle = runningReport ? tr(runningReport.title, lang) : runningId;

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...styleFor(theme, 'accent', { bold: true })}>
        {title}
      </Text>
      <Viewport lines={content} offset={offset} height={viewHeight} />
      <Text wrap="truncate-end" {...styleFor(theme, 'muted')}>
        {`${rule(icons.rule, 2)}${position}${rule(icons.rule, width - 2 - position.length)}`}
      </Text>
      {state.running && state.progress ? (
        <BuildProgress
          progress={state.progress}
          checkTitle={runningTitle}
          startedAt={state.startedAt ?? now}
          now={now}
          cancelling={state.cancelling}
          quitting={ctl.quitting}
          lang={lang}
          width={width}
          maxLines={progressMax}
          theme={theme}
        />
      ) : result ? (
        <Box flexDirection="column">
          <CheckList checks={result.checks} lang={lang} width={width} maxLines={checkMax} theme={theme} />
          <Lines lines={outro} theme={theme} />
        </Box>
      ) : (
        <Lines lines={wrapToLines(tr(M.checks.none, lang), width, { tone: 'muted' }).slice(0, 1)} theme={theme} />
      )}
      <Lines lines={noticeLines} theme={theme} />
      <Lines lines={statusLines} theme={theme} />
      <KeyHints hints={hints} lang={lang} width={width} theme={theme} />
    </Box>
  );
};
