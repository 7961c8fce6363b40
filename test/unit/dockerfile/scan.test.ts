import { describe, expect, it } from 'vitest';
import { scanDockerfile } from '../../../src/engine/dockerfile/scan.js';
import { heredocWords, parseProperties, splitWords } from '../../../src/engine/dockerfile/words.js';
import { jsonForm } from '../../../src/engine/dockerfile/instruction.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';

describe('scanDockerfile', () => {
  it('joins continuations, skips comment and blank lines inside them, and keeps line numbers', () => {
    const scan = scanDockerfile('FROM a:1\nRUN one \\\n  # note\n\n  two\nUSER x\n');
    expect(scan.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 2, 5],
      ['USER', 6, 6],
    ]);
    expect(scan.instructions[1]?.rest).toBe('one   two');
  });

  it('reads heredoc bodies so their lines are never instructions', () => {
    const scan = scanDockerfile("FROM a:1\nRUN cat << 'EOF' >/x\nUSER root\nEOF\nUSER app\n");
    expect(scan.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    expect(scan.instructions[1]?.heredocs).toEqual([{ name: 'EOF', chomp: false, line: 3, endLine: 4, content: 'USER root' }]);
  });

  it('reads several heredocs of one line in order', () => {
    const scan = scanDockerfile('FROM a:1\nCOPY <<A <<B /dest/\nB\nA\nA\nB\nUSER x\n');
    expect(scan.instructions[1]?.heredocs.map((h) => [h.name, h.content])).toEqual([
      ['A', 'B'],
      ['B', 'A'],
    ]);
    expect(scan.instructions[2]?.line).toBe(7);
  });

  it('does not take a quoted "<<EOF" or the JSON form for a heredoc', () => {
    const scan = scanDockerfile('FROM a:1\nRUN echo "<<EOF"\nRUN ["sh", "-c", "cat <<EOF"]\nUSER x\n');
    expect(scan.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN', 'USER']);
  });

  it('strips a BOM, accepts CRLF and the escape directive', () => {
    const scan = scanDockerfile('\uFEFF# escape=`\r\nFROM a:1\r\nRUN x `\r\n y\r\n');
    expect(scan.escape).toBe('`');
    expect(scan.instructions.map((i) => [i.keyword, i.line, i.rest])).toEqual([
      ['FROM', 2, 'a:1'],
      ['RUN', 3, 'x  y'],
    ]);
  });

  it('ignores an escape directive that is not at the top', () => {
    expect(scanDockerfile('# hello\n# escape=`\nFROM a:1\n').escape).toBe('\\');
  });

  it('reports an unterminated heredoc at the line that opened it', () => {
    expect(scanDockerfile('FROM a:1\nRUN <<EOF\necho\n').error?.line).toBe(2);
  });
});

describe('words', () => {
  it('splits on unquoted whitespace, keeping quotes', () => {
    expect(splitWords(`a "b c" 'd e' f\\ g`, '\\')).toEqual(['a', '"b c"', "'d e'", 'f\\ g']);
  });

  it('finds heredoc markers like BuildKit (also "<< \'EOF\'" and "<<-EOF")', () => {
    expect(heredocWords("RUN cat << 'EOF' > x", '\\')).toEqual([{ name: 'EOF', chomp: false }]);
    expect(heredocWords('RUN <<-END', '\\')).toEqual([{ name: 'END', chomp: true }]);
    expect(heredocWords('RUN 3<<FD cat', '\\')).toEqual([{ name: 'FD', chomp: false }]);
    expect(heredocWords('RUN echo "<<EOF"', '\\')).toEqual([]);
  });

  it('parses ENV/LABEL/ARG pairs, the legacy form and ARG names without value', () => {
    expect(parseProperties('A=1 B="two words"', '\\', 'ENV')).toEqual({
      props: [
        { name: 'A', value: '1', legacy: false },
        { name: 'B', value: '"two words"', legacy: false },
      ],
    });
    expect(parseProperties('PORT 8080 9090', '\\', 'ENV')).toEqual({ props: [{ name: 'PORT', value: '8080 9090', legacy: true }] });
    expect(parseProperties('A=1 B', '\\', 'ARG')).toEqual({
      props: [
        { name: 'A', value: '1', legacy: false },
        { name: 'B', value: null, legacy: false },
      ],
    });
    expect(parseProperties('A=1 B', '\\', 'ENV')).toMatchObject({ problem: 'missing-equals', word: 'B' });
    expect(parseProperties('PORT', '\\', 'ENV')).toMatchObject({ problem: 'needs-value' });
  });
});

describe('jsonForm (BuildKit decides exec form by JSON.parse)', () => {
  it.each([
    ['["/server"]', 'exec'],
    ['  [ "/server", "--port", "8080" ]  ', 'exec'],
    ['["/server",]', 'shell'],
    ['["/server"] # start', 'shell'],
    ["['/server']", 'shell'],
    ['/server --port 8080', 'shell'],
    ['["/server", 8080]', 'not-strings'],
  ])('%s is %s', (args, kind) => {
    expect(jsonForm(args).kind).toBe(kind);
  });

  it('explains why JSON-looking text is not JSON', () => {
    expect(jsonForm('["/server",]')).toMatchObject({ looksLikeJson: true, hint: 'trailing-comma' });
    expect(jsonForm('["/server"] # x')).toMatchObject({ hint: 'trailing-text' });
    expect(jsonForm("['/server']")).toMatchObject({ hint: 'single-quotes' });
  });
});

describe('an unknown instruction, as the learner wrote it', () => {
  const error = (text: string) => {
    const analysis = analyzeDockerfile(text);
    return analysis.ok ? undefined : analysis.parseError?.message;
  };
  it('quotes the word as written and suggests the instruction it is close to', () => {
    expect(error('FORM golang:1.26\n')?.en).toBe('Line 1: unknown instruction "FORM". Did you mean FROM?');
    expect(error('from golang:1.26\nrun-it now\n')?.en).toBe('Line 2: unknown instruction "run-it".');
  });
  it('points at the line continuation a command lost', () => {
    const text = 'FROM golang:1.26\nRUN go mod download &&\n    go build -o /server ./cmd/server\n';
    expect(error(text)?.en).toBe(
      'Line 3: unknown instruction "go". If it continues the RUN of line 2, end line 2 with \\: a command carried over to the next line needs it.',
    );
    expect(error(text)?.['zh-CN']).toBe('第 3 行：未知指令 "go"。如果它是第 2 行 RUN 的续行，请在第 2 行末尾加上 \\：命令换到下一行时需要它。');
    expect(error('# escape=`\nFROM golang:1.26\nRUN a\ngofmt -l .\n')?.en).toContain('end line 3 with `');
    // Only flags on a RUN: its command went to the next line without a continuation.
    expect(
      error('FROM golang:1.26\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build\n    go build .\n')?.en,
    ).toBe('Line 2: RUN has flags (--mount --mount) but no command. If the command is on the next line, end line 3 with \\.');
    // Not right under a command: no guess about a continuation.
    expect(error('FROM golang:1.26\nRUN a\n\nfrobnicate\n')?.en).toBe('Line 4: unknown instruction "frobnicate".');
  });
});

describe('a Dockerfile with no instruction', () => {
  const message = (text: string) => analyzeDockerfile(text).parseError?.message.en;
  it('says empty only when it is, and names the comments when that is all there is', () => {
    expect(message('\n\n')).toBe('The Dockerfile is empty: it has no instructions. Start with FROM <image>.');
    expect(message('# FROM golang:1.26\n# RUN go build\n')).toBe(
      'The Dockerfile has only comments: no instruction to build. Start with FROM <image> on a line without #.',
    );
  });
});
