import { useEffect, useRef, useState } from 'react';
import { lessonMovedTo, type Localized, type SolutionView, type TutorialApi } from '../../engine/index.js';
import { errorText } from '../components/ErrorBanner.js';
import type { Action } from '../keys.js';
import { M, fillL, joinL } from '../messages.js';
import { backupNotice, hintNotice, type Notice } from '../notices.js';
import { useEditor } from './use-editor.js';
import { useVerify, type VerifyControl, type VerifyOutcome } from './use-verify.js';
import { useWatch, type WatchFn, type WatchStatus } from './use-watch.js';

export type View = 'lesson' | 'solution' | 'help' | 'details';

export interface LessonControllerOptions {
  readonly api: TutorialApi;
  readonly lessonId: string;
  readonly manual: boolean;
  readonly watch: WatchFn;
  readonly openInEditor?: (path: string) => Promise<void>;
  readonly editorName?: string;
  readonly nextLessonId?: string;
  /** What happened to the files when the lesson was opened. */
  readonly arrival?: Localized;
  /** Files changed since the verdict on screen, known before the first frame (the tutorial's start). */
  readonly changedWhileAway?: boolean;
  /** Opens a lesson; `because` replaces the arrival notice (the workspace moved under this screen). */
  readonly onOpen: (lessonId: string, because?: Localized) => Promise<void>;
  readonly onList: () => void;
  /** Switches the language; resolves to a problem to show, if any. */
  readonly onToggleLang: () => Promise<Localized | undefined>;
  readonly onQuit: () => void;
}

export interface LessonController {
  readonly view: View;
  readonly confirm?: 'reset' | 'apply';
  readonly notice?: Notice;
  readonly solution?: SolutionView;
  readonly editing: boolean;
  readonly quitting: boolean;
  readonly verify: VerifyControl;
  readonly watchStatus: WatchStatus;
  onAction(action: Action): void;
}

// Our own writes (reset, apply) reach the watcher after its debounce; they are not the learner saving.
const OWN_WRITE_QUIET_MS = 1500;

/** State and behaviour of the lesson screen; the screen itself only lays things out. */
export const useLessonController = (o: LessonControllerOptions): LessonController => {
  const { api, lessonId } = o;
  const [view, setView] = useState<View>('lesson');
  const [confirm, setConfirm] = useState<'reset' | 'apply'>();
  const [notice, setNotice] = useState<Notice | undefined>(
    o.changedWhileAway
      ? o.manual
        ? { tone: 'warn', message: M.verify.changedWhileAway, aboutVerdict: true }
        : // Says what the check starting now is for: it stays until that check's verdict.
          { tone: 'warn', message: M.verify.recheckAfterAway }
      : o.arrival
        ? { tone: 'info', message: o.arrival }
        : undefined,
  );
  const [solution, setSolution] = useState<SolutionView>();
  const [busy, setBusy] = useState(false);
  const [quitting, setQuitting] = useState(false);
  const offered = useRef(api.lastVerify(lessonId)?.solutionOffered ?? false);
  const pendingChange = useRef(!o.manual && o.changedWhileAway === true);
  /** Bumped when a check is owed for files changed while the tutorial was closed (runs the effect below). */
  const [recheck, setRecheck] = useState(0);
  const quietUntil = useRef(0);
  const editor = useEditor({ api, lessonId, openInEditor: o.openInEditor, editorName: o.editorName, setNotice });

  // Another terminal moved the workspace (goto): this screen follows it, saying why, instead of
  // verifying or writing files that are not this lesson's (the engine refused and recorded nothing).
  const followMove = (error: unknown): boolean => {
    const moved = lessonMovedTo(error);
    if (moved) void o.onOpen(moved.movedTo, moved.message);
    return Boolean(moved);
  };
  const onOutcome = (outcome: VerifyOutcome): void => {
    if (outcome.kind === 'cancelled') {
      setNotice({ tone: 'warn', message: M.verify.cancelled, aboutVerdict: true });
      // The verdict still on screen is the one before: say so when the files moved on since (a save,
      // or changes made while the tutorial was closed), or it would read as current.
      void api
        .lastVerifyCurrent(lessonId)
        .then((current) => {
          if (current === false)
            setNotice((shown) => (shown?.message === M.verify.cancelled ? { tone: 'warn', message: M.verify.cancelledStale, aboutVerdict: true } : shown));
        })
        .catch(() => undefined);
      return;
    }
    if (outcome.kind === 'error') {
      if (followMove(outcome.error)) return;
      return setNotice({ tone: 'bad', message: fillL(M.verify.failedToRun, { error: errorText(outcome.error) }), aboutVerdict: true });
    }
    const { result } = outcome;
    // Said once: the first time failures unlock the solution (after a pass the panel offers it anyway).
    const unlocked = !result.passed && result.solutionOffered && !offered.current;
    offered.current = result.solutionOffered;
    setNotice(unlocked ? { tone: 'info', message: M.verify.solutionUnlocked } : undefined);
  };
  const verify = useVerify(api, lessonId, onOutcome);
  // A new check makes the last one's outcome, and the age of the verdict it replaces, history.
  useEffect(() => {
    if (verify.state.running) setNotice((shown) => (shown?.aboutVerdict ? undefined : shown));
  }, [verify.state.running]);

  const idle = !editor.editing && view === 'lesson' && !confirm && !busy && !quitting;
  const watchStatus = useWatch({
    paths: api.watchedFiles(lessonId),
    enabled: !o.manual,
    watch: o.watch,
    onChange: () => {
      if (Date.now() < quietUntil.current) return; // our own write (reset, apply), not the learner saving
      // A save during a verify replaces it: its verdict would describe files that changed since.
      if (idle) verify.restart();
      else {
        // Checked once the lesson is back on screen; until then the verdict shown is out of date.
        pendingChange.current = true;
        setNotice({ tone: 'warn', message: M.verify.stale, aboutVerdict: true });
      }
    },
  });
  // Files saved while the tutorial was closed: the verdict on screen is of other files. In watch
  // mode they are checked as any save is; with --manual the learner is told to press v.
  useEffect(() => {
    // Measured before the first frame already (the tutorial's start): the state above has it.
    if (o.changedWhileAway !== undefined) return;
    let live = true;
    void api
      .lastVerifyCurrent(lessonId)
      .then((current) => {
        if (!live || current !== false) return;
        // Arrived here because another terminal moved the workspace: that reason stays, not "while closed".
        if (o.manual)
          setNotice((shown) =>
            o.arrival && shown?.message === o.arrival
              ? { tone: 'warn', message: joinL([o.arrival, M.verify.changedPressV]), aboutVerdict: true }
              : { tone: 'warn', message: M.verify.changedWhileAway, aboutVerdict: true },
          );
        else pendingChange.current = true;
        setRecheck((n) => n + 1);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, lessonId]);
  // A save made while the editor, a dialog or the solution was open is checked once the lesson is back.
  useEffect(() => {
    if (idle && pendingChange.current && !verify.isRunning()) {
      pendingChange.current = false;
      verify.run();
    }
  }, [idle, verify, recheck]);

  const guarded = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      if (followMove(error)) return;
      setNotice({ tone: 'bad', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const quit = (): void => {
    // A second quit while cleaning up leaves at once; the engine removes leftovers by label next time.
    if (quitting || !verify.isRunning()) return o.onQuit();
    setQuitting(true);
    verify.cancel();
    void verify.settled().then(() => o.onQuit());
  };

  /**
   * After reset or apply the verdict on screen is of other files (a trial saw "Lesson passed!" stay
   * over the reset start): the notice says so. Not checked at once: our own writes are not the
   * learner saving (no Docker build starts unasked).
   */
  const afterOwnWrite = (done: Localized): void =>
    setNotice(verify.state.result ? { tone: 'ok', message: joinL([done, M.verify.afterOwnWrite]), aboutVerdict: true } : { tone: 'ok', message: done });

  const confirmYes = (): Promise<void> =>
    guarded(async () => {
      const kind = confirm;
      setConfirm(undefined);
      if (kind === 'reset') {
        const result = await api.reset(lessonId);
        quietUntil.current = Date.now() + OWN_WRITE_QUIET_MS;
        afterOwnWrite(backupNotice(result, M.reset.done, M.reset.doneNoBackup));
      } else if (kind === 'apply') {
        const result = await api.applySolution(lessonId);
        quietUntil.current = Date.now() + OWN_WRITE_QUIET_MS;
        setView('lesson');
        afterOwnWrite(backupNotice(result, M.solution.applied, M.solution.appliedNoBackup));
      }
    });

  const onAction = (action: Action): void => {
    if (action === 'quit') return quit();
    if (action === 'cancel') return verify.state.cancelling ? quit() : verify.cancel();
    if (busy || editor.editing || quitting) return;
    switch (action) {
      case 'verify':
        setNotice(undefined);
        verify.run();
        return;
      case 'hint':
        void guarded(async () => setNotice(hintNotice(await api.hint(lessonId))));
        return;
      case 'reset':
      case 'apply':
        setConfirm(action);
        return;
      case 'yes':
        void confirmYes();
        return;
      case 'no':
        setNotice({ tone: 'muted', message: confirm === 'apply' ? M.solution.cancelled : M.reset.cancelled });
        setConfirm(undefined);
        return;
      case 'solution':
        void guarded(async () => {
          const view = await api.solution(lessonId);
          if (!view.available) return setNotice({ tone: 'warn', message: view.reason ?? M.solution.locked });
          setSolution(view);
          setView('solution');
        });
        return;
      case 'back':
        setView('lesson');
        return;
      case 'help':
        setView('help');
        return;
      case 'details':
        // Every verdict in full: the panel under the lesson shows one line per check.
        if (!verify.state.result) return setNotice({ tone: 'muted', message: M.checks.none });
        setView('details');
        return;
      case 'next':
        if (!o.nextLessonId) return setNotice({ tone: 'info', message: M.goto.last });
        void guarded(() => o.onOpen(o.nextLessonId as string));
        return;
      case 'list':
        o.onList();
        return;
      case 'edit':
        void editor.edit();
        return;
      case 'lang':
        void o.onToggleLang().then((problem) => problem && setNotice({ tone: 'warn', message: problem }));
        return;
      default:
        return;
    }
  };

  return { view, confirm, notice, solution, editing: editor.editing, quitting, verify, watchStatus, onAction };
};
