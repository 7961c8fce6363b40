import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseContainerInspect, parseTopProcesses } from '../../../src/engine/docker/parse-inspect.js';
import { walkTar, type TarEntry } from '../../../src/engine/docker/tar-scan.js';

// The readers behind volume.writable (owner and mode from docker export), container.pid1 (docker
// top with parents and command lines) and container.healthy (probe start times, the main pid).

interface Entry {
  readonly name: string;
  readonly type: string;
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly link?: string;
  readonly pax?: Record<string, string>;
}

const header = (e: Pick<Entry, 'name' | 'type' | 'mode' | 'uid' | 'gid' | 'link'>, size = 0): Buffer => {
  const h = Buffer.alloc(512);
  h.write(e.name, 0);
  h.write(e.mode, 100);
  h.write(e.uid.toString(8).padStart(7, '0'), 108);
  h.write(e.gid.toString(8).padStart(7, '0'), 116);
  h.write(size.toString(8).padStart(11, '0'), 124);
  h.write(e.type, 156);
  if (e.link) h.write(e.link, 157);
  h.write('ustar', 257);
  return h;
};

const makeTar = (entries: readonly Entry[]): Buffer => {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const body = Buffer.from(
        Object.entries(e.pax)
          .map(([k, v]) => {
            const rest = ` ${k}=${v}\n`;
            let n = rest.length + 2;
            while (String(n).length + rest.length !== n) n += 1;
            return `${n}${rest}`;
          })
          .join(''),
      );
      blocks.push(
        header({ name: 'PaxHeader', type: 'x', mode: '0000644', uid: 0, gid: 0 }, body.length),
        body,
        Buffer.alloc((512 - (body.length % 512)) % 512),
      );
    }
    blocks.push(header(e));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
};

const entriesOf = async (tar: Buffer): Promise<TarEntry[]> => {
  const out: TarEntry[] = [];
  await walkTar(
    Readable.from([tar.subarray(0, 700), tar.subarray(700)]),
    () => undefined,
    (e) => out.push(e),
  );
  return out;
};

describe('tar reader: owner, mode and links', () => {
  it('reads mode, uid, gid and a link target from the headers, and large ids from PAX records', async () => {
    const entries = await entriesOf(
      makeTar([
        { name: 'data/', type: '5', mode: '0000755', uid: 65532, gid: 65532 },
        { name: 'tmp/', type: '5', mode: '0001777', uid: 0, gid: 0 },
        { name: 'srv', type: '2', mode: '0000777', uid: 0, gid: 0, link: 'data' },
        { name: 'big/', type: '5', mode: '0000700', uid: 0, gid: 0, pax: { uid: '3000000', gid: '3000001' } },
      ]),
    );
    expect(entries.map((e) => [e.path, e.type, e.mode?.toString(8), e.uid, e.gid, e.link])).toEqual([
      ['data/', '5', '755', 65532, 65532, undefined],
      ['tmp/', '5', '1777', 0, 0, undefined],
      ['srv', '2', '777', 0, 0, 'data'],
      ['big/', '5', '700', 3000000, 3000001, undefined],
    ]);
  });
});

describe('docker top with parents and command lines', () => {
  it('keeps the whole command line, spaces included', () => {
    const text = [
      'PID                 PPID                UID                 COMMAND',
      '27428               27408               0                   /bin/sh -c /docker-entrypoint.sh',
      '27459               27428               65532               /server --flag "a b"',
    ].join('\n');
    expect(parseTopProcesses(text)).toEqual([
      { pid: 27428, ppid: 27408, uid: 0, args: '/bin/sh -c /docker-entrypoint.sh' },
      { pid: 27459, ppid: 27428, uid: 65532, args: '/server --flag "a b"' },
    ]);
  });
  it('returns nothing without the columns it needs', () => {
    expect(parseTopProcesses('UID PID\n0 1\n')).toEqual([]);
  });
});

describe('container inspect: main pid and probe times', () => {
  it('reads State.Pid and each probe start and end', () => {
    const state = parseContainerInspect(
      JSON.stringify([
        {
          Id: 'c',
          State: {
            Running: true,
            Pid: 4242,
            Health: { Status: 'healthy', Log: [{ Start: '2026-01-01T00:00:05.1Z', End: '2026-01-01T00:00:05.2Z', ExitCode: 0, Output: 'healthy: x\n' }] },
          },
        },
      ]),
    );
    expect(state.pid).toBe(4242);
    expect(state.healthLog).toEqual([{ exitCode: 0, output: 'healthy: x\n', start: '2026-01-01T00:00:05.1Z', end: '2026-01-01T00:00:05.2Z' }]);
  });
});
