import { tr, type Lang, type Localized, type TextSink } from '../engine/index.js';

/**
 * The tutorial's first frame, drawn while the Ink UI is still loading (a few hundred milliseconds on
 * a slow laptop): the lesson's header and the start of its text, plain. It takes exactly as many rows
 * as it says, so the UI erases it and draws in its place. Keys typed meanwhile wait in the terminal
 * (raw mode, no echo) until the UI reads them.
 */

// Han, kana, Hangul and full-width forms take two columns.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;

/** The start of `text` that fits `columns` terminal columns. */
const fit = (text: string, columns: number): string => {
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = WIDE.test(ch) ? 2 : 1;
    if (used + w > columns) break;
    used += w;
    out += ch;
  }
  return out;
};

/** Markdown to plain lines, cheaply: headings, emphasis and code marks dropped, code blocks kept. */
const plainLines = (markdown: string): string[] =>
  markdown
    .replace(/\r/g, '')
    .split('\n')
    .filter((line) => !/^\s*```/.test(line))
    .map((line) =>
      line
        .replace(/^#+\s*/, '')
        .replace(/\*\*|__|`/g, '')
        .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1'),
    )
    .reduce<string[]>(
      (all, line) => (line.trim() === '' && (all.length === 0 || all[all.length - 1] === '') ? all : [...all, line.trim() === '' ? '' : line]),
      [],
    );

export interface Preframe {
  /** Removes the frame (the cursor goes back where it started); safe to call twice. */
  erase(): void;
}

/**
 * `text` goes through the terminal-safe sink; `terminal` is the raw stream, used only for its size
 * and for the one cursor movement that erases the frame.
 */
export const drawPreframe = (
  text: TextSink,
  terminal: { columns?: number; rows?: number; write(s: string): unknown },
  header: string,
  markdown: string,
  lang: Lang,
  loading: Localized,
): Preframe => {
  const columns = Math.max(20, (terminal.columns ?? 80) - 1);
  const rows = Math.max(6, (terminal.rows ?? 24) - 1);
  const body = plainLines(markdown).slice(0, rows - 3);
  const lines = [fit(header, columns), ...body.map((line) => fit(line, columns)), '', fit(tr(loading, lang), columns)];
  text.write(`${lines.join('\n')}\n`);
  let erased = false;
  return {
    erase: () => {
      if (erased) return;
      erased = true;
      terminal.write(`\u001B[${lines.length}A\r\u001B[0J`);
    },
  };
};
