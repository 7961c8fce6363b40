import { describe, expect, it } from 'vitest';
import { expandWord, referencedNames, type Lookup, type VarValue } from '../../../src/engine/dockerfile/expand.js';

const vars =
  (values: Record<string, string | null>): Lookup =>
  (name) => {
    if (!(name in values)) return { kind: 'unset' };
    const value = values[name];
    return value === null ? ({ kind: 'unknown' } as VarValue) : { kind: 'set', value: value ?? '' };
  };

describe('expandWord', () => {
  const lookup = vars({ V: '1.26', EMPTY: '', U: null, USER: 'app' });

  it.each([
    ['golang:$V', 'golang:1.26'],
    ['golang:${V}-alpine', 'golang:1.26-alpine'],
    ['${MISSING:-1.25}', '1.25'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${MISSING-dflt}', 'dflt'],
    ['${V:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${MISSING:-${V}}', '1.26'],
    ['"quoted $USER"', 'quoted app'],
    ["'single $USER'", 'single $USER'],
    ['\\$USER', '$USER'],
    ['a\\ b', 'a b'],
    ['cost$', 'cost$'],
  ])('%s -> %s', (word, want) => {
    const result = expandWord(word, lookup, '\\');
    expect(result.text).toBe(want);
    expect(result.known).toBe(true);
  });

  it('keeps a variable that only the build knows as written and says so', () => {
    expect(expandWord('golang:${U}', lookup, '\\')).toMatchObject({ text: 'golang:${U}', known: false });
    expect(expandWord('${U:-1.26}', lookup, '\\')).toMatchObject({ known: false });
  });

  it('reports plain references to unset names (they expand to "")', () => {
    expect(expandWord('golang:${MISSING}', lookup, '\\')).toEqual({ text: 'golang:', known: true, unsetRefs: ['MISSING'] });
    expect(expandWord('${MISSING:-x}', lookup, '\\').unsetRefs).toEqual([]);
  });

  it('treats modifiers it does not evaluate as unknown instead of guessing', () => {
    expect(expandWord('${V%.*}', lookup, '\\').known).toBe(false);
  });

  it('honours a backtick escape character', () => {
    expect(expandWord('"say `"hi`""', lookup, '`').text).toBe('say "hi"');
    expect(expandWord('C:\\app', lookup, '`').text).toBe('C:\\app');
  });
});

describe('referencedNames', () => {
  it('finds $X and ${X...} references', () => {
    expect([...referencedNames('go build -ldflags "-X main.version=${VERSION}" && echo $COMMIT ${A:-b}')]).toEqual(['VERSION', 'COMMIT', 'A']);
  });
});
