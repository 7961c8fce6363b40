import { setFlagsFromString } from 'node:v8';

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
