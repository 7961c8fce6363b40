import type { Key } from 'ink';
import type { RoomState } from '../../engine/index.js';

/**
 * What the instructor is looking at, and how keys change it: pure, so the view's behaviour is
 * tested without a terminal. The selection is a learner id, not a row number: rows re-sort as
 * events arrive (lesson order), and the highlight must stay on the same person.
 */

export type Pane = 'room' | 'learner' | 'join';

export interface ViewState {
  readonly pane: Pane;
  /** The selected learner; the first row when absent or gone. */
  readonly selected?: string;
  /** First line shown of the learner pane's scrolling part. */
  readonly scroll: number;
}

export const INITIAL_VIEW: ViewState = { pane: 'room', scroll: 0 };

export type ViewAction = 'up' | 'down' | 'pageUp' | 'pageDown' | 'open' | 'back' | 'join' | 'quit' | 'interrupt';

/** One key press as an action; undefined for keys the view does not use. */
export const actionOf = (input: string, key: Key): ViewAction | undefined => {
  if (key.ctrl && input === 'c') return 'interrupt';
  // Before the meta test: Ink reports a lone Esc with meta set too.
  if (key.escape) return 'back';
  if (key.ctrl || key.meta) return undefined;
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown || input === ' ') return 'pageDown';
  if (key.return) return 'open';
  if (key.backspace || key.leftArrow) return 'back';
  if (input === 'c') return 'join';
  if (input === 'q') return 'quit';
  return undefined;
};

/** The selected row's index in the room as it is now. */
export const selectedIndex = (view: ViewState, room: RoomState): number => {
  const at = room.learners.findIndex((l) => l.learnerId === view.selected);
  return at >= 0 ? at : 0;
};

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * The next view after an action. `limits` are the screen's: a page of rows, and how far the
 * learner pane can scroll (its length is known only once it is laid out). Quitting is the
 * caller's business: the view is left as it was.
 */
export const nextView = (view: ViewState, action: ViewAction, room: RoomState, limits: { readonly page: number; readonly maxScroll: number }): ViewState => {
  const page = Math.max(1, limits.page);
  if (view.pane === 'room') {
    const count = room.learners.length;
    const move = (by: number): ViewState =>
      count === 0 ? view : { ...view, selected: room.learners[clamp(selectedIndex(view, room) + by, 0, count - 1)]?.learnerId };
    switch (action) {
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'pageUp':
        return move(-page);
      case 'pageDown':
        return move(page);
      case 'open':
        return count === 0 ? view : { pane: 'learner', selected: room.learners[selectedIndex(view, room)]?.learnerId, scroll: 0 };
      case 'join':
        return { ...view, pane: 'join' };
      default:
        return view;
    }
  }
  if (action === 'back' || (view.pane === 'join' && action === 'join')) return { ...view, pane: 'room', scroll: 0 };
  if (view.pane === 'learner') {
    const scroll = (by: number): ViewState => ({ ...view, scroll: clamp(view.scroll + by, 0, Math.max(0, limits.maxScroll)) });
    if (action === 'up') return scroll(-1);
    if (action === 'down') return scroll(1);
    if (action === 'pageUp') return scroll(-page);
    if (action === 'pageDown') return scroll(page);
  }
  return view;
};
