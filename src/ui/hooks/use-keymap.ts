import { useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { actionFor, type Action, type Mode } from '../keys.js';

/** Turns key presses into named actions for the current mode (see keys.ts, the one key map). */
export const useKeymap = (mode: Mode, onAction: (action: Action) => void, isActive: boolean): void => {
  // Refs written during render: a key pressed right after a frame is drawn (before React re-runs
  // effects and Ink re-subscribes a new handler) still sees the mode that frame shows.
  const current = useRef({ mode, onAction });
  current.current = { mode, onAction };
  const handler = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    const action = actionFor(current.current.mode, input, key);
    if (action) current.current.onAction(action);
  }, []);
  useInput(handler, { isActive });
};
