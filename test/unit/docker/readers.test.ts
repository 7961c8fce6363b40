import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { buildkitFeatures } from '../../../src/engine/dockerfile/buildkit-features.js';
import { parseElf } from '../../../src/engine/docker/elf.js';
import { findInTar, walkTar } from '../../../src/engine/docker/tar-scan.js';

/** A minimal ELF64 little-endian file: program headers (optionally PT_INTERP) and named sections. */
const makeElf = (options: { interp?: string; sections: string[] }): Buffer => {
  const phnum = options.interp ? 2 : 1;
  const ehsize = 64;
  const phoff = ehsize;
  const phentsize = 56;
  const interpOff = phoff + phnum * phentsize;
  const interpBytes = Buffer.from(`${options.interp ?? ''}\0`);
  const strtabOff = interpOff + interpBytes.length;
  const names = ['', ...options.sections, '.shstrtab'];
  const strtab = Buffer.from(names.map((n) => `${n}\0`).join(''));
  const shoff = strtabOff + strtab.length;
  const shentsize = 64;
  const shnum = names.length;
  const buf = Buffer.alloc(shoff + shnum * shentsize);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = 2;
  buf[5] = 1;
  buf.writeUInt16LE(2, 16);
  buf.writeUInt16LE(62, 18);
  buf.writeBigUInt64LE(BigInt(phoff), 32);
  buf.writeBigUInt64LE(BigInt(shoff), 40);
  buf.writeUInt16LE(phentsize, 54);
  buf.writeUInt16LE(phnum, 56);
  buf.writeUInt16LE(shentsize, 58);
  buf.writeUInt16LE(shnum, 60);
  buf.writeUInt16LE(shnum - 1, 62);
  buf.writeUInt32LE(1, phoff); // PT_LOAD
  if (options.interp) {
    const ph = phoff + phentsize;
    buf.writeUInt32LE(3, ph); // PT_INTERP
    buf.writeBigUInt64LE(BigInt(interpOff), ph + 8);
    buf.writeBigUInt64LE(BigInt(interpBytes.length), ph + 32);
    interpBytes.copy(buf, interpOff);
  }
  strtab.copy(buf, strtabOff);
  let nameOff = 0;
  names.forEach((name, i) => {
    const sh = shoff + i * shentsize;
    buf.writeUInt32LE(nameOff, sh);
    if (name === '.shstrtab') buf.writeBigUInt64LE(BigInt(strtabOff), sh + 24);
    nameOff += name.length + 1;
  });
  return buf;
};

describe('ELF reader', () => {
  it('tells static from dynamic and stripped from not', () => {
    const dynamic = parseElf(makeElf({ interp: '/lib64/ld-linux-x86-64.so.2', sections: ['.text', '.symtab'] }));
    expect(dynamic?.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(dynamic?.stripped).toBe(false);
    const staticStripped = parseElf(makeElf({ sections: ['.text', '.rodata'] }));
    expect(staticStripped?.interpreter).toBeNull();
    expect(staticStripped?.stripped).toBe(true);
    expect(staticStripped?.sections).toContain('.rodata');
  });
  it('returns undefined for a script', () => {
    expect(parseElf(Buffer.from('#!/bin/sh\nexec /server\n'.padEnd(80)))).toBeUndefined();
  });
});

/** A ustar archive built by hand (header fields the reader uses; checksum filled for realism). */
const makeTar = (entries: { name: string; content?: string; type?: string }[]): Buffer => {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    let name = entry.name;
    if (Buffer.byteLength(name) > 100) {
      const long = Buffer.from(`${name}\0`);
      const lh = Buffer.alloc(512);
      lh.write('././@LongLink', 0);
      lh.write(long.length.toString(8).padStart(11, '0'), 124);
      lh.write('L', 156);
      blocks.push(lh, long, Buffer.alloc((512 - (long.length % 512)) % 512));
      name = name.slice(0, 99);
    }
    header.write(name, 0);
    header.write('0000644', 100);
    header.write(content.length.toString(8).padStart(11, '0'), 124);
    header.write(entry.type ?? '0', 156);
    header.write('ustar', 257);
    header.write('        ', 148);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
};

/** Feeds a buffer in small, odd-sized chunks to exercise boundaries. */
const chunked = (buf: Buffer, size = 97) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
    })(),
  );

describe('tar reader', () => {
  const long = `deep/${'x'.repeat(120)}/secret.txt`;
  const tar = makeTar([
    { name: 'etc/', type: '5' },
    { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
    { name: 'app/key', content: `${'a'.repeat(700)}TOPSECRET-12345${'b'.repeat(300)}` },
    { name: long, content: 'nothing' },
  ]);
  it('walks every entry, including GNU long names', async () => {
    const paths: string[] = [];
    await walkTar(
      chunked(tar),
      () => undefined,
      (e) => paths.push(e.path),
    );
    expect(paths).toEqual(['etc/', 'etc/passwd', 'app/key', long]);
  });
  it('finds a value split across chunks and counts files', async () => {
    for (const size of [7, 97, 512, 4096]) {
      const found = await findInTar(chunked(tar, size), 'TOPSECRET-12345');
      expect(found.path).toBe('app/key');
    }
    const missing = await findInTar(chunked(tar), 'not-there');
    expect(missing).toEqual({ path: undefined, files: 4 });
  });
});

describe('BuildKit-only syntax (from the Dockerfile analysis)', () => {
  const features = (text: string) => buildkitFeatures(analyzeDockerfile(text));
  it('finds mounts, heredocs, --link and --chmod with their lines', () => {
    const text =
      '# syntax=docker/dockerfile:1\nFROM golang:1.26 AS build\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN <<EOF\necho hi\nEOF\nCOPY --link . .\nCOPY --chmod=755 run.sh /run.sh\nRUN echo ok\n';
    expect(features(text)).toEqual([
      { feature: 'run-mount', line: 3 },
      { feature: 'heredoc', line: 4 },
      { feature: 'copy-link', line: 7 },
      { feature: 'copy-chmod', line: 8 },
    ]);
    expect(features('FROM scratch\nCOPY server /server\nENTRYPOINT ["/server"]\n')).toEqual([]);
  });

  it('finds a --mount on the continuation line of RUN \\ (as BuildKit reads it)', () => {
    const text = 'FROM golang:1.26\nRUN \\\n  --mount=type=cache,target=/go/pkg/mod \\\n  go mod download\n';
    expect(features(text)).toEqual([{ feature: 'run-mount', line: 2 }]);
  });
});

describe('entrypoint program', async () => {
  const { candidatePaths, entrypointProgram, scriptTarget } = await import('../../../src/engine/checks/docker/binary.js');
  const image = (over: Record<string, unknown>) =>
    ({
      id: '',
      size: 0,
      user: '',
      env: ['PATH=/usr/local/bin:/usr/bin'],
      entrypoint: null,
      cmd: null,
      exposedPorts: [],
      labels: {},
      healthcheck: null,
      workingDir: '/app',
      architecture: 'amd64',
      os: 'linux',
      created: '',
      ...over,
    }) as Parameters<typeof entrypointProgram>[0];
  it('reads exec form, shell form and CMD', () => {
    expect(entrypointProgram(image({ entrypoint: ['/server'] }))).toBe('/server');
    expect(entrypointProgram(image({ entrypoint: ['/bin/sh', '-c', 'exec /app/server --port 8080'] }))).toBe('/app/server');
    expect(entrypointProgram(image({ cmd: ['./server'] }))).toBe('./server');
  });
  it('resolves relative names against WorkingDir and PATH', () => {
    expect(candidatePaths('./server', image({}))).toEqual(['/app/server']);
    expect(candidatePaths('server', image({}))).toEqual(['/usr/local/bin/server', '/usr/bin/server']);
  });
  it('finds what a script execs', () => {
    expect(scriptTarget('#!/bin/sh\nset -e\nexec /server "$@"\n')).toBe('/server');
    expect(scriptTarget('#!/bin/sh\nexec "$@"\n')).toBeUndefined();
  });
});
