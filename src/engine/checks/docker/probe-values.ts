import { createHash } from 'node:crypto';

/**
 * Values for the build args a check passes to prove that they travel into the image (build.version-arg,
 * image.labels): unpredictable, so a hard-coded version or label cannot match them, yet a function of
 * the Dockerfile's text, so verifying an unchanged Dockerfile again reuses Docker's build cache instead
 * of recompiling. Two checks asking for the same arg and index get the same value (and one build).
 */
export const probeValue = (dockerfileText: string, arg: string, index: number): string => {
  const h = createHash('sha256').update(`learn-go-docker\0${arg}\0${index}\0${dockerfileText}`).digest();
  // A commit-like arg gets a commit-like value; anything else a version-like one.
  if (/COMMIT|REVISION|SHA/i.test(arg)) return h.subarray(0, 6).toString('hex');
  const [a = 0, b = 0, c = 0, d = 0] = h;
  return `${2 + (a % 8)}.${b % 100}.${((c << 8) | d) % 1000}`;
};

/** `count` distinct probe values for one arg (a collision between two indices takes the next index). */
export const probeValues = (dockerfileText: string, arg: string, count: number): string[] => {
  const values: string[] = [];
  for (let i = 0; values.length < count; i++) {
    const value = probeValue(dockerfileText, arg, i);
    if (!values.includes(value)) values.push(value);
  }
  return values;
};
