import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { readEventLog, type LoggedEvent } from '../../../src/engine/workshop/event-log.js';
import { computeRoom, learnerDetail, type RoomState } from '../../../src/engine/workshop/room.js';
import { encodeQr, qrToText } from '../../../src/engine/workshop/qr.js';
import { WorkshopApp, type RoomSource } from '../../../src/ui/workshop/WorkshopApp.js';
import { fit, screenLines, type DetailState, type JoinInfo, type ScreenInput } from '../../../src/ui/workshop/screen.js';
import { actionOf, INITIAL_VIEW, nextView, type ViewState } from '../../../src/ui/workshop/view-state.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { T0 } from './helpers.js';

// The instructor's live view (src/ui/workshop/), fed the recorded stream of a small room
// (test/fixtures/workshop/room/events.jsonl: four learners on lessons 2–4, one stuck by
// attempts and asking for help, one stuck by time, one whose help request was answered by a pass).
// The screen is a pure function, tested first; then the Ink app as the instructor drives it.

const FIXTURE = join(import.meta.dirname, '../../fixtures/workshop/room');
const { events: recorded, skipped } = await readEventLog(FIXTURE);
/** Twenty minutes after the first event: Bo's one failure was fifteen minutes ago. */
const NOW = T0 + 20 * 60_000;
const fullRoom = computeRoom(recorded, NOW);

const JOIN: JoinInfo = {
  url: 'http://10.0.0.7:8787',
  code: 'K7M4QX',
  command: 'npx learn-go-docker join http://10.0.0.7:8787 K7M4QX',
  qr: qrToText(encodeQr('npx learn-go-docker join http://10.0.0.7:8787 K7M4QX')),
};
const THEME = { color: false, unicode: true };
const idOf = (name: string) => fullRoom.learners.find((l) => l.name === name)?.learnerId as string;

const screen = (over: Partial<ScreenInput> = {}) =>
  screenLines({ room: fullRoom, view: INITIAL_VIEW, join: JOIN, detail: undefined, lang: 'en', theme: THEME, width: 100, height: 30, ...over });
/** Lines as the terminal shows them: the lead, then the text. */
const shown = (over: Partial<ScreenInput> = {}) => screen(over).lines.map((l) => `${l.lead?.text ?? ''}${l.text}`);

describe('the recorded room', () => {
  it('is read whole from the fixture', () => {
    expect(skipped).toBe(0);
    expect(recorded).toHaveLength(15);
    expect(fullRoom.learners.map((l) => [l.name, l.lesson.number, l.attempts, l.stuck, l.help !== null, l.passed])).toEqual([
      ['陈伟', 3, 2, false, false, true],
      ['Ada', 4, 3, 'attempts', true, false],
      ['Bo', 4, 1, 'minutes', false, false],
      ['Dana', 4, 2, false, false, true],
    ]);
  });
});

describe('the screen, a pure function of the room', () => {
  it('the room: address and code, who is where, the stuck and the asking marked, the checks failing most', () => {
    const lines = shown();
    expect(lines[0]).toBe('Workshop · http://10.0.0.7:8787 · code K7M4QX');
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d {2}4 learners · 2 stuck · 1 asking for help$/);
    expect(lines[3]).toMatch(/^ {2}learner +lesson +tries +min$/);
    expect(lines.slice(4, 8)).toEqual([
      '❯ 陈伟                  3 layers-and-cache             2   16  ✓',
      '  Ada                   4 multi-stage                  3   19  STUCK (3 failed in a row) HELP',
      '  Bo                    4 multi-stage                  1   15  STUCK (15 min)',
      '  Dana                  4 multi-stage                  2   18  ✓',
    ]);
    expect(lines).toContain('Failing most: dockerfile.multi-stage (2 now, 4 in all), image.size (1 now, 4 in all)');
    expect(lines.at(-1)).toBe('↑↓ select  Enter open  c join code  q quit');
    // Tones: stuck rows red, the selected row bold.
    const rows = screen().lines.slice(4, 8);
    expect(rows.map((r) => [r.tone, r.bold])).toEqual([
      ['ok', true],
      ['bad', false],
      ['bad', false],
      ['ok', false],
    ]);
  });

  it('the same room in Chinese', () => {
    const lines = shown({ lang: 'zh-CN' });
    expect(lines[0]).toBe('工作坊 · http://10.0.0.7:8787 · 加入码 K7M4QX');
    expect(lines[1]).toMatch(/4 位学员 · 2 位卡住 · 1 位请求帮助$/);
    expect(lines[5]).toMatch(/卡住（连续失败 3 次）求助$/);
    expect(lines[6]).toMatch(/卡住（15 分钟）$/);
    expect(lines).toContain('失败最多：dockerfile.multi-stage（当前 2 人，共 4 次），image.size（当前 1 人，共 4 次）');
    expect(lines.at(-1)).toBe('↑↓ 选择  Enter 打开  c 加入码  q 退出');
  });

  it('every Chinese line keeps the spacing rule, in every pane', () => {
    const panes: Partial<ScreenInput>[] = [
      {},
      { room: computeRoom([], T0) },
      { view: { pane: 'join', scroll: 0 }, height: 40 },
      { view: { pane: 'join', scroll: 0 }, height: 20 },
      ...['Ada', 'Bo', 'Dana', '陈伟'].map((name): Partial<ScreenInput> => {
        const id = idOf(name);
        return {
          view: { pane: 'learner', selected: id, scroll: 0 },
          detail: { learnerId: id, status: 'ready', detail: learnerDetail(recorded, id, fullRoom) },
        };
      }),
      { view: { pane: 'learner', selected: idOf('Ada'), scroll: 0 }, detail: { learnerId: idOf('Ada'), status: 'loading' } },
      { view: { pane: 'learner', selected: idOf('Ada'), scroll: 0 }, detail: { learnerId: idOf('Ada'), status: 'failed', error: 'EACCES' } },
    ];
    for (const pane of panes) expect(cjkSpacingProblems(shown({ ...pane, lang: 'zh-CN' }).join('\n'))).toEqual([]);
  });

  it('an empty room says how to show the join code', () => {
    expect(shown({ room: computeRoom([], T0) })).toContain('Nobody has joined yet. Press c to show the join code and its QR code.');
  });

  it('a room longer than the screen scrolls to keep the selected learner in view', () => {
    const many: LoggedEvent[] = Array.from({ length: 30 }, (_, i) => ({
      receivedAt: T0 + i,
      event: {
        schema: 'learn-go-docker/workshop-event',
        version: 1,
        id: `many-event-${i}`,
        learnerId: `many-learner-${String(i).padStart(2, '0')}`,
        name: `Learner ${String(i).padStart(2, '0')}`,
        at: '2026-11-29T10:00:00.000Z',
        lesson: { id: 'welcome', number: 1 },
        type: 'join',
      },
    }));
    const room = computeRoom(many, T0);
    const view: ViewState = { pane: 'room', selected: 'many-learner-25', scroll: 0 };
    const out = screenLines({ room, view, join: JOIN, detail: undefined, lang: 'en', theme: THEME, width: 80, height: 20 });
    const text = out.lines.map((l) => `${l.lead?.text ?? ''}${l.text}`);
    expect(out.lines).toHaveLength(20);
    expect(text[1]).toMatch(/30 learners .* \(rows 19–30 of 30\)$/);
    expect(text.find((l) => l.startsWith('❯'))).toMatch(/^❯ Learner 25/);
    expect(out.page).toBe(12);
  });

  it('names are cut by display width, Chinese counting two columns', () => {
    expect(fit('陈伟陈伟陈伟', 7)).toBe('陈伟陈…');
    expect(fit('陈伟陈伟陈伟', 8)).toBe('陈伟陈… ');
    expect(fit('Ada', 5)).toBe('Ada  ');
  });

  it('a learner: the last verdict check by check, the help request and the Dockerfile sent with it, numbered', () => {
    const ada = idOf('Ada');
    const detail: DetailState = { learnerId: ada, status: 'ready', detail: learnerDetail(recorded, ada, fullRoom) };
    const lines = shown({ view: { pane: 'learner', selected: ada, scroll: 0 }, detail });
    expect(lines[0]).toBe('Ada · lesson 4 multi-stage · 3 tries · 19 min  STUCK (3 failed in a row) HELP');
    expect(lines[2]).toMatch(/^Last verify at \d\d:\d\d:\d\d \(lesson 4, attempt 3\): failed$/);
    expect(lines.slice(3, 6)).toEqual(['  ✗ dockerfile.multi-stage', '  ✗ image.size', '  ✓ image.builds']);
    expect(lines[7]).toMatch(/^Help request at \d\d:\d\d:\d\d \(lesson 4\): waiting$/);
    expect(lines.slice(8, 11)).toEqual(['Their Dockerfile:', ' 1 │ FROM golang:1.26', ' 2 │ WORKDIR /src']);
    expect(lines).toContain(' 6 │ CMD ["/server"]');
    expect(lines.at(-1)).toBe('↑↓ scroll  Esc back  q quit');
  });

  it('a help request answered by a pass stays readable, marked answered', () => {
    const dana = idOf('Dana');
    const detail: DetailState = { learnerId: dana, status: 'ready', detail: learnerDetail(recorded, dana, fullRoom) };
    const lines = shown({ view: { pane: 'learner', selected: dana, scroll: 0 }, detail });
    expect(lines[2]).toMatch(/\(lesson 4, attempt 2\): passed$/);
    expect(lines.find((l) => l.startsWith('Help request'))).toMatch(/answered \(the lesson was passed since\)$/);
    expect(lines).toContain(' 6 │ FROM gcr.io/distroless/static');
  });

  it('a learner who never asked: no Dockerfile, and why', () => {
    const bo = idOf('Bo');
    const detail: DetailState = { learnerId: bo, status: 'ready', detail: learnerDetail(recorded, bo, fullRoom) };
    const lines = shown({ view: { pane: 'learner', selected: bo, scroll: 0 }, detail });
    expect(lines).toContain('No help request. A learner’s Dockerfile arrives only when they run `ask`.');
    expect(shown({ view: { pane: 'learner', selected: bo, scroll: 0 }, detail, lang: 'zh-CN' })).toContain('没有求助。学员运行 `ask` 时才会发送 Dockerfile。');
  });

  it('a long Dockerfile scrolls within the screen', () => {
    const ada = idOf('Ada');
    const detail: DetailState = { learnerId: ada, status: 'ready', detail: learnerDetail(recorded, ada, fullRoom) };
    const view: ViewState = { pane: 'learner', selected: ada, scroll: 0 };
    const small = screen({ view, detail, height: 10 });
    expect(small.lines).toHaveLength(10);
    expect(small.maxScroll).toBe(6);
    const end = nextView(view, 'pageDown', fullRoom, small);
    expect(end.scroll).toBe(6);
    const bottom = shown({ view: nextView(end, 'pageDown', fullRoom, small), detail, height: 10 });
    expect(bottom.at(-2)).toBe(' 6 │ CMD ["/server"]');
  });

  it('the join pane: the command, the code as text, and the QR code when the terminal holds it', () => {
    const lines = shown({ view: { pane: 'join', scroll: 0 }, height: 40 });
    expect(lines.slice(0, 5)).toEqual([
      'Join the workshop',
      '',
      'Learners type, in their workspace:',
      '  npx learn-go-docker join http://10.0.0.7:8787 K7M4QX',
      'Join code: K7M4QX',
    ]);
    const qr = screen({ view: { pane: 'join', scroll: 0 }, height: 40 }).lines.filter((l) => l.qr);
    expect(qr.map((l) => l.text)).toEqual(JOIN.qr);
    expect(shown({ view: { pane: 'join', scroll: 0 }, height: 24 })).toContain('Make the terminal at least 41×29 to show the QR code here.');
  });
});

describe('keys', () => {
  const key = (over: Partial<Key> = {}): Key => ({ ...Object.fromEntries(Object.keys(over).map((k) => [k, false])), ...over }) as Key;

  it('map to actions', () => {
    expect(actionOf('', key({ upArrow: true }))).toBe('up');
    expect(actionOf('j', key())).toBe('down');
    expect(actionOf('', key({ return: true }))).toBe('open');
    expect(actionOf('', key({ escape: true, meta: true }))).toBe('back');
    expect(actionOf('q', key({ meta: true }))).toBeUndefined();
    expect(actionOf('c', key({ ctrl: true }))).toBe('interrupt');
    expect(actionOf('c', key())).toBe('join');
    expect(actionOf('q', key())).toBe('quit');
    expect(actionOf('x', key())).toBeUndefined();
  });

  it('the selection stays on the same learner when the rows re-sort', () => {
    const limits = { page: 10, maxScroll: 0 };
    const onAda = nextView(INITIAL_VIEW, 'down', fullRoom, limits);
    expect(onAda.selected).toBe(idOf('Ada'));
    // Ada passes lesson 4 and moves on to lesson 5: she is now the last row.
    const moved = computeRoom(
      [
        ...recorded,
        {
          receivedAt: NOW,
          event: { ...(recorded[0]?.event as LoggedEvent['event']), id: 'evt-moved', lesson: { id: 'static-binaries', number: 5 }, type: 'join' },
        },
      ],
      NOW,
    );
    expect(moved.learners.at(-1)?.name).toBe('Ada');
    expect(nextView(onAda, 'up', moved, limits).selected).toBe(idOf('Dana'));
    expect(nextView(onAda, 'open', moved, limits)).toEqual({ pane: 'learner', selected: idOf('Ada'), scroll: 0 });
    expect(nextView({ pane: 'learner', selected: idOf('Ada'), scroll: 3 }, 'back', moved, limits)).toEqual({ pane: 'room', selected: idOf('Ada'), scroll: 0 });
  });
});

// --- The Ink app, driven like a terminal -----------------------------------------------------------

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const KEYS = { down: '\u001B[B', up: '\u001B[A', enter: '\r', escape: '\u001B', ctrlC: '\u0003' } as const;

/** The recorded stream played into a room, as the server's onEvent would announce each event. */
const replay = () => {
  const events: LoggedEvent[] = [];
  const listeners = new Set<() => void>();
  const source: RoomSource = {
    room: (): RoomState => computeRoom(events, NOW),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const push = (...more: LoggedEvent[]) => {
    events.push(...more);
    for (const listener of listeners) listener();
  };
  return { source, events, push };
};

const start = async (rows = 30) => {
  const stream = replay();
  const quits: string[] = [];
  const app = render(
    createElement(WorkshopApp, {
      source: stream.source,
      join: JOIN,
      lang: 'en',
      theme: THEME,
      loadDetail: async (id: string, room: RoomState) => learnerDetail(stream.events, id, room),
      onQuit: (how: 'quit' | 'interrupted') => quits.push(how),
      settleMs: 10,
    }),
  );
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
  const frame = () => app.lastFrame() ?? '';
  const waitFor = async (text: string): Promise<string> => {
    const until = Date.now() + 3000;
    while (!frame().includes(text)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; last frame:\n${frame()}`);
      await delay(20);
    }
    // The handler subscribes in an effect just after the frame: let it, so the next key is not lost.
    await delay(60);
    return frame();
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await delay(60);
    }
  };
  await delay(60);
  return { app, ...stream, quits, frame, waitFor, press };
};

describe('the live view', () => {
  it('follows the recorded stream, opens a learner’s Dockerfile and verdict, and goes back', async () => {
    const view = await start();
    await view.waitFor('Nobody has joined yet');
    view.push(...recorded.slice(0, 4));
    // Nineteen minutes since they joined and no verify yet: stuck by time, every one.
    let frame = await view.waitFor('4 learners · 4 stuck · 0 asking for help');
    expect(frame).toMatch(/❯ 陈伟 +2 first-image +0 +18 +STUCK \(18 min\)\n/);
    view.push(...recorded.slice(4));
    frame = await view.waitFor('4 learners · 2 stuck · 1 asking for help');
    expect(frame).toContain('STUCK (3 failed in a row) HELP');
    expect(frame).toContain('Failing most: dockerfile.multi-stage (2 now, 4 in all)');

    await view.press(KEYS.down);
    frame = await view.waitFor('❯ Ada');
    await view.press(KEYS.enter);
    frame = await view.waitFor('Their Dockerfile:');
    expect(frame.split('\n')[0]).toBe('Ada · lesson 4 multi-stage · 3 tries · 19 min  STUCK (3 failed in a row) HELP');
    expect(frame).toContain('  ✗ dockerfile.multi-stage\n  ✗ image.size\n  ✓ image.builds');
    expect(frame).toMatch(/Help request at \d\d:\d\d:\d\d \(lesson 4\): waiting/);
    expect(frame).toContain(' 4 │ RUN go build -o /server ./cmd/server');

    // Ada passes while her pane is open: it reads her again.
    const [first] = recorded;
    view.push({
      receivedAt: NOW,
      event: {
        ...(first?.event as LoggedEvent['event']),
        id: 'evt-ada-pass',
        at: '2026-11-29T10:19:00.000Z',
        type: 'verify',
        passed: true,
        passedChecks: ['dockerfile.multi-stage', 'image.size', 'image.builds'],
        failedChecks: [],
        attempts: 4,
        lessonSeconds: 900,
      },
    });
    frame = await view.waitFor('answered (the lesson was passed since)');
    expect(frame).toMatch(/\(lesson 4, attempt 4\): passed/);
    expect(frame.split('\n')[0]).toBe('Ada · lesson 4 multi-stage · 4 tries · 15 min  ✓');

    await view.press(KEYS.escape);
    frame = await view.waitFor('Enter open');
    expect(frame).toContain('❯ Ada');
    expect(frame).toContain('4 learners · 1 stuck · 0 asking for help');
    view.app.unmount();
  });

  it('c shows the join code and its QR code; Esc goes back; q and Ctrl-C quit', async () => {
    const view = await start(40);
    view.push(...recorded);
    await view.waitFor('Enter open');
    await view.press('c');
    const frame = await view.waitFor('Join the workshop');
    expect(frame).toContain('Join code: K7M4QX');
    expect(frame).toContain((JOIN.qr[0] as string).trimEnd());
    expect(frame).toContain((JOIN.qr[5] as string).trimEnd());
    await view.press(KEYS.escape);
    await view.waitFor('Enter open');
    await view.press('q');
    expect(view.quits).toEqual(['quit']);
    await view.press(KEYS.ctrlC);
    expect(view.quits).toEqual(['quit', 'interrupted']);
    view.app.unmount();
  });
});
