import { useEffect, useState } from 'react';
import type { Lang, LearnerDetail, RoomState } from '../../engine/index.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { Theme } from '../theme.js';
import type { JoinInfo } from './screen.js';
import { WorkshopView } from './WorkshopView.js';

/** Where the room comes from: the running server (WorkshopServer has both), or a test's event stream. */
export interface RoomSource {
  room(): RoomState;
  /** Called after each accepted event; returns the unsubscribe. */
  onEvent(listener: () => void): () => void;
}

export interface WorkshopAppProps {
  readonly source: RoomSource;
  readonly join: JoinInfo;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly loadDetail: (learnerId: string, room: RoomState) => Promise<LearnerDetail | undefined>;
  readonly onQuit: (how: 'quit' | 'interrupted') => void;
  /** How often the minutes are recounted with no event (stuck by time happens between events). */
  readonly refreshMs?: number;
  /** Events that arrive together (a laptop replaying its queue) make one frame. */
  readonly settleMs?: number;
}

/** Follows the room live and hands each state to the view. */
export const WorkshopApp = (props: WorkshopAppProps) => {
  const { source } = props;
  const size = useTerminalSize();
  const [room, setRoom] = useState(() => source.room());
  const refreshMs = props.refreshMs ?? 5000;
  const settleMs = props.settleMs ?? 300;
  useEffect(() => {
    let pending: NodeJS.Timeout | undefined;
    const off = source.onEvent(() => {
      pending ??= setTimeout(() => {
        pending = undefined;
        setRoom(source.room());
      }, settleMs);
    });
    const tick = setInterval(() => setRoom(source.room()), refreshMs);
    return () => {
      off();
      clearInterval(tick);
      if (pending) clearTimeout(pending);
    };
  }, [source, refreshMs, settleMs]);
  return <WorkshopView room={room} join={props.join} lang={props.lang} theme={props.theme} size={size} loadDetail={props.loadDetail} onQuit={props.onQuit} />;
};
