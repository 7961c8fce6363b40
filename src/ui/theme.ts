import type { CheckStatus, LessonSummary } from '../engine/index.js';

/** How the terminal may be drawn on. Decided once from the environment and passed down as a prop. */
export interface Theme {
  /** false under NO_COLOR or FORCE_COLOR=0: no ANSI styling at all (colors, bold, dim). */
  readonly color: boolean;
  /** false on terminals that cannot show ✓ ● ○ and braille spinners (Linux console, old Windows consoles). */
  readonly unicode: boolean;
}

export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'accent' | 'muted';

const TONE_COLORS: Readonly<Record<Tone, string>> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  info: 'cyan',
  accent: 'magenta',
  muted: 'gray',
};

/** https://no-color.org: any non-empty NO_COLOR disables color; FORCE_COLOR=0 does too (chalk's convention). */
export const colorEnabled = (env: NodeJS.ProcessEnv): boolean => {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
};

// Same rules as sindresorhus/is-unicode-supported, kept here so the decision is pure and testable.
export const unicodeEnabled = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean => {
  if (env.LEARN_GO_DOCKER_ASCII === '1') return false;
  if (platform !== 'win32') return env.TERM !== 'linux';
  return (
    Boolean(env.WT_SESSION) ||
    Boolean(env.TERMINUS_SUBLIME) ||
    env.ConEmuTask === '{cmd::Cmder}' ||
    env.TERM_PROGRAM === 'Terminus-Sublime' ||
    env.TERM_PROGRAM === 'vscode' ||
    env.TERM === 'xterm-256color' ||
    env.TERM === 'alacritty' ||
    env.TERMINAL_EMULATOR === 'JetBrains-JediTerm'
  );
};

export const themeFromEnv = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Theme => ({
  color: colorEnabled(env),
  unicode: unicodeEnabled(env, platform),
});

/** Ink <Text> style props for a tone; empty when color is off so not a single escape is written. */
export const styleFor = (
  theme: Theme,
  tone?: Tone,
  extra: { readonly bold?: boolean; readonly dim?: boolean } = {},
): { color?: string; bold?: boolean; dimColor?: boolean } => {
  if (!theme.color) return {};
  return {
    ...(tone ? { color: TONE_COLORS[tone] } : {}),
    ...(extra.bold ? { bold: true } : {}),
    ...(extra.dim ? { dimColor: true } : {}),
  };
};

export interface Icons {
  readonly status: Readonly<Record<CheckStatus, string>>;
  readonly lesson: Readonly<Record<LessonSummary['status'], string>>;
  readonly pointer: string;
  readonly rule: string;
  readonly barFull: string;
  readonly barEmpty: string;
  readonly step: string;
  readonly output: string;
  readonly ellipsis: string;
}

const UNICODE: Icons = {
  status: { pass: '✓', fail: '✗', skip: '–', unknown: '?', error: '!' },
  lesson: { done: '✓', current: '●', pending: '○' },
  pointer: '❯',
  rule: '─',
  barFull: '█',
  barEmpty: '░',
  step: '▸',
  output: '│',
  ellipsis: '…',
};

const ASCII: Icons = {
  status: { pass: '+', fail: 'x', skip: '-', unknown: '?', error: '!' },
  lesson: { done: '+', current: '*', pending: '.' },
  pointer: '>',
  rule: '-',
  barFull: '#',
  barEmpty: '.',
  step: '>',
  output: '|',
  ellipsis: '...',
};

export const iconsFor = (theme: Theme): Icons => (theme.unicode ? UNICODE : ASCII);

export const STATUS_TONES: Readonly<Record<CheckStatus, Tone>> = {
  pass: 'ok',
  fail: 'bad',
  skip: 'muted',
  unknown: 'warn',
  error: 'warn',
};
