/**
 * Terminal-safe text. Messages quote the learner's files (a Dockerfile line, a compose key, a file
 * name), and a terminal obeys control characters wherever they come from: a Dockerfile line can set
 * the window title, clear the screen or move the cursor. Every plain-text and Ink output goes
 * through `terminalSafe` last, so no message can carry one to the terminal.
 */

// C0 except \t and \n, DEL, C1, and the bidi overrides/isolates that reorder what a line shows
// ("Trojan source"). CRLF is matched first so Windows line ends become \n rather than a visible \r.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE = new RegExp(`\\r\\n|\\u001b\\[[0-9;:]*m|${CONTROL.source}`, 'g');
const SGR = /^\u001b\[[0-9;:]*m$/;

/**
 * JSON's spelling (\u001b) on purpose: it reads the same in plain text and, inside a JSON string,
 * decodes back to the original character, so `--json` output stays valid and exact.
 */
const visible = (text: string): string =>
  Array.from(text, (ch) => (CONTROL.test(ch) ? `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : ch)).join('');

export interface TerminalSafeOptions {
  /**
   * Keep SGR colour/bold sequences (ESC [ digits m): the CLI's own colours and the lesson renderer's
   * styles use them. They can only change colours, never the cursor, screen, title or clipboard.
   */
  readonly keepStyles?: boolean;
}

/** Replaces every control character (and, without keepStyles, every escape sequence) by a visible, inert spelling. */
export const terminalSafe = (text: string, options: TerminalSafeOptions = {}): string =>
  text.replace(UNSAFE, (match) => {
    if (match === '\r\n') return '\n';
    if (options.keepStyles && SGR.test(match)) return match;
    return visible(match);
  });

/** Where commands print: one `write` of text (a line or a JSON document). */
export interface TextSink {
  write(text: string): unknown;
}

/** A sink that makes everything written to `stream` terminal-safe (the plain-text output boundary). */
export const terminalSink = (stream: { write(text: string): unknown }, keepStyles: boolean): TextSink => ({
  write: (text) => stream.write(terminalSafe(text, { keepStyles })),
});
