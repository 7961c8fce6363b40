import { DockerfileParser } from 'dockerfile-ast';
import type { LogicalInstruction } from './scan.js';
import { splitWords, unquote } from './words.js';

export interface ParsedFlag {
  /** Lower-cased flag name without dashes. */
  readonly name: string;
  /** Unquoted value, null for a bare flag (`--link`). */
  readonly value: string | null;
}

/** A logical instruction with its flags split off (read through dockerfile-ast's getFlags()). */
export interface ParsedInstruction extends LogicalInstruction {
  readonly flags: readonly ParsedFlag[];
  /** Arguments after the flags, on one line. */
  readonly args: string;
}

interface FlagLike {
  getName(): string;
  getValue(): string | null;
}

const hasFlags = (value: unknown): value is { getFlags(): FlagLike[] } => typeof (value as { getFlags?: unknown }).getFlags === 'function';

/** Our own flag reader, used when dockerfile-ast yields nothing usable. */
const ownFlags = (rest: string, escape: string): { flags: ParsedFlag[]; args: string } => {
  const flags: ParsedFlag[] = [];
  let args = rest;
  for (const word of splitWords(rest, escape)) {
    if (!word.startsWith('--') || word === '--') break;
    const eq = word.indexOf('=');
    flags.push({
      name: (eq < 0 ? word.slice(2) : word.slice(2, eq)).toLowerCase(),
      value: eq < 0 ? null : unquote(word.slice(eq + 1), escape),
    });
    args = args.trimStart().slice(word.length).trimStart();
  }
  return { flags, args };
};

/**
 * Parses one logical instruction on its own with dockerfile-ast. Each instruction is parsed in
 * isolation so that dockerfile-ast's heredoc mistakes (`<< 'EOF'`) cannot leak into the next one.
 */
export const parseInstruction = (logical: LogicalInstruction, escape: string): ParsedInstruction => {
  const fallback = ownFlags(logical.rest, escape);
  if (fallback.flags.length === 0) return { ...logical, flags: [], args: logical.rest.trimEnd() };
  try {
    const header = escape === '`' ? '# escape=`\n' : '';
    const instruction = DockerfileParser.parse(header + logical.text).getInstructions()[0];
    if (!instruction || !hasFlags(instruction)) return { ...logical, ...fallback };
    const flags = instruction.getFlags().map((flag) => {
      const value = flag.getValue();
      return { name: flag.getName().toLowerCase(), value: value === null ? null : unquote(value, escape) };
    });
    // With several flags dockerfile-ast's own getFromFlag() returns null; the list itself is right.
    if (flags.length !== fallback.flags.length) return { ...logical, ...fallback };
    return { ...logical, flags, args: fallback.args.trimEnd() };
  } catch {
    return { ...logical, ...fallback };
  }
};

export type JsonForm =
  | { readonly kind: 'exec'; readonly values: readonly string[] }
  | { readonly kind: 'shell'; readonly looksLikeJson: boolean; readonly hint: JsonHint | null }
  | { readonly kind: 'not-strings' };

/** Why a JSON-looking argument is not valid JSON (for a precise message). */
export type JsonHint = 'trailing-comma' | 'single-quotes' | 'trailing-text' | 'other';

const jsonHint = (text: string): JsonHint => {
  if (/,\s*\]/.test(text)) return 'trailing-comma';
  if (/\[\s*'/.test(text) || /'\s*[,\]]/.test(text)) return 'single-quotes';
  const close = text.lastIndexOf(']');
  if (close >= 0 && text.slice(close + 1).trim() !== '') {
    try {
      JSON.parse(text.slice(0, close + 1));
      return 'trailing-text';
    } catch {
      return 'other';
    }
  }
  return 'other';
};

/**
 * Exec or shell form, decided like BuildKit: the arguments must parse as a JSON array of strings.
 * `CMD ["/app",]` and `ENTRYPOINT ["/app"] # x` are therefore shell form; `["/app", 1]` is an error.
 */
export const jsonForm = (args: string): JsonForm => {
  const text = args.trimStart();
  if (!text.startsWith('[')) return { kind: 'shell', looksLikeJson: false, hint: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'shell', looksLikeJson: true, hint: jsonHint(text) };
  }
  if (!Array.isArray(parsed)) return { kind: 'shell', looksLikeJson: true, hint: 'other' };
  if (!parsed.every((item): item is string => typeof item === 'string')) return { kind: 'not-strings' };
  return { kind: 'exec', values: parsed };
};
