import { describe, expect, it } from 'vitest';
import { cleanPath, isIgnored, matchIgnore, parseDockerignore } from '../../../src/engine/dockerfile/dockerignore.js';

describe('.dockerignore matcher (Docker rules)', () => {
  it.each([
    // pattern file, path, excluded?
    ['.git', '.git', true],
    ['.git', '.git/HEAD', true],
    ['.git/', '.git/objects/ab/cd', true],
    ['/.git', '.git/config', true],
    ['./bin', 'bin/server', true],
    ['bin', 'cmd/bin/x', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/guide.md', false],
    ['**/*.md', 'docs/guide.md', true],
    ['**/*.md', 'README.md', true],
    ['docs/**', 'docs/a/b.png', true],
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/temp*', 'temp', false],
    ['temp?', 'temp1', true],
    ['temp?', 'temp12', false],
    ['[ab].txt', 'a.txt', true],
    ['[ab].txt', 'c.txt', false],
    ['*.md\n!README.md', 'README.md', false],
    ['*.md\n!README.md', 'CHANGES.md', true],
    ['!README.md\n*.md', 'README.md', true],
    ['**\n!cmd\n!internal\n!go.mod', 'cmd/server/main.go', false],
    ['**\n!cmd\n!internal\n!go.mod', '.git/HEAD', true],
    ['# a comment\n\n   .git   \n', '.git', true],
    ['#.git', '.git', false],
    ['bin\n!bin/keep', 'bin/keep', false],
    ['bin\n!bin/keep', 'bin/other', true],
    ['.learn-go-docker', '.learn-go-docker/progress.json', true],
    ['a/../b', 'b/x', true],
    ['\\#notes', '#notes', true],
  ])('%j excludes %s: %s', (patterns, path, excluded) => {
    expect(isIgnored(patterns, path)).toBe(excluded);
  });

  it('says which pattern decided', () => {
    const verdict = matchIgnore(parseDockerignore('.git\n*.md\n!README.md\n'), 'README.md');
    expect(verdict).toMatchObject({ excluded: false, by: { line: 3, text: '!README.md', exclusion: true } });
    expect(matchIgnore(parseDockerignore('.git\n'), 'main.go')).toEqual({ excluded: false, by: null });
  });

  it('handles CRLF files and a BOM', () => {
    expect(isIgnored('\uFEFF.git\r\nbin\r\n', 'bin/server')).toBe(true);
    expect(isIgnored('\uFEFF.git\r\nbin\r\n', '.git')).toBe(true);
  });

  it('cleans paths like Go filepath.Clean', () => {
    expect(cleanPath('./a//b/../c/')).toBe('a/c');
    expect(cleanPath('/x/./y')).toBe('/x/y');
    expect(cleanPath('.')).toBe('.');
  });
});
