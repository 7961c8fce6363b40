import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from './fake-api.js';
import { KEYS, flat, renderApp } from './harness.js';

afterEach(() => cleanup());

describe('lesson list', () => {
  it('groups lessons by chapter with done/current/pending marks and overall progress', async () => {
    const t = await renderApp({ startScreen: 'list' });
    const frame = await t.waitForText('Security');
    expect(frame).toContain('1/3 done');
    expect(frame).toMatch(/Basics\n\s+✓ 01 Your first image\n❯ ● 02 Multi-stage builds\nSecurity\n\s+○ 03 Run as non-root/);
  });

  it('uses ASCII marks when the terminal cannot show Unicode', async () => {
    const t = await renderApp({ startScreen: 'list', theme: { color: false, unicode: false } });
    const frame = await t.waitForText('Security');
    expect(frame).toMatch(/\+ 01 Your first image\n> \* 02 Multi-stage builds/);
    expect(frame).toContain('. 03 Run as non-root');
  });

  it('opens the lesson picked with arrow down + enter and says what happened to the files', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('l');
    await t.waitForText('Security');
    await t.press(KEYS.down, KEYS.enter);
    const frame = await t.waitForText('Lesson 3/3');
    expect(t.api.calls).toContain('goto:03-non-root');
    expect(frame).toContain('Run as non-root');
    expect(flat(frame)).toContain(
      'Files: written Dockerfile; kept .dockerignore. Your files of the lesson you left were saved to .learn-go-docker/lessons/02-multi-stage.',
    );
  });

  it('moves as far as a burst of keys says: two arrows or "jj" in one chunk are two moves', async () => {
    const t = await renderApp({ startScreen: 'list' });
    await t.waitForText('Security');
    await t.press(KEYS.up); // to lesson 1
    await t.press(KEYS.down + KEYS.down); // one write, two keys
    expect(await t.waitForText('❯ ○ 03 Run as non-root')).toContain('❯ ○ 03');
    await t.press('kk');
    await t.waitForText('❯ ✓ 01 Your first image');
    // Moves and enter in one write: enter opens where the moves led ("jj⏎": Ink flags the chunk, not its keys).
    await t.press(`jj${KEYS.enter}`);
    await t.waitForText('Lesson 3/3');
    expect(t.api.calls).toContain('goto:03-non-root');
  });

  it('goes back to the open lesson with esc, without moving files', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('l');
    await t.waitForText('Security');
    await t.press(KEYS.escape);
    await t.waitForText('Lesson 2/3');
    expect(t.api.calls.filter((call) => call.startsWith('goto'))).toEqual([]);
  });

  it('shows a failed goto as an error and stays on the list', async () => {
    const api = new FakeApi();
    api.goto = async () => {
      throw new Error('disk full');
    };
    const t = await renderApp({ api, startScreen: 'list' });
    await t.waitForText('Security');
    await t.press(KEYS.down, KEYS.enter);
    const frame = await t.waitForText('disk full');
    expect(frame).toContain('! Something went wrong: disk full');
    expect(frame).toContain('Security');
  });

  it("shows what the course's images last used on disk and how to free it, in both languages", async () => {
    const api = new FakeApi();
    api.diskUse = { at: Date.now() - 5 * 60_000, bytes: 2.34e9, images: 4 };
    const t = await renderApp({ api, startScreen: 'list' });
    const frame = flat(await t.waitForText('clean'));
    expect(frame).toContain(
      'Docker images of this course: about 2.3 GB with the base images they are built on (4 images, measured 5 min ago). Remove them: npx learn-go-docker clean',
    );
    cleanup();
    const zh = await renderApp({ api, startScreen: 'list', initialLang: 'zh-CN' });
    expect(flat(await zh.waitForText('clean'))).toContain(
      '本课程的 Docker 镜像：约 2.3 GB，含它们所基于的基础镜像（4 个镜像，5 分钟前测量）。删除它们：npx learn-go-docker clean',
    );
  });

  it('says nothing about disk before the course has built an image', async () => {
    const t = await renderApp({ startScreen: 'list' });
    const frame = await t.waitForText('Security');
    expect(frame).not.toContain('Docker images of this course');
  });

  it('quits with q', async () => {
    let exits = 0;
    const t = await renderApp({ startScreen: 'list', onExit: () => (exits += 1) });
    await t.waitForText('Security');
    await t.press('q');
    expect(exits).toBe(1);
  });
});
