import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStale } from '../../../src/engine/docker/clean.js';
import { composeFacts, runnerOverride } from '../../../src/engine/docker/compose.js';
import { removeStaged, stageContext } from '../../../src/engine/docker/stage-context.js';
import { disposeAllSessions, liveSessionCount, registerSession } from '../../../src/engine/docker/live-sessions.js';

describe('stale objects', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const hour = 3_600_000;
  it('never touches objects without the label', () => {
    expect(isStale({ id: 'a', labels: {}, created: '2020-01-01T00:00:00Z' }, now, hour)).toBe(false);
  });
  it('removes objects of a dead process on this host, keeps this process and live ones', () => {
    const labels = (pid: number) => ({ 'learn-go-docker': '1', 'learn-go-docker.pid': String(pid), 'learn-go-docker.host': hostname() });
    expect(isStale({ id: 'a', labels: labels(process.pid), created: '2020-01-01T00:00:00Z' }, now, hour)).toBe(false);
    expect(isStale({ id: 'b', labels: labels(2 ** 22 + 12345), created: new Date(now).toISOString() }, now, hour)).toBe(true);
    expect(isStale({ id: 'c', labels: labels(process.ppid), created: '2020-01-01T00:00:00Z' }, now, hour)).toBe(false);
  });
  it('uses age for objects from another host', () => {
    const labels = { 'learn-go-docker': '1', 'learn-go-docker.pid': '1', 'learn-go-docker.host': 'elsewhere' };
    expect(isStale({ id: 'd', labels, created: new Date(now - 3 * hour).toISOString() }, now, 2 * hour)).toBe(true);
    expect(isStale({ id: 'e', labels, created: new Date(now - hour / 2).toISOString() }, now, 2 * hour)).toBe(false);
  });
});

describe('staged build context', () => {
  it('copies the workspace without the runner state folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-stage-'));
    await mkdir(join(dir, '.learn-go-docker', 'lessons'), { recursive: true });
    await writeFile(join(dir, '.learn-go-docker', 'progress.json'), '{}');
    await mkdir(join(dir, 'cmd', 'server'), { recursive: true });
    await writeFile(join(dir, 'cmd', 'server', 'main.go'), 'package main');
    await writeFile(join(dir, '.dockerignore'), '.git\n');
    const staged = await stageContext(dir);
    expect((await readdir(staged)).sort()).toEqual(['.dockerignore', 'cmd']);
    await removeStaged(staged);
  });
});

describe('compose override', () => {
  it('finds fixed host ports and labels services, volumes and networks', () => {
    const facts = composeFacts(
      'services:\n  app:\n    ports: ["8080:8080", "9090", "127.0.0.1:5432:5432", {target: 80, published: 8081}]\n  db: {}\nvolumes:\n  data:\n  ext: {external: true}\n',
    );
    expect(facts.services).toEqual(['app', 'db']);
    expect(facts.fixedHostPorts).toEqual([8080, 5432, 8081]);
    expect(facts.volumes).toEqual(['data']);
    const override = runnerOverride(facts, { 'learn-go-docker': '1' });
    expect(override).toContain('learn-go-docker: "1"');
    expect(override).toMatch(/volumes:\n\s+data:/);
    expect(override).toMatch(/networks:\n\s+default:/);
  });
});

describe('live sessions', () => {
  it('disposes every registered session once', async () => {
    let disposed = 0;
    const session = { dispose: async () => void (disposed += 1) };
    registerSession(session);
    expect(liveSessionCount()).toBeGreaterThan(0);
    await disposeAllSessions();
    expect(disposed).toBe(1);
  });
});
