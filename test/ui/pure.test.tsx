import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { checkLines, summaryText } from '../../src/ui/check-lines.js';
import { packHints } from '../../src/ui/components/KeyHints.js';
import { actionFor, hintsFor } from '../../src/ui/keys.js';
import { gotoNotice, watchNotice } from '../../src/ui/notices.js';
import { scrollTo } from '../../src/ui/scroll.js';
import { progressLines, stepLabel } from '../../src/ui/progress-lines.js';
import { slowStepNote } from '../../src/engine/progress-words.js';
import { colorEnabled, iconsFor, unicodeEnabled } from '../../src/ui/theme.js';
import { applyProgress, startProgress, stepDuration } from '../../src/ui/verify-progress.js';
import { FAILING, PASSING } from './fake-api.js';

const key = (overrides: Partial<Key> = {}): Key =>
  ({
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...overrides,
  }) as Key;
const icons = iconsFor({ color: false, unicode: true });

describe('key map', () => {
  it('maps keys to actions per mode', () => {
    expect(actionFor('lesson', 'v', key())).toBe('verify');
    expect(actionFor('lesson', '', key({ return: true }))).toBe('verify');
    expect(actionFor('lesson', 'n', key())).toBe('next');
    expect(actionFor('confirm', 'n', key())).toBe('no');
    expect(actionFor('confirm', 'v', key())).toBeUndefined();
    expect(actionFor('lesson', 'c', key({ ctrl: true }))).toBe('quit');
    expect(actionFor('running', 'c', key({ ctrl: true }))).toBe('cancel');
    expect(actionFor('running', 'q', key())).toBe('quit');
    expect(actionFor('solution', 'a', key())).toBe('apply');
    expect(actionFor('list-from-lesson', '', key({ escape: true }))).toBe('back');
  });

  it('drops every action but quit, cancel and scrolling while a verify runs', () => {
    for (const input of 'vhrsnlet?ay') expect(actionFor('running', input, key())).toBeUndefined();
    expect(actionFor('running', 'j', key())).toBe('scrollDown');
  });

  it('packs the key hints into rows that fit', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const rows = packHints(hintsFor('lesson'), lang, 79);
      expect(rows.length).toBe(2);
      expect(rows.flat()).toHaveLength(hintsFor('lesson').length);
    }
  });
});

describe('results panel', () => {
  it('summarises the verdicts', () => {
    expect(summaryText(FAILING, 'en')).toBe('1/3 checks passed · 2 failed · d: details');
    expect(summaryText(PASSING, 'zh-CN')).toBe('通过 3/3 项检查 · d：详情');
    expect(
      summaryText(
        [
          { ...FAILING[0]!, status: 'unknown' },
          { ...FAILING[1]!, status: 'skip' },
          { ...FAILING[2]!, status: 'error' },
        ],
        'en',
      ),
    ).toBe('0/3 checks passed · 1 unknown · 1 skipped · 1 broke · d: details');
  });

  it('shows icon, title, message and line (measurements are in the words), wrapped to the width', () => {
    const lines = checkLines(FAILING, { lang: 'en', width: 50, icons, maxLines: 20 });
    expect(lines[0]?.text).toBe('1/3 checks passed · 2 failed · d: details');
    expect(lines[1]?.lead?.text).toBe('✗ ');
    const text = lines.map((line) => `${line.lead?.text ?? ''}${line.text}`);
    for (const line of text) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    expect(text.join(' ').replace(/\s+/g, ' ')).toContain('Image size: Image is 912.4 MB, budget 30 MB.');
    expect(text.join(' ')).toContain('(line 1)');
  });

  it('shrinks passing checks first, and never exceeds maxLines', () => {
    const many = [...PASSING, ...FAILING, ...PASSING];
    for (const maxLines of [2, 4, 6, 8, 12]) {
      const lines = checkLines(many, { lang: 'en', width: 40, icons, maxLines });
      expect(lines.length).toBeLessThanOrEqual(maxLines);
    }
    const six = checkLines(many, { lang: 'en', width: 60, icons, maxLines: 12 })
      .map((l) => l.text)
      .join('\n');
    expect(six).toContain('Only one stage');
    expect(six).not.toContain('Built in 9.8 s');
  });
});

describe('verify progress', () => {
  it('times build steps from the build clock and keeps the last three output lines, without BuildKit bookkeeping', () => {
    let p = startProgress(1000);
    p = applyProgress(p, { type: 'check-start', id: 'image.builds', title: { en: 'The image builds', 'zh-CN': '镜像可以构建' } }, 1000);
    p = applyProgress(p, { type: 'build-step', step: 'A', elapsedMs: 0 }, 1000);
    for (const line of ['1', '2', '', '#9 sha256:3eaeb7 1.2MB / 1.2MB 0.3s', '#10 DONE 0.4s', '3', '4'])
      p = applyProgress(p, { type: 'build-output', line }, 1100);
    p = applyProgress(p, { type: 'build-step', step: 'B', elapsedMs: 2000 }, 3000);
    expect(p.tail).toEqual(['2', '3', '4']);
    expect(p.currentStep).toBe('B');
    expect(stepDuration(p, p.steps[0]!, 3000, true)).toBe(2000);
    expect(stepDuration(p, p.steps[1]!, 4500, true)).toBe(1500);
    p = applyProgress(p, { type: 'check-start', id: 'http.probe', title: { en: 'The app answers over HTTP', 'zh-CN': '应用能通过 HTTP 响应' } }, 5000);
    expect(p.steps).toEqual([]);
    expect(p.checkId).toBe('http.probe');
    expect(p.checkTitle?.en).toBe('The app answers over HTTP');
  });

  it('labels build steps without per-stage counters that seem to go backwards', () => {
    expect(stepLabel('[build 7/11] RUN go build -o /out/server ./cmd/server')).toBe('build · RUN go build -o /out/server ./cmd/server');
    expect(stepLabel('[stage-1 2/3] COPY --from=build /out/server /server')).toBe('stage-1 · COPY --from=build /out/server /server');
    expect(stepLabel('[2/5] RUN   go mod download')).toBe('RUN go mod download');
    expect(stepLabel('RUN go vet')).toBe('RUN go vet');
  });

  it('says what a long silent Go step is doing, and before lesson 3 why every change rebuilds it', () => {
    const build = '[build 5/6] RUN go build -o /server ./cmd/server';
    expect(slowStepNote(build, 14_000, 2)).toBeUndefined();
    const early = slowStepNote(build, 40_000, 2);
    expect(early?.en).toBe(
      'Compiling Gin and its dependencies: Go prints nothing meanwhile; 1–3 minutes the first time on a laptop. Every change rebuilds it here because the source is copied before the build; lesson 3 makes rebuilds take seconds.',
    );
    expect(early?.['zh-CN']).toContain('第 3 课会让重新构建只需几秒');
    expect(slowStepNote(build, 40_000, 4)?.en).toBe('Compiling Gin and its dependencies: Go prints nothing meanwhile; 1–3 minutes the first time on a laptop.');
    expect(slowStepNote('[build 3/6] RUN go mod download', 40_000, 4)?.en).toBe('Downloading Go modules: a minute or two the first time.');
    expect(slowStepNote('[2/2] COPY . .', 40_000, 4)).toBeUndefined();
  });

  it('shows the slow-step note under the ticking step, once it has run 15 s', () => {
    const icons = iconsFor({ color: false, unicode: true });
    let p = startProgress(0);
    p = applyProgress(p, { type: 'build-step', step: '[build 5/6] RUN go build ./cmd/server', elapsedMs: 1000 }, 1000);
    const lines = (now: number) => progressLines({ progress: p, now, lang: 'en', width: 200, icons, maxLines: 8, lessonNumber: 4 }).map((l) => l.text);
    expect(lines(5000).join('\n')).not.toContain('Compiling Gin');
    expect(lines(20_000)).toEqual([
      ' 19.0s  build · RUN go build ./cmd/server',
      'Compiling Gin and its dependencies: Go prints nothing meanwhile; 1–3 minutes the first time on a laptop.',
    ]);
  });
});

describe('scrolling', () => {
  it('clamps to the text and pages by a screen minus one line', () => {
    expect(scrollTo(0, 'scrollUp', 100, 10)).toBe(0);
    expect(scrollTo(0, 'pageDown', 100, 10)).toBe(9);
    expect(scrollTo(85, 'pageDown', 100, 10)).toBe(90);
    expect(scrollTo(50, 'top', 100, 10)).toBe(0);
    expect(scrollTo(0, 'bottom', 100, 10)).toBe(90);
    expect(scrollTo(0, 'scrollDown', 5, 10)).toBe(0);
  });
});

describe('theme', () => {
  it('honours NO_COLOR and FORCE_COLOR=0', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' })).toBe(false);
  });

  it('falls back to ASCII on the Linux console and old Windows consoles', () => {
    expect(unicodeEnabled({ TERM: 'xterm-256color' }, 'linux')).toBe(true);
    expect(unicodeEnabled({ TERM: 'linux' }, 'linux')).toBe(false);
    expect(unicodeEnabled({}, 'win32')).toBe(false);
    expect(unicodeEnabled({ WT_SESSION: 'x' }, 'win32')).toBe(true);
  });
});

describe('notices', () => {
  it('groups file changes by what happened to them', () => {
    const notice = gotoNotice({
      lesson: '03',
      changes: [
        { path: 'Dockerfile', action: 'written' },
        { path: 'compose.yaml', action: 'removed' },
        { path: '.dockerignore', action: 'restored' },
        { path: 'main.go', action: 'written' },
      ],
    });
    expect(notice.en).toBe('Files: written Dockerfile, main.go; set aside compose.yaml; restored your .dockerignore.');
    expect(notice['zh-CN']).toBe('文件：已写入 Dockerfile、main.go；已移开 compose.yaml；已恢复你的 .dockerignore。');
  });

  it('names watched files relative to the workspace and explains watcher failures', () => {
    const files = ['/lab/Dockerfile', '/lab/.dockerignore'];
    expect(watchNotice({ kind: 'watching', mode: 'polling' }, files, '/lab').message.en).toBe(
      'watching Dockerfile, .dockerignore by polling (save to re-check)',
    );
    const failed = watchNotice({ kind: 'failed', error: Object.assign(new Error('x'), { code: 'EMFILE' }) }, files, '/lab');
    expect(failed.tone).toBe('warn');
    expect(failed.message.en).toContain('(EMFILE)');
    expect(failed.message.en).toContain('--manual');
  });
});

describe('the lesson list window', () => {
  const ones = (n: number) => Array.from({ length: n }, () => 1);
  it('keeps the selected lesson in view, moving only as far as needed', async () => {
    const { listWindow } = await import('../../src/ui/screens/ListScreen.js');
    expect(listWindow(ones(31), 0, 3, 10)).toEqual({ top: 0, end: 10 }); // in view: stays
    expect(listWindow(ones(31), 0, 12, 10)).toEqual({ top: 3, end: 13 }); // below: the selection becomes the last row
    expect(listWindow(ones(31), 5, 2, 10)).toEqual({ top: 2, end: 12 }); // above: the selection becomes the first row
    expect(listWindow(ones(31), 25, 30, 10)).toEqual({ top: 21, end: 31 }); // never past the end
    expect(listWindow(ones(3), 4, 1, 10)).toEqual({ top: 0, end: 3 }); // fewer lessons than rows
  });

  it('counts the headings in view only, so no rows stay empty (the last chapters after G)', async () => {
    const { listWindow } = await import('../../src/ui/screens/ListScreen.js');
    // 31 lessons; a chapter starts every 4 lessons (2 rows), a part at lessons 0 and 20 (3 rows).
    const heights = Array.from({ length: 31 }, (_, i) => (i === 0 || i === 20 ? 3 : i % 4 === 0 ? 2 : 1));
    const rows = 14;
    const rowsOf = (w: { top: number; end: number }) => heights.slice(w.top, w.end).reduce((a, b) => a + b, 0);
    for (let selected = 0; selected < 31; selected += 1) {
      const w = listWindow(heights, 0, selected, rows);
      expect(w.top <= selected && selected < w.end, `lesson ${selected} in view`).toBe(true);
      expect(rowsOf(w)).toBeLessThanOrEqual(rows);
      // Full: one more lesson would not fit (or there is none).
      const more = w.end < 31 ? rowsOf({ top: w.top, end: w.end + 1 }) : w.top > 0 ? rowsOf({ top: w.top - 1, end: w.end }) : Infinity;
      expect(more).toBeGreaterThan(rows);
    }
    // G (the last lesson): the window ends at the list's end, full.
    expect(listWindow(heights, 0, 30, rows)).toMatchObject({ end: 31 });
  });
});
