import { useState } from 'react';
import type { TutorialApi } from '../../engine/index.js';
import { errorText } from '../components/ErrorBanner.js';
import { M, fillL } from '../messages.js';
import type { Notice } from '../notices.js';

const nextFrames = () => new Promise((resolve) => setTimeout(resolve, 60));

/**
 * `e`: opens the lesson's first file through the CLI's callback (the UI never spawns processes).
 * While a terminal editor owns the screen, `editing` is true: the screen stops reading keys (Ink
 * leaves raw mode) and changes nothing on screen.
 */
export const useEditor = (options: {
  readonly api: TutorialApi;
  readonly lessonId: string;
  readonly openInEditor?: (path: string) => Promise<void>;
  readonly editorName?: string;
  readonly setNotice: (notice: Notice | undefined) => void;
}): { readonly editing: boolean; edit(): Promise<void> } => {
  const [editing, setEditing] = useState(false);
  const edit = async (): Promise<void> => {
    const { api, openInEditor, editorName, setNotice } = options;
    const file = api.watchedFiles(options.lessonId)[0];
    if (!file) return setNotice({ tone: 'warn', message: M.editor.noFile });
    if (!openInEditor) return setNotice({ tone: 'info', message: fillL(M.editor.unavailable, { path: file }) });
    if (!editorName) return setNotice({ tone: 'warn', message: fillL(M.editor.notSet, { path: file }) });
    setNotice({ tone: 'info', message: fillL(M.editor.opening, { path: file, editor: editorName }) });
    setEditing(true);
    // Ink draws at most every ~33 ms; let this frame out before the editor takes the terminal.
    await nextFrames();
    try {
      await openInEditor(file);
      setNotice(undefined);
    } catch (error) {
      setNotice({ tone: 'bad', message: fillL(M.editor.failed, { error: errorText(error) }) });
    } finally {
      setEditing(false);
    }
  };
  return { editing, edit };
};
