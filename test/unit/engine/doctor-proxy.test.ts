import { describe, expect, it } from 'vitest';
import { formatDoctor } from '../../../src/commands/doctor.js';
import {
  interceptionIn,
  isDesktopInternal,
  judgeProxy,
  maskProxy,
  parseClientProxies,
  parseDaemonProxies,
  shellProxies,
  type ProxyMeasurement,
} from '../../../src/engine/doctor/proxy-item.js';
import type { DoctorItem, DoctorReport } from '../../../src/engine/doctor/types.js';
import { L } from '../../../src/engine/i18n.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// doctor's proxy item judged on measurements as `measureProxy` returns them: the shell's proxy
// variables, `docker info`'s proxies, ~/.docker/config.json's, and the errors the registries and
// go-proxy items met (their last error lines, as the client and `go list` print them).
const none: ProxyMeasurement = { shell: {}, daemon: {}, client: {}, errors: [] };
const SECRET = 'http://alice:s3cret@proxy.corp.example:3128';
const X509 = 'Get "https://registry-1.docker.io/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority';
const GO_X509 = 'go: github.com/gin-gonic/gin: Get "https://proxy.golang.org/github.com/gin-gonic/gin/@v/list": x509: certificate signed by unknown authority';
const AUTH = 'Get "https://registry-1.docker.io/v2/": Proxy Authentication Required';
const PROXYCONNECT = 'Get "https://gcr.io/v2/": proxyconnect tcp: dial tcp 10.1.2.3:3128: connect: connection refused';

const zhOk = (item: DoctorItem) => {
  expect(cjkSpacingProblems(item.message['zh-CN'])).toEqual([]);
  if (item.fix) expect(cjkSpacingProblems(item.fix['zh-CN'])).toEqual([]);
};

describe('what the proxy item measures', () => {
  it('reads the shell variables in either case, upper case first as Go does', () => {
    expect(shellProxies({})).toEqual({});
    expect(shellProxies({ https_proxy: 'http://p:1', NO_PROXY: 'localhost,.corp' })).toEqual({ https: 'http://p:1', no: 'localhost,.corp' });
    expect(shellProxies({ HTTP_PROXY: 'http://UP:1', http_proxy: 'http://low:1', HTTPS_PROXY: ' ' })).toEqual({ http: 'http://UP:1' });
  });
  it("reads the daemon's proxies from docker info, and nothing from an answer that is not that", () => {
    expect(parseDaemonProxies('["","",""]\n')).toEqual({});
    expect(parseDaemonProxies('["http://proxy:3128","http://proxy:3128","localhost"]')).toEqual({
      http: 'http://proxy:3128',
      https: 'http://proxy:3128',
      no: 'localhost',
    });
    expect(parseDaemonProxies('template: :1: executing "" at <.HTTPProxy>: can\'t evaluate field')).toBeUndefined();
  });
  it("reads proxies.default of the client's config.json", () => {
    expect(parseClientProxies('{"auths":{}}')).toEqual({});
    expect(parseClientProxies('not json')).toEqual({});
    expect(parseClientProxies('{"proxies":{"default":{"httpsProxy":"http://proxy:3128","noProxy":"localhost"}}}')).toEqual({
      https: 'http://proxy:3128',
      no: 'localhost',
    });
  });
  it('masks the login of a proxy URL, with or without a scheme, and leaves a plain one alone', () => {
    expect(maskProxy(SECRET)).toBe('http://***@proxy.corp.example:3128');
    expect(maskProxy('alice:s3cret@proxy:3128')).toBe('***@proxy:3128');
    expect(maskProxy('http://alice:p@ss@proxy:3128/')).toBe('http://***@proxy:3128/');
    expect(maskProxy('http://proxy:3128')).toBe('http://proxy:3128');
  });
  it('recognizes interception in error lines, and not in ordinary failures', () => {
    expect(interceptionIn(X509)).toBe('tls');
    expect(interceptionIn(AUTH)).toBe('auth');
    expect(interceptionIn('received unexpected HTTP status: 407 from proxy')).toBe('auth');
    expect(interceptionIn(PROXYCONNECT)).toBe('proxyconnect');
    expect(interceptionIn('no answer within 20 s')).toBeUndefined();
    expect(interceptionIn('dial tcp: lookup registry-1.docker.io: no such host')).toBeUndefined();
  });
  it("knows Docker Desktop's own forwarding proxy", () => {
    expect(isDesktopInternal('http.docker.internal:3128')).toBe(true);
    expect(isDesktopInternal('http://http.docker.internal:3128')).toBe(true);
    expect(isDesktopInternal('http://proxy.corp:3128')).toBe(false);
    expect(isDesktopInternal(undefined)).toBe(false);
  });
});

describe('judgeProxy', () => {
  it('(a) no proxy anywhere and nothing intercepted: ok and quiet', () => {
    const item = judgeProxy(none);
    expect(item).toMatchObject({ id: 'proxy', status: 'ok', quiet: true });
    expect(item.fix).toBeUndefined();
    expect(item.message.en).toBe('No proxy is set, and nothing looks intercepted.');
    // Docker Desktop always reports its own forwarding proxy: that is no proxy of the learner's.
    const desktop = judgeProxy({ ...none, daemon: { http: 'http.docker.internal:3128', https: 'http.docker.internal:3128', no: 'hubproxy.docker.internal' } });
    expect(desktop).toMatchObject({ status: 'ok', quiet: true });
    // Registries that time out or do not resolve are the registries item's business, not a proxy.
    expect(judgeProxy({ ...none, errors: [{ item: 'registries', text: 'no answer within 20 s' }] })).toMatchObject({ status: 'ok', quiet: true });
  });

  it('(b) a proxy in the shell and none in the daemon: warns that pulls go direct, how to give it one, and the builds', () => {
    const item = judgeProxy({ ...none, shell: { https: SECRET, no: 'localhost,.corp.example' } });
    expect(item).toMatchObject({ id: 'proxy', status: 'warn' });
    expect(item.blocking).toBeUndefined();
    expect(item.message.en).toBe('Your shell uses a proxy (http://***@proxy.corp.example:3128) but the Docker daemon has none: pulls go direct and may fail.');
    expect(item.message['zh-CN']).toBe('你的 shell 使用了代理（http://***@proxy.corp.example:3128），但 Docker 守护进程没有：拉取镜像会直连，可能失败。');
    expect(item.fix?.en).toContain('Docker Desktop: Settings > Resources > Proxies');
    expect(item.fix?.en).toContain('Environment="HTTPS_PROXY=http://***@proxy.corp.example:3128"');
    expect(item.fix?.en).toContain('"NO_PROXY=localhost,.corp.example"');
    expect(item.fix?.en).toContain('"proxies" in /etc/docker/daemon.json');
    expect(item.fix?.en).toContain('learn-go-docker passes no HTTPS_PROXY build arg');
    expect(item.fix?.en).toContain('--build-arg HTTPS_PROXY');
    expect(item.fix?.['zh-CN']).toContain('Settings > Resources > Proxies');
    expect(JSON.stringify(item)).not.toContain('s3cret');
    expect(JSON.stringify(item)).not.toContain('alice');
    zhOk(item);
    // The builds part goes when config.json already passes a proxy to builds.
    const withClient = judgeProxy({ ...none, shell: { https: SECRET }, client: { https: 'http://proxy.corp.example:3128' } });
    expect(withClient.status).toBe('warn');
    expect(withClient.fix?.en).not.toContain('build arg');
  });

  it('a proxy in the shell and the daemon: ok, named masked, with a word on builds', () => {
    const item = judgeProxy({ ...none, shell: { https: SECRET }, daemon: { https: SECRET } });
    expect(item.status).toBe('ok');
    expect(item.quiet).toBeUndefined();
    expect(item.message.en).toBe(
      'Your shell uses http://***@proxy.corp.example:3128; the daemon uses http://***@proxy.corp.example:3128. Builds do not get it: if a build cannot download Go modules, put it in "proxies" of ~/.docker/config.json.',
    );
    zhOk(item);
    // Docker Desktop forwards through its own settings: no warning, we cannot tell.
    const desktop = judgeProxy({ ...none, shell: { https: 'http://proxy:3128' }, daemon: { https: 'http.docker.internal:3128' } });
    expect(desktop.status).toBe('ok');
    expect(desktop.message.en).toContain("the daemon uses Docker Desktop's proxy settings");
    // docker info that did not say (Podman): no warning either.
    const unknown = judgeProxy({ shell: { https: 'http://proxy:3128' }, client: {}, errors: [] });
    expect(unknown.status).toBe('ok');
    expect(unknown.message.en).toContain('docker info did not say what the daemon uses');
  });

  it('(c) x509 from a registry or go list: a TLS-inspecting proxy, the CA into the trust store, or a mirror', () => {
    const item = judgeProxy({ ...none, errors: [{ item: 'registries', text: X509 }] });
    expect(item).toMatchObject({ id: 'proxy', status: 'warn', details: { cause: 'tls' } });
    expect(item.message.en).toBe(
      'Something between this machine and the internet decrypts TLS with its own certificate (x509: certificate signed by unknown authority, from a registry): a company proxy or antivirus inspecting HTTPS.',
    );
    expect(item.fix?.en).toContain("Get your company's CA certificate and make Docker trust it");
    expect(item.fix?.en).toContain('sudo update-ca-certificates');
    expect(item.fix?.en).toContain('"registry-mirrors"');
    expect(item.fix?.en).not.toContain('LEARN_GO_DOCKER_GOPROXY');
    zhOk(item);
    const go = judgeProxy({
      ...none,
      shell: { https: SECRET },
      errors: [
        { item: 'go-proxy', text: GO_X509 },
        { item: 'registries', text: X509 },
      ],
    });
    expect(go.message.en).toContain('from a registry and a container asking the Go module proxy');
    expect(go.fix?.en).toContain('LEARN_GO_DOCKER_GOPROXY=<its URL>');
    zhOk(go);
  });

  it('(c) 407 and proxyconnect: a login the proxy wants, a proxy that does not answer (masked)', () => {
    const auth = judgeProxy({ ...none, errors: [{ item: 'registries', text: AUTH }] });
    expect(auth).toMatchObject({ status: 'warn', details: { cause: 'auth' } });
    expect(auth.message.en).toBe('A proxy asks for a login (407 Proxy Authentication Required, from a registry).');
    expect(auth.fix?.en).toContain('http://user:password@proxy:port');
    zhOk(auth);
    const refused = judgeProxy({ ...none, shell: { https: SECRET }, daemon: { https: SECRET }, errors: [{ item: 'registries', text: PROXYCONNECT }] });
    expect(refused).toMatchObject({ status: 'warn', details: { cause: 'proxyconnect', shell: 'http://***@proxy.corp.example:3128' } });
    expect(refused.message.en).toBe('The connection to the proxy (http://***@proxy.corp.example:3128) failed (proxyconnect, from a registry).');
    expect(JSON.stringify(refused)).not.toContain('s3cret');
    zhOk(refused);
  });
});

describe('doctor output with no proxy', () => {
  const item = (id: string): DoctorItem => ({ id, title: L(id, id), status: 'ok', message: L('fine', '正常') });
  const report = (items: DoctorItem[]): DoctorReport => ({ blocking: false, items, durationMs: 1 });
  it('prints no line for the quiet proxy item: the text is what it was without the item; --json keeps it', () => {
    const before = report([item('daemon'), item('go-proxy')]);
    const after = report([...before.items, judgeProxy(none)]);
    for (const lang of ['en', 'zh-CN'] as const) expect(formatDoctor(after, lang)).toBe(formatDoctor(before, lang));
    expect(JSON.parse(JSON.stringify(after)).items.map((i: DoctorItem) => i.id)).toContain('proxy');
    // A proxy worth a word prints its line.
    const warned = report([...before.items, judgeProxy({ ...none, shell: { https: SECRET } })]);
    expect(formatDoctor(warned, 'en')).toContain('! Proxy: Your shell uses a proxy (http://***@proxy.corp.example:3128)');
  });
});
