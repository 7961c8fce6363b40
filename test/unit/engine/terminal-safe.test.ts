import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSink } from '../../../src/engine/util/terminal-safe.js';

// Control characters from the learner's files never reach the terminal (issue 9): each is shown
// as its JSON escape, inert; \n and \t stay; colour (SGR) survives only when asked for.

describe('terminalSafe', () => {
  it('shows C0, DEL, C1 and bidi controls as \\uXXXX, keeping \\n and \\t', () => {
    expect(terminalSafe('a\u0000b\u0007c\u0008d\u007fe\u009bf\u202eg\u2066h\ti\nj')).toBe('a\\u0000b\\u0007c\\u0008d\\u007fe\\u009bf\\u202eg\\u2066h\ti\nj');
  });

  it('neutralises OSC (window title) and CSI (clear screen, cursor moves) sequences', () => {
    const out = terminalSafe('\u001b]0;PWNED\u0007\u001b[2J\u001b[H\u001b[31mred\u001b[0m');
    expect(out).toBe('\\u001b]0;PWNED\\u0007\\u001b[2J\\u001b[H\\u001b[31mred\\u001b[0m');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps SGR colours with keepStyles, and still neutralises everything else', () => {
    expect(terminalSafe('\u001b[1;31mred\u001b[0m \u001b]0;t\u0007 \u001b[2J', { keepStyles: true })).toBe(
      '\u001b[1;31mred\u001b[0m \\u001b]0;t\\u0007 \\u001b[2J',
    );
  });

  it('turns CRLF into LF and shows a lone CR', () => {
    expect(terminalSafe('a\r\nb\rc')).toBe('a\nb\\u000dc');
  });

  it('leaves ordinary text alone, CJK and emoji included', () => {
    const text = '第 3 行：FROM golang:1.26 ※ “quotes” — 🐳 ‰';
    expect(terminalSafe(text)).toBe(text);
  });

  it('keeps JSON valid and exact: the escapes decode back to the original characters', () => {
    const value = { message: 'a\u009b[2J\u202e\u007f\u001b]0;x\u0007' };
    const written = terminalSafe(JSON.stringify(value));
    expect(written).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(written)).toEqual(value);
  });

  it('terminalSink sanitises every write', () => {
    const seen: string[] = [];
    const sink = terminalSink({ write: (text: string) => seen.push(text) }, false);
    sink.write('x\u001b[2Jy\n');
    expect(seen).toEqual(['x\\u001b[2Jy\n']);
  });
});
