import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps V8's young generation at its first size (1 MiB per semi-space) instead of letting it double
 * to 16 MiB. The UI allocates in short bursts (each frame re-tokenises the screen) that V8 reads as a
 * reason to grow the young generation; growing it added 16-32 MiB of resident memory for no gain in
 * speed at the UI's 5 frames a second. The flag is read each time V8 would grow that space, so it
 * works when set at run time (Node keeps its flags writable after start); Node 18-24 have it (V8
 * 10-13). On another Node it is left alone: V8 would print an error for a flag it does not know.
 */
export const keepYoungGenerationSmall = (nodeVersion = process.versions.node, setFlags: (flags: string) => void = setFlagsFromString): boolean => {
  const major = Number(nodeVersion.split('.')[0]);
  if (!(major >= 18 && major <= 24)) return false;
  setFlags('--semi-space-growth-factor=1');
  return true;
};

let gc: (() => void) | null | undefined;

/**
 * A full collection now. The UI calls it when a verify is over and the screen is idle: its frames
 * leave garbage in the old generation (a small young generation promotes early), which V8 would
 * otherwise let grow to 45 MiB before its first full collection. About 10 ms, while nothing happens
 * on screen. Node exposes `gc` only under --expose-gc; the flag is set at run time and the function
 * read from a fresh context. Where that fails, nothing is done.
 */
export const collectGarbage = (): void => {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
};
