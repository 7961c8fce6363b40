import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { wrapText } from '../../src/ui/text.js';

const ESC = '\u001B';

describe('wrapText', () => {
  it('breaks English at spaces and never exceeds the width', () => {
    const lines = wrapText('build the Go binary in a builder stage and copy only the binary into a small final image', 30);
    expect(lines).toEqual(['build the Go binary in a', 'builder stage and copy only', 'the binary into a small final', 'image']);
  });

  it('breaks Chinese between characters, counting each as two columns', () => {
    const text = '第 1 段：在构建阶段编译 Go 程序，只把二进制文件复制到精简的最终镜像中，这样镜像里就没有编译器了。';
    const lines = wrapText(text, 30);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(30);
    // Lines are filled: no line but the last is shorter than the width minus one wide character.
    for (const line of lines.slice(0, -1)) expect(stringWidth(line)).toBeGreaterThanOrEqual(28);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  });

  it('does not start a line with closing punctuation', () => {
    const lines = wrapText('一二三四五，六七八九十。', 10);
    for (const line of lines) expect(line.startsWith('，') || line.startsWith('。')).toBe(false);
  });

  it('cuts words longer than the line and keeps list items hanging', () => {
    expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrapText('  * keep the final image small', 16)).toEqual(['  * keep the', '    final image', '    small']);
  });

  it('keeps colors on both halves of a wrapped styled line', () => {
    const lines = wrapText(`${ESC}[33mFROM golang AS build${ESC}[39m`, 12);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain(`${ESC}[33m`);
  });
});

describe('renderMarkdown', () => {
  const source =
    '# 多阶段构建\n\n本课讲解 **多阶段** 构建。\n\n- item **bold** and `code`\n- see [the docs](https://docs.docker.com)\n\n```dockerfile\nFROM golang:1.22 AS build\n```\n';

  it('renders inline markup inside list items and links as text (url)', () => {
    const text = renderMarkdown(source, { width: 60, color: false }).join('\n');
    expect(text).toContain('item bold and code');
    expect(text).not.toContain('**');
    expect(text).toContain('the docs (https://docs.docker.com)');
    expect(text).toContain('FROM golang:1.22 AS build');
  });

  it('joins the source lines of a Chinese paragraph by the spacing rule', () => {
    const text = renderMarkdown('它会读取环境变量。\nDockerfile 就是\n构建镜像的配方，\n而 Go\n程序', { width: 200, color: false }).join('\n');
    expect(text).toContain('它会读取环境变量。Dockerfile 就是构建镜像的配方，而 Go 程序');
    expect(renderMarkdown('one\ntwo', { width: 200, color: false }).join('\n')).toContain('one two');
  });

  it('joins by the characters, not by the colour codes around emphasis', () => {
    const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
    const text = plain(renderMarkdown('在容器*内部*\n执行，`always`\n在引擎', { width: 200, color: true }).join('\n'));
    expect(text).toContain('在容器内部执行，always 在引擎');
  });

  it('fits the width with CJK text and writes no escapes without color', () => {
    const lines = renderMarkdown(`${source}\n${'在构建阶段编译程序，'.repeat(12)}`, { width: 40, color: false });
    for (const line of lines) {
      expect(stringWidth(line)).toBeLessThanOrEqual(40);
      expect(line).not.toContain(ESC);
    }
  });
});
