import { Marked, type MarkedExtension, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import stripAnsi from 'strip-ansi';
import { wrapText } from './text.js';

export interface MarkdownOptions {
  /** Columns available; every returned line fits (CJK characters count two). */
  readonly width: number;
  /** false: no ANSI escapes at all in the result (NO_COLOR, FORCE_COLOR=0). */
  readonly color: boolean;
}

// marked-terminal 7 renders tight list items' text tokens raw (`**bold**` stays literal) with marked 16+;
// parsing their inline tokens here fixes that. Links are written as "text (url)" instead of OSC 8
// hyperlinks, whose escapes some terminals print and which break width measuring.
const fixes: MarkedExtension = {
  renderer: {
    text(token: Tokens.Text | Tokens.Escape) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      return false;
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      return text === token.href ? token.href : `${text} (${token.href})`;
    },
  },
};

const createMarked = (options: MarkdownOptions): Marked =>
  new Marked(
    // @types/marked-terminal describes v6 (a Renderer class); v7 returns a marked extension.
    markedTerminal({
      width: options.width,
      reflowText: false,
      showSectionPrefix: false,
      emoji: false,
      tab: 2,
      ...(options.color ? {} : { tableOptions: { style: { head: [], border: [] } } }),
    }) as unknown as MarkedExtension,
    fixes,
  );

/**
 * Renders lesson markdown for the terminal and wraps it to `width` with the same width rules Ink
 * uses (marked-terminal's own reflow counts a CJK character as one column, so it is off).
 */
export const renderMarkdown = (source: string, options: MarkdownOptions): string[] => {
  const rendered = createMarked(options).parse(source, { async: false });
  const text = options.color ? rendered : stripAnsi(rendered);
  const lines = text
    .replace(/\n+$/, '')
    .split('\n')
    .flatMap((line) => wrapText(line, options.width));
  // Collapse runs of blank lines: the screen is small.
  return lines.filter((line, index) => !(line.trim() === '' && index > 0 && (lines[index - 1] ?? '').trim() === ''));
};
