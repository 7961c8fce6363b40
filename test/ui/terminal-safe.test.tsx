import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ErrorBanner } from '../../src/ui/components/ErrorBanner.js';
import { Lines } from '../../src/ui/components/Lines.js';
import { Viewport } from '../../src/ui/components/Viewport.js';
import { wrapToLines } from '../../src/ui/line.js';
import { wrapText } from '../../src/ui/text.js';

// Ink's output boundary (issue 9): a check message quoting a Dockerfile line with terminal escapes
// is shown escaped, measured as shown, and never reaches the terminal as a control sequence.

const THEME = { color: false, unicode: true } as const;
const HOSTILE = 'Line 2: unknown instruction "\u001b]0;PWNED\u0007\u001b[2J\u009b31m".';
// eslint-disable-next-line no-control-regex -- what must never be in a frame
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal-safe Ink text', () => {
  it('messages (Lines) show escapes as text and the frame has no control characters', () => {
    const { lastFrame } = render(<Lines lines={wrapToLines(HOSTILE, 80)} theme={THEME} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('\\u001b]0;PWNED\\u0007\\u001b[2J\\u009b31m');
    expect(frame).not.toMatch(CONTROL);
  });

  it('wrapping measures the escaped text, so no row is wider than asked', () => {
    for (const row of wrapToLines(HOSTILE.repeat(3), 30)) expect(row.text.length).toBeLessThanOrEqual(30);
  });

  it('Lines guards texts that did not come through wrapToLines', () => {
    const { lastFrame } = render(<Lines lines={[{ text: 'x\u001b]52;c;ZXZpbA==\u0007', lead: { text: '\u001b[2J! ' } }]} theme={THEME} />);
    expect(lastFrame() ?? '').not.toMatch(CONTROL);
  });

  it("the lesson viewport keeps the renderer's colours and nothing else", () => {
    const lines = wrapText('\u001b[1mbold\u001b[22m then \u001b]0;title\u0007 end', 80);
    const { lastFrame } = render(<Viewport lines={lines} offset={0} height={1} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('\\u001b]0;title\\u0007');
    expect(frame.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(CONTROL);
  });

  it('the error banner speaks the file-system mapping: a link loop is a sentence, not ELOOP', () => {
    const loop = Object.assign(new Error("ELOOP: too many symbolic links encountered, open '/lab/Dockerfile'"), {
      code: 'ELOOP',
      path: '/lab/Dockerfile',
      syscall: 'open',
    });
    const { lastFrame } = render(<ErrorBanner error={loop} lang="en" width={200} maxLines={3} theme={THEME} />);
    expect(lastFrame()).toContain('/lab/Dockerfile: too many symbolic links');
    expect(lastFrame()).not.toContain('learn-go-docker hit');
  });
});
