import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerCapabilities } from '../../src/engine/docker/session.js';
import { disposeFixture, dockerForTests, expectStatus, fixture, labelledObjects, runCheck, type Fixture } from './helpers.js';

// Every Docker check against the real engine: a correct image passes all of them, and each check
// is tripped by at least one known-bad image. Images are built once per case (the session memoizes).
const caps: DockerCapabilities | undefined = await dockerForTests();
const buildkit = caps?.builder === 'buildx' || caps?.builder === 'buildkit-env';

/** One fixture per describe block, disposed afterwards, and checked for leftovers. */
const useCase = (name: string, options: Parameters<typeof fixture>[1] = {}) => {
  const holder: { f?: Fixture } = {};
  beforeAll(async () => {
    holder.f = await fixture(name, options);
  });
  afterAll(async () => {
    const id = holder.f?.session.id;
    await disposeFixture(holder.f);
    if (id) expect(await labelledObjects(`label=learn-go-docker.session=${id}`)).toEqual([]);
  });
  return () => {
    if (!holder.f) throw new Error('fixture not ready');
    return holder.f.ctx;
  };
};

describe.skipIf(!caps)('Docker checks against a real engine', () => {
  it('has a usable Docker engine', () => {
    expect(caps?.available).toBe(true);
  });

  describe('a production-shaped image passes every check', () => {
    const ctx = useCase('good');
    it('image.builds', async () => {
      const o = await runCheck('image.builds', ctx());
      expectStatus(o, 'pass');
      expect(o.measured?.steps).toBeGreaterThan(0);
    });
    it('image.size (and the ratio to the first image)', async () => {
      const o = await runCheck('image.size', ctx(), { maxMB: 10 });
      expectStatus(o, 'pass');
      expect(o.message.en).toMatch(/Image is \d+\.\d+ [MG]B, budget 10 MB/);
      expect(o.message['zh-CN']).toMatch(/镜像大小 \d+\.\d+ [MG]B，预算 10 MB/);
      expect(o.measured?.sizeBytes).toBeGreaterThan(1e6);
      const withHistory = await runCheck('image.size', { ...ctx(), history: { 'image.size': { firstImageBytes: 850e6 } } }, { maxMB: 10 });
      expect(withHistory.message.en).toMatch(/first image was 850\.0 MB: \d+\.\d× smaller/);
      expect(withHistory.measured?.firstImageBytes).toBe(850e6);
    });
    it('image.user', async () => expectStatus(await runCheck('image.user', ctx()), 'pass'));
    it('container.user', async () => {
      const o = await runCheck('container.user', ctx());
      expectStatus(o, 'pass');
      expect(o.measured?.uid).toBe(65532);
    });
    it('container.starts', async () => expectStatus(await runCheck('container.starts', ctx(), { seconds: 1 }), 'pass'));
    it('http.probe', async () => {
      const o = await runCheck('http.probe', ctx(), { path: '/ping', bodyContains: 'pong' });
      expectStatus(o, 'pass');
      expect(o.message.en).toContain('answered 200');
    });
    it('image.expose', async () => expectStatus(await runCheck('image.expose', ctx()), 'pass'));
    it('container.stop', async () => {
      const o = await runCheck('container.stop', ctx());
      expectStatus(o, 'pass');
      expect(o.message.en).toMatch(/Stopped in \d+\.\d s, exit 0/);
      expect(Number(o.measured?.stopSeconds)).toBeLessThan(2);
    });
    it('container.healthy', async () => expectStatus(await runCheck('container.healthy', ctx(), { withinSeconds: 20 }), 'pass'));
    it('container.env-port', async () => expectStatus(await runCheck('container.env-port', ctx(), { port: 9090, path: '/ping' }), 'pass'));
    it('container.json-logs', async () => expectStatus(await runCheck('container.json-logs', ctx()), 'pass'));
    it('container.no-debug-logs', async () => expectStatus(await runCheck('container.no-debug-logs', ctx()), 'pass'));
    it('volume.writable', async () => {
      const o = await runCheck('volume.writable', ctx());
      expectStatus(o, 'pass');
      expect(o.measured?.uid).toBe(65532);
    });
    it('binary.static (stripped)', async () => {
      const o = await runCheck('binary.static', ctx(), { stripped: true });
      expectStatus(o, 'pass');
      expect(o.measured?.static).toBe(true);
    });
    it('container.limits (GOMEMLIMIT below the memory limit, read from the runtime)', async () => {
      const o = await runCheck('container.limits', ctx(), { memory: '64m', cpus: '0.5', path: '/ping', requireEnv: ['GOMEMLIMIT'] });
      expectStatus(o, 'pass');
      expect(o.message.en).toContain('GOMEMLIMIT is 48 MiB (from /api/v1/runtime), 75.0% of the container limit of 64 MiB (within 50%–95%)');
      expect(o.measured?.gomemlimitBytes).toBe(48 * 1024 * 1024);
    });
    it('image.labels (the version label equals the build arg it was built with)', async () => {
      const o = await runCheck('image.labels', ctx(), {
        keys: ['org.opencontainers.image.title'],
        fromBuildArgs: { 'org.opencontainers.image.version': 'VERSION' },
      });
      expectStatus(o, 'pass');
      expect(o.message.en).toMatch(/Built with --build-arg VERSION=\d+\.\d+\.\d+: labels/);
    });
    it('image.env', async () => expectStatus(await runCheck('image.env', ctx(), { name: 'GIN_MODE', value: 'release' }), 'pass'));
    it('build.version-arg (two builds, two versions)', async () => {
      const o = await runCheck('build.version-arg', ctx(), { arg: 'VERSION' });
      expectStatus(o, 'pass');
      expect(o.measured?.matched).toBe(2);
    });
    it('http.probe fails on a wrong status and says what came back', async () => {
      const o = await runCheck('http.probe', ctx(), { path: '/nope', deadlineSeconds: 2 });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('answered 404');
    });
  });

  describe('distroless :nonroot with no USER line (unusual, correct)', () => {
    const ctx = useCase('distroless-nonroot');
    it('passes image.user, container.user, http.probe, binary.static', async () => {
      expectStatus(await runCheck('image.user', ctx()), 'pass');
      expectStatus(await runCheck('container.user', ctx()), 'pass');
      expectStatus(await runCheck('http.probe', ctx(), { path: '/ping' }), 'pass');
      expectStatus(await runCheck('binary.static', ctx()), 'pass');
      expectStatus(await runCheck('image.user', ctx(), { numeric: true }), 'pass');
    });
  });

  describe('USER nonroot, a name (not root, but not a number)', () => {
    const ctx = useCase('named-user');
    it('image.user passes it, and fails it when the lesson asks for a numeric uid', async () => {
      expectStatus(await runCheck('image.user', ctx()), 'pass');
      const o = await runCheck('image.user', ctx(), { numeric: true });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('USER 65532:65532');
      expect(o.line).toBe(4);
    });
  });

  describe.skipIf(!buildkit)('an entrypoint script that execs the binary (works, must pass)', () => {
    const ctx = useCase('entrypoint-script');
    it('binary.static follows the script to the binary; container.stop passes', async () => {
      const o = await runCheck('binary.static', ctx(), { stripped: true });
      expectStatus(o, 'pass');
      expect(o.message.en).toContain('started by /docker-entrypoint.sh');
      expectStatus(await runCheck('container.stop', ctx()), 'pass');
    });
  });

  describe('shell-form ENTRYPOINT', () => {
    const ctx = useCase('shell-entrypoint');
    it('container.stop fails after ~10 s with exit 137 and points at the ENTRYPOINT line', async () => {
      const o = await runCheck('container.stop', ctx());
      expectStatus(o, 'fail');
      expect(Number(o.measured?.stopSeconds)).toBeGreaterThan(9);
      expect(o.measured?.exitCode).toBe(137);
      expect(o.message.en).toContain('never handled SIGTERM');
      expect(o.message.en).toMatch(/Shell-form instruction on line \d+/);
      expect(o.message.en).toContain('ENTRYPOINT ["/server"]');
      expect(o.line).toBe(7);
    });
  });

  describe('exec-form ENTRYPOINT of a script that does not exec the app', () => {
    const ctx = useCase('entrypoint-script-noexec');
    it('container.stop fails and says the script must exec the app (not "use exec form")', async () => {
      const o = await runCheck('container.stop', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('/docker-entrypoint.sh is a shell script');
      expect(o.message.en).toContain('`exec /server "$@"`');
      expect(o.message.en).not.toContain('Use the exec form');
      expect(o.message['zh-CN']).toContain('`exec /server "$@"`');
    });
  });

  describe('HEALTHCHECK calling curl in an image without curl', () => {
    const ctx = useCase('healthcheck-curl');
    it('container.healthy fails and shows the probe output', async () => {
      const o = await runCheck('container.healthy', ctx(), { withinSeconds: 20 });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('curl');
      expect(o.measured?.health).toBe('unhealthy');
    });
  });

  describe('USER 0:0 and a bare image', () => {
    const ctx = useCase('root-user');
    it('image.user fails on "0:0"', async () => {
      const o = await runCheck('image.user', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('"0:0"');
      expect(o.line).toBe(4);
    });
    it('container.user fails with uid 0', async () => {
      const o = await runCheck('container.user', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('uid 0');
    });
    it('container.healthy fails without a HEALTHCHECK', async () => expectStatus(await runCheck('container.healthy', ctx()), 'fail'));
    it('image.labels, image.env fail on what is missing', async () => {
      const labels = await runCheck('image.labels', ctx(), { keys: ['org.opencontainers.image.version'] });
      expectStatus(labels, 'fail');
      expect(labels.message.en).toContain('org.opencontainers.image.version');
      expectStatus(await runCheck('image.env', ctx(), { name: 'GIN_MODE' }), 'fail');
    });
    it('build.version-arg fails when the arg never reaches the binary', async () => {
      const o = await runCheck('build.version-arg', ctx(), { arg: 'VERSION' });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('"dev" both times');
      expect(o.measured?.matched).toBe(0);
    });
    it('container.limits fails when a required env default is missing', async () => {
      const o = await runCheck('container.limits', ctx(), { memory: '64m', cpus: '0.5', path: '/ping', requireEnv: ['GOMEMLIMIT'] });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('GOMEMLIMIT');
    });
  });

  describe('a GOMEMLIMIT above the container memory limit', () => {
    const ctx = useCase('good', { replace: { 'GOMEMLIMIT=48MiB': 'GOMEMLIMIT=4GiB' } });
    it('container.limits fails with both numbers and a value to use', async () => {
      const o = await runCheck('container.limits', ctx(), { memory: '128m', cpus: '0.5', path: '/ping', requireEnv: ['GOMEMLIMIT'] });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('GOMEMLIMIT is 4.0 GiB (from /api/v1/runtime), above the container limit of 128 MiB');
      expect(o.message.en).toContain('e.g. 100MiB');
      expect(o.message['zh-CN']).toContain('高于容器限制 128 MiB');
    });
  });

  describe('secrets', () => {
    describe('in an ARG used by RUN', () => {
      const ctx = useCase('secret-arg');
      it('image.no-secret finds it in the history', async () => {
        const o = await runCheck('image.no-secret', ctx(), { value: 's3cr3t-arg-value', buildArg: 'API_KEY' });
        expectStatus(o, 'fail');
        expect(o.measured?.foundIn).toBe('history');
        expect(o.message.en).not.toContain('s3cr3t-arg-value');
      });
    });
    describe.skipIf(!buildkit)('mounted with RUN --mount=type=secret', () => {
      const good = useCase('secret-mount');
      const leak = useCase('secret-leak');
      it('image.no-secret passes when the secret is only mounted', async () => {
        const o = await runCheck('image.no-secret', good(), { value: 's3cr3t-mount-value', secretId: 'api_key' });
        expectStatus(o, 'pass');
        expect(Number(o.measured?.files)).toBeGreaterThan(100);
      });
      it('image.no-secret finds it in the file system when it was copied into a layer', async () => {
        const o = await runCheck('image.no-secret', leak(), { value: 's3cr3t-mount-value', secretId: 'api_key' });
        expectStatus(o, 'fail');
        expect(o.measured?.foundIn).toBe('filesystem');
        expect(o.message.en).toContain('/app/key');
      });
    });
    describe('in a builder stage of a multi-stage build', () => {
      const ctx = useCase('secret-stage-arg');
      it('image.no-secret finds it in the history of the builder stage', async () => {
        const o = await runCheck('image.no-secret', ctx(), { value: 's3cr3t-stage-value', buildArg: 'API_KEY' });
        expectStatus(o, 'fail');
        expect(o.measured?.foundIn).toBe('stage-history');
        expect(o.message.en).toContain('history of stage `build`');
        expect(o.message.en).toContain('--target build');
        expect(o.message.en).not.toContain('s3cr3t-stage-value');
        expect(o.line).toBe(1);
      });
    });
    describe.skipIf(!buildkit)('mounted in a builder stage', () => {
      const ctx = useCase('secret-stage-mount');
      it('image.no-secret passes and says it searched the builder stage too', async () => {
        const o = await runCheck('image.no-secret', ctx(), { value: 's3cr3t-stage-value', secretId: 'api_key' });
        expectStatus(o, 'pass');
        expect(o.measured?.stagesChecked).toBe(1);
        expect(o.message.en).toContain('1 earlier stage');
      });
    });
  });

  describe('a single-stage image over budget', () => {
    const ctx = useCase('big-single-stage');
    it('image.size fails with the measurement and the single-stage hint', async () => {
      const o = await runCheck('image.size', ctx(), { maxMB: 30 });
      expectStatus(o, 'fail');
      expect(o.message.en).toMatch(/Image is \d+\.\d+ [MG]B, budget 30 MB/);
      expect(o.message.en).toContain('single-stage');
    });
  });

  describe('an app bound to 127.0.0.1', () => {
    const ctx = useCase('bind-localhost');
    it('http.probe fails and explains the bind address', async () => {
      const o = await runCheck('http.probe', ctx(), { path: '/ping', deadlineSeconds: 4 });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('listens on 127.0.0.1:8080');
    });
    it('image.expose fails', async () => expectStatus(await runCheck('image.expose', ctx()), 'fail'));
  });

  describe('a cgo binary on scratch', () => {
    const ctx = useCase('cgo-scratch');
    it('container.starts fails and explains the dynamic binary', async () => {
      const o = await runCheck('container.starts', ctx(), { seconds: 1 });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('dynamically linked');
    });
    it('binary.static fails with the ELF interpreter', async () => {
      const o = await runCheck('binary.static', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toMatch(/interpreter \/lib/);
      expect(o.measured?.static).toBe(false);
    });
    it('http.probe fails and says the container exited', async () => {
      const o = await runCheck('http.probe', ctx(), { path: '/ping', deadlineSeconds: 3 });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('exited');
    });
  });

  describe('logs written to a file', () => {
    const ctx = useCase('log-file');
    it('container.json-logs fails and names the log file', async () => {
      const o = await runCheck('container.json-logs', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('/tmp/app.log');
    });
  });

  describe('Gin debug mode', () => {
    const ctx = useCase('debug-mode');
    it('container.no-debug-logs fails', async () => {
      const o = await runCheck('container.no-debug-logs', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('GIN_MODE=release');
    });
    it('container.json-logs fails on the first non-JSON line', async () => {
      const o = await runCheck('container.json-logs', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('[GIN-debug]');
    });
    it('image.size passes with a generous budget (no false failure)', async () => expectStatus(await runCheck('image.size', ctx(), { maxMB: 100 }), 'pass'));
  });

  describe('EXPOSE of another port', () => {
    const ctx = useCase('expose-wrong');
    it('image.expose fails and says where the app answers', async () => {
      const o = await runCheck('image.expose', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('answers on 8080');
    });
  });

  describe('an app that ignores PORT', () => {
    const ctx = useCase('fixed-port');
    it('container.env-port fails', async () => {
      const o = await runCheck('container.env-port', ctx(), { port: 9090, path: '/ping' });
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('still answers on 8080');
    });
  });

  describe('no /data in the image', () => {
    const ctx = useCase('volume-no-dir');
    it('volume.writable fails with the error and the ownership explanation', async () => {
      const o = await runCheck('volume.writable', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('answered 500');
      expect(o.message.en).toContain('--chown');
    });
  });

  describe('a Dockerfile that does not build', () => {
    const ctx = useCase('build-fails');
    it('image.builds fails with the failing step and its last lines', async () => {
      const o = await runCheck('image.builds', ctx());
      expectStatus(o, 'fail');
      expect(o.message.en).toContain('RUN /server healthcheck');
      expect(o.message.en).toContain('/bin/sh');
      expect(o.line).toBe(4);
      expect(o.message.en.split('\n').length).toBeLessThan(20);
    });
    it("other checks skip with the reason not-built, naming the failing step in one line (the output is image.builds' to show)", async () => {
      // The full build output is reported once per verify (image.builds, or verify's blocking list);
      // each skip names the step and its line: test/unit/engine/verify-gate.test.ts covers the rest.
      const o = await runCheck('http.probe', ctx(), { path: '/ping' });
      expectStatus(o, 'skip');
      expect(o.reason).toBe('not-built');
      expect(o.message.en).toContain('the image did not build at `');
      expect(o.message.en).toContain('(line 4)');
      expect(o.message.en).not.toContain('\n  | ');
      const later = await runCheck('container.starts', ctx());
      expectStatus(later, 'skip');
      expect(later.reason).toBe('not-built');
      expect(later.message.en).toContain('(line 4)');
    });
  });

  describe.skipIf(!caps?.composeVersion && caps?.compose === 'none')('compose', () => {
    describe('a compose file with a random host port', () => {
      const ctx = useCase('compose-good');
      it('compose.up brings it up and the app answers', async () => {
        const o = await runCheck('compose.up', ctx(), { service: 'app', path: '/ping' });
        expectStatus(o, 'pass');
      });
    });
    describe('a fixed host port that is busy', () => {
      let server: Server | undefined;
      let port = 0;
      beforeAll(async () => {
        server = createServer();
        await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : 0;
      });
      afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
      const holder: { f?: Fixture } = {};
      afterAll(async () => disposeFixture(holder.f));
      it('compose.up fails and explains the busy port', async () => {
        holder.f = await fixture('compose-busy', { replace: { __BUSY_PORT__: String(port) } });
        const o = await runCheck('compose.up', holder.f.ctx, { service: 'app', path: '/ping' });
        expectStatus(o, 'fail');
        expect(o.message.en).toContain(`Host port ${port} is already in use`);
      });
    });
  });
});
