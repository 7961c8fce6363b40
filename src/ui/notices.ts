import { relative } from 'node:path';
import type { BackupResult, FileChange, GotoResult, HintView, Localized } from '../engine/index.js';
import { M, fillL, joinL, same } from './messages.js';
import type { Tone } from './theme.js';
import type { WatchStatus } from './hooks/use-watch.js';

/** A message under the lesson (what a key did); Localized so `t` switches it too. */
export interface Notice {
  readonly message: Localized;
  readonly tone: Tone;
  /** About the last check's outcome or the verdict's age (cancelled, out of date, could not run): gone when a new check starts. */
  readonly aboutVerdict?: true;
}

/** A list of names as each language reads one: commas in English, 、 in Chinese. */
const listL = (names: readonly string[]): Localized => ({ en: names.join(', '), 'zh-CN': names.join('、') });

const CHANGE_MESSAGES: Readonly<Record<string, Localized>> = {
  written: M.goto.written,
  kept: M.goto.kept,
  restored: M.goto.restored,
  removed: M.goto.removed,
};

/** "Files: written Dockerfile; kept .dockerignore. Your files of the lesson you left were saved to …". */
export const gotoNotice = (result: GotoResult): Localized => {
  const groups = new Map<string, string[]>();
  for (const change of result.changes as readonly FileChange[]) {
    groups.set(change.action, [...(groups.get(change.action) ?? []), change.path]);
  }
  const parts = [...groups].map(([action, files]) => fillL(CHANGE_MESSAGES[action] ?? same(`${action} {files}`), { files: listL(files) }));
  const summary = parts.length ? fillL(M.goto.files, { changes: joinL(parts, { en: '; ', zh: '；' }) }) : M.goto.unchanged;
  const extra = [
    result.savedTo ? fillL(M.goto.savedTo, { dir: result.savedTo }) : undefined,
    result.keptEarlier ? fillL(M.goto.keptEarlier, { dir: result.keptEarlier }) : undefined,
    result.backupDir ? fillL(M.goto.backedUp, { dir: result.backupDir }) : undefined,
  ].filter((part): part is Localized => part !== undefined);
  return extra.length ? joinL([summary, ...extra]) : summary;
};

/** Where reset/apply put the learner's previous files. */
export const backupNotice = (result: BackupResult, withBackup: Localized, withoutBackup: Localized): Localized => {
  const main = result.backupDir ? fillL(withBackup, { dir: result.backupDir, files: listL(result.files) }) : withoutBackup;
  return result.keptEarlier ? joinL([main, fillL(M.goto.keptEarlier, { dir: result.keptEarlier })]) : main;
};

export const hintNotice = (hint: HintView | undefined): Notice =>
  hint
    ? {
        tone: 'info',
        message: fillL(hint.level === hint.of ? M.hint.last : M.hint.view, { level: hint.level, of: hint.of, check: hint.title, text: hint.text }),
      }
    : { tone: 'muted', message: M.hint.none };

/** The status row: which files are watched, or manual mode, or why watching stopped. */
export const watchNotice = (status: WatchStatus, files: readonly string[], workspaceDir: string): Notice => {
  const shown = files.map((file) => relative(workspaceDir, file) || file);
  const names = listL(shown);
  switch (status.kind) {
    case 'manual':
      return { tone: 'muted', message: M.watch.manual };
    case 'watching':
      return { tone: 'muted', message: fillL(status.mode === 'polling' ? M.watch.polling : M.watch.events, { files: names }) };
    case 'failed': {
      const code = (status.error as NodeJS.ErrnoException).code;
      const failed = fillL(M.watch.failed, { error: same(code ?? status.error.message) });
      return { tone: 'warn', message: code === 'ENOSPC' ? joinL([failed, M.watch.inotify]) : failed };
    }
  }
};
