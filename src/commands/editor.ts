import { execa } from 'execa';
import { L } from '../engine/i18n.js';
import { UserError } from '../engine/errors.js';

/**
 * Opens a file in $VISUAL or $EDITOR, waiting for it to close. The editor command may carry
 * arguments ("code --wait"), so it is split on spaces, never run through a shell.
 */
export const openInEditor = async (path: string): Promise<void> => {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) {
    throw new UserError(L('Set $VISUAL or $EDITOR to open files from the tutorial (e.g. export EDITOR=nano).', '请设置 $VISUAL 或 $EDITOR 以便在教程中打开文件（例如 export EDITOR=nano）。'));
  }
  const [command, ...args] = editor.split(/\s+/).filter(Boolean);
  await execa(command as string, [...args, path], { stdio: 'inherit', reject: false });
};
