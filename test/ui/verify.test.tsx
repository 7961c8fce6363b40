import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from './fake-api.js';
import { KEYS, delay, flat, renderApp } from './harness.js';

afterEach(() => cleanup());

const verifies = (api: FakeApi) => api.calls.filter((call) => call.startsWith('verify')).length;

/** The tutorial on lesson 2 with a verify under way (`setUp` says how the fake engine behaves). */
const verifying = async (setUp: (api: FakeApi) => void) => {
  const api = new FakeApi();
  setUp(api);
  const t = await renderApp({ api });
  await t.waitForText('Lesson 2/3');
  await t.press('v');
  return { api, t };
};

describe('verify', () => {
  it('shows the failing checks, then after the fix (saved in watch mode) all passing and what was learned', async () => {
    const t = await renderApp();
    await t.waitForText('watching Dockerfile, .dockerignore (save to re-check)');
    expect(t.frame()).toContain('Not checked yet: press v');

    await t.press('v');
    const failed = flat(await t.waitForText('checks passed'));
    expect(failed).toContain('1/3 checks passed · 2 failed · d: details');
    expect(failed).toContain('✗ Multi-stage build (line 1): Only one stage: add a build stage and COPY --from it.');
    expect(failed).toContain('✓ Image builds: Built in 12.3 s.');
    expect(failed).toContain('✗ Image size: Image is 912.4 MB, budget 30 MB.');
    expect(failed).not.toContain('Lesson passed');

    t.api.fix();
    t.watcher.change();
    const passed = flat(await t.waitForText('3/3 checks passed'));
    expect(verifies(t.api)).toBe(2);
    expect(passed).toContain('Lesson passed!');
    expect(passed).toContain('What you learned: A multi-stage build keeps compilers out of the image.');
    expect(passed).toContain('Press n for the next lesson, or s to see the reference solution.');
    expect(passed).not.toContain('✗');
  });

  it('shows the spinner, the current check, build steps with times and the last output lines while running', async () => {
    const api = new FakeApi();
    api.hang = true;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    const frame = await t.waitForText('go mod download');
    expect(frame).toMatch(/Checking… · Image builds · \d+s/);
    expect(frame).toMatch(/✓\s+1\.5s {2}build · FROM golang:1\.22/);
    expect(frame).toMatch(/▸\s+\d+\.\ds {2}build · RUN go mod download/);
    // BuildKit's bookkeeping (resolve, digests, DONE) is left out; what the build says is shown.
    expect(frame).not.toContain('#5 resolve docker.io/library/golang:1.22 done');
    expect(frame).toContain('│ #6 go: downloading github.com/gin-gonic/gin v1.10.0');
    expect(frame).toContain('ctrl-c cancel');
    t.app.stdin.write(KEYS.ctrlC);
    await t.waitForText('Verify cancelled');
  });

  it('ignores keys other than quit/cancel during a run', async () => {
    const api = new FakeApi();
    api.hang = true;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('go mod download');
    await t.press('h', 'r', 's', 'l', 'n', 't', 'v');
    await delay(100);
    expect(api.calls.filter((call) => !call.startsWith('lessonText'))).toEqual(['verify:02-multi-stage']);
    expect(t.frame()).toContain('Checking…');
    expect(t.frame()).toContain('Lesson 2/3');
  });

  it('a save during a run replaces it: the running verify is cancelled and a new one checks the new files', async () => {
    const api = new FakeApi();
    api.hang = true;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('go mod download');
    api.hang = false;
    api.fix();
    t.watcher.change();
    await t.waitForText('Lesson passed');
    expect(api.aborted).toBe(1);
    expect(api.calls.filter((call) => call.startsWith('verify'))).toEqual(['verify:02-multi-stage', 'verify:02-multi-stage']);
    expect(flat(t.frame())).not.toContain('Verify cancelled');
  });

  it('shows the static verdicts of a running verify before its Docker checks finish', async () => {
    const api = new FakeApi();
    api.hang = true;
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    const frame = await t.waitForText('Multi-stage build');
    expect(frame).toContain('Checking…');
  });

  it('cancels a running verify with ctrl-c (aborting it) and goes back to the lesson', async () => {
    const api = new FakeApi();
    api.hang = true;
    let exits = 0;
    const t = await renderApp({ api, onExit: () => (exits += 1) });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('go mod download');
    await t.press(KEYS.ctrlC);
    const frame = await t.waitForText('Verify cancelled');
    expect(flat(frame)).toContain('Verify cancelled; the Docker objects it created were removed.');
    expect(api.aborted).toBe(1);
    expect(exits).toBe(0);
    expect(frame).toContain('Not checked yet');
    expect(frame).toContain('v verify');
    // Idle again: ctrl-c now quits.
    await t.press(KEYS.ctrlC);
    expect(exits).toBe(1);
  });

  it('after a cancelled verify, says the verdict shown is older than the files when they changed since', async () => {
    const { api, t } = await verifying((a) => (a.hang = true));
    await t.waitForText('go mod download');
    api.filesCurrent = false;
    await t.press(KEYS.ctrlC);
    const frame = flat(await t.waitForText('older than your'));
    expect(frame).toContain('Verify cancelled; the Docker objects it created were removed. The verdict shown is older than your files: press v to check them.');
  });

  it("a new check clears the last one's 'cancelled' notice (it never shows beside a running check)", async () => {
    const { t } = await verifying((a) => (a.hang = true));
    await t.waitForText('go mod download');
    await t.press(KEYS.ctrlC);
    await t.waitForText('Verify cancelled');
    await t.press('v');
    await t.waitForText('go mod download');
    expect(flat(t.frame())).not.toContain('Verify cancelled');
  });

  it('stops naming a check as running once its verdict is in', async () => {
    const { t } = await verifying((a) => (a.hangAfterBuildVerdict = true));
    const frame = flat(await t.waitForText('✓ Image builds'));
    expect(frame).toContain('Checking…');
    expect(frame).not.toMatch(/Checking… · Image builds/);
  });

  it('on q during a run, aborts the verify and quits once the engine has cleaned up', async () => {
    const api = new FakeApi();
    api.hang = true;
    let exits = 0;
    const t = await renderApp({ api, onExit: () => (exits += 1) });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('go mod download');
    t.app.stdin.write('q');
    await t.waitForText('Quitting once the cleanup is done');
    await delay(150);
    expect(api.aborted).toBe(1);
    expect(exits).toBe(1);
  });

  it('in manual mode does not watch and says to press v', async () => {
    const t = await renderApp({ manual: true });
    await t.waitForText('manual mode: press v to check');
    expect(t.watcher.started).toBe(0);
  });

  it('falls back to manual mode when the watcher fails, suggesting --manual', async () => {
    const t = await renderApp();
    await t.waitForText('watching Dockerfile');
    t.watcher.fail('ENOSPC');
    const frame = flat(await t.waitForText('manual mode now'));
    expect(frame).toContain('File watching stopped (ENOSPC), so this is manual mode now: press v to check. Start with --manual');
    expect(frame).toContain('fs.inotify.max_user_watches');
    expect(t.watcher.closed).toBe(1);
    await t.press('v');
    await t.waitForText('checks passed');
  });

  it('says once that failures unlocked the solution', async () => {
    const t = await renderApp();
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('1/3 checks passed');
    expect(t.frame()).not.toContain('solution is now available');
    await t.press('v');
    await t.waitForText('The reference solution is now available: press s to see it.');
    await t.press('v');
    await t.waitFor((frame) => !frame.includes('Checking') && verifies(t.api) === 3, 'third verify');
    await delay(100);
    expect(t.frame()).not.toContain('solution is now available');
  });

  it('shows a verify that could not run as an error', async () => {
    const api = new FakeApi();
    api.verify = async () => {
      throw new Error('Cannot connect to the Docker daemon');
    };
    const t = await renderApp({ api });
    await t.waitForText('Lesson 2/3');
    await t.press('v');
    await t.waitForText('Verify could not run: Cannot connect to the Docker daemon');
  });
});
