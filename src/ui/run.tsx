import { render } from 'ink';
import { loadFileWatcher, type Lang, type TutorialApi } from '../engine/index.js';
import { App } from './app.js';
import type { WatchFn } from './hooks/use-watch.js';
import { themeFromEnv } from './theme.js';

export interface TutorialUiOptions {
  readonly api: TutorialApi;
  readonly lang: Lang;
  /** --manual: no file watching; the learner presses v to check. */
  readonly manual: boolean;
  /** Called when the learner switches language with `t` (the choice is also saved with api.setLang). */
  readonly onLangChange?: (lang: Lang) => void;
  /**
   * Opens a file in $VISUAL/$EDITOR and resolves when the editor exits (terminal editors) or has
   * started (GUI editors). The CLI spawns it; the UI never spawns processes. Without it, `e` tells the
   * learner which file to open.
   */
  readonly openInEditor?: (absolutePath: string) => Promise<void>;
  /** Environment for NO_COLOR/FORCE_COLOR, TERM and $VISUAL/$EDITOR (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Which screen to start on (default: the current lesson). */
  readonly startScreen?: 'lesson' | 'list';
  /** The current lesson's files changed since its last verdict (the CLI measures it before the first frame). */
  readonly changedWhileAway?: boolean;
}

/**
 * Runs the interactive tutorial until the learner quits. Call it only when stdin and stdout are TTYs
 * (Ink needs raw mode). Ctrl-C is handled by the app: it cancels a running verify, else quits
 * ('interrupted': the CLI exits 130, as for any command ended by Ctrl-C).
 */
export const runTutorialUi = async (options: TutorialUiOptions): Promise<'quit' | 'interrupted'> => {
  const env = options.env ?? process.env;
  const watchFiles = await loadFileWatcher();
  const engineWatch: WatchFn = (paths, onChange, watchOptions) => watchFiles(paths, onChange, { onError: watchOptions.onError });
  const instance = render(
    <App
      api={options.api}
      initialLang={options.lang}
      manual={options.manual}
      theme={themeFromEnv(env, process.platform)}
      watch={engineWatch}
      openInEditor={options.openInEditor}
      editorName={env.VISUAL || env.EDITOR || undefined}
      onLangChange={options.onLangChange}
      startScreen={options.startScreen}
      changedWhileAway={options.changedWhileAway}
    />,
    { exitOnCtrlC: false },
  );
  // Quitting with Ctrl-C ends like any interrupted command (exit 130), with q like a finished one:
  // the key that came last before the app exited says which.
  let lastWasCtrlC = false;
  const onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    lastWasCtrlC = text.endsWith('\u0003');
  };
  process.stdin.on('data', onData);
  try {
    await instance.waitUntilExit();
  } finally {
    process.stdin.off('data', onData);
  }
  return lastWasCtrlC ? 'interrupted' : 'quit';
};

// `workshop serve`'s live view travels in this same module (dist/ui.js), loaded the same lazy way.
export { runWorkshopUi, type WorkshopUiOptions } from './workshop/run.js';
