import { describe, expect, it } from 'vitest';
import { drawPreframe } from '../../src/commands/preframe.js';
import { L } from '../../src/engine/index.js';

describe('the first frame drawn while the UI loads', () => {
  it('fits the terminal, shows the lesson plainly, and erases exactly the rows it wrote', () => {
    const written: string[] = [];
    const raw: string[] = [];
    const text = { write: (s: string) => written.push(s) };
    const terminal = { columns: 30, rows: 10, write: (s: string) => raw.push(s) };
    const markdown = '# 多阶段构建\n\n本课讲解 **多阶段** 构建，使用 `COPY --from`。\n\n```dockerfile\nFROM golang\n```\n\n' + 'x '.repeat(40);
    const frame = drawPreframe(text, terminal, 'Lesson 4/18 · Multi-stage builds', markdown, 'zh-CN', L('Starting…', '正在启动…'));
    const lines = written.join('').replace(/\n$/, '').split('\n');
    expect(lines[0]).toBe('Lesson 4/18 · Multi-stage bui');
    expect(lines).toContain('多阶段构建');
    expect(lines.join('\n')).not.toMatch(/\*\*|`|```/);
    expect(lines.at(-1)).toBe('正在启动…');
    expect(lines.length).toBeLessThanOrEqual(9);
    for (const line of lines) expect([...line].reduce((w, ch) => w + (/[\u4e00-\u9fff，。]/.test(ch) ? 2 : 1), 0)).toBeLessThanOrEqual(29);
    frame.erase();
    frame.erase();
    expect(raw).toEqual([`\u001B[${lines.length}A\r\u001B[0J`]);
  });
});
