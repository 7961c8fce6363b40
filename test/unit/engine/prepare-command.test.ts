import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helpFor } from '../../../src/commands/help.js';
import { formatImport, prepareEventPrinter } from '../../../src/commands/prepare.js';
import { L } from '../../../src/engine/i18n.js';
import type { PrepareEvent } from '../../../src/engine/prepare/types.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { runCli } from '../hostile/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lgd-prepare-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const printed = (events: PrepareEvent[], lang: 'en' | 'zh-CN' = 'en', times: number[] = []): string[] => {
  const lines: string[] = [];
  let i = 0;
  const print = prepareEventPrinter(
    lang,
    (line) => lines.push(line),
    false,
    () => times[Math.min(i++, times.length - 1)] ?? 0,
  );
  for (const event of events) print(event);
  return lines;
};

describe('prepare: what the command prints', () => {
  it('an image here, a pull with sizes, throttled progress, the overall line with the time left', () => {
    const lines = printed(
      [
        { type: 'platform', platform: 'linux/amd64', images: 2 },
        { type: 'image-present', ref: 'golang:1.26-trixie', index: 1, total: 2, size: 1.1e9 },
        { type: 'image-pull', ref: 'debian:trixie-slim', index: 2, total: 2, bytesTotal: 30e6 },
        { type: 'image-progress', ref: 'debian:trixie-slim', layers: 3, layersDone: 1, bytesDone: 10e6, bytesTotal: 30e6 },
        { type: 'image-progress', ref: 'debian:trixie-slim', layers: 3, layersDone: 2, bytesDone: 20e6, bytesTotal: 30e6 },
        { type: 'overall', imagesDone: 0, images: 1, bytesDone: 20e6, bytesTotal: 30e6, etaSeconds: 95 },
        { type: 'image-pulled', ref: 'debian:trixie-slim', seconds: 4.2, size: 74.8e6 },
        { type: 'overall', imagesDone: 1, images: 1, bytesDone: 30e6, bytesTotal: 30e6, etaSeconds: 0 },
      ],
      'en',
      // the first progress at 4 s is due, the second at 5 s is not (3 s apart at least)
      [0, 4000, 5000, 5000, 6000, 6000],
    );
    expect(lines).toEqual([
      'Preparing for linux/amd64: 2 base images.',
      '✔ [1/2] golang:1.26-trixie: already here (1.10 GB), not pulled',
      '  [2/2] debian:trixie-slim: pulling (30.0 MB)',
      '      [███████░░░░░░░░░░░░░]  33% debian:trixie-slim: 1 of 3 layers, 10.0 MB of 30.0 MB',
      '      [█████████████░░░░░░░]  66% Overall: 0 of 1 images, 20.0 MB of 30.0 MB, about 2 min left',
      '✔ debian:trixie-slim: pulled in 4.2 s (74.8 MB)',
      '      [████████████████████] 100% Overall: 1 of 1 images, 30.0 MB of 30.0 MB',
    ]);
  });

  it('bytes written and read, with the time left; Chinese by the spacing rule', () => {
    const events: PrepareEvent[] = [
      { type: 'step', step: 'save', message: L('Saving 4 images into w.tar', '把 4 个镜像保存到 w.tar') },
      { type: 'bytes', step: 'save', bytes: 300e6, total: 1e9, etaSeconds: 40 },
      { type: 'bytes', step: 'load', bytes: 1e9, total: 1e9, etaSeconds: 0 },
      { type: 'image-failed', ref: 'x', message: L('x is missing.', '缺少 x。') },
    ];
    expect(printed(events)).toEqual([
      'Saving 4 images into w.tar…',
      '      300.0 MB of about 1.00 GB written, about 40 s left',
      '      1.00 GB of 1.00 GB read',
      '✖ x is missing.',
    ]);
    const zh = printed(events, 'zh-CN');
    expect(zh[1]).toBe('      已写入 300.0 MB / 约 1.00 GB，大约还需 40 秒');
    for (const line of zh) expect(cjkSpacingProblems(line)).toEqual([]);
  });

  it("the import's success says when the archive was made, as people read a time", () => {
    const text = formatImport(
      { file: 'w.tar', platform: 'linux/amd64', createdAt: '2026-11-30T08:02:38.451Z', tool: '0.1.0', ok: true, images: [], modules: null },
      'en',
    );
    expect(text).toContain('(linux/amd64, made 2026-11-30 08:02 UTC)');
    expect(
      formatImport({ file: 'w.tar', platform: 'linux/amd64', createdAt: 'yesterday', tool: '0.1.0', ok: true, images: [], modules: null }, 'en'),
    ).toContain('made yesterday)');
  });

  it('the import verdict names each image and its IDs', () => {
    const text = formatImport(
      {
        file: 'w.tar',
        platform: 'linux/arm64',
        createdAt: '2026-11-30T00:00:00.000Z',
        tool: '0.1.0',
        ok: false,
        images: [
          { ref: 'golang:1.26-trixie', expectedId: `sha256:${'a'.repeat(64)}`, status: 'ok', actualId: `sha256:${'a'.repeat(64)}` },
          { ref: 'debian:trixie-slim', expectedId: `sha256:${'b'.repeat(64)}`, status: 'missing' },
          {
            ref: 'gcr.io/distroless/static-debian13:nonroot',
            expectedId: `sha256:${'c'.repeat(64)}`,
            status: 'mismatch',
            actualId: `sha256:${'d'.repeat(64)}`,
          },
        ],
        modules: null,
      },
      'en',
    );
    expect(text.split('\n')).toEqual([
      '✔ golang:1.26-trixie: loaded, ID aaaaaaaaaaaa as the archive says',
      '✖ debian:trixie-slim: not on this machine after loading (the archive says ID bbbbbbbbbbbb)',
      '✖ gcr.io/distroless/static-debian13:nonroot: this machine has ID dddddddddddd under that name, the archive says cccccccccccc',
      '',
      'Not complete: see the ✖ lines above. Copy the archive again, or ask for a new one.',
    ]);
  });
});

describe('prepare at the command line (no Docker needed for these)', () => {
  it('has its help, in Chinese by the spacing rule, and a line in the general help', async () => {
    const run = await runCli(['prepare', '--help']);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toBe('npx learn-go-docker prepare [--platform linux/amd64|linux/arm64] [--mirror M]... [--json]');
    expect(cjkSpacingProblems(helpFor('prepare')['zh-CN'])).toEqual([]);
    expect(helpFor(undefined).en).toContain('prepare --export FILE | --import FILE');
    expect(cjkSpacingProblems(helpFor(undefined)['zh-CN'])).toEqual([]);
  });

  it('refuses --export with --import, and a platform the course is not for, before asking Docker', async () => {
    const both = await runCli(['prepare', '--export', 'a.tar', '--import', 'b.tar']);
    expect(both.code).toBe(2);
    expect(both.err.split('\n')[0]).toBe('prepare takes --export or --import, not both.');
    const platform = await runCli(['prepare', '--platform', 'linux/s390x']);
    expect(platform.code).toBe(2);
    expect(platform.err.split('\n')[0]).toBe('--platform must be linux/amd64 or linux/arm64, not "linux/s390x".');
    const value = await runCli(['prepare', '--import']);
    expect(value.err.split('\n')[0]).toBe('--import needs a value, e.g. --import workshop.tar.');
  });

  it('an archive that cannot be used is one line, exit 2, no stack trace', async () => {
    const missing = await runCli(['prepare', '--import', join(dir, 'nope.tar')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`${join(dir, 'nope.tar')} is not a usable workshop archive: there is no such file.\n`);
    const junk = join(dir, 'junk.tar');
    writeFileSync(junk, 'not a tar at all, and longer than one block'.repeat(20));
    const run = await runCli(['prepare', '--import', junk]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`${junk} is not a usable workshop archive: it does not start with a tar header; it was not made by prepare --export.\n`);
    // A folder given for the archive: one line (it was a stack trace), in both directions.
    const folder = await runCli(['prepare', '--import', dir]);
    expect(folder.code).toBe(2);
    expect(folder.err).toBe(`${dir} is not a usable workshop archive: it is a folder: give the archive file in it.\n`);
  });

  it('checks where --export writes before saving anything: a folder, or a folder that does not exist', async () => {
    const folder = await runCli(['prepare', '--export', dir]);
    expect(folder.code).toBe(2);
    expect(folder.err).toBe(`${dir} is a folder: give the archive a file name, e.g. ${join(dir, 'workshop.tar')}\n`);
    const nowhere = await runCli(['prepare', '--export', join(dir, 'no-such-folder', 'w.tar')], { lang: 'zh-CN' });
    expect(nowhere.code).toBe(2);
    expect(nowhere.err.split('\n')[0]).toBe(`文件夹 ${join(dir, 'no-such-folder')} 不存在：请先创建它，或者把归档写到别处。`);
  });
});
