import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { terminalSafe, type Lang, type LearnerDetail, type RoomState } from '../../engine/index.js';
import { styleFor, type Theme } from '../theme.js';
import { screenLines, type DetailState, type JoinInfo, type ScreenLine } from './screen.js';
import { actionOf, INITIAL_VIEW, nextView, type ViewState } from './view-state.js';

export interface WorkshopViewProps {
  readonly room: RoomState;
  readonly join: JoinInfo;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly size: { readonly columns: number; readonly rows: number };
  /** One learner's last verdict and help request (the command reads the log; tests give a function of the fixture). */
  readonly loadDetail: (learnerId: string, room: RoomState) => Promise<LearnerDetail | undefined>;
  /** q: 'quit'; Ctrl-C: 'interrupted' (the command exits 130, as any command ended by Ctrl-C). */
  readonly onQuit: (how: 'quit' | 'interrupted') => void;
}

/** Draws screen lines; the QR code's rows white on black when colour is on, so its polarity holds on any terminal. */
const ScreenLines = ({ lines, theme }: { readonly lines: readonly ScreenLine[]; readonly theme: Theme }) => (
  <Box flexDirection="column">
    {lines.map((line, index) =>
      line.qr && theme.color ? (
        <Text key={index} wrap="truncate-end" color="white" backgroundColor="black">
          {line.text}
        </Text>
      ) : (
        <Text key={index} wrap="truncate-end">
          {line.lead ? <Text {...styleFor(theme, line.lead.tone, { bold: line.lead.bold })}>{terminalSafe(line.lead.text)}</Text> : null}
          <Text {...styleFor(theme, line.tone, { bold: line.bold, dim: line.dim })}>{terminalSafe(line.text) || ' '}</Text>
        </Text>
      ),
    )}
  </Box>
);

/**
 * The instructor's live view of one room state: a table of learners, one learner's detail, or the
 * join code. Everything shown comes from screenLines (pure); this component keeps the view state,
 * maps keys to actions and loads a learner's detail when their pane opens or they send something new.
 */
export const WorkshopView = (props: WorkshopViewProps) => {
  const { room, size } = props;
  const [view, setView] = useState<ViewState>(INITIAL_VIEW);
  const [detail, setDetail] = useState<DetailState | undefined>(undefined);
  // One row short of the terminal: a frame as tall as the screen makes Ink clear it on every redraw.
  const screen = screenLines({
    room,
    view,
    join: props.join,
    detail,
    lang: props.lang,
    theme: props.theme,
    width: size.columns,
    height: Math.max(4, size.rows - 1),
  });

  // The latest of everything, for a key pressed before React re-subscribes the handler.
  const latest = useRef({ view, room, screen, props });
  latest.current = { view, room, screen, props };
  useInput((input, key) => {
    const action = actionOf(input, key);
    if (!action) return;
    const now = latest.current;
    if (action === 'quit' || action === 'interrupt') {
      now.props.onQuit(action === 'quit' ? 'quit' : 'interrupted');
      return;
    }
    const next = nextView(now.view, action, now.room, { page: now.screen.page, maxScroll: now.screen.maxScroll });
    latest.current = { ...now, view: next };
    setView(next);
  });

  // The open learner's detail, read again when they send an event (their row's lastSeen moves).
  const open = view.pane === 'learner' ? view.selected : undefined;
  const seen = room.learners.find((l) => l.learnerId === open)?.lastSeen;
  useEffect(() => {
    if (open === undefined) return;
    let current = true;
    setDetail((d) => (d?.learnerId === open ? d : { learnerId: open, status: 'loading' }));
    latest.current.props
      .loadDetail(open, latest.current.room)
      .then((loaded) => current && setDetail({ learnerId: open, status: 'ready', detail: loaded }))
      .catch((error: unknown) => current && setDetail({ learnerId: open, status: 'failed', error: error instanceof Error ? error.message : String(error) }));
    return () => {
      current = false;
    };
  }, [open, seen]);

  return <ScreenLines lines={screen.lines} theme={props.theme} />;
};
