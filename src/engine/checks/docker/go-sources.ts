import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The .go files under a folder and its sub-folders, sorted so a choice among them is stable. */
export const goFiles = async (root: string): Promise<string[]> => {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.go'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
};

/** The first .go file (not a test) under cmd/, else internal/, of a build context. */
export const findGoSource = async (dir: string): Promise<string | undefined> => {
  for (const top of ['cmd', 'internal']) {
    const source = (await goFiles(join(dir, top))).find((f) => !f.endsWith('_test.go'));
    if (source) return source;
  }
  return undefined;
};
