import { describe, expect, it } from 'vitest';
import { dataPathOf, judgeDatabase, judgeNotes, mountHolding, type PersistMeasurement } from '../../../src/engine/checks/docker/compose-persist.js';
import { parseAnonymousVolumes } from '../../../src/engine/docker/compose.js';
import type { ComposeServiceState } from '../../../src/engine/docker/session.js';

const project = 'learn-go-docker-abc';
const anon = 'a'.repeat(64);
const db = { service: 'db', path: '/var/lib/postgresql/data', pathEnv: 'PGDATA' };
const state = (mounts: [string, string, string?][], env: string[] = ['PGDATA=/var/lib/postgresql/data']): ComposeServiceState => ({
  running: true,
  env,
  mounts: mounts.map(([name, destination, type = 'volume']) => ({
    type,
    name: type === 'volume' ? name : '',
    source: type === 'bind' ? name : '/var/lib/docker/volumes/x',
    destination,
  })),
});
const note = { ok: true as const, answer: { status: 201, body: '{"id":"abc123"}' } };
const measured = (over: Partial<PersistMeasurement>): PersistMeasurement => ({
  created: note,
  noteId: 'abc123',
  restart: { ok: true, seconds: 4, tail: [] },
  readBack: { ok: true, answer: { status: 200, body: '{"id":"abc123"}' } },
  before: state([[`${project}_db-data`, '/var/lib/postgresql/data']]),
  after: state([[`${project}_db-data`, '/var/lib/postgresql/data']]),
  ...over,
});
const params = { service: 'app', notes: '/api/v1/notes', database: db };

describe('compose.up persistence judges', () => {
  it('finds the mount holding the data path, following PGDATA', () => {
    const s = state(
      [
        [`${project}_db-data`, '/var/lib/postgresql/data'],
        [anon, '/var/lib/postgresql'],
      ],
      ['PGDATA=/var/lib/postgresql/data/pgdata'],
    );
    expect(dataPathOf(s, db)).toBe('/var/lib/postgresql/data/pgdata');
    expect(mountHolding(s, dataPathOf(s, db))?.name).toBe(`${project}_db-data`);
    expect(mountHolding(state([[`${project}_db-data`, '/var/lib/postgresql/database']]), '/var/lib/postgresql/data')).toBeUndefined();
  });
  it('passes a note read back and the data on one named volume', () => {
    expect(judgeNotes(measured({}), params)).toHaveProperty('ok');
    const ok = judgeDatabase(measured({}), params, project);
    expect(ok).toHaveProperty('ok');
    expect((ok as { ok: { en: string } }).ok.en).toContain('named volume db-data');
  });
  it('fails a lost note, a note that could not be written, and each wrong database mount', () => {
    const lost = judgeNotes(measured({ readBack: { ok: true, answer: { status: 404, body: '{"error":"note not found"}' } } }), params);
    expect(lost).toMatchObject({ en: expect.stringContaining('was gone after up') });
    const unwritable = judgeNotes(measured({ created: { ok: true, answer: { status: 500, body: 'cannot write' } }, noteId: null }), params);
    expect(unwritable).toMatchObject({ en: expect.stringContaining('answered 500') });
    const parent = judgeDatabase(
      measured({
        before: state([
          [`${project}_db-data`, '/var/lib/postgresql'],
          [anon, '/var/lib/postgresql/data'],
        ]),
      }),
      params,
      project,
    );
    expect(parent).toMatchObject({ en: expect.stringContaining('anonymous volume') });
    expect((parent as { en: string }).en).toContain('db-data:/var/lib/postgresql,');
    const none = judgeDatabase(measured({ before: state([]) }), params, project);
    expect(none).toMatchObject({ en: expect.stringContaining('nothing is mounted there') });
    const bind = judgeDatabase(measured({ before: state([['/work/pgdata', '/var/lib/postgresql/data', 'bind']]) }), params, project);
    expect(bind).toMatchObject({ en: expect.stringContaining('bind mount of /work/pgdata') });
    const swapped = judgeDatabase(measured({ after: state([[anon, '/var/lib/postgresql/data']]) }), params, project);
    expect(swapped).toMatchObject({ en: expect.stringContaining('after up it was on an anonymous volume') });
    const missing = judgeDatabase(measured({ before: null }), params, project);
    expect(missing).toMatchObject({ 'zh-CN': expect.stringContaining('没有 db 服务的容器') });
  });
});

describe('the anonymous volumes a restart orphans', () => {
  it('names only unnamed volumes, once each, from the mounts of the project containers', () => {
    const text = [`volume ${anon}`, 'volume learn-go-docker-abc_pgdata', 'bind ', `volume ${anon}`, `volume ${'b'.repeat(64)}`, ''].join('\n');
    expect(parseAnonymousVolumes(text)).toEqual([anon, 'b'.repeat(64)]);
    expect(parseAnonymousVolumes('')).toEqual([]);
  });
});
