/** Shell-like word handling of Dockerfile arguments (quotes, escapes), as BuildKit's lexer does it. */

/** Splits on unquoted, unescaped whitespace; quotes and escapes are kept in the words. */
export const splitWords = (text: string, escape: string): string[] => {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote) {
      word += ch;
      if (ch === escape && quote === '"' && i + 1 < text.length) word += text[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += ch;
    if (ch === escape && i + 1 < text.length) word += text[++i] ?? '';
    else if (ch === '"' || ch === "'") quote = ch;
  }
  if (inWord) words.push(word);
  return words;
};

/** Removes quotes and escapes from a word without expanding variables. */
export const unquote = (word: string, escape: string): string => {
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = null;
      else out += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === escape && i + 1 < word.length && '"$`\\'.includes(word[i + 1] ?? '')) out += word[++i] ?? '';
      else out += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === escape && i + 1 < word.length) out += word[++i] ?? '';
    else out += ch;
  }
  return out;
};

export interface HeredocWord {
  readonly name: string;
  readonly chomp: boolean;
}

const HEREDOC = /^(\d*)<<(-?)\s*([^<]*)$/;

/**
 * Heredoc markers of a logical line, in order. Like current BuildKit, `<<` followed by spaces is
 * joined with the next word, so `cat << 'EOF'` is a heredoc; a quoted `"<<EOF"` is not.
 */
export const heredocWords = (line: string, escape: string): HeredocWord[] => {
  const words = splitWords(line, escape);
  const docs: HeredocWord[] = [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i] ?? '';
    if (/^\d*<<-?$/.test(word) && i + 1 < words.length) word += words[++i] ?? '';
    const match = HEREDOC.exec(word);
    const rest = match?.[3] ?? '';
    if (!match || rest === '' || splitWords(rest, escape).length !== 1) continue;
    const name = unquote(rest, escape);
    if (name !== '') docs.push({ name, chomp: match[2] === '-' });
  }
  return docs;
};

export interface RawProperty {
  /** Raw name (quotes kept). */
  readonly name: string;
  /** Raw value (quotes kept), null when declared without `=`. */
  readonly value: string | null;
  /** true for the legacy `ENV KEY value` form. */
  readonly legacy: boolean;
}

const splitAtEquals = (word: string, escape: string): [string, string] | null => {
  let quote: string | null = null;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] ?? '';
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === escape) i++;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=') return [word.slice(0, i), word.slice(i + 1)];
  }
  return null;
};

/** Name/value pairs of ENV, LABEL and ARG (BuildKit's parseNameVal / parseNameOrNameVal). */
export const parseProperties = (
  rest: string,
  escape: string,
  keyword: 'ENV' | 'LABEL' | 'ARG',
): { props: RawProperty[] } | { problem: 'empty' | 'needs-value' | 'missing-equals' | 'blank-name'; word?: string } => {
  const words = splitWords(rest, escape);
  if (words.length === 0) return { problem: 'empty' };
  const props: RawProperty[] = [];
  const first = words[0] ?? '';
  if (keyword !== 'ARG' && !splitAtEquals(first, escape)) {
    if (words.length < 2) return { problem: 'needs-value', word: first };
    const value = rest.trimStart().slice(first.length).trimStart();
    return { props: [{ name: first, value, legacy: true }] };
  }
  for (const word of words) {
    const pair = splitAtEquals(word, escape);
    if (!pair && keyword !== 'ARG') return { problem: 'missing-equals', word };
    const [name, value] = pair ?? [word, null];
    if (name === '') return { problem: 'blank-name', word };
    props.push({ name, value, legacy: false });
  }
  return { props };
};
