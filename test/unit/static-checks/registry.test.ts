import { describe, expect, it } from 'vitest';
import { staticChecks } from '../../../src/engine/checks/static/index.js';

const TABLE = [
  'dockerfile.exists', 'dockerfile.base-pinned', 'dockerfile.multi-stage', 'dockerfile.final-base',
  'dockerfile.deps-before-source', 'dockerfile.cache-mount', 'dockerfile.cgo-disabled', 'dockerfile.exec-form',
  'dockerfile.user', 'dockerfile.expose', 'dockerfile.healthcheck', 'dockerfile.no-secrets', 'dockerfile.env',
  'dockerfile.arg', 'dockerfile.labels', 'dockerfile.secret-mount', 'dockerignore.excludes', 'compose.valid',
  'ci.workflow', 'file.contains',
];

describe('staticChecks', () => {
  it('has exactly the ids of the architecture table, once each', () => {
    expect(staticChecks.map((c) => c.id)).toEqual(TABLE);
  });

  it('are static, with titles in both languages', () => {
    for (const check of staticChecks) {
      expect(check.kind).toBe('static');
      expect(check.title.en).toBeTruthy();
      expect(check.title['zh-CN']).toBeTruthy();
    }
  });

  it('validate params with zod: defaults, required values and typos', () => {
    const find = (id: string) => staticChecks.find((c) => c.id === id)!;
    expect(find('dockerfile.user').params.parse({})).toEqual({});
    expect(() => find('dockerfile.user').params.parse({ strict: true })).toThrow();
    expect(find('dockerfile.expose').params.parse({})).toEqual({ port: 8080 });
    expect(() => find('dockerfile.expose').params.parse({ port: 'eighty' })).toThrow();
    expect(() => find('dockerfile.final-base').params.parse({})).toThrow();
    expect(() => find('dockerfile.env').params.parse({ value: 'x' })).toThrow();
    expect(() => find('dockerfile.labels').params.parse({ keys: [] })).toThrow();
    expect(find('dockerfile.secret-mount').params.parse({})).toEqual({});
    expect(() => find('dockerignore.excludes').params.parse({ patterns: [] })).toThrow();
    expect(find('compose.valid').params.parse({})).toEqual({ services: [] });
    expect(find('ci.workflow').params.parse({ path: '.github/workflows/ci.yml', tags: ['semver', 'sha'] })).toMatchObject({ tags: ['semver', 'sha'] });
    expect(() => find('ci.workflow').params.parse({ path: 'x.yml', tags: ['latest'] })).toThrow();
    expect(() => find('file.contains').params.parse({ path: 'x' })).toThrow();
  });
});
