import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import { dockerignoreFor } from '../checks/ignore-file.js';
import { workspaceFiles } from '../checks/run.js';
import type { WorkspaceFiles } from '../checks/types.js';
import { dockerfileUpTo, healthcheckUrl } from './dockerfile-facts.js';
import { surveyRepo, type RepoSurvey } from './survey.js';

/** What audit is about to run on: the repository, its Dockerfile as the checks read it, where the app answers. */
export interface LocatedRepo {
  readonly dir: string;
  readonly survey: RepoSurvey;
  /** The Dockerfile, relative to the repository. */
  readonly dockerfile: string;
  /** The repository's files as the checks read them (the Dockerfile cut after --target's stage). */
  readonly readAs: WorkspaceFiles;
  readonly analysis: DockerfileAnalysis;
  readonly port: { readonly value: number; readonly from: 'flag' | 'expose' | 'healthcheck' } | null;
  readonly healthPath: { readonly value: string; readonly from: 'flag' | 'healthcheck' } | null;
}

const kindOf = async (path: string): Promise<'folder' | 'file' | 'missing'> => {
  const found = await stat(path).catch(() => undefined);
  return found === undefined ? 'missing' : found.isDirectory() ? 'folder' : 'file';
};

/** The Dockerfile audit reads: the one given (inside the repository), ./Dockerfile, or the only one there is. */
const chooseDockerfile = async (dir: string, given: string | undefined, found: readonly string[]): Promise<string> => {
  if (given !== undefined) {
    const abs = isAbsolute(given) ? given : resolve(dir, given);
    const rel = relative(dir, abs);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new UserError(L(`${given} is not inside ${dir}, the build context.`, `${given} 不在构建上下文 ${dir} 之内。`), {
        next: L('Give a Dockerfile inside the repository: --dockerfile build/Dockerfile', '请指定仓库内的 Dockerfile：--dockerfile build/Dockerfile'),
      });
    }
    // A folder given for the Dockerfile (as lint takes one): its Dockerfile.
    const path = (await kindOf(abs)) === 'folder' ? join(rel, 'Dockerfile') : rel;
    return path.split(sep).join('/');
  }
  if (found.includes('Dockerfile')) return 'Dockerfile';
  if (found.length === 1 && found[0] !== undefined) return found[0];
  if (found.length === 0) {
    throw new UserError(L(`No Dockerfile in ${dir}.`, `${dir} 中没有 Dockerfile。`), {
      next: L('Give one with --dockerfile PATH, or run audit in the folder that has it.', '请用 --dockerfile PATH 指定，或在包含它的文件夹中运行 audit。'),
    });
  }
  throw new UserError(L(`${found.length} Dockerfiles in ${dir}: ${found.join(', ')}.`, `${dir} 中有 ${found.length} 个 Dockerfile：${found.join('、')}。`), {
    next: L(`Say which: --dockerfile ${found[0] ?? 'Dockerfile'}`, `请指定其中一个：--dockerfile ${found[0] ?? 'Dockerfile'}`),
  });
};

/**
 * Finds what audit needs before it asks Docker anything: the repository (a folder), its Dockerfile
 * (given, ./Dockerfile, or the only one), the analysis of the stage built, the app's port and a
 * health path (flags, else EXPOSE and the HEALTHCHECK's URL). Every mistake is a UserError.
 */
export const locateRepo = async (options: { dir: string; dockerfile?: string; target?: string; port?: number; path?: string }): Promise<LocatedRepo> => {
  const dir = resolve(options.dir);
  const kind = await kindOf(dir);
  if (kind !== 'folder') {
    const what =
      kind === 'missing'
        ? L(`${options.dir} does not exist.`, `${options.dir} 不存在。`)
        : L(`${options.dir} is a file, not a folder.`, `${options.dir} 是文件，不是文件夹。`);
    throw new UserError(what, {
      next: L('Give the repository to audit: npx learn-go-docker audit path/to/repo', '请指定要审计的仓库：npx learn-go-docker audit path/to/repo'),
    });
  }
  if (options.path !== undefined && !options.path.startsWith('/')) {
    throw new UserError(
      L(`--path must start with /, e.g. --path /health (not "${options.path}").`, `--path 必须以 / 开头，例如 --path /health（而不是 "${options.path}"）。`),
    );
  }
  const survey = await surveyRepo(dir);
  const dockerfile = await chooseDockerfile(dir, options.dockerfile, survey.dockerfiles);
  const files = workspaceFiles(dir);
  const text = await files.read(dockerfile);
  if (text === undefined) {
    throw new UserError(L(`No Dockerfile at ${dockerfile} in ${dir}.`, `${dir} 中没有 ${dockerfile}。`), {
      next: L('Give the path relative to the repository: --dockerfile build/Dockerfile', '请给出相对于仓库的路径：--dockerfile build/Dockerfile'),
    });
  }
  const dockerignore = (await dockerignoreFor(files, dockerfile))?.text ?? null;
  const whole = analyzeDockerfile(text, { dockerignore });
  // With --target the image is that stage: the static checks read the file up to its end, so the
  // "final stage" they judge is the one built.
  const upTo = options.target === undefined ? undefined : dockerfileUpTo(text, whole, options.target);
  const analysis: DockerfileAnalysis = upTo === undefined ? whole : analyzeDockerfile(upTo, { dockerignore });
  const readAs = upTo === undefined ? files : { ...files, read: async (rel: string) => (rel === dockerfile ? upTo : files.read(rel)) };

  const url = healthcheckUrl(analysis);
  const exposed = analysis.ok ? analysis.exposedPorts[0] : undefined;
  const port: LocatedRepo['port'] =
    options.port !== undefined
      ? { value: options.port, from: 'flag' }
      : exposed !== undefined
        ? { value: exposed, from: 'expose' }
        : url?.port !== undefined
          ? { value: url.port, from: 'healthcheck' }
          : null;
  const healthPath: LocatedRepo['healthPath'] =
    options.path !== undefined ? { value: options.path, from: 'flag' } : url ? { value: url.path, from: 'healthcheck' } : null;

  return { dir, survey, dockerfile, readAs, analysis, port, healthPath };
};
