import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it('keeps modes, timestamps and links, and copies .git only when .dockerignore lets it through', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-stage-'));
    await mkdir(join(dir, 'scripts', 'deep'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(dir, 'scripts', 'entry.sh'), '#!/bin/sh\nexec /server\n', { mode: 0o755 });
    await writeFile(join(dir, 'scripts', 'deep', 'data.txt'), 'x');
    await utimes(join(dir, 'scripts', 'deep', 'data.txt'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    await chmod(join(dir, 'scripts', 'deep'), 0o555);
    await symlink('entry.sh', join(dir, 'scripts', 'link.sh'));
    const staged = await stageContext(dir);
    expect((await readdir(staged)).sort()).toEqual(['scripts']);
    expect((await stat(join(staged, 'scripts', 'entry.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(staged, 'scripts', 'deep'))).mode & 0o777).toBe(0o555);
    expect((await stat(join(staged, 'scripts', 'deep', 'data.txt'))).mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    expect(await readlink(join(staged, 'scripts', 'link.sh'))).toBe('entry.sh');
    await writeFile(join(dir, '.dockerignore'), '*.tmp\n');
    const withGit = await stageContext(dir);
    expect((await readdir(withGit)).sort()).toEqual(['.dockerignore', '.git', 'scripts']);
    for (const copy of [staged, withGit, dir]) {
      await chmod(join(copy, 'scripts', 'deep'), 0o755);
      await rm(copy, { recursive: true, force: true });
    }
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
  it('adds no-new-privileges only to services whose file does not already turn it on (compose refuses an item twice)', () => {
    const facts = composeFacts(
      [
        'services:',
        '  a:',
        '    image: x',
        '    security_opt: ["no-new-privileges:true"]',
        '  b:',
        '    image: x',
        '    security_opt: [no-new-privileges]',
        '  c:',
        '    image: x',
        '',
      ].join('\n'),
    );
    const override = parse(runnerOverride(facts, { 'learn-go-docker': '1' })) as { services: Record<string, { security_opt?: string[] }> };
    expect(override.services.a?.security_opt).toBeUndefined();
    expect(override.services.b?.security_opt).toBeUndefined();
    expect(override.services.c?.security_opt).toEqual(['no-new-privileges:true']);
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

describe('pausing a container the freezer refused once', () => {
  it("recognises Docker's words for a freeze that did not take, and only those", async () => {
    const { freezeRefused } = await import('../../../src/engine/docker/docker-session.js');
    expect(freezeRefused('Error response from daemon: Cannot pause container 283e7b9e: OCI runtime pause failed: unable to freeze: unknown')).toBe(true);
    expect(freezeRefused('Error response from daemon: Container 283e7b9e is not running')).toBe(false);
    expect(freezeRefused('Error: No such container: 283e7b9e')).toBe(false);
  });

  it('asks again when the freezer refused, and gives up after the third refusal with that error', async () => {
    const { createDockerSession } = await import('../../../src/engine/docker/docker-session.js');
    const dir = await mkdtemp(join(tmpdir(), 'lgd-pause-'));
    const calls = join(dir, 'calls');
    // A docker client whose pause is refused until the file `ok` exists.
    const fake = join(dir, 'docker');
    await writeFile(
      fake,
      `#!/bin/sh\necho "$*" >> ${calls}\nif [ "$1" = pause ] && [ ! -e ${join(dir, 'ok')} ]; then echo 'Error response from daemon: Cannot pause container x: OCI runtime pause failed: unable to freeze: unknown' >&2; exit 1; fi\nexit 0\n`,
    );
    await chmod(fake, 0o755);
    const saved = process.env.LEARN_GO_DOCKER_DOCKER;
    process.env.LEARN_GO_DOCKER_DOCKER = fake;
    const session = createDockerSession({ contextDir: dir, lessonId: 'pause-test', transient: true });
    try {
      await expect(session.pauseContainer('c1')).rejects.toThrow(/unable to freeze/);
      const pauses = async () => (await readFile(calls, 'utf8')).split('\n').filter((l) => l.startsWith('pause')).length;
      expect(await pauses()).toBe(3);
      // Refused once, then frozen.
      setTimeout(() => void writeFile(join(dir, 'ok'), ''), 100);
      await session.pauseContainer('c2');
      expect(await pauses()).toBeGreaterThanOrEqual(4);
    } finally {
      await session.dispose();
      if (saved === undefined) delete process.env.LEARN_GO_DOCKER_DOCKER;
      else process.env.LEARN_GO_DOCKER_DOCKER = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
