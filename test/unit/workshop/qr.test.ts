import { describe, expect, it } from 'vitest';
import {
  byteCapacity,
  dataCodewords,
  encodeQr,
  formatBits,
  MAX_VERSION,
  penalty,
  qrToText,
  reedSolomon,
  versionBits,
  versionFor,
} from '../../../src/engine/workshop/qr.js';
import { decodeQr, modulesFromText } from './qr-decode.js';

// The join QR code: known vectors worked out by hand from ISO/IEC 18004, and every symbol read
// back by the independent decoder of qr-decode.ts (finders, timing, both format copies and their
// BCH check, version bits, Reed–Solomon syndromes, then the bytes).

const hex = (words: readonly number[]) => words.map((w) => w.toString(16).padStart(2, '0')).join(' ');

describe('QR building blocks', () => {
  it('Reed–Solomon matches the standard’s worked example and a second hand-checked block', () => {
    // ISO/IEC 18004 Annex I: "01234567" at 1-M (numeric mode), data then its 10 EC codewords.
    const annex = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
    expect(hex(reedSolomon(annex, 10))).toBe('a5 24 d4 c1 ed 36 c7 87 2c 55');
    // "HELLO WORLD" at 1-M (alphanumeric mode).
    const hello = [0x20, 0x5b, 0x0b, 0x78, 0xd1, 0x72, 0xdc, 0x4d, 0x43, 0x40, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
    expect(hex(reedSolomon(hello, 10))).toBe('c4 23 27 77 eb d7 e7 e2 5d 17');
  });

  it('lays out byte-mode data as worked by hand: mode 0100, count, bytes, terminator, pad EC 11', () => {
    // 0100 00000101 01101000 01100101 01101100 01101100 01101111 0000 → 40 56 86 56 c6 c6 f0, then nine pads.
    expect(hex(dataCodewords(new TextEncoder().encode('hello'), 1))).toBe('40 56 86 56 c6 c6 f0 ec 11 ec 11 ec 11 ec 11 ec');
    // Version 10 counts in 16 bits: 0100 0000000000000001 01000001 0000 → 40 00 14 10.
    expect(hex(dataCodewords(new TextEncoder().encode('A'), 10).slice(0, 5))).toBe('40 00 14 10 ec');
  });

  it('format bits for level M and each mask are the standard’s table', () => {
    const table = [
      '101010000010010',
      '101000100100101',
      '101111001111100',
      '101101101001011',
      '100010111111001',
      '100000011001110',
      '100111110010111',
      '100101010100000',
    ];
    expect(Array.from({ length: 8 }, (_, mask) => formatBits(mask).toString(2).padStart(15, '0'))).toEqual(table);
  });

  it('version bits for versions 7–10 are the standard’s table', () => {
    expect([7, 8, 9, 10].map((v) => versionBits(v).toString(16))).toEqual(['7c94', '85bc', '9a99', 'a4d3']);
  });

  it('byte capacities at level M and the smallest version that holds a text', () => {
    expect(Array.from({ length: MAX_VERSION }, (_, i) => byteCapacity(i + 1))).toEqual([14, 26, 42, 62, 84, 106, 122, 152, 180, 213]);
    expect([1, 14, 15, 62, 63, 213].map(versionFor)).toEqual([1, 1, 2, 4, 5, 10]);
    expect(versionFor(214)).toBeUndefined();
    expect(() => encodeQr('x'.repeat(214))).toThrow(RangeError);
  });
});

describe('QR symbols read back', () => {
  it('every version from 1 to 10, filled to its capacity, decodes to its text', () => {
    for (let v = 1; v <= MAX_VERSION; v++) {
      const text = `v${v}:`.padEnd(byteCapacity(v), 'x');
      const qr = encodeQr(text);
      expect(qr.version).toBe(v);
      expect(qr.size).toBe(17 + 4 * v);
      expect(decodeQr(qr.modules)).toMatchObject({ text, version: v, mask: qr.mask });
    }
  });

  it('every mask decodes, and the chosen one has the lowest penalty (the first on a tie)', () => {
    const text = 'npx learn-go-docker join http://192.168.1.20:8787 K7M4QX';
    const all = Array.from({ length: 8 }, (_, mask) => encodeQr(text, { mask }));
    for (const [mask, qr] of all.entries()) expect(decodeQr(qr.modules)).toMatchObject({ text, mask, formatBits: formatBits(mask) });
    const scores = all.map((qr) => penalty(qr.modules));
    const chosen = encodeQr(text);
    expect(chosen.mask).toBe(scores.indexOf(Math.min(...scores)));
    expect(chosen.version).toBe(4);
  });

  it('UTF-8 text (a Chinese name) and an IPv6 address round-trip', () => {
    for (const text of ['学员 陈伟 加入码 K7M4QX', 'npx learn-go-docker join http://[fe80::1c2d:3e4f:5a6b:7c8d]:8787 K7M4QX'])
      expect(decodeQr(encodeQr(text).modules).text).toBe(text);
  });

  it('the decoder is no rubber stamp: one flipped data module, a damaged finder or format bit is caught', () => {
    const qr = encodeQr('K7M4QX');
    const flipped = (r: number, c: number) => qr.modules.map((row, i) => row.map((dark, j) => (i === r && j === c ? !dark : dark)));
    expect(() => decodeQr(flipped(qr.size - 1, qr.size - 1))).toThrow(/syndrome/);
    expect(() => decodeQr(flipped(3, 3))).toThrow(/finder/);
    expect(() => decodeQr(flipped(8, 0))).toThrow(/format/);
  });

  it('the same text gives the same symbol', () => {
    expect(encodeQr('K7M4QX').modules).toEqual(encodeQr('K7M4QX').modules);
  });
});

describe('QR as terminal text', () => {
  const text = 'npx learn-go-docker join http://10.0.0.7:8787 ABCDEF';
  const qr = encodeQr(text);

  it('two module rows a line, light modules drawn, a margin of four light modules', () => {
    const lines = qrToText(qr);
    const span = qr.size + 8;
    expect(lines).toHaveLength(Math.ceil(span / 2));
    for (const line of lines) expect([...line]).toHaveLength(span);
    expect(lines.every((line) => /^[ █▀▄]+$/.test(line))).toBe(true);
    // The margin is light (drawn), so the first two lines are full blocks.
    expect(lines[0]).toBe('█'.repeat(span));
    // The top-left finder's dark ring starts at module (4, 4): line 2, column 4 holds its top edge.
    expect([...(lines[2] as string)].slice(0, 5).join('')).toBe('████ ');
    expect(decodeQr(modulesFromText(lines, 4)).text).toBe(text);
  });

  it('reads back with another margin and inverted', () => {
    expect(decodeQr(modulesFromText(qrToText(qr, { quiet: 2 }), 2)).text).toBe(text);
    expect(decodeQr(modulesFromText(qrToText(qr, { quiet: 1, invert: true }), 1, true)).text).toBe(text);
  });
});
