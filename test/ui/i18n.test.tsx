import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/engine/i18n.js';
import { M } from '../../src/ui/messages.js';
import { flat, renderApp } from './harness.js';

afterEach(() => cleanup());

const collect = (node: unknown, out: { en: string; zh: string }[] = []): { en: string; zh: string }[] => {
  if (node && typeof node === 'object') {
    if ('en' in node && 'zh-CN' in node) out.push({ en: String(node.en), zh: String((node as Record<string, unknown>)['zh-CN']) });
    else for (const value of Object.values(node)) collect(value, out);
  }
  return out;
};

describe('languages', () => {
  it('t switches every UI string and the lesson text to Simplified Chinese, saves the choice, and back', async () => {
    const changes: Lang[] = [];
    const t = await renderApp({ onLangChange: (lang) => changes.push(lang) });
    await t.waitForText('This lesson teaches');
    await t.press('v');
    await t.waitForText('checks passed');
    await t.press('t');
    const zh = flat(await t.waitForText('本课讲解'));
    expect(zh).toContain('第 2/3 课 · 基础 · 多阶段构建');
    for (const word of ['v 校验', 'h 提示', 'r 重置', 's 答案', 'n 下一课', 'l 课程列表', 'e 在编辑器中打开', 't 语言：English', 'q 退出']) {
      expect(zh).toContain(word);
    }
    // Check titles and messages from the engine switch too, and so does the summary.
    expect(zh).toContain('通过 1/3 项检查 · 2 项失败');
    expect(zh).toContain('✗ 多阶段构建（第 1 行）：只有一个阶段');
    expect(zh).toContain('正在监视 Dockerfile、.dockerignore（保存即重新校验）');
    expect(zh).not.toContain('This lesson teaches');
    expect(t.api.calls).toContain('setLang:zh-CN');
    expect(changes).toEqual(['zh-CN']);

    await t.press('t');
    await t.waitForText('This lesson teaches');
    expect(t.api.calls).toContain('setLang:en');
    expect(changes).toEqual(['zh-CN', 'en']);
  });

  it('a notice shown before switching is switched too', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('h');
    await t.waitForText('Hint 1/3 for "Image size"');
    await t.press('t');
    await t.waitForText('“镜像大小”的提示 1/3：先写 FROM golang AS build。');
  });

  it('starts in Chinese, list included', async () => {
    const t = await renderApp({ initialLang: 'zh-CN', startScreen: 'list' });
    const frame = await t.waitForText('安全');
    expect(frame).toContain('learn-go-docker：课程列表');
    expect(frame).toContain('已完成 1/3');
    expect(frame).toContain('✓ 01 你的第一个镜像');
    expect(frame).toContain('↑↓ 移动');
    expect(frame).toContain('enter 打开');
  });

  it('every UI message exists in both languages, and the Chinese ones are Chinese', () => {
    const messages = collect(M);
    expect(messages.length).toBeGreaterThan(60);
    for (const { en, zh } of messages) {
      expect(en.trim()).not.toBe('');
      expect(zh.trim()).not.toBe('');
      // Placeholders must match so a filled message says the same in both languages.
      expect(zh.match(/\{\w+\}/g)?.sort() ?? []).toEqual(en.match(/\{\w+\}/g)?.sort() ?? []);
      if (/[a-z]{3}/i.test(en.replace(/\{\w+\}|learn-go-docker|`[^`]*`|\$\w+|--\w+|[\w.]+\.\w+/g, ''))) {
        expect(zh, `zh-CN for "${en}"`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});
