/** Sizes for the GOMEMLIMIT vs `--memory` comparison of container.limits (pure, unit-tested). */

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;

/** debug.SetMemoryLimit(-1) answers math.MaxInt64 when no limit is set; as a JS number it rounds up, so anything this big means none. */
export const NO_LIMIT_AT = 2 ** 62;

export type GoMemLimit = { readonly kind: 'bytes'; readonly bytes: number } | { readonly kind: 'off' } | { readonly kind: 'invalid' };

/**
 * GOMEMLIMIT as the Go runtime reads it: "" or "off" is no limit; otherwise digits with an optional
 * B, KiB, MiB, GiB or TiB suffix (case-sensitive, no decimals); anything else makes the program exit at start.
 */
export const parseGoMemLimit = (raw: string): GoMemLimit => {
  if (raw === '' || raw === 'off') return { kind: 'off' };
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(raw);
  if (!m) return { kind: 'invalid' };
  const power = { B: 0, KiB: 1, MiB: 2, GiB: 3, TiB: 4 }[m[2] ?? 'B'] ?? 0;
  const bytes = BigInt(m[1] ?? '0') * 1024n ** BigInt(power);
  if (bytes > 2n ** 63n - 1n) return { kind: 'invalid' };
  return bytes >= BigInt(NO_LIMIT_AT) ? { kind: 'off' } : { kind: 'bytes', bytes: Number(bytes) };
};

/** Docker's `--memory` value ("128m", "1g", "512MiB", "1048576") in bytes, as docker's RAMInBytes reads it; undefined when unreadable. */
export const parseDockerMemory = (raw: string): number | undefined => {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(raw.trim());
  if (!m) return undefined;
  const power = ' kmgtp'.indexOf((m[2] ?? ' ').toLowerCase());
  return Math.floor(Number(m[1]) * KIB ** power);
};

/** "4.0 GiB", "128 MiB", "100.5 MiB", "512 KiB". */
export const binarySize = (bytes: number): string => {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${fmt(Math.round((bytes / MIB) * 10) / 10)} MiB`;
  if (bytes >= KIB) return `${fmt(Math.round((bytes / KIB) * 10) / 10)} KiB`;
  return `${bytes} B`;
};

/** A GOMEMLIMIT of about 80% of the container limit, rounded down to a tidy MiB value ("100MiB" for 128 MiB). */
export const suggestedGoMemLimit = (limitBytes: number): string => {
  const mib = (limitBytes * 0.8) / MIB;
  if (mib >= 20) return `${Math.floor(mib / 10) * 10}MiB`;
  if (mib >= 1) return `${Math.floor(mib)}MiB`;
  return `${Math.floor((limitBytes * 0.8) / KIB)}KiB`;
};

/** Where a GOMEMLIMIT sits against the container limit: too low, in the band, too high, or at/above the limit itself. */
export type MemLimitBand = 'low' | 'ok' | 'high' | 'over';

/** GOMEMLIMIT bytes against `--memory` bytes and the lesson's band (fractions of the limit, both ends inside). */
export const memLimitBand = (goBytes: number, limitBytes: number, band: { readonly min: number; readonly max: number }): MemLimitBand => {
  if (goBytes >= limitBytes) return 'over';
  if (goBytes < limitBytes * band.min) return 'low';
  if (goBytes > limitBytes * band.max) return 'high';
  return 'ok';
};

/** "78.1%" of the limit, one decimal ("<0.1%" for a few bytes). */
export const percentOf = (part: number, whole: number): string => (part > 0 && part / whole < 0.001 ? '<0.1%' : `${((part / whole) * 100).toFixed(1)}%`);

/**
 * The most GOMAXPROCS that fits `--cpus`: what Go 1.25+ picks from the cgroup quota itself
 * (rounded up, at least 2). Anything above it runs more threads than the quota pays for, and the
 * kernel throttles them in bursts. undefined when `--cpus` is not a number.
 */
export const maxProcsFor = (cpus: string): number | undefined => {
  const n = Number(cpus);
  return Number.isFinite(n) && n > 0 ? Math.max(2, Math.ceil(n)) : undefined;
};
