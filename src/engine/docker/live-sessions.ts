/** Process-wide registry of live sessions, so Ctrl-C, SIGTERM or a crash removes what they created. */

interface Disposable {
  dispose(): Promise<void>;
}

const live = new Set<Disposable>();

export const registerSession = (session: Disposable): void => {
  live.add(session);
};

export const unregisterSession = (session: Disposable): void => {
  live.delete(session);
};

export const liveSessionCount = (): number => live.size;

/** Disposes every live session (each at most once), within `timeoutMs`. */
export const disposeAllSessions = async (timeoutMs = 30_000): Promise<void> => {
  const all = [...live].map((session) => session.dispose().catch(() => undefined));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(all),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  if (timer) clearTimeout(timer);
};

let installed = false;

export interface InterruptCleanupOptions {
  /**
   * Exit after cleaning up (default true): 130 on SIGINT, 143 on SIGTERM, 1 on an uncaught error.
   * A CLI with its own SIGINT handler (abort, print what it has, return 130) passes false: signals
   * then only dispose the sessions; an uncaught error still exits.
   */
  readonly exit?: boolean;
  /** Called before cleanup starts (e.g. print "cleaning up Docker containers..."). */
  readonly onCleanup?: (reason: 'SIGINT' | 'SIGTERM' | 'uncaughtException' | 'unhandledRejection') => void;
}

/**
 * Installs SIGINT/SIGTERM/uncaught-exception handlers that dispose every live session before the
 * process exits. Call once at CLI start; later calls do nothing. A second Ctrl-C exits at once.
 */
export const installInterruptCleanup = (options: InterruptCleanupOptions = {}): void => {
  if (installed) return;
  installed = true;
  const exitOnSignal = options.exit ?? true;
  let cleaning = false;
  const handle = (reason: 'SIGINT' | 'SIGTERM' | 'uncaughtException' | 'unhandledRejection', code: number, error?: unknown) => {
    if (cleaning) {
      // A second Ctrl-C while cleaning up: the learner insists.
      if ((reason === 'SIGINT' || reason === 'SIGTERM') && exitOnSignal) process.exit(code);
      return;
    }
    cleaning = true;
    if (error !== undefined) console.error(error);
    options.onCleanup?.(reason);
    // execa's signal-exit adds its own listeners, so counting listeners cannot tell who exits.
    const exit = reason === 'SIGINT' || reason === 'SIGTERM' ? exitOnSignal : true;
    void disposeAllSessions().finally(() => {
      if (exit) process.exit(code);
      cleaning = false;
    });
  };
  process.on('SIGINT', () => handle('SIGINT', 130));
  process.on('SIGTERM', () => handle('SIGTERM', 143));
  process.on('uncaughtException', (error) => handle('uncaughtException', 1, error));
  process.on('unhandledRejection', (error) => handle('unhandledRejection', 1, error));
};
