import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from './fake-api.js';
import { KEYS, delay, flat, renderApp } from './harness.js';

afterEach(() => cleanup());

describe('lesson actions', () => {
  it('h shows the next hint tier each time', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('h');
    await t.waitForText('Hint 1/3 for "Image size": Start with FROM golang AS build.');
    await t.press('h');
    await t.waitForText('Hint 2/3 for "Image size": Use COPY --from=build.');
    await t.press('h');
    await t.waitForText('Hint 3/3 for "Image size" (the last one): Final base: gcr.io/distroless/static.');
  });

  it('r asks first: n keeps the files, y resets and shows the backup folder and files', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('r');
    const asking = flat(await t.waitForText('(y/n)'));
    expect(asking).toContain("Reset this lesson's files to the start? Your current files are backed up first. (y/n)");
    expect(asking).toContain('y yes');
    expect(asking).toContain('n no');
    await t.press('n');
    await t.waitForText('Reset cancelled; nothing changed.');
    expect(t.api.calls).not.toContain('reset:02-multi-stage');

    await t.press('r');
    await t.waitForText('(y/n)');
    await t.press('y');
    const done = flat(await t.waitForText('Lesson files reset'));
    expect(t.api.calls).toContain('reset:02-multi-stage');
    expect(done).toContain('Lesson files reset. Your previous files were backed up to .learn-go-docker/backups/2026-11-25T12-00-00Z: Dockerfile');
  });

  it('after a verdict, a reset says the verdict shown is of the files before (it is not checked again unasked)', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('1/3 checks passed');
    await t.press('r', 'y');
    const done = flat(await t.waitForText('Lesson files reset'));
    expect(done).toContain('The verdict shown is of the files before: press v to check them as they are now.');
    expect(t.api.calls.filter((call) => call.startsWith('verify'))).toHaveLength(1);
  });

  it('a save caused by the reset itself does not start a verify', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('r', 'y');
    await t.waitForText('Lesson files reset');
    t.watcher.change();
    await delay(100);
    expect(t.api.calls.some((call) => call.startsWith('verify'))).toBe(false);
  });

  it('s shows why the solution is locked, then the files once failures unlock it; a applies after y', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('s');
    await t.waitForText('The solution opens after you pass, or after 2 more failed verifies.');
    expect(t.frame()).not.toContain('COPY --from=build /server');

    await t.press('v');
    await t.waitForText('1/3 checks passed');
    await t.press('v');
    await t.waitForText('solution is now available');
    await t.press('s');
    const view = await t.waitForText('Reference solution: Dockerfile');
    expect(view).toMatch(/── Dockerfile ─+/);
    expect(view).toContain('FROM golang:1.22 AS build');
    expect(view).toContain('COPY --from=build /server /server');
    expect(view).toContain('a apply');

    await t.press('a');
    await t.waitForText('Apply the solution? It overwrites your lesson files; they are backed up first. (y/n)');
    await t.press('y');
    const applied = flat(await t.waitForText('Solution applied'));
    expect(t.api.calls).toContain('applySolution:02-multi-stage');
    expect(applied).toContain('Your previous files were backed up to .learn-go-docker/backups/2026-11-25T12-05-00Z: Dockerfile, .dockerignore');
    expect(applied).not.toContain('Reference solution');
  });

  it('esc leaves the solution without applying it', async () => {
    const api = new FakeApi();
    api.fix();
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('s');
    await t.waitForText('Reference solution');
    await t.press(KEYS.escape);
    await t.waitFor((frame) => !frame.includes('Reference solution'), 'solution closed');
    expect(api.calls).not.toContain('applySolution:02-multi-stage');
  });

  it('follows the workspace to the lesson another terminal moved it to, saying so, instead of resetting or checking here', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    t.api.movedTo = '03-non-root';
    await t.press('r');
    await t.waitForText('(y/n)');
    await t.press('y');
    const frame = flat(await t.waitForText('Lesson 3/3'));
    expect(frame).toContain('The workspace is on lesson 3 now (another command moved it), not on lesson 2');
    expect(t.api.calls).toContain('goto:03-non-root');
    expect(t.api.calls.filter((c) => c.startsWith('verify:02'))).toEqual([]);
  });

  it('n opens the next lesson; on the last one it says so', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('n');
    await t.waitForText('Lesson 3/3');
    expect(t.api.calls).toContain('goto:03-non-root');
    await t.press('n');
    await t.waitForText('This is the last lesson.');
  });

  it('e without $VISUAL/$EDITOR says how to set one; with one it calls openInEditor with the first file', async () => {
    const opened: string[] = [];
    const openInEditor = async (path: string) => void opened.push(path);
    const t = await renderApp({ openInEditor });
    await t.waitForText('Lesson 2/3');
    await t.press('e');
    const frame = flat(await t.waitForText('Set $VISUAL or $EDITOR'));
    expect(frame).toContain('export EDITOR=nano');
    expect(frame).toContain('/home/ada/go-docker-lab/Dockerfile');
    expect(opened).toEqual([]);
    cleanup();

    const u = await renderApp({ openInEditor, editorName: 'vim' });
    await u.waitForText('Lesson 2/3');
    await u.press('e');
    await u.waitFor(() => opened.length === 1, 'editor call');
    expect(opened).toEqual(['/home/ada/go-docker-lab/Dockerfile']);
  });

  it('a save made while the editor is open is checked when it closes', async () => {
    let close: () => void = () => undefined;
    const openInEditor = () => new Promise<void>((resolve) => (close = resolve));
    const t = await renderApp({ openInEditor, editorName: 'vim' });
    await t.waitForText('Lesson 2/3');
    await t.press('e');
    await t.waitForText('Editing /home/ada/go-docker-lab/Dockerfile in vim');
    await delay(100);
    t.watcher.change();
    await delay(100);
    expect(t.api.calls.some((call) => call.startsWith('verify'))).toBe(false);
    expect(flat(t.frame())).toContain('Your files changed since this verdict');
    close();
    await t.waitForText('checks passed');
  });

  it('? shows every key; esc closes it', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('?');
    const help = await t.waitForText('Keys');
    for (const text of ['v/enter', 'verify', 'hint', 'reset', 'solution', 'details', 'next lesson', 'lesson list', 'open in editor', 'quit']) {
      expect(help).toContain(text);
    }
    await t.press('G');
    expect(t.frame()).toContain('PgDn');
    await t.press(KEYS.escape);
    await t.waitForText('This lesson teaches');
  });
});

describe('files changed while the tutorial was closed', () => {
  it('in watch mode they are checked at once, as a save is', async () => {
    const api = new FakeApi();
    api.filesCurrent = false;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    for (let i = 0; i < 40 && !api.calls.includes('verify:02-multi-stage'); i += 1) await delay(50);
    expect(api.calls).toContain('verify:02-multi-stage');
  });

  it('with --manual the learner is told the verdict is out of date, and nothing runs', async () => {
    const api = new FakeApi();
    api.filesCurrent = false;
    const t = await renderApp({ api, manual: true });
    await t.waitForText('Your files changed since this verdict (while the tutorial was closed): press v to check them.');
    expect(api.calls).not.toContain('verify:02-multi-stage');
  });

  it('with --manual, following another terminal keeps the reason and says to press v, not "while the tutorial was closed"', async () => {
    const api = new FakeApi();
    const t = await renderApp({ api, manual: true });
    await t.waitForText('Lesson 2/3');
    api.movedTo = '03-non-root';
    api.filesCurrent = false;
    await t.press('v');
    const frame = flat(await t.waitFor((f) => flat(f).includes('press v to check them')));
    expect(frame).toContain('The workspace is on lesson 3 now (another command moved it), not on lesson 2');
    expect(frame).toContain('Your files changed since its last verdict: press v to check them.');
    expect(frame).not.toContain('while the tutorial was closed');
  });

  it('unchanged files: nothing runs, nothing is said', async () => {
    const api = new FakeApi();
    api.filesCurrent = true;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await delay(300);
    expect(api.calls).not.toContain('verify:02-multi-stage');
    expect(flat(t.frame())).not.toContain('Your files changed');
  });
});

describe('files changed while the tutorial was closed, known before the first frame', () => {
  it('the first frame already says so (watch mode: checking again), and the check runs', async () => {
    const api = new FakeApi();
    await api.verify('02-multi-stage');
    api.calls.length = 0;
    const t = await renderApp({ api, changedWhileAway: true });
    expect(flat(t.frame())).toContain('Your files changed since this verdict (while the tutorial was closed): checking them again…');
    for (let i = 0; i < 40 && !api.calls.includes('verify:02-multi-stage'); i += 1) await delay(50);
    expect(api.calls).toContain('verify:02-multi-stage');
  });

  it('with --manual the first frame says to press v', async () => {
    const t = await renderApp({ manual: true, changedWhileAway: true });
    expect(flat(t.frame())).toContain('press v to check them');
  });
});
