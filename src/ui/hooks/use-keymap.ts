import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import { actionFor, type Action, type Mode } from '../keys.js';

/**
 * The flags of one key of a burst: Ink computed them for the whole chunk ("jj\r" is no return key),
 * so the keys a burst can hold besides printable ones get theirs back (enter after moves, typed fast).
 */
const keyOf = (press: string, key: Key): Key => {
  if (press === '\r' || press === '\n') return { ...key, return: true };
  if (press === '\t') return { ...key, tab: true };
  if (press === '\u007f' || press === '\b') return { ...key, backspace: true };
  return key;
};

/** Turns key presses into named actions for the current mode (see keys.ts, the one key map). */
export const useKeymap = (mode: Mode, onAction: (action: Action) => void, isActive: boolean): void => {
  // Refs written during render: a key pressed right after a frame is drawn (before React re-runs
  // effects and Ink re-subscribes a new handler) still sees the mode that frame shows.
  const current = useRef({ mode, onAction });
  current.current = { mode, onAction };
  const handler = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    // Keys typed faster than a frame arrive in one chunk ("jjj"): each one is a key press.
    // (Ink already splits escape sequences such as a burst of arrow keys.)
    const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
    for (const press of presses) {
      const action = actionFor(current.current.mode, press, presses.length > 1 ? keyOf(press, key) : key);
      if (action) current.current.onAction(action);
    }
  }, []);
  useInput(handler, { isActive });
};
