import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD, check } from './helpers.js';

const solution = await readFile(join(import.meta.dirname, '../../../lessons/16-compose/solution/compose.yaml'), 'utf8');
const params = { services: ['app', 'db'], healthGated: true, namedVolume: true, envFile: true };
const run = (compose: string) => check('compose.valid', GOOD, params, { 'compose.yaml': compose, '.env': 'POSTGRES_PASSWORD=x\n' });
const withDbEnv = (env: string) =>
  solution.replace('    image: postgres:17-trixie\n    env_file: .env\n', `    image: postgres:17-trixie\n    env_file: .env\n${env}`);

describe('compose.valid refuses passwords written in compose.yaml', () => {
  it('passes the solution and says so', async () => {
    const out = await run(solution);
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('no password written in it');
  });
  it('fails a literal password (map form) with its line and service, in both languages', async () => {
    const text = withDbEnv('    environment:\n      POSTGRES_PASSWORD: notes-dev-password\n');
    const out = await run(text);
    const line = text.split('\n').findIndex((l) => l.includes('POSTGRES_PASSWORD:')) + 1;
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain(`line ${line}: POSTGRES_PASSWORD of "db" is written in the file`);
    expect(out.message['zh-CN']).toContain(`第 ${line} 行："db" 的 POSTGRES_PASSWORD 直接写在文件里`);
    expect(out.message['zh-CN']).not.toMatch(/[a-z]{4,} [a-z]{4,} [a-z]{4,}/);
  });
  it('fails a password inside a URL (list form), and a default written after :-', async () => {
    const url = await run(withDbEnv('    environment:\n      - DATABASE_URL=postgres://notes:s3cret@db:5432/notes\n'));
    expect(url.message.en).toContain('DATABASE_URL of "db" has a password written in its URL');
    const defaulted = await run(withDbEnv('    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-s3cret}\n'));
    expect(defaulted.message.en).toContain('defaults to a value written in the file');
    const urlDefault = await run(withDbEnv('    environment:\n      DATABASE_URL: postgres://notes:${POSTGRES_PASSWORD-s3cret}@db/notes\n'));
    expect(urlDefault.status).toBe('fail');
    const several = await run(withDbEnv('    environment:\n      API_TOKEN: abc\n      DB_PASS: "1234"\n'));
    expect(several.message.en.match(/^- line/gm)).toHaveLength(2);
  });
  it('accepts references, pass-through, files and non-secret values', async () => {
    for (const env of [
      '    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n',
      '    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n',
      '    environment:\n      POSTGRES_PASSWORD: $POSTGRES_PASSWORD\n',
      '    environment:\n      POSTGRES_PASSWORD:\n',
      '    environment:\n      - POSTGRES_PASSWORD\n',
      '    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n',
      '    environment:\n      DATABASE_URL: postgres://notes:${POSTGRES_PASSWORD}@db:5432/notes\n',
      '    environment:\n      DATABASE_URL: postgres://db:5432/notes\n',
      '    environment:\n      PGDATA: /var/lib/postgresql/data/pgdata\n      POSTGRES_HOST_AUTH_METHOD: scram-sha-256\n',
    ]) {
      expect((await run(withDbEnv(env))).status, env).toBe('pass');
    }
  });
});
