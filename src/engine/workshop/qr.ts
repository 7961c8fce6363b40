/**
 * A QR code encoder (ISO/IEC 18004), as small as the join screen needs: byte mode, error
 * correction level M (15% of the symbol can be lost: a projector's glare, a phone held at an
 * angle), versions 1 to 10 (up to 213 bytes: a join command with an IPv6 address fits), the mask
 * chosen by the standard's penalty rules. Written here rather than taken from a package: the CLI
 * ships with no runtime dependencies, and this is a few hundred lines.
 *
 * A symbol is a square of modules, `true` dark. Rows come first: `modules[row][col]`.
 */

export interface QrCode {
  readonly version: number;
  readonly mask: number;
  readonly size: number;
  readonly modules: readonly (readonly boolean[])[];
}

/** Level M per version 1–10: EC codewords per block, and the data codewords of each block. */
const BLOCKS: readonly { readonly ec: number; readonly data: readonly number[] }[] = [
  { ec: 10, data: [16] },
  { ec: 16, data: [28] },
  { ec: 26, data: [44] },
  { ec: 18, data: [32, 32] },
  { ec: 24, data: [43, 43] },
  { ec: 16, data: [27, 27, 27, 27] },
  { ec: 18, data: [31, 31, 31, 31] },
  { ec: 22, data: [38, 38, 39, 39] },
  { ec: 22, data: [36, 36, 36, 37, 37] },
  { ec: 26, data: [43, 43, 43, 43, 44] },
];

/** Centres of the alignment patterns along each axis, versions 2–10 (version 1 has none). */
const ALIGNMENT: readonly (readonly number[])[] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

export const MAX_VERSION = BLOCKS.length;

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Data codewords a version holds at level M. */
export const dataCapacity = (version: number): number => sum(BLOCKS[version - 1]?.data ?? []);

/** The character count field is 8 bits wide up to version 9, 16 from version 10 (byte mode). */
const countBits = (version: number): number => (version < 10 ? 8 : 16);

/** Bytes of text a version holds at level M in byte mode (header: 4-bit mode, then the count). */
export const byteCapacity = (version: number): number => Math.floor((dataCapacity(version) * 8 - 4 - countBits(version)) / 8);

// --- Reed–Solomon over GF(256), the field of the polynomial x^8+x^4+x^3+x^2+1 (0x11d) -------------

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  // Doubled so a product's exponent (up to 254 + 254) needs no modulo.
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] as number;
}

const mul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : (EXP[(LOG[a] as number) + (LOG[b] as number)] as number));

/** The generator polynomial (x - α^0)(x - α^1)…(x - α^(n-1)), highest power first, its leading 1 left out. */
const generator = (n: number): number[] => {
  let poly = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = (next[j] as number) ^ (poly[j] as number);
      next[j + 1] = (next[j + 1] as number) ^ mul(poly[j] as number, EXP[i] as number);
    }
    poly = next;
  }
  return poly.slice(1);
};

/** The error correction codewords of one block: the remainder of data·x^n divided by the generator. */
export const reedSolomon = (data: readonly number[], n: number): number[] => {
  const gen = generator(n);
  const rest = new Array<number>(n).fill(0);
  for (const byte of data) {
    const factor = byte ^ (rest.shift() as number);
    rest.push(0);
    for (let i = 0; i < n; i++) rest[i] = (rest[i] as number) ^ mul(gen[i] as number, factor);
  }
  return rest;
};

// --- The codewords ---------------------------------------------------------------------------------

/** The smallest version the bytes fit, or undefined when none up to 10 does. */
export const versionFor = (length: number): number | undefined => {
  for (let v = 1; v <= MAX_VERSION; v++) if (length <= byteCapacity(v)) return v;
  return undefined;
};

/** Mode, count, the bytes, the terminator, then the pad bytes 0xEC 0x11 in turn up to the version's capacity. */
export const dataCodewords = (bytes: Uint8Array, version: number): number[] => {
  const capacity = dataCapacity(version);
  const bits: number[] = [];
  const put = (value: number, width: number) => {
    for (let i = width - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, countBits(version));
  for (const b of bytes) put(b, 8);
  // Up to four zero bits end the data, then zeros to a whole byte.
  for (let i = 0; i < 4 && bits.length < capacity * 8; i++) bits.push(0);
  while (bits.length % 8 !== 0) bits.push(0);
  const words: number[] = [];
  for (let i = 0; i < bits.length; i += 8) words.push(bits.slice(i, i + 8).reduce((w, bit) => (w << 1) | bit, 0));
  for (let pad = 0xec; words.length < capacity; pad ^= 0xec ^ 0x11) words.push(pad);
  return words;
};

/** The blocks' data, then their EC codewords, each read across the blocks one codeword at a time. */
export const interleave = (data: readonly number[], version: number): number[] => {
  const { ec, data: sizes } = BLOCKS[version - 1] as (typeof BLOCKS)[number];
  const blocks: number[][] = [];
  let at = 0;
  for (const size of sizes) {
    blocks.push(data.slice(at, at + size));
    at += size;
  }
  const checks = blocks.map((block) => reedSolomon(block, ec));
  const out: number[] = [];
  const longest = Math.max(...sizes);
  for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.length) out.push(block[i] as number);
  for (let i = 0; i < ec; i++) for (const check of checks) out.push(check[i] as number);
  return out;
};

// --- Format and version information (BCH codes) ------------------------------------------------------

/** The remainder of value·x^(degree of poly) divided by poly, over GF(2). */
const bchRemainder = (value: number, poly: number): number => {
  const highBit = (n: number) => 31 - Math.clz32(n);
  const degree = highBit(poly);
  let rest = value << degree;
  for (let bit = highBit(rest); bit >= degree; bit--) if (rest & (1 << bit)) rest ^= poly << (bit - degree);
  return rest;
};

/** The 15 format bits: level M (00) and the mask, BCH(15,5)-coded and XORed with 101010000010010 so they are never all light. */
export const formatBits = (mask: number): number => {
  const data = (0b00 << 3) | mask;
  return ((data << 10) | bchRemainder(data, 0b10100110111)) ^ 0b101010000010010;
};

/** The 18 version bits (versions 7 and up): the version, BCH(18,6)-coded. */
export const versionBits = (version: number): number => (version << 12) | bchRemainder(version, 0b1111100100101);

// --- The matrix --------------------------------------------------------------------------------------

interface Grid {
  readonly size: number;
  readonly dark: boolean[][];
  /** Modules of the finder, timing, alignment and information patterns: never data, never masked. */
  readonly fixed: boolean[][];
}

const newGrid = (size: number): Grid => ({
  size,
  dark: Array.from({ length: size }, () => new Array<boolean>(size).fill(false)),
  fixed: Array.from({ length: size }, () => new Array<boolean>(size).fill(false)),
});

const setFixed = (grid: Grid, row: number, col: number, dark: boolean): void => {
  if (row < 0 || col < 0 || row >= grid.size || col >= grid.size) return;
  (grid.dark[row] as boolean[])[col] = dark;
  (grid.fixed[row] as boolean[])[col] = true;
};

/** A 7×7 finder (dark ring, light ring, dark 3×3 core) with its light separator, centred on (row, col). */
const finder = (grid: Grid, row: number, col: number): void => {
  for (let dr = -4; dr <= 4; dr++)
    for (let dc = -4; dc <= 4; dc++) {
      const ring = Math.max(Math.abs(dr), Math.abs(dc));
      setFixed(grid, row + dr, col + dc, ring !== 2 && ring !== 4);
    }
};

/** A 5×5 alignment pattern: dark ring, light ring, dark centre. */
const alignment = (grid: Grid, row: number, col: number): void => {
  for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) setFixed(grid, row + dr, col + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
};

/** Writes the format bits in both of their places (bit 14 first, as the standard draws them). */
const drawFormat = (grid: Grid, mask: number): void => {
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  const n = grid.size;
  // Beside the top-left finder: bits 14..9 along row 8, 8 and 7 round the corner, 6..0 up column 8 (row 6 is timing).
  for (let i = 0; i <= 5; i++) setFixed(grid, 8, i, bit(14 - i));
  setFixed(grid, 8, 7, bit(8));
  setFixed(grid, 8, 8, bit(7));
  setFixed(grid, 7, 8, bit(6));
  for (let i = 0; i <= 5; i++) setFixed(grid, 5 - i, 8, bit(5 - i));
  // The copy: bits 14..8 up from the bottom of column 8 (under the bottom-left finder), 7..0 along row 8 to the right edge.
  for (let i = 0; i <= 6; i++) setFixed(grid, n - 1 - i, 8, bit(14 - i));
  for (let i = 0; i <= 7; i++) setFixed(grid, 8, n - 8 + i, bit(7 - i));
  // Always dark, beside the bottom-left finder.
  setFixed(grid, n - 8, 8, true);
};

const drawVersion = (grid: Grid, version: number): void => {
  if (version < 7) return;
  const bits = versionBits(version);
  const n = grid.size;
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = Math.floor(i / 3);
    const b = n - 11 + (i % 3);
    setFixed(grid, a, b, dark); // above the top-right finder
    setFixed(grid, b, a, dark); // left of the bottom-left finder
  }
};

const functionPatterns = (version: number): Grid => {
  const size = 17 + 4 * version;
  const grid = newGrid(size);
  finder(grid, 3, 3);
  finder(grid, 3, size - 4);
  finder(grid, size - 4, 3);
  for (let i = 8; i < size - 8; i++) {
    setFixed(grid, 6, i, i % 2 === 0);
    setFixed(grid, i, 6, i % 2 === 0);
  }
  const centres = ALIGNMENT[version - 1] as readonly number[];
  const last = centres.length - 1;
  centres.forEach((r, ri) =>
    centres.forEach((c, ci) => {
      // The three corners where the finders are take no alignment pattern.
      if ((ri === 0 && ci === 0) || (ri === 0 && ci === last) || (ri === last && ci === 0)) return;
      alignment(grid, r, c);
    }),
  );
  // Reserved now (mask 0's bits), rewritten once the mask is chosen: the data must flow around them.
  drawFormat(grid, 0);
  drawVersion(grid, version);
  return grid;
};

/**
 * Places the codewords' bits: in two-module columns from the right edge, up then down in turn,
 * right module before left, skipping the vertical timing column and every fixed module. Modules
 * left over (the remainder bits) stay light.
 */
const placeData = (grid: Grid, codewords: readonly number[]): void => {
  const n = grid.size;
  let bitIndex = 0;
  const total = codewords.length * 8;
  let upward = true;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let step = 0; step < n; step++) {
      const row = upward ? n - 1 - step : step;
      for (const col of [right, right - 1]) {
        if ((grid.fixed[row] as boolean[])[col]) continue;
        const dark = bitIndex < total && (((codewords[bitIndex >>> 3] as number) >>> (7 - (bitIndex & 7))) & 1) === 1;
        (grid.dark[row] as boolean[])[col] = dark;
        bitIndex++;
      }
    }
    upward = !upward;
  }
};

/** The eight mask conditions: where one holds, a data module is inverted. */
export const MASKS: readonly ((row: number, col: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

const applyMask = (grid: Grid, mask: number): boolean[][] => {
  const test = MASKS[mask] as (typeof MASKS)[number];
  return grid.dark.map((line, r) => line.map((dark, c) => (!(grid.fixed[r] as boolean[])[c] && test(r, c) ? !dark : dark)));
};

/**
 * The standard's penalty of a masked symbol (lower reads better): long runs of one colour, 2×2
 * blocks of one colour, stretches that look like a finder, and a dark share far from half.
 */
export const penalty = (modules: readonly (readonly boolean[])[]): number => {
  const n = modules.length;
  const at = (r: number, c: number) => (modules[r] as readonly boolean[])[c] as boolean;
  let score = 0;
  const lines: boolean[][] = [];
  for (let i = 0; i < n; i++) {
    lines.push([...(modules[i] as readonly boolean[])]);
    lines.push(Array.from({ length: n }, (_, r) => at(r, i)));
  }
  // A finder's 1:1:3:1:1 with four light modules on one side; the light margin round the symbol counts as light.
  const finderLike = [true, false, true, true, true, false, true];
  for (const line of lines) {
    let run = 1;
    for (let i = 1; i <= n; i++) {
      if (i < n && line[i] === line[i - 1]) run++;
      else {
        if (run >= 5) score += run - 2;
        run = 1;
      }
    }
    const light = (i: number) => i < 0 || i >= n || !line[i];
    for (let i = 0; i + 7 <= n; i++) {
      if (!finderLike.every((dark, k) => line[i + k] === dark)) continue;
      const before = [1, 2, 3, 4].every((k) => light(i - k));
      const after = [0, 1, 2, 3].every((k) => light(i + 7 + k));
      if (before || after) score += 40;
    }
  }
  for (let r = 0; r + 1 < n; r++)
    for (let c = 0; c + 1 < n; c++) {
      const v = at(r, c);
      if (at(r, c + 1) === v && at(r + 1, c) === v && at(r + 1, c + 1) === v) score += 3;
    }
  const dark = modules.reduce((count, line) => count + line.filter(Boolean).length, 0);
  score += Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5) * 10;
  return score;
};

/** Encodes text (UTF-8) as a QR code at level M; throws when it is longer than version 10 holds. */
export const encodeQr = (text: string, options: { readonly mask?: number } = {}): QrCode => {
  const bytes = new TextEncoder().encode(text);
  const version = versionFor(bytes.length);
  if (version === undefined) throw new RangeError(`${bytes.length} bytes do not fit a version ${MAX_VERSION} QR code (at most ${byteCapacity(MAX_VERSION)})`);
  const grid = functionPatterns(version);
  placeData(grid, interleave(dataCodewords(bytes, version), version));
  let best: { mask: number; modules: boolean[][]; score: number } | undefined;
  for (let mask = 0; mask < MASKS.length; mask++) {
    if (options.mask !== undefined && mask !== options.mask) continue;
    drawFormat(grid, mask);
    const modules = applyMask(grid, mask);
    const score = penalty(modules);
    // The first mask wins a tie: the choice is the same on every run.
    if (!best || score < best.score) best = { mask, modules, score };
  }
  const chosen = best as NonNullable<typeof best>;
  return { version, mask: chosen.mask, size: grid.size, modules: chosen.modules };
};

/**
 * The symbol as terminal text, two module rows per line in half blocks (▀ ▄ █), with a light
 * margin of `quiet` modules (the standard asks for 4). Light modules are drawn, dark ones left
 * blank: on the usual dark terminal the code reads dark on light, as printed ones do. `invert`
 * draws dark modules instead, for a light terminal; phones read either.
 */
export const qrToText = (qr: QrCode, options: { readonly quiet?: number; readonly invert?: boolean } = {}): string[] => {
  const quiet = options.quiet ?? 4;
  const span = qr.size + 2 * quiet;
  const ink = (r: number, c: number): boolean => {
    const row = r - quiet;
    const col = c - quiet;
    const dark = row >= 0 && col >= 0 && row < qr.size && col < qr.size && ((qr.modules[row] as readonly boolean[])[col] as boolean);
    return options.invert ? dark : !dark;
  };
  const lines: string[] = [];
  for (let r = 0; r < span; r += 2) {
    let line = '';
    for (let c = 0; c < span; c++) {
      const top = ink(r, c);
      // An odd height leaves the last line's lower half outside the symbol: blank.
      const bottom = r + 1 < span && ink(r + 1, c);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines;
};
