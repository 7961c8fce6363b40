import type { Key } from 'ink';
import type { Localized } from '../engine/index.js';
import { M } from './messages.js';

/** Everything a key can do. Screens react to actions, never to raw keys. */
export type Action =
  | 'verify'
  | 'hint'
  | 'reset'
  | 'solution'
  | 'next'
  | 'list'
  | 'edit'
  | 'lang'
  | 'help'
  | 'quit'
  | 'cancel'
  | 'scrollUp'
  | 'scrollDown'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'yes'
  | 'no'
  | 'apply'
  | 'details'
  | 'open'
  | 'back';

/**
 * Which keys mean what depends on what is on screen. `running`: a verify is in progress; only
 * quit, cancel and scrolling work (other keys are dropped, like rustlings drops input during a run).
 */
export type Mode = 'lesson' | 'running' | 'confirm' | 'solution' | 'help' | 'details' | 'list' | 'list-from-lesson';

interface Binding {
  readonly action: Action;
  /** How the key is written in the hints bar and the help. */
  readonly label: string;
  readonly match: (input: string, key: Key) => boolean;
  readonly modes: readonly Mode[];
  /** Shown in the always-visible hints bar (scroll keys live in the help to save room at 80x24). */
  readonly bar: boolean;
}

const plain = (char: string) => (input: string, key: Key) => input === char && !key.ctrl && !key.meta;
const ctrlC = (input: string, key: Key) => key.ctrl && input === 'c';

const READING: readonly Mode[] = ['lesson', 'running', 'solution', 'help', 'details'];
/** Moving keys: they scroll the text, and in the lesson list move the selection. */
const MOVING: readonly Mode[] = [...READING, 'list', 'list-from-lesson'];
const IDLE: readonly Mode[] = ['lesson', 'solution', 'help', 'details', 'confirm', 'list', 'list-from-lesson'];

/** The one place keys are mapped to actions. Order matters: the first match wins. */
export const BINDINGS: readonly Binding[] = [
  { action: 'cancel', label: 'ctrl-c', match: ctrlC, modes: ['running'], bar: true },
  { action: 'quit', label: 'ctrl-c', match: ctrlC, modes: IDLE, bar: false },
  { action: 'yes', label: 'y', match: plain('y'), modes: ['confirm'], bar: true },
  { action: 'no', label: 'n', match: (input, key) => plain('n')(input, key) || key.escape, modes: ['confirm'], bar: true },
  { action: 'verify', label: 'v', match: (input, key) => plain('v')(input, key) || key.return, modes: ['lesson'], bar: true },
  { action: 'hint', label: 'h', match: plain('h'), modes: ['lesson'], bar: true },
  { action: 'reset', label: 'r', match: plain('r'), modes: ['lesson'], bar: true },
  { action: 'solution', label: 's', match: plain('s'), modes: ['lesson'], bar: true },
  { action: 'apply', label: 'a', match: plain('a'), modes: ['solution'], bar: true },
  { action: 'back', label: 'esc', match: (input, key) => key.escape || plain('s')(input, key), modes: ['solution'], bar: true },
  { action: 'back', label: 'esc', match: (input, key) => key.escape || plain('?')(input, key), modes: ['help'], bar: true },
  { action: 'back', label: 'esc', match: (input, key) => key.escape || plain('d')(input, key), modes: ['details'], bar: true },
  { action: 'back', label: 'esc', match: (input, key) => key.escape || plain('l')(input, key), modes: ['list-from-lesson'], bar: true },
  // Not in the bar (it is full at 80 columns): the results panel's summary line names it.
  { action: 'details', label: 'd', match: plain('d'), modes: ['lesson'], bar: false },
  { action: 'next', label: 'n', match: plain('n'), modes: ['lesson'], bar: true },
  { action: 'list', label: 'l', match: plain('l'), modes: ['lesson'], bar: true },
  { action: 'edit', label: 'e', match: plain('e'), modes: ['lesson'], bar: true },
  { action: 'lang', label: 't', match: plain('t'), modes: ['lesson', 'list', 'list-from-lesson'], bar: true },
  { action: 'help', label: '?', match: plain('?'), modes: ['lesson', 'list', 'list-from-lesson'], bar: true },
  { action: 'scrollUp', label: '↑/k', match: (input, key) => key.upArrow || plain('k')(input, key), modes: MOVING, bar: false },
  { action: 'scrollDown', label: '↓/j', match: (input, key) => key.downArrow || plain('j')(input, key), modes: MOVING, bar: false },
  { action: 'pageUp', label: 'PgUp/b', match: (input, key) => key.pageUp || plain('b')(input, key), modes: MOVING, bar: false },
  { action: 'pageDown', label: 'PgDn/space', match: (input, key) => key.pageDown || plain(' ')(input, key), modes: MOVING, bar: false },
  { action: 'top', label: 'Home/g', match: (input, key) => key.home || plain('g')(input, key), modes: MOVING, bar: false },
  { action: 'bottom', label: 'End/G', match: (input, key) => key.end || plain('G')(input, key), modes: MOVING, bar: false },
  { action: 'open', label: 'enter', match: (_input, key) => key.return, modes: ['list', 'list-from-lesson'], bar: false },
  { action: 'quit', label: 'q', match: plain('q'), modes: ['lesson', 'running', 'solution', 'help', 'details', 'list', 'list-from-lesson'], bar: true },
];

/** The action a key press means in a mode, if any. */
export const actionFor = (mode: Mode, input: string, key: Key): Action | undefined =>
  BINDINGS.find((binding) => binding.modes.includes(mode) && binding.match(input, key))?.action;

export interface KeyHint {
  readonly label: string;
  readonly text: Localized;
}

const SCROLL_HINT: KeyHint = { label: '↑↓', text: M.action.scroll };
const LIST_HINTS: readonly KeyHint[] = [
  { label: '↑↓', text: M.action.move },
  { label: 'enter', text: M.action.open },
];

/** What the hints bar shows in a mode, in binding order. */
export const hintsFor = (mode: Mode): readonly KeyHint[] => {
  const own = BINDINGS.filter((binding) => binding.bar && binding.modes.includes(mode)).map((binding) => ({
    label: binding.label,
    text: M.action[binding.action],
  }));
  if (mode === 'list' || mode === 'list-from-lesson') return [...LIST_HINTS, ...own];
  if (mode === 'confirm') return own;
  return [...own, SCROLL_HINT];
};

/** Every binding of the reading modes, for the help screen. */
export const helpEntries = (): readonly KeyHint[] => {
  const seen = new Set<string>();
  const entries: KeyHint[] = [];
  for (const binding of BINDINGS) {
    const id = `${binding.action}:${binding.label}`;
    if (seen.has(id) || binding.modes.includes('confirm')) continue;
    seen.add(id);
    entries.push({ label: binding.action === 'verify' ? 'v/enter' : binding.label, text: M.action[binding.action] });
  }
  return entries;
};
