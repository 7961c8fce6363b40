import { render } from 'ink';
import type { Lang, LearnerDetail, RoomState } from '../../engine/index.js';
import { themeFromEnv } from '../theme.js';
import type { JoinInfo } from './screen.js';
import { WorkshopApp, type RoomSource } from './WorkshopApp.js';

export type { JoinInfo } from './screen.js';
export type { RoomSource } from './WorkshopApp.js';

export interface WorkshopUiOptions {
  readonly source: RoomSource;
  readonly join: JoinInfo;
  readonly lang: Lang;
  readonly loadDetail: (learnerId: string, room: RoomState) => Promise<LearnerDetail | undefined>;
  /** Aborted (SIGTERM, SIGHUP): the view closes as if q was pressed, and the command stops the server. */
  readonly signal?: AbortSignal;
  /** NO_COLOR/FORCE_COLOR and TERM (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the instructor's live view until q, Ctrl-C or the signal. Call it only when stdin and
 * stdout are TTYs (Ink needs raw mode). The caller closes the server afterwards: the view never
 * owns it, so the log is flushed on every way out.
 */
export const runWorkshopUi = async (options: WorkshopUiOptions): Promise<'quit' | 'interrupted'> => {
  let ended: 'quit' | 'interrupted' = 'quit';
  const env = options.env ?? process.env;
  const instance = render(
    <WorkshopApp
      source={options.source}
      join={options.join}
      lang={options.lang}
      theme={themeFromEnv(env, process.platform)}
      loadDetail={options.loadDetail}
      onQuit={(how) => {
        ended = how;
        instance.unmount();
      }}
    />,
    // Ctrl-C is a key here (raw mode): the view ends itself and says it was an interruption.
    { exitOnCtrlC: false },
  );
  const onAbort = () => instance.unmount();
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return ended;
};
