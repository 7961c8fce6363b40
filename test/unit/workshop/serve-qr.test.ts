import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/context.js';
import { workshopCommand } from '../../../src/commands/workshop.js';
import { roomTable } from '../../../src/commands/workshop-table.js';
import { readWorkshopLearner, readWorkshopRoom } from '../../../src/engine/index.js';
import { decodeQr, modulesFromText } from './qr-decode.js';

// `workshop serve` without a terminal: today's plain output plus the join QR code, which must
// read back as the command learners type. And the engine entry the live view reads a learner with.

const FIXTURE = join(import.meta.dirname, '../../fixtures/workshop/room');

const context = (signal: AbortSignal, lang: 'en' | 'zh-CN' = 'en') => {
  let out = '';
  const ctx: CommandContext = {
    lang,
    langExplicit: true,
    cwd: tmpdir(),
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (out += t) },
    interactive: false,
    color: false,
    signal,
  };
  return { ctx, out: () => out };
};

describe('workshop serve prints the join QR code', () => {
  it('after the join command, as half blocks that decode to that command; then the plain table as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-serve-qr-'));
    try {
      const abort = new AbortController();
      const { ctx, out } = context(abort.signal);
      const running = workshopCommand(ctx, { action: 'serve', dir, host: '127.0.0.1', port: '0', md: false, csv: false, json: false });
      await expect.poll(out).toContain('(nobody has joined yet)');
      abort.abort();
      expect(await running).toBe(0);
      const url = /Workshop server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out())?.[1] as string;
      const code = /Join code: ([A-Z0-9]{6})/.exec(out())?.[1] as string;
      const lines = out().split('\n');
      const scan = lines.indexOf(`Or scan this code to copy the command (join code ${code}):`);
      expect(scan).toBe(lines.indexOf(`  npx learn-go-docker join ${url} ${code} --name "…"`) + 1);
      const qr = lines.slice(
        scan + 1,
        lines.findIndex((l, i) => i > scan && !/^[ █▀▄]+$/.test(l)),
      );
      expect(qr.length).toBeGreaterThan(10);
      expect(decodeQr(modulesFromText(qr, 4)).text).toBe(`npx learn-go-docker join ${url} ${code}`);
      expect(lines[scan + qr.length + 1]).toMatch(/^The room is kept in /);
      expect(out()).toContain('Ctrl-C stops the server.');
      expect(out()).toContain('Stopped. Start again with the same --dir to continue the room');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('in Chinese too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-serve-qr-'));
    try {
      const abort = new AbortController();
      const { ctx, out } = context(abort.signal, 'zh-CN');
      const running = workshopCommand(ctx, { action: 'serve', dir, host: '127.0.0.1', port: '0', md: false, csv: false, json: false });
      await expect.poll(out).toContain('（还没有人加入）');
      abort.abort();
      await running;
      expect(out()).toMatch(/\n或扫描二维码复制命令（加入码 [A-Z0-9]{6}）：\n█+\n/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the room read for the instructor', () => {
  it('the plain table of the recorded room is unchanged by the shared marks', async () => {
    const { room } = await readWorkshopRoom(FIXTURE);
    expect(roomTable(room, 'en').split('\n').slice(1)).toEqual([
      '  learner               lesson                     tries  min',
      '  陈伟                    3 layers-and-cache             2    7  ✓',
      '  Ada                   4 multi-stage                  3   10  STUCK (3 failed in a row) HELP',
      '  Bo                    4 multi-stage                  1    6',
      '  Dana                  4 multi-stage                  2    8  ✓',
      '  failing most: dockerfile.multi-stage (2 now, 4 in all), image.size (1 now, 4 in all)',
      '',
    ]);
    expect(roomTable(room, 'zh-CN')).toContain('  Ada                   4 multi-stage                  3   10  卡住（连续失败 3 次） 求助\n');
  });

  it('one learner’s last verify and help request, from the log', async () => {
    const { room } = await readWorkshopRoom(FIXTURE);
    const ada = room.learners.find((l) => l.name === 'Ada')?.learnerId as string;
    const detail = await readWorkshopLearner(FIXTURE, ada, room);
    expect(detail?.lastVerify).toMatchObject({
      passed: false,
      attempts: 3,
      failedChecks: ['dockerfile.multi-stage', 'image.size'],
      passedChecks: ['image.builds'],
    });
    expect(detail?.lastHelp).toMatchObject({ pending: true, lesson: { number: 4 } });
    expect(detail?.lastHelp?.dockerfile).toMatch(/^FROM golang:1\.26\n/);
    const dana = room.learners.find((l) => l.name === 'Dana')?.learnerId as string;
    expect((await readWorkshopLearner(FIXTURE, dana))?.lastHelp?.pending).toBe(false);
    expect(await readWorkshopLearner(FIXTURE, 'nobody-at-all')).toBeUndefined();
  });
});
