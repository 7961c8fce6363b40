import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { secretFileName } from '../util/secret-files.js';

/** What audit needs to know of a repository before it reads its Dockerfile. */
export interface RepoSurvey {
  /** Repository-relative paths of files named like Dockerfiles (Dockerfile, Dockerfile.prod, api.Dockerfile). */
  readonly dockerfiles: readonly string[];
  /** go.mod and go.work files: none means it is not a Go repository. */
  readonly goModules: readonly string[];
  /** Key and credentials files (.env, *.pem, id_rsa...) that a build context could carry. */
  readonly secretFiles: readonly string[];
  /** The walk stopped early (a huge repository): what it found is still used. */
  readonly truncated: boolean;
}

/** Folders never part of what audit looks for: history, dependencies, this tool's own state. */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor', '.learn-go-docker', 'testdata']);
const MAX_DEPTH = 6;
const MAX_ENTRIES = 20_000;

/** Dockerfile, Dockerfile.prod, api.Dockerfile; not Dockerfile.dockerignore (the Dockerfile's own ignore file). */
const isDockerfileName = (name: string): boolean =>
  !name.endsWith('.dockerignore') && (name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name.endsWith('.dockerfile'));

/** Walks the repository once (breadth-first, bounded), reading names only, never contents. */
export const surveyRepo = async (root: string): Promise<RepoSurvey> => {
  const dockerfiles: string[] = [];
  const goModules: string[] = [];
  const secretFiles: string[] = [];
  let seen = 0;
  let truncated = false;
  let level: string[] = [''];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && !truncated; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if ((seen += 1) > MAX_ENTRIES) {
          truncated = true;
          break;
        }
        const path = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED.has(entry.name)) next.push(path);
        } else if (entry.isFile()) {
          if (isDockerfileName(entry.name)) dockerfiles.push(path);
          if (entry.name === 'go.mod' || entry.name === 'go.work') goModules.push(path);
          if (secretFileName(`/${path}`)) secretFiles.push(path);
        }
      }
      if (truncated) break;
    }
    level = next;
  }
  return { dockerfiles, goModules, secretFiles, truncated };
};
