import { Lexer, type Token, type Tokens } from 'marked';
import stringWidth from 'string-width';
import { wrapText } from './text.js';
import { cjkGlue } from '../engine/index.js';

export interface MarkdownOptions {
  /** Columns available; every returned line fits (CJK characters count two). */
  readonly width: number;
  /** false: no ANSI escapes at all in the result (NO_COLOR, FORCE_COLOR=0). */
  readonly color: boolean;
}

// The lesson texts use headings, paragraphs, lists, code blocks, tables, quotes and inline bold,
// code and links: this renders just those, from marked's tokens, for the terminal. (A general
// renderer with syntax highlighting for every language weighed 1.4 MB of the package.)

type Paint = (text: string) => string;
const sgr =
  (on: string, off: string): Paint =>
  (text) =>
    `\u001B[${on}m${text}\u001B[${off}m`;

interface Styles {
  readonly bold: Paint;
  readonly italic: Paint;
  readonly strike: Paint;
  readonly code: Paint;
  readonly heading: Paint;
  readonly subheading: Paint;
  readonly keyword: Paint;
  readonly comment: Paint;
  readonly dim: Paint;
}

const plain: Paint = (text) => text;
const STYLES: Styles = {
  bold: sgr('1', '22'),
  italic: sgr('3', '23'),
  strike: sgr('9', '29'),
  code: sgr('33', '39'),
  heading: (text) => sgr('1', '22')(sgr('35', '39')(text)),
  subheading: (text) => sgr('1', '22')(sgr('36', '39')(text)),
  keyword: sgr('36', '39'),
  comment: sgr('90', '39'),
  dim: sgr('90', '39'),
};
const NO_STYLES: Styles = {
  bold: plain,
  italic: plain,
  strike: plain,
  code: plain,
  heading: plain,
  subheading: plain,
  keyword: plain,
  comment: plain,
  dim: plain,
};

const inline = (tokens: readonly Token[] | undefined, s: Styles): string =>
  (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case 'strong':
          return s.bold(inline((token as Tokens.Strong).tokens, s));
        case 'em':
          return s.italic(inline((token as Tokens.Em).tokens, s));
        case 'del':
          return s.strike(inline((token as Tokens.Del).tokens, s));
        case 'codespan':
          return s.code(
            (token as Tokens.Codespan).text
              .replace(/&amp;/g, '&')
              .replace(/&lt;/g, '<')
              .replace(/&gt;/g, '>')
              .replace(/&quot;/g, '"')
              .replace(/&#39;/g, "'"),
          );
        case 'link': {
          const link = token as Tokens.Link;
          const text = inline(link.tokens, s);
          return text === link.href ? link.href : `${text} (${link.href})`;
        }
        case 'br':
          return HARD_BREAK;
        case 'html':
          return (token as Tokens.HTML).text.replace(/<[^>]*>/g, '');
        case 'text': {
          const text = token as Tokens.Text;
          return text.tokens ? inline(text.tokens, s) : unescape(text.text);
        }
        case 'escape':
          return (token as Tokens.Escape).text;
        default:
          return 'text' in token ? String(token.text) : '';
      }
    })
    .join('');

// A hard break (two trailing spaces, a backslash) is kept; a source line break inside a paragraph is
// a soft break: a space between words, joined by the Chinese spacing rule where Chinese meets.
const HARD_BREAK = '\u2028';
// The rule looks at the characters, not at the colour codes around them: "*内部*" ends in an escape
// sequence whose last letter would otherwise count as Latin and put a space before the next line.
const TRAILING_STYLE = /(?:\u001b\[[0-9;]*m)+$/;
const LEADING_STYLE = /^(?:\u001b\[[0-9;]*m)+/;
const joinSoftBreaks = (text: string): string[] =>
  text
    .split('\n')
    .reduce((all, line) => (all === '' ? line : `${all}${cjkGlue(all.replace(TRAILING_STYLE, ''), line.replace(LEADING_STYLE, ''), ' ')}${line}`), '')
    .split(HARD_BREAK);

const unescape = (text: string): string =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

// A Dockerfile's instructions and comments stand out; other languages are shown as they are.
const DOCKERFILE_KEYWORD = /^(\s*)(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|AS)\b/i;
const codeLine = (line: string, lang: string, s: Styles): string => {
  if (/^\s*#/.test(line) && /^(dockerfile|docker|sh|bash|shell|yaml|yml|console)?$/i.test(lang)) return s.comment(line);
  if (/^(dockerfile|docker)$/i.test(lang)) return line.replace(DOCKERFILE_KEYWORD, (_, pad: string, kw: string) => `${pad}${s.keyword(kw)}`);
  return s.code(line);
};

/** A table as aligned columns when it fits, else one "header: value" line per cell. */
const table = (token: Tokens.Table, width: number, s: Styles): string[] => {
  const header = token.header.map((cell) => inline(cell.tokens, s));
  const rows = token.rows.map((row) => row.map((cell) => inline(cell.tokens, s)));
  const widths = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
  const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - stringWidth(text)));
  if (total <= width) {
    const line = (cells: readonly string[]) =>
      cells
        .map((c, i) => pad(c, widths[i] ?? 0))
        .join(' │ ')
        .trimEnd();
    return [s.bold(line(header)), s.dim(widths.map((w) => '─'.repeat(w)).join('─┼─')), ...rows.map(line)];
  }
  return rows.flatMap((row, r) => [...(r > 0 ? [''] : []), ...row.map((cell, i) => `${s.bold(header[i] ?? '')}: ${cell}`)]);
};

const block = (token: Token, width: number, s: Styles, depth = 0): string[] => {
  switch (token.type) {
    case 'heading': {
      const h = token as Tokens.Heading;
      const text = inline(h.tokens, s);
      return [h.depth === 1 ? s.heading(text) : s.subheading(text), ''];
    }
    case 'paragraph':
      return [...joinSoftBreaks(inline((token as Tokens.Paragraph).tokens, s)), ''];
    case 'text': {
      const t = token as Tokens.Text;
      return joinSoftBreaks(t.tokens ? inline(t.tokens, s) : unescape(t.text));
    }
    case 'code': {
      const c = token as Tokens.Code;
      return [...c.text.split('\n').map((line) => `    ${codeLine(line, c.lang ?? '', s)}`), ''];
    }
    case 'list': {
      const list = token as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      const lines = list.items.flatMap((item, i) => {
        const bullet = list.ordered ? `${start + i}. ` : '* ';
        const body = item.tokens.flatMap((t) => block(t, width, s, depth + 1)).filter((line, j, all) => !(line === '' && j === all.length - 1));
        const lead = '  '.repeat(depth + 1);
        return body.map((line, j) =>
          j === 0 ? `${lead}${bullet}${line.trimStart()}` : line.startsWith(lead) ? line : `${lead}${' '.repeat(bullet.length)}${line}`,
        );
      });
      return depth === 0 ? [...lines, ''] : lines;
    }
    case 'blockquote':
      return [
        ...(token as Tokens.Blockquote).tokens.flatMap((t) => block(t, width - 2, s, depth)).map((line) => (line === '' ? '' : `${s.dim('│')} ${line}`)),
        '',
      ];
    case 'table':
      return [...table(token as Tokens.Table, width, s), ''];
    case 'hr':
      return [s.dim('─'.repeat(Math.min(width, 40))), ''];
    case 'html':
      return [(token as Tokens.HTML).text.replace(/<[^>]*>/g, '').trim(), ''];
    case 'space':
      return [''];
    default:
      return 'text' in token ? [String(token.text), ''] : [];
  }
};

/**
 * Renders lesson markdown for the terminal and wraps it to `width` with the same width rules Ink
 * uses (CJK characters count two columns; list items continue under their text).
 */
export const renderMarkdown = (source: string, options: MarkdownOptions): string[] => {
  const styles = options.color ? STYLES : NO_STYLES;
  const lines = new Lexer()
    .lex(source)
    .flatMap((token) => block(token, options.width, styles))
    .flatMap((line) => (line === '' ? [''] : wrapText(line, options.width)));
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
  // Collapse runs of blank lines: the screen is small.
  return lines.filter((line, index) => !(line.trim() === '' && index > 0 && (lines[index - 1] ?? '').trim() === ''));
};
