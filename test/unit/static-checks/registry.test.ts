import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { staticChecks } from '../../../src/engine/checks/static/index.js';
import { dockerChecks } from '../../../src/engine/checks/docker/index.js';

/** The check ids of a table in docs/ARCHITECTURE.md, found under its heading. */
const documentedIds = (heading: string): string[] => {
  const doc = readFileSync(join(import.meta.dirname, '../../../docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.split(`### ${heading}`)[1]?.split(/\n#{2,3} /)[0] ?? '';
  return [...section.matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((m) => m[1] as string);
};

describe('the check registry', () => {
  it('has exactly the ids the architecture tables document, each once, in their order', () => {
    expect(staticChecks.map((c) => c.id)).toEqual(documentedIds('Static check ids'));
    expect(dockerChecks.map((c) => c.id)).toEqual(documentedIds('Docker check ids'));
    expect(checkRegistry().size).toBe(staticChecks.length + dockerChecks.length);
  });

  it('has titles in both languages and the right kind', () => {
    for (const check of staticChecks) expect(check.kind).toBe('static');
    for (const check of dockerChecks) expect(check.kind).toBe('docker');
    for (const check of checkRegistry().values()) {
      expect(check.title.en).toBeTruthy();
      expect(check.title['zh-CN']).toBeTruthy();
    }
  });

  it('validates params when a lesson binds them: defaults, required values and typos', () => {
    const find = (id: string) => checkRegistry().get(id)!;
    expect(() => find('dockerfile.user').bind({})).not.toThrow();
    expect(() => find('dockerfile.user').bind({ strict: true })).toThrow();
    expect(() => find('dockerfile.expose').bind({})).not.toThrow();
    expect(() => find('dockerfile.expose').bind({ port: 'eighty' })).toThrow();
    expect(() => find('dockerfile.final-base').bind({})).toThrow();
    expect(() => find('dockerfile.env').bind({ value: 'x' })).toThrow();
    expect(() => find('dockerfile.labels').bind({ keys: [] })).toThrow();
    expect(() => find('dockerfile.secret-mount').bind({})).not.toThrow();
    expect(() => find('dockerignore.excludes').bind({ patterns: [] })).toThrow();
    expect(() => find('compose.valid').bind({})).not.toThrow();
    expect(() => find('ci.workflow').bind({ path: '.github/workflows/ci.yml', tags: ['semver', 'sha'] })).not.toThrow();
    expect(() => find('ci.workflow').bind({ path: 'x.yml', tags: ['latest'] })).toThrow();
    expect(() => find('file.contains').bind({ path: 'x' })).toThrow();
    expect(() => find('image.size').bind({})).toThrow();
    expect(() => find('http.probe').bind({ path: 'no-slash' })).toThrow();
  });

  it('declares what a Docker check needs, from its params where it depends on them', () => {
    const needs = (id: string, params: Record<string, unknown>) => {
      const bound = checkRegistry().get(id)!.bind(params);
      return bound.kind === 'docker' ? bound.needs : undefined;
    };
    expect(needs('compose.up', { service: 'app', path: '/ping' })).toEqual(['compose']);
    expect(needs('image.no-secret', { value: 's3cr3t', secretId: 'token' })).toEqual(['buildkit']);
    expect(needs('image.no-secret', { value: 's3cr3t', buildArg: 'TOKEN' })).toEqual([]);
  });
});
