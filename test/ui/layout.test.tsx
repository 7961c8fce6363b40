import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/engine/i18n.js';
import { FakeApi } from './fake-api.js';
import { flat, KEYS, lineWidths, renderApp } from './harness.js';

afterEach(() => cleanup());

const ESC = '\u001B';
const SIZE = { columns: 80, rows: 24 };
/** Half the rows under the header: what the lesson text always keeps. */
const half = Math.ceil((SIZE.rows - 2) / 2);

// Ink colors through chalk, whose level comes from the test process's stdout (not a TTY here).
// Force a color level so "no escapes under NO_COLOR" is a real check, not a given.
let previousLevel: typeof chalk.level;
beforeAll(() => {
  previousLevel = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = previousLevel;
});

const expectFits = (frame: string, size = SIZE) => {
  const widths = lineWidths(frame);
  expect(Math.max(...widths), frame).toBeLessThanOrEqual(size.columns);
  // One row spare so Ink never has to clear the whole terminal to redraw.
  expect(frame.split('\n').length, frame).toBeLessThanOrEqual(size.rows - 1);
};

describe.each<Lang>(['en', 'zh-CN'])('layout at 80x24 (%s)', (lang) => {
  it('fits the lesson, the results panel, a notice, the watch status and the keys', async () => {
    const t = await renderApp({ initialLang: lang, size: SIZE });
    await t.waitForText(lang === 'en' ? 'This lesson teaches' : '本课讲解');
    expectFits(t.frame());
    await t.press('v');
    await t.waitForText(lang === 'en' ? 'checks passed' : '项检查');
    await t.press('h');
    const frame = await t.waitForText(lang === 'en' ? 'Hint 1/3' : '提示 1/3');
    expectFits(frame);
    // The key hints and the results stay on screen: the lesson text gives way.
    expect(frame).toContain(lang === 'en' ? 'q quit' : 'q 退出');
    expect(frame).toContain(lang === 'en' ? '1/3 checks passed' : '通过 1/3 项检查');
  });

  it('fits while a verify runs, and in the list, help and solution views', async () => {
    const api = new FakeApi();
    api.fix();
    api.hang = true;
    const t = await renderApp({ api, initialLang: lang, size: SIZE });
    await t.waitForText('Dockerfile');
    await t.press('v');
    expectFits(await t.waitForText('go mod download'));
    await t.press(KEYS.ctrlC);
    await t.waitFor((frame) => !frame.includes('go mod download'), 'cancel');
    await t.press('?');
    expectFits(await t.waitForText('v/enter'));
    await t.press(KEYS.escape, 's');
    expectFits(await t.waitForText('COPY --from=build'));
    await t.press(KEYS.escape, 'l');
    expectFits(await t.waitForText(lang === 'en' ? 'Security' : '安全'));
  });

  it('after a pass (with what was learned) and with a hint open, the lesson text still keeps half the screen', async () => {
    const shown = (frame: string) => {
      const [from, to] = /(\d+)-(\d+)\/\d+/.exec(frame)?.slice(1).map(Number) ?? [0, 0];
      return (to ?? 0) - (from ?? 0) + 1;
    };
    const long = new FakeApi();
    long.longMessages = true;
    const failing = await renderApp({ api: long, initialLang: lang, size: SIZE });
    await failing.waitForText(lang === 'en' ? 'This lesson teaches' : '本课讲解');
    await failing.press('v');
    await failing.waitForText(lang === 'en' ? 'd: details' : 'd：详情');
    await failing.press('h');
    const hinted = await failing.waitForText(lang === 'en' ? 'Hint 1/3' : '的提示 1/3');
    expectFits(hinted);
    expect(shown(hinted), hinted).toBeGreaterThanOrEqual(half);
    cleanup();
    const api = new FakeApi();
    api.fix();
    const passing = await renderApp({ api, initialLang: lang, size: SIZE });
    await passing.waitForText(lang === 'en' ? 'This lesson teaches' : '本课讲解');
    await passing.press('v');
    const passed = await passing.waitForText(lang === 'en' ? 'A multi-stage build keeps compilers' : '多阶段构建让编译器');
    expectFits(passed);
    expect(shown(passed), passed).toBeGreaterThanOrEqual(half);
  });

  it('after a failing verdict the lesson text keeps at least half the screen; d shows every verdict in full', async () => {
    const api = new FakeApi();
    api.longMessages = true;
    const t = await renderApp({ api, initialLang: lang, size: SIZE });
    await t.waitForText(lang === 'en' ? 'This lesson teaches' : '本课讲解');
    await t.press('v');
    const frame = await t.waitForText(lang === 'en' ? 'd: details' : 'd：详情');
    expectFits(frame);
    const [from, to] = /(\d+)-(\d+)\/\d+/.exec(frame)?.slice(1).map(Number) ?? [0, 0];
    expect((to ?? 0) - (from ?? 0) + 1, frame).toBeGreaterThanOrEqual(half);
    await t.press('d');
    const details = await t.waitForText(lang === 'en' ? 'Every verdict of the last verify, in full' : '上次校验的完整结果');
    expectFits(details);
    expect(flat(details)).toContain(lang === 'en' ? 'the end of a long message' : '长消息的结尾');
    await t.press(KEYS.escape);
    await t.waitForText(lang === 'en' ? 'This lesson teaches' : '本课讲解');
  });
});

describe('scrolling', () => {
  it('j, PgDn, End and k move the lesson text within the available rows', async () => {
    const t = await renderApp({ size: SIZE });
    const top = await t.waitForText('This lesson teaches');
    const position = (frame: string) => /(\d+)-(\d+)\/(\d+)/.exec(frame)?.slice(1).map(Number) ?? [];
    const [from, to, total] = position(top);
    expect(from).toBe(1);
    expect(total).toBeGreaterThan(to ?? 0);
    await t.press('j');
    expect(position(t.frame())[0]).toBe(2);
    await t.press(KEYS.pageDown);
    expect(position(t.frame())[0]).toBeGreaterThan(10);
    await t.press('G');
    const bottom = t.frame();
    expect(bottom).toContain('END-OF-LESSON-EN');
    expect(position(bottom)[1]).toBe(total);
    expectFits(bottom);
    await t.press('g');
    expect(position(t.frame())[0]).toBe(1);
  });

  it('a burst of keys in one chunk moves once per key (arrows and letters)', async () => {
    const t = await renderApp({ size: SIZE });
    await t.waitForText('This lesson teaches');
    const position = (frame: string) => Number(/(\d+)-\d+\/\d+/.exec(frame)?.[1]);
    await t.press('jjj');
    expect(position(t.frame())).toBe(4);
    await t.press(`${KEYS.down}${KEYS.down}`);
    expect(position(t.frame())).toBe(6);
    await t.press('kk');
    expect(position(t.frame())).toBe(4);
  });

  it('follows a terminal resize', async () => {
    const t = await renderApp({ size: SIZE });
    await t.waitForText('This lesson teaches');
    Object.defineProperty(t.app.stdout, 'columns', { value: 50, configurable: true });
    t.app.stdout.emit('resize');
    await t.waitFor((frame) => Math.max(...lineWidths(frame)) <= 50, 'frame at 50 columns');
    expectFits(t.frame(), { columns: 50, rows: 24 });
  });
});

describe('color', () => {
  it('uses color when allowed', async () => {
    const t = await renderApp({ theme: { color: true, unicode: true } });
    await t.press('v');
    const frame = await t.waitForText('checks passed');
    expect(frame).toContain(`${ESC}[`);
  });

  it('writes no ANSI escape at all under NO_COLOR (lesson, results, progress, list)', async () => {
    const api = new FakeApi();
    const t = await renderApp({ api, theme: { color: false, unicode: true } });
    await t.waitForText('This lesson teaches');
    await t.press('v');
    await t.waitForText('checks passed');
    await t.press('h', 'l');
    await t.waitForText('Security');
    for (const frame of t.app.frames) expect(frame).not.toContain(ESC);
  });
});
