import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeFixture, dockerForTests, expectStatus, fixture, runCheck, type Fixture } from './helpers.js';

// The real sample app (Gin) in a production-shaped image: no check may fail a working setup.
const caps = await dockerForTests();
const buildkit = caps?.builder === 'buildx' || caps?.builder === 'buildkit-env';

describe.skipIf(!caps || !buildkit)('the real sample app passes the Docker checks', () => {
  let f: Fixture | undefined;
  beforeAll(async () => {
    f = await fixture('sample-app');
  });
  afterAll(async () => disposeFixture(f));
  const ctx = () => f!.ctx;

  it('builds and is small', async () => {
    expectStatus(await runCheck('image.builds', ctx()), 'pass');
    expectStatus(await runCheck('image.size', ctx(), { maxMB: 30 }), 'pass');
    expectStatus(await runCheck('binary.static', ctx(), { stripped: true }), 'pass');
  });
  it('runs as non-root and serves', async () => {
    expectStatus(await runCheck('image.user', ctx()), 'pass');
    expectStatus(await runCheck('container.user', ctx()), 'pass');
    expectStatus(await runCheck('http.probe', ctx(), { path: '/ping', bodyContains: 'pong' }), 'pass');
    expectStatus(await runCheck('image.expose', ctx()), 'pass');
    expectStatus(await runCheck('container.env-port', ctx(), { port: 9090, path: '/ping' }), 'pass');
  });
  it('stops gracefully, reports healthy, logs JSON in release mode', async () => {
    expectStatus(await runCheck('container.stop', ctx()), 'pass');
    expectStatus(await runCheck('container.healthy', ctx(), { withinSeconds: 30 }), 'pass');
    expectStatus(await runCheck('container.json-logs', ctx()), 'pass');
    expectStatus(await runCheck('container.no-debug-logs', ctx()), 'pass');
  });
  it('writes notes to a named volume, serves under limits, reports its version', async () => {
    expectStatus(await runCheck('volume.writable', ctx()), 'pass');
    const limits = await runCheck('container.limits', ctx(), { memory: '128m', cpus: '0.5', path: '/ping', requireEnv: ['GOMEMLIMIT'] });
    expectStatus(limits, 'pass');
    expect(limits.message.en).toContain('runtime:');
    expectStatus(await runCheck('build.version-arg', ctx(), { value: '1.2.3' }), 'pass');
    expectStatus(await runCheck('build.cache-reuse', ctx()), 'pass');
  });
  it('a bind to 127.0.0.1 (HOST) is explained from the real app logs', async () => {
    const o = await runCheck('http.probe', ctx(), { path: '/ping', env: { HOST: '127.0.0.1' }, deadlineSeconds: 4 });
    expectStatus(o, 'fail');
    expect(o.message.en).toContain('listens on 127.0.0.1:8080');
  });
});
