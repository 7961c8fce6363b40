import type { Localized } from '../../i18n.js';
import type { FileFinding } from './common.js';

/** What deps.update-config can ask a dependency-update bot to keep fresh. */
export const ECOSYSTEMS = ['docker', 'gomod', 'github-actions'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** The longest wait deps.update-config can allow between two Dependabot runs. */
export const MAX_INTERVALS = ['daily', 'weekly', 'monthly'] as const;
export type MaxInterval = (typeof MAX_INTERVALS)[number];

/** What each ecosystem updates and where its files are, for the messages. */
export const ECOSYSTEM_FILES: Record<Ecosystem, { readonly file: string; readonly en: string; readonly zh: string }> = {
  docker: { file: 'Dockerfile', en: 'the FROM lines of the Dockerfile', zh: 'Dockerfile 的 FROM 行' },
  gomod: { file: 'go.mod', en: 'the Go modules in go.mod', zh: 'go.mod 中的 Go 模块' },
  'github-actions': { file: '.github/workflows', en: 'the actions the workflows use', zh: '工作流用到的 action' },
};

/**
 * The directory the bot must look in for an ecosystem: the lesson's (where the Dockerfile and
 * go.mod are); for GitHub Actions always the root, where both bots find .github/workflows.
 */
export const wantedDirectory = (ecosystem: Ecosystem, directory: string): string => (ecosystem === 'github-actions' ? '/' : normalizeDirectory(directory));

/** `src/`, `./src`, `/src/` -> `/src`; `.` and `` -> `/`: directories as Dependabot resolves them from the root. */
export const normalizeDirectory = (directory: string): string => {
  const trimmed = directory
    .trim()
    .replace(/^\.(?=\/|$)/, '')
    .replace(/\/+$/, '');
  return `/${trimmed.replace(/^\/+/, '')}`;
};

/** Where a file of the ecosystem is under a directory: `/Dockerfile`, `/src/go.mod`. */
export const fileIn = (ecosystem: Ecosystem, directory: string): string => `${directory === '/' ? '' : directory}/${ECOSYSTEM_FILES[ecosystem].file}`;

/** One bot's verdict on its configuration file. */
export type BotVerdict =
  | { readonly status: 'pass'; readonly summary: Localized }
  | { readonly status: 'unknown'; readonly message: Localized }
  | { readonly status: 'fail'; readonly findings: readonly FileFinding[] };
