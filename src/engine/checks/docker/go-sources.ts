import { join } from 'node:path';
import { listFiles } from '../../util/files.js';

/** The .go files under a folder and its sub-folders, sorted so a choice among them is stable (none when it is missing or unreadable). */
export const goFiles = async (root: string): Promise<string[]> =>
  (await listFiles(root).catch(() => [])).filter((rel) => rel.endsWith('.go')).map((rel) => join(root, rel));

/** Folders whose .go files the build does not compile into the app (vendored copies, test inputs). */
const NOT_THE_APP = /(^|\/)(vendor|testdata|\.git|node_modules)$/;

/**
 * The first .go file (not a test) under cmd/, else internal/, of a build context; else (a service
 * laid out otherwise, as audit meets them) the first elsewhere, outside vendor/ and testdata/.
 */
export const findGoSource = async (dir: string): Promise<string | undefined> => {
  for (const top of ['cmd', 'internal']) {
    const source = (await goFiles(join(dir, top))).find((f) => !f.endsWith('_test.go'));
    if (source) return source;
  }
  const rest = await listFiles(dir, (rel) => NOT_THE_APP.test(rel)).catch(() => [] as string[]);
  const source = rest.find((rel) => rel.endsWith('.go') && !rel.endsWith('_test.go'));
  return source === undefined ? undefined : join(dir, source);
};
