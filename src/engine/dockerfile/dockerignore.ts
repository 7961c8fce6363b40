/**
 * .dockerignore matching with Docker's rules (moby/patternmatcher): one pattern per line, `#`
 * comments, whitespace trimmed, paths cleaned and a leading "/" dropped, `*` and `?` never cross
 * "/", `**` crosses any number of directories, `!` re-includes, the last matching pattern wins, and
 * a pattern that matches a directory also excludes everything inside it.
 */

export interface IgnorePattern {
  /** 1-based line in .dockerignore. */
  readonly line: number;
  readonly text: string;
  readonly exclusion: boolean;
  readonly regex: RegExp;
}

/** Lexical clean like Go's filepath.Clean for slash paths. */
export const cleanPath = (path: string): string => {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
};

const escapeRegex = (ch: string): string => (/[.+^${}()|\\]/.test(ch) ? `\\${ch}` : ch);

/** Compiles one cleaned pattern to an anchored regular expression. */
export const compilePattern = (pattern: string): RegExp => {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i] ?? '');
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += escapeRegex(ch);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // A malformed class cannot match anything Docker would match either.
    return /(?!)/;
  }
};

export const parseDockerignore = (text: string): IgnorePattern[] => {
  const patterns: IgnorePattern[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      let pattern = raw.trim();
      if (pattern === '' || pattern.startsWith('#')) return;
      const exclusion = pattern.startsWith('!');
      if (exclusion) pattern = pattern.slice(1).trim();
      if (pattern === '') return;
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
      patterns.push({ line: index + 1, text: raw.trim(), exclusion, regex: compilePattern(pattern) });
    });
  return patterns;
};

export interface IgnoreVerdict {
  readonly excluded: boolean;
  /** The pattern that decided, when one matched. */
  readonly by: IgnorePattern | null;
}

/** Is a context-relative path (or a directory containing it) excluded from the build context? */
export const matchIgnore = (patterns: readonly IgnorePattern[], path: string): IgnoreVerdict => {
  const file = cleanPath(path).replace(/^\//, '');
  const parents = file.split('/').slice(0, -1);
  let excluded = false;
  let by: IgnorePattern | null = null;
  for (const pattern of patterns) {
    // Docker skips patterns that cannot change the verdict: re-includes while not excluded, and vice versa.
    if (pattern.exclusion !== excluded) continue;
    let match = pattern.regex.test(file);
    for (let i = 1; !match && i <= parents.length; i++) match = pattern.regex.test(parents.slice(0, i).join('/'));
    if (match) {
      excluded = !pattern.exclusion;
      by = pattern;
    }
  }
  return { excluded, by };
};

export const isIgnored = (dockerignore: string, path: string): boolean => matchIgnore(parseDockerignore(dockerignore), path).excluded;
