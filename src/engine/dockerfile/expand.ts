import { MAX_EXPANSION_DEPTH } from './limits.js';

/** Variable expansion of Dockerfile words: `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`, quotes. */

/** What a variable is at some point of the build. `unknown`: only the build decides (ARG without default, base image ENV). */
export type VarValue = { readonly kind: 'set'; readonly value: string } | { readonly kind: 'unset' } | { readonly kind: 'unknown' };
export type Lookup = (name: string) => VarValue;

export interface Expanded {
  /** Expanded text; parts that cannot be known are kept as written (`${GO_VERSION}`). */
  readonly text: string;
  /** false when some part could not be known. */
  readonly known: boolean;
  /** Names referenced with plain `$X`/`${X}` that were unset (they expand to ""). */
  readonly unsetRefs: readonly string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

interface State {
  known: boolean;
  unsetRefs: string[];
  /** Nesting level of this word; past MAX_EXPANSION_DEPTH the rest is left to the build (no deep recursion). */
  readonly depth: number;
}

/** Index of the `}` closing a `${` whose body starts at `from`, nested `${...}` skipped. */
const closingBrace = (word: string, from: number): number => {
  let depth = 0;
  for (let i = from; i < word.length; i++) {
    if (word[i] === '$' && word[i + 1] === '{') {
      depth++;
      i++;
    } else if (word[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
};

const applyModifier = (name: string, op: string, arg: string, lookup: Lookup, escape: string, state: State): string | null => {
  const value = lookup(name);
  if (value.kind === 'unknown') return null;
  const isSet = value.kind === 'set';
  const nonEmpty = isSet && value.value !== '';
  const sub = (): string => {
    if (state.depth >= MAX_EXPANSION_DEPTH) {
      state.known = false;
      return arg;
    }
    const inner = expandWord(arg, lookup, escape, state.depth + 1);
    if (!inner.known) state.known = false;
    return inner.text;
  };
  const own = isSet ? value.value : '';
  switch (op) {
    case ':-':
      return nonEmpty ? own : sub();
    case '-':
      return isSet ? own : sub();
    case ':+':
      return nonEmpty ? sub() : '';
    case '+':
      return isSet ? sub() : '';
    default:
      // ${X:?msg}, ${X#p}, ${X%p}, ${X/p/r}: not needed by the lessons; leave them to the build.
      return null;
  }
};

/** Expands one `$...` reference starting at `i` (the `$`); returns the text and the index after it. */
const expandRef = (word: string, i: number, lookup: Lookup, escape: string, state: State): [string, number] => {
  const next = word[i + 1] ?? '';
  if (next === '{') {
    const end = closingBrace(word, i + 2);
    if (end < 0) return ['$', i + 1];
    const body = word.slice(i + 2, end);
    const raw = word.slice(i, end + 1);
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(body);
    if (!match) return [raw, end + 1];
    const name = match[1] ?? '';
    const tail = match[2] ?? '';
    if (tail === '') return [plain(name, raw, lookup, state), end + 1];
    const op = /^(:-|:\+|-|\+)/.exec(tail)?.[1] ?? tail.slice(0, 1);
    const result = applyModifier(name, op, tail.slice(op.length), lookup, escape, state);
    if (result === null) {
      state.known = false;
      return [raw, end + 1];
    }
    return [result, end + 1];
  }
  if (NAME_START.test(next)) {
    let j = i + 1;
    while (j < word.length && NAME_CHAR.test(word[j] ?? '')) j++;
    const name = word.slice(i + 1, j);
    return [plain(name, word.slice(i, j), lookup, state), j];
  }
  return ['$', i + 1];
};

const plain = (name: string, raw: string, lookup: Lookup, state: State): string => {
  const value = lookup(name);
  if (value.kind === 'set') return value.value;
  if (value.kind === 'unset') {
    state.unsetRefs.push(name);
    return '';
  }
  state.known = false;
  return raw;
};

/** Removes quotes and expands variables of one word, as BuildKit does for FROM, ENV, ARG, LABEL, USER, EXPOSE, WORKDIR, COPY. */
export const expandWord = (word: string, lookup: Lookup, escape: string, depth = 0): Expanded => {
  const state: State = { known: true, unsetRefs: [], depth };
  let out = '';
  let quote: '"' | "'" | null = null;
  let i = 0;
  while (i < word.length) {
    const ch = word[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = null;
      else out += ch;
      i++;
    } else if (ch === '$') {
      const [text, next] = expandRef(word, i, lookup, escape, state);
      out += text;
      i = next;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === escape && i + 1 < word.length && `"$${escape}`.includes(word[i + 1] ?? '')) out += word[++i] ?? '';
      else out += ch;
      i++;
    } else {
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === escape && i + 1 < word.length) out += word[++i] ?? '';
      else out += ch;
      i++;
    }
  }
  return { text: out, known: state.known, unsetRefs: state.unsetRefs };
};

/** Names referenced as `$NAME` or `${NAME...}` in a text (shell scripts included). */
export const referencedNames = (text: string): Set<string> => {
  const names = new Set<string>();
  for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1] ?? '');
  return names;
};
