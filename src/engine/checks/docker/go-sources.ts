import { join } from 'node:path';
import { listFiles } from '../../util/files.js';

/** The .go files under a folder and its sub-folders, sorted so a choice among them is stable (none when it is missing or unreadable). */
export const goFiles = async (root: string): Promise<string[]> =>
  (await listFiles(root).catch(() => [])).filter((rel) => rel.endsWith('.go')).map((rel) => join(root, rel));

/** The first .go file (not a test) under cmd/, else internal/, of a build context. */
export const findGoSource = async (dir: string): Promise<string | undefined> => {
  for (const top of ['cmd', 'internal']) {
    const source = (await goFiles(join(dir, top))).find((f) => !f.endsWith('_test.go'));
    if (source) return source;
  }
  return undefined;
};
