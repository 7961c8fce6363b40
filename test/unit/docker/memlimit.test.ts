import { describe, expect, it } from 'vitest';
import {
  binarySize,
  maxProcsFor,
  memLimitBand,
  parseDockerMemory,
  parseGoMemLimit,
  percentOf,
  suggestedGoMemLimit,
} from '../../../src/engine/checks/docker/memlimit.js';

describe('parseGoMemLimit (Go runtime syntax)', () => {
  it('reads numbers with the binary suffixes Go accepts', () => {
    expect(parseGoMemLimit('100MiB')).toEqual({ kind: 'bytes', bytes: 100 * 1024 * 1024 });
    expect(parseGoMemLimit('4GiB')).toEqual({ kind: 'bytes', bytes: 4 * 1024 ** 3 });
    expect(parseGoMemLimit('1KiB')).toEqual({ kind: 'bytes', bytes: 1024 });
    expect(parseGoMemLimit('2TiB')).toEqual({ kind: 'bytes', bytes: 2 * 1024 ** 4 });
    expect(parseGoMemLimit('1048576')).toEqual({ kind: 'bytes', bytes: 1048576 });
    expect(parseGoMemLimit('512B')).toEqual({ kind: 'bytes', bytes: 512 });
  });
  it('treats "", off and MaxInt64 as no limit', () => {
    expect(parseGoMemLimit('')).toEqual({ kind: 'off' });
    expect(parseGoMemLimit('off')).toEqual({ kind: 'off' });
    expect(parseGoMemLimit('9223372036854775807')).toEqual({ kind: 'off' });
  });
  it('rejects what makes Go exit at start: lower-case or decimal units, MB, spaces, overflow', () => {
    for (const bad of ['100mib', '100MB', '1.5GiB', '100 MiB', 'MiB', '-1', '9223372036854775808', '99999999TiB']) {
      expect(parseGoMemLimit(bad), bad).toEqual({ kind: 'invalid' });
    }
  });
});

describe('parseDockerMemory (docker --memory)', () => {
  it('uses binary multipliers for k/m/g with optional b/ib', () => {
    expect(parseDockerMemory('128m')).toBe(128 * 1024 * 1024);
    expect(parseDockerMemory('128MB')).toBe(128 * 1024 * 1024);
    expect(parseDockerMemory('1g')).toBe(1024 ** 3);
    expect(parseDockerMemory('512MiB')).toBe(512 * 1024 * 1024);
    expect(parseDockerMemory('1048576')).toBe(1048576);
    expect(parseDockerMemory('lots')).toBeUndefined();
  });
});

describe('sizes for messages', () => {
  it('formats and suggests', () => {
    expect(binarySize(4 * 1024 ** 3)).toBe('4.0 GiB');
    expect(binarySize(128 * 1024 * 1024)).toBe('128 MiB');
    expect(binarySize(100.5 * 1024 * 1024)).toBe('100.5 MiB');
    expect(suggestedGoMemLimit(128 * 1024 * 1024)).toBe('100MiB');
    expect(suggestedGoMemLimit(1024 ** 3)).toBe('810MiB');
    expect(suggestedGoMemLimit(16 * 1024 * 1024)).toBe('12MiB');
  });
});

describe('memLimitBand (GOMEMLIMIT against --memory)', () => {
  const MIB = 1024 * 1024;
  const band = { min: 0.5, max: 0.95 };
  const at = (raw: string) => {
    const parsed = parseGoMemLimit(raw);
    if (parsed.kind !== 'bytes') throw new Error(raw);
    return memLimitBand(parsed.bytes, 128 * MIB, band);
  };
  it('puts both ends of the band inside, one MiB beyond them outside', () => {
    expect(at('64MiB')).toBe('ok'); // exactly 50%
    expect(at('63MiB')).toBe('low');
    expect(at('121MiB')).toBe('ok'); // 94.5%
    expect(at('122MiB')).toBe('high'); // 95.3%
    expect(at('100MiB')).toBe('ok');
  });
  it('reads any valid Go syntax for the same size', () => {
    expect(at('104857600')).toBe('ok');
    expect(at('102400KiB')).toBe('ok');
    expect(at('1MiB')).toBe('low');
    expect(at('1')).toBe('low');
    expect(at('128MiB')).toBe('over');
    expect(at('1GiB')).toBe('over');
  });
  it('formats the share of the limit', () => {
    expect(percentOf(100 * MIB, 128 * MIB)).toBe('78.1%');
    expect(percentOf(1, 128 * MIB)).toBe('<0.1%');
  });
});

describe('maxProcsFor (--cpus)', () => {
  it('is what Go 1.25+ picks from the CPU quota: rounded up, at least 2', () => {
    expect(maxProcsFor('0.5')).toBe(2);
    expect(maxProcsFor('2')).toBe(2);
    expect(maxProcsFor('2.5')).toBe(3);
    expect(maxProcsFor('lots')).toBeUndefined();
  });
});
