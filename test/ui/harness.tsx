import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { App, type AppProps } from '../../src/ui/app.js';
import { FakeApi, FakeWatcher } from './fake-api.js';

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SETTLE_MS = 80;

export const ESC = '\u001B';
export const KEYS = { down: '\u001B[B', up: '\u001B[A', enter: '\r', ctrlC: '\u0003', pageDown: '\u001B[6~', escape: '\u001B' } as const;

/** Renders the app against a fake API and a fake watcher, optionally at a given terminal size. */
export const renderApp = async (overrides: Partial<AppProps> & { readonly size?: { readonly columns: number; readonly rows: number } } = {}) => {
  const api = (overrides.api as FakeApi | undefined) ?? new FakeApi();
  const watcher = new FakeWatcher();
  const props: AppProps = {
    api,
    initialLang: 'en',
    manual: false,
    theme: { color: false, unicode: true },
    watch: watcher.watch,
    ...overrides,
  };
  const app = render(<App {...props} />);
  if (overrides.size) {
    // ink-testing-library's stdout is 100 columns and has no rows; resize it like a terminal would.
    Object.defineProperty(app.stdout, 'columns', { value: overrides.size.columns, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: overrides.size.rows, configurable: true });
    app.stdout.emit('resize');
  }
  const frame = () => app.lastFrame() ?? '';
  /** Waits until the latest frame satisfies `test` (polling, so fast machines do not wait longer). */
  const waitFor = async (test: (frame: string) => boolean, what = 'frame', timeoutMs = 3000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const current = frame();
      if (test(current)) {
        // The frame is drawn at commit; the new screen subscribes to keys in an effect right after.
        // Give that effect time to run so the next key press is not lost.
        await delay(SETTLE_MS);
        return frame();
      }
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last frame:\n${current}`);
      await delay(20);
    }
  };
  const waitForText = (text: string, timeoutMs?: number) => waitFor((f) => f.includes(text), JSON.stringify(text), timeoutMs);
  /** Types keys with a pause after each, as Ink needs (~50 ms between writes). */
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await delay(60);
    }
  };
  await delay(60);
  return { app, api, watcher, frame, waitFor, waitForText, press };
};

/** Terminal columns of each line of a frame, CJK counting two. */
export const lineWidths = (frame: string): number[] => frame.split('\n').map((line) => stringWidth(line));

/** The frame with every run of whitespace (line breaks included) collapsed, for sentences that may wrap. */
export const flat = (frame: string): string => frame.replace(/\s+/g, ' ');
