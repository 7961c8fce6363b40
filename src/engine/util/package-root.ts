import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of the installed package (where lessons/ and sample-app/ live). Found by walking up
 * from this module, so it works from src/ in tests and from the esbuild bundle in dist/.
 */
export const packageRoot = (): string => {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'learn-go-docker') {
          cached = dir;
          return dir;
        }
      } catch {
        // not our manifest; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('learn-go-docker: cannot find the package folder (lessons/, sample-app/)');
    dir = parent;
  }
};

export const packageVersion = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
