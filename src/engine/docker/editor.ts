import { execa } from 'execa';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';

/** An editor session is the learner's own time; the bound only keeps a forgotten one from living forever. */
const EDITOR_TIMEOUT_MS = 12 * 3_600_000;

/**
 * Opens a file in $VISUAL or $EDITOR, waiting for it to close. The editor command may carry
 * arguments ("code --wait"), so it is split on spaces, never run through a shell. It lives with the
 * Docker driver because this folder is the one place that starts processes.
 */
export const openInEditor = async (path: string): Promise<void> => {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) {
    throw new UserError(
      L(
        'Set $VISUAL or $EDITOR to open files from the tutorial (e.g. export EDITOR=nano).',
        '请设置 $VISUAL 或 $EDITOR 以便在教程中打开文件（例如 export EDITOR=nano）。',
      ),
    );
  }
  const [command, ...args] = editor.split(/\s+/).filter(Boolean);
  await execa(command as string, [...args, path], { stdio: 'inherit', reject: false, timeout: EDITOR_TIMEOUT_MS });
};
