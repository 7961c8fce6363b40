/**
 * A QR decoder for the tests, written from the standard apart from the encoder (its own field
 * arithmetic, its own map of the function patterns, syndromes instead of division): if the
 * encoder misplaces a bit, a block or the format, the two disagree. It reads only what the
 * encoder makes (level M, byte mode, versions 1–10) and throws on anything else.
 */

type Modules = readonly (readonly boolean[])[];

/** Centres of the alignment patterns, versions 1–10 (ISO/IEC 18004 Annex E). */
const ALIGN: Record<number, number[]> = {
  1: [],
  2: [6, 18],
  3: [6, 22],
  4: [6, 26],
  5: [6, 30],
  6: [6, 34],
  7: [6, 22, 38],
  8: [6, 24, 42],
  9: [6, 26, 46],
  10: [6, 28, 50],
};

/** Level M: [EC codewords per block, [data codewords of each block]] (ISO/IEC 18004 Table 9). */
const BLOCKS_M: Record<number, [number, number[]]> = {
  1: [10, [16]],
  2: [16, [28]],
  3: [26, [44]],
  4: [18, [32, 32]],
  5: [24, [43, 43]],
  6: [16, [27, 27, 27, 27]],
  7: [18, [31, 31, 31, 31]],
  8: [22, [38, 38, 39, 39]],
  9: [22, [36, 36, 36, 37, 37]],
  10: [26, [43, 43, 43, 43, 44]],
};

/** GF(256) product by shift and add, reduced by x^8+x^4+x^3+x^2+1. */
const gfMul = (a: number, b: number): number => {
  let product = 0;
  for (let x = a, y = b; y > 0; y >>= 1) {
    if (y & 1) product ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  return product;
};

/** The polynomial (highest power first) at x, by Horner's rule. */
const evaluate = (poly: readonly number[], x: number): number => poly.reduce((acc, c) => gfMul(acc, x) ^ c, 0);

/** Remainder of a GF(2) polynomial division (both as bit masks). */
const mod2 = (value: number, poly: number): number => {
  const degree = 31 - Math.clz32(poly);
  let rest = value;
  while (rest !== 0 && 31 - Math.clz32(rest) >= degree) rest ^= poly << (31 - Math.clz32(rest) - degree);
  return rest;
};

export interface Decoded {
  readonly text: string;
  readonly version: number;
  readonly mask: number;
  readonly formatBits: number;
}

const FINDER = ['1111111', '1000001', '1011101', '1011101', '1011101', '1000001', '1111111'];

export const decodeQr = (m: Modules): Decoded => {
  const size = m.length;
  if ((size - 17) % 4 !== 0 || m.some((row) => row.length !== size)) throw new Error(`not a QR size: ${size}`);
  const version = (size - 17) / 4;
  const at = (r: number, c: number): boolean => (m[r] as readonly boolean[])[c] as boolean;

  // Finders, each with its light separator.
  for (const [r0, c0] of [
    [0, 0],
    [0, size - 7],
    [size - 7, 0],
  ] as const) {
    for (let r = 0; r < 7; r++)
      for (let c = 0; c < 7; c++) if (at(r0 + r, c0 + c) !== (FINDER[r]?.[c] === '1')) throw new Error(`finder at ${r0},${c0} broken`);
    for (let i = -1; i <= 7; i++)
      for (const [r, c] of [
        [r0 - 1, c0 + i],
        [r0 + 7, c0 + i],
        [r0 + i, c0 - 1],
        [r0 + i, c0 + 7],
      ] as const)
        if (r >= 0 && c >= 0 && r < size && c < size && at(r, c)) throw new Error(`separator at ${r},${c} is dark`);
  }
  for (let i = 8; i < size - 8; i++) if (at(6, i) !== (i % 2 === 0) || at(i, 6) !== (i % 2 === 0)) throw new Error(`timing broken at ${i}`);
  if (!at(size - 8, 8)) throw new Error('the dark module is light');

  // Format: bit 14 first along row 8 from the left, then up column 8; the copy up column 8 from the bottom, then along row 8 to the right edge.
  const copy1 = [...[0, 1, 2, 3, 4, 5, 7, 8].map((c) => at(8, c)), ...[7, 5, 4, 3, 2, 1, 0].map((r) => at(r, 8))];
  const copy2 = [...Array.from({ length: 7 }, (_, i) => at(size - 1 - i, 8)), ...Array.from({ length: 8 }, (_, i) => at(8, size - 8 + i))];
  const asNumber = (bits: boolean[]) => bits.reduce((n, b) => (n << 1) | (b ? 1 : 0), 0);
  const formatBits = asNumber(copy1);
  if (asNumber(copy2) !== formatBits) throw new Error('the two format copies differ');
  const format = formatBits ^ 0b101010000010010;
  if (mod2(format, 0b10100110111) !== 0) throw new Error('format bits fail their BCH check');
  if (format >> 13 !== 0b00) throw new Error(`not level M: ${format >> 13}`);
  const mask = (format >> 10) & 0b111;

  const versionArea = (r: number, c: number) => version >= 7 && ((r < 6 && c >= size - 11 && c < size - 8) || (c < 6 && r >= size - 11 && r < size - 8));
  if (version >= 7) {
    let top = 0;
    let left = 0;
    for (let i = 17; i >= 0; i--) {
      top = (top << 1) | (at(Math.floor(i / 3), size - 11 + (i % 3)) ? 1 : 0);
      left = (left << 1) | (at(size - 11 + (i % 3), Math.floor(i / 3)) ? 1 : 0);
    }
    if (top !== left || top >> 12 !== version || mod2(top, 0b1111100100101) !== 0) throw new Error('version bits wrong');
  }

  // Which modules carry data: everything but the patterns and the information areas.
  const centres = ALIGN[version] as number[];
  const inAlignment = (r: number, c: number) =>
    centres.some((ar, i) =>
      centres.some(
        (ac, j) =>
          !(i === 0 && j === 0) &&
          !(i === 0 && j === centres.length - 1) &&
          !(i === centres.length - 1 && j === 0) &&
          Math.abs(r - ar) <= 2 &&
          Math.abs(c - ac) <= 2,
      ),
    );
  const isFunction = (r: number, c: number) =>
    (r <= 8 && c <= 8) || (r <= 8 && c >= size - 8) || (r >= size - 8 && c <= 8) || r === 6 || c === 6 || inAlignment(r, c) || versionArea(r, c);

  const maskAt = (r: number, c: number): boolean => {
    switch (mask) {
      case 0:
        return (r + c) % 2 === 0;
      case 1:
        return r % 2 === 0;
      case 2:
        return c % 3 === 0;
      case 3:
        return (r + c) % 3 === 0;
      case 4:
        return (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0;
      case 5:
        return ((r * c) % 2) + ((r * c) % 3) === 0;
      case 6:
        return (((r * c) % 2) + ((r * c) % 3)) % 2 === 0;
      default:
        return (((r + c) % 2) + ((r * c) % 3)) % 2 === 0;
    }
  };

  // The zigzag: column pairs from the right, bottom to top then top to bottom, column 6 skipped.
  const bits: number[] = [];
  let pair = 0;
  for (let right = size - 1; right > 0; right -= 2, pair++) {
    if (right === 6) right--;
    for (let k = 0; k < size; k++) {
      const r = pair % 2 === 0 ? size - 1 - k : k;
      for (const c of [right, right - 1]) if (!isFunction(r, c)) bits.push(at(r, c) !== maskAt(r, c) ? 1 : 0);
    }
  }
  const [ec, sizes] = BLOCKS_M[version] as [number, number[]];
  const total = sizes.reduce((a, b) => a + b, 0) + ec * sizes.length;
  if (Math.floor(bits.length / 8) !== total) throw new Error(`${bits.length} data modules for ${total} codewords`);
  const words = Array.from({ length: total }, (_, i) => bits.slice(i * 8, i * 8 + 8).reduce((w, b) => (w << 1) | b, 0));

  // Undo the interleaving, then every block's syndromes must be zero.
  const blocks = sizes.map(() => [] as number[]);
  let next = 0;
  for (let i = 0; i < Math.max(...sizes); i++) sizes.forEach((s, b) => i < s && (blocks[b] as number[]).push(words[next++] as number));
  for (let i = 0; i < ec; i++) blocks.forEach((block) => block.push(words[next++] as number));
  let alpha = 1;
  for (let i = 0; i < ec; i++) {
    for (const [b, block] of blocks.entries()) if (evaluate(block, alpha) !== 0) throw new Error(`block ${b} fails syndrome ${i}`);
    alpha = gfMul(alpha, 2);
  }

  const data = blocks.flatMap((block, b) => block.slice(0, sizes[b]));
  const stream = data.flatMap((w) => Array.from({ length: 8 }, (_, i) => (w >> (7 - i)) & 1));
  let pos = 0;
  const read = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | (stream[pos++] as number);
    return v;
  };
  if (read(4) !== 0b0100) throw new Error('not byte mode');
  const length = read(version < 10 ? 8 : 16);
  const bytes = Uint8Array.from({ length }, () => read(8));
  return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), version, mask, formatBits };
};

/** The modules back from the half-block text (light drawn, dark blank, `quiet` modules of margin). */
export const modulesFromText = (lines: readonly string[], quiet: number, invert = false): boolean[][] => {
  const rows: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of line) {
      top.push(ch === '█' || ch === '▀');
      bottom.push(ch === '█' || ch === '▄');
    }
    rows.push(top, bottom);
  }
  // Drawn means light unless inverted; the symbol is what is inside the margin.
  const dark = rows.map((row) => row.map((ink) => (invert ? ink : !ink)));
  const span = (lines[0] ? [...lines[0]].length : 0) - 2 * quiet;
  return dark.slice(quiet, quiet + span).map((row) => row.slice(quiet, quiet + span));
};
