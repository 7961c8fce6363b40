import { describe, expect, it } from 'vitest';
import { planWatch } from '../../../src/engine/watch/plan.js';

describe('planWatch', () => {
  it('watches the folders of existing targets, without recursion', () => {
    const plan = planWatch(['/lab/Dockerfile', '/lab/.dockerignore', '/lab/cmd/server/main.go'], () => true);
    expect(plan.roots).toEqual(['/lab', '/lab/cmd/server']);
    expect(plan.depth).toBe(0);
    expect([...plan.targets]).toEqual(['/lab/Dockerfile', '/lab/.dockerignore', '/lab/cmd/server/main.go']);
  });

  it('watches the nearest existing ancestor of a folder that does not exist yet, deep enough to reach it', () => {
    const existing = new Set(['/', '/lab']);
    const plan = planWatch(['/lab/Dockerfile', '/lab/.github/workflows/ci.yml'], (dir) => existing.has(dir));
    expect(plan.roots).toEqual(['/lab']);
    expect(plan.depth).toBe(2);
    expect([...plan.dirs].sort()).toEqual(['/lab', '/lab/.github', '/lab/.github/workflows']);
  });
});
