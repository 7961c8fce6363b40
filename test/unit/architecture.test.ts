import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer rules of docs/ARCHITECTURE.md, read from the source: a broken rule fails here, naming
// the file and the import, instead of being found in review.
const SRC = resolve(import.meta.dirname, '../../src');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Every module a file imports (static, type-only, re-exports and dynamic imports), resolved when relative. */
const importsOf = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] as string);
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '') : s));
};

const all = files(SRC).map((file) => ({ file: relative(SRC, file), imports: importsOf(file) }));
const under = (prefix: string) => all.filter((f) => f.file.startsWith(prefix));
const violations = (set: typeof all, bad: (spec: string) => boolean) => set.flatMap((f) => f.imports.filter(bad).map((spec) => `${f.file} imports ${spec}`));

describe('import rules', () => {
  it('finds the source', () => {
    expect(under('engine/').length).toBeGreaterThan(50);
    expect(under('commands/').length).toBeGreaterThan(10);
  });

  it('the engine never imports the UI, ink or react', () => {
    expect(violations(under('engine/'), (s) => s.startsWith('ui/') || s === 'ink' || s.startsWith('ink-') || s === 'react')).toEqual([]);
  });

  it('the Docker driver imports nothing from the checks', () => {
    expect(violations(under('engine/docker/'), (s) => s.startsWith('engine/checks/'))).toEqual([]);
  });

  it('commands, the UI and the CLI use only the engine entry', () => {
    const front = [...under('commands/'), ...under('ui/'), ...all.filter((f) => f.file === 'cli.ts' || f.file === 'bin.ts')];
    expect(violations(front, (s) => s.startsWith('engine/') && s !== 'engine/index')).toEqual([]);
  });

  it('only the Docker driver spawns processes', () => {
    const spawners = (s: string) => s === 'execa' || s === 'node:child_process' || s === 'child_process';
    expect(
      violations(
        all.filter((f) => !f.file.startsWith('engine/docker/')),
        spawners,
      ),
    ).toEqual([]);
  });
});
