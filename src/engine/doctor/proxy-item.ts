import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { L, type Localized } from '../i18n.js';
import { dockerExec } from '../docker/exec.js';
import type { DoctorItem } from './types.js';

/** One place's proxy settings; each field is undefined when not set. */
export interface ProxySettings {
  readonly http?: string;
  readonly https?: string;
  readonly no?: string;
}

/** What the proxy item measured: three places a proxy can be set, and the network errors the other items met. */
export interface ProxyMeasurement {
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) of the learner's environment: the docker client uses them. */
  readonly shell: ProxySettings;
  /** `docker info`'s HTTPProxy / HTTPSProxy / NoProxy: what the daemon's pulls use. undefined when docker info did not say. */
  readonly daemon?: ProxySettings;
  /** `"proxies": {"default": …}` of ~/.docker/config.json: what docker passes to every build and container. */
  readonly client: ProxySettings;
  /** The registries item's and the go-proxy item's error lines (raw, never printed). */
  readonly errors: readonly { readonly item: 'registries' | 'go-proxy'; readonly text: string }[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** Go's order (net/http/httpproxy): the upper-case name first, then the lower-case one. */
export const shellProxies = (env: NodeJS.ProcessEnv): ProxySettings => {
  const pick = (name: string) => str(env[name]) ?? str(env[name.toLowerCase()]);
  const out: { http?: string; https?: string; no?: string } = {};
  const http = pick('HTTP_PROXY');
  const https = pick('HTTPS_PROXY');
  const no = pick('NO_PROXY');
  if (http) out.http = http;
  if (https) out.https = https;
  if (no) out.no = no;
  return out;
};

/** The daemon's proxies from `docker info --format '[{{json .HTTPProxy}},{{json .HTTPSProxy}},{{json .NoProxy}}]'`. */
export const parseDaemonProxies = (stdout: string): ProxySettings | undefined => {
  try {
    const parsed: unknown = JSON.parse(stdout.trim());
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [http, https, no] = parsed.map(str);
    return { ...(http ? { http } : {}), ...(https ? { https } : {}), ...(no ? { no } : {}) };
  } catch {
    return undefined;
  }
};

/** `proxies.default` of a docker client config.json (httpProxy, httpsProxy, noProxy). */
export const parseClientProxies = (text: string): ProxySettings => {
  try {
    const parsed = JSON.parse(text) as { proxies?: { default?: Record<string, unknown> } } | null;
    const d = parsed?.proxies?.default ?? {};
    const http = str(d.httpProxy);
    const https = str(d.httpsProxy);
    const no = str(d.noProxy);
    return { ...(http ? { http } : {}), ...(https ? { https } : {}), ...(no ? { no } : {}) };
  } catch {
    return {};
  }
};

/** A proxy URL fit to print: `user:pass@` becomes `***@` (with or without a scheme). */
export const maskProxy = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/\s]*@/i, '$1***@');

/**
 * Docker Desktop's daemon always reports its own forwarding proxy (http.docker.internal:3128):
 * that is Desktop's plumbing, not a proxy the learner set (Settings > Resources > Proxies decides
 * where it goes), so it counts as none here.
 */
export const isDesktopInternal = (url: string | undefined): boolean => Boolean(url && /(^|\/\/|@)[\w.-]*\.docker\.internal(:\d+)?\/?$/i.test(url));

const proxyOf = (s: ProxySettings | undefined): string | undefined => s?.https ?? s?.http;

export type Interception = 'tls' | 'auth' | 'proxyconnect';

/** Which interception an error line shows, if any. */
export const interceptionIn = (text: string): Interception | undefined => {
  if (/x509:|certificate signed by unknown authority|certificate is not trusted|failed to verify certificate/i.test(text)) return 'tls';
  if (/Proxy Authentication Required|\b407\b[^\n]*proxy|proxy[^\n]*\b407\b/i.test(text)) return 'auth';
  if (/proxyconnect/i.test(text)) return 'proxyconnect';
  return undefined;
};

const title = L('Proxy', '代理');

const daemonFix = (proxy: string, no: string | undefined): Localized =>
  L(
    `Give the daemon the proxy: Docker Desktop: Settings > Resources > Proxies; Linux: a systemd drop-in /etc/systemd/system/docker.service.d/http-proxy.conf with [Service] and Environment="HTTPS_PROXY=${proxy}" "HTTP_PROXY=${proxy}"${no ? ` "NO_PROXY=${no}"` : ''}, then sudo systemctl daemon-reload && sudo systemctl restart docker (Engine 23+: "proxies" in /etc/docker/daemon.json works too).`,
    `请给守护进程配置代理：Docker Desktop：Settings > Resources > Proxies；Linux：写一个 systemd drop-in 文件 /etc/systemd/system/docker.service.d/http-proxy.conf，内容为 [Service] 和 Environment="HTTPS_PROXY=${proxy}" "HTTP_PROXY=${proxy}"${no ? ` "NO_PROXY=${no}"` : ''}，然后运行 sudo systemctl daemon-reload && sudo systemctl restart docker（Engine 23 及以上也可以在 /etc/docker/daemon.json 中写 "proxies"）。`,
  );

const buildFix = L(
  'Builds do not get your shell\'s proxy either (learn-go-docker passes no HTTPS_PROXY build arg): put it in ~/.docker/config.json as "proxies": {"default": {"httpsProxy": "…", "httpProxy": "…", "noProxy": "…"}}, and docker passes it to every build and container (your own builds: --build-arg HTTPS_PROXY).',
  '构建同样拿不到 shell 里的代理（learn-go-docker 不会传入 HTTPS_PROXY 构建参数）：请把它写进 ~/.docker/config.json 的 "proxies": {"default": {"httpsProxy": "…", "httpProxy": "…", "noProxy": "…"}}，docker 会把它传给每次构建和每个容器（自己构建时：--build-arg HTTPS_PROXY）。',
);

const where = (items: readonly ('registries' | 'go-proxy')[]): Localized => {
  const set = (['registries', 'go-proxy'] as const).filter((i) => items.includes(i));
  const en = set.map((i) => (i === 'registries' ? 'a registry' : 'a container asking the Go module proxy')).join(' and ');
  const zh = set.map((i) => (i === 'registries' ? '镜像仓库' : '容器访问 Go 模块代理')).join('和');
  return L(en, zh);
};

const goModulesFix = L(
  ' Go downloads inside builds check certificates against the image, not your machine: point them at a module proxy inside your company with LEARN_GO_DOCKER_GOPROXY=<its URL>.',
  '构建里的 Go 下载是用镜像里的证书来校验的，而不是本机的：请用 LEARN_GO_DOCKER_GOPROXY=<地址> 指向公司内部的 Go 模块代理。',
);

const mirrorFix = L(
  ' Or pull through a registry mirror inside your company ("registry-mirrors" in daemon.json), or npx learn-go-docker prepare --import an archive made on another network.',
  '或者通过公司内部的镜像加速器拉取（daemon.json 中的 "registry-mirrors"），或者用 npx learn-go-docker prepare --import 导入在其他网络上生成的归档。',
);

/** The proxy item from its measurement: quiet when no proxy is set and nothing looks intercepted, a warning otherwise. Never blocking. */
export const judgeProxy = (m: ProxyMeasurement): DoctorItem => {
  const shell = proxyOf(m.shell);
  const daemonRaw = proxyOf(m.daemon);
  const desktop = isDesktopInternal(daemonRaw);
  const daemon = desktop ? undefined : daemonRaw;
  const client = proxyOf(m.client);
  const mask = (url: string | undefined) => (url ? maskProxy(url) : null);
  const intercepted = m.errors.map((e) => ({ item: e.item, cause: interceptionIn(e.text) })).filter((e) => e.cause);
  const order: Interception[] = ['tls', 'auth', 'proxyconnect'];
  const cause = order.find((c) => intercepted.some((e) => e.cause === c));
  const details = { shell: mask(shell), daemon: mask(daemonRaw), client: mask(client), cause: cause ?? null };
  const warn = (message: Localized, fix: Localized): DoctorItem => ({ id: 'proxy', title, status: 'warn', message, fix, details });

  if (cause) {
    const seen = where(intercepted.filter((e) => e.cause === cause).map((e) => e.item));
    const goSeen = intercepted.some((e) => e.cause === cause && e.item === 'go-proxy');
    if (cause === 'tls') {
      return warn(
        L(
          `Something between this machine and the internet decrypts TLS with its own certificate (x509: certificate signed by unknown authority, from ${seen.en}): a company proxy or antivirus inspecting HTTPS.`,
          `本机和互联网之间有东西用它自己的证书解密 TLS（x509: certificate signed by unknown authority，来自${seen['zh-CN']}）：公司代理或杀毒软件在检查 HTTPS。`,
        ),
        L(
          `Get your company's CA certificate and make Docker trust it: Docker Desktop uses the system's certificates (add it to Keychain on macOS, to the Windows certificate store on Windows), then restart Docker Desktop; Linux: copy it to /usr/local/share/ca-certificates/, run sudo update-ca-certificates, then sudo systemctl restart docker.${goSeen ? goModulesFix.en : ''}${mirrorFix.en}`,
          `请拿到公司的 CA 证书并让 Docker 信任它：Docker Desktop 使用系统的证书（macOS 加入钥匙串，Windows 加入 Windows 证书存储），然后重启 Docker Desktop；Linux：复制到 /usr/local/share/ca-certificates/，运行 sudo update-ca-certificates，再运行 sudo systemctl restart docker。${goSeen ? goModulesFix['zh-CN'] : ''}${mirrorFix['zh-CN']}`,
        ),
      );
    }
    if (cause === 'auth') {
      return warn(
        L(
          `A proxy asks for a login (407 Proxy Authentication Required, from ${seen.en}).`,
          `代理要求登录（407 Proxy Authentication Required，来自${seen['zh-CN']}）。`,
        ),
        L(
          'Put the login in the proxy address, http://user:password@proxy:port, where Docker reads it: Docker Desktop: Settings > Resources > Proxies; Linux: the docker service\'s HTTPS_PROXY (systemd drop-in); builds and containers: "proxies" in ~/.docker/config.json. Or ask for the registries to be let through without a login.',
          '请把登录信息写进代理地址 http://用户名:密码@代理:端口，并放在 Docker 读取的位置：Docker Desktop：Settings > Resources > Proxies；Linux：docker 服务的 HTTPS_PROXY（systemd drop-in）；构建和容器：~/.docker/config.json 中的 "proxies"。或者请管理员让镜像仓库无需登录即可通过。',
        ),
      );
    }
    const named = shell ?? client ?? daemon;
    return warn(
      L(
        `The connection to the proxy${named ? ` (${maskProxy(named)})` : ''} failed (proxyconnect, from ${seen.en}).`,
        `连接代理${named ? `（${maskProxy(named)}）` : ''}失败（proxyconnect，来自${seen['zh-CN']}）。`,
      ),
      L(
        'Check the proxy\'s address and port, and that it answers from this machine. Inside containers and builds 127.0.0.1 is the container itself: use the machine\'s address (Docker Desktop: host.docker.internal) in ~/.docker/config.json "proxies".',
        '请检查代理的地址和端口，并确认在本机能连上它。容器和构建里的 127.0.0.1 指的是容器自己：请在 ~/.docker/config.json 的 "proxies" 中使用本机的地址（Docker Desktop：host.docker.internal）。',
      ),
    );
  }

  if (shell && !daemon && !desktop && m.daemon) {
    const fix = daemonFix(maskProxy(shell), m.shell.no);
    return warn(
      L(
        `Your shell uses a proxy (${maskProxy(shell)}) but the Docker daemon has none: pulls go direct and may fail.`,
        `你的 shell 使用了代理（${maskProxy(shell)}），但 Docker 守护进程没有：拉取镜像会直连，可能失败。`,
      ),
      client ? fix : L(`${fix.en} ${buildFix.en}`, `${fix['zh-CN']}${buildFix['zh-CN']}`),
    );
  }

  if (!shell && !daemon && !client) {
    return {
      id: 'proxy',
      title,
      status: 'ok',
      quiet: true,
      message: L('No proxy is set, and nothing looks intercepted.', '没有设置代理，也没有发现被拦截的迹象。'),
      details,
    };
  }
  const parts: Localized[] = [];
  if (shell) parts.push(L(`your shell uses ${maskProxy(shell)}`, `你的 shell 使用 ${maskProxy(shell)}`));
  if (daemon) parts.push(L(`the daemon uses ${maskProxy(daemon)}`, `守护进程使用 ${maskProxy(daemon)}`));
  else if (desktop) parts.push(L("the daemon uses Docker Desktop's proxy settings", '守护进程使用 Docker Desktop 的代理设置'));
  else if (!m.daemon) parts.push(L('docker info did not say what the daemon uses', 'docker info 没有说明守护进程使用什么代理'));
  if (client)
    parts.push(L(`builds and containers get ${maskProxy(client)} (~/.docker/config.json)`, `构建和容器使用 ${maskProxy(client)}（~/.docker/config.json）`));
  const en = parts.map((p) => p.en).join('; ');
  const zh = parts.map((p) => p['zh-CN']).join('；');
  const noBuilds =
    shell && !client
      ? L(
          ' Builds do not get it: if a build cannot download Go modules, put it in "proxies" of ~/.docker/config.json.',
          '构建拿不到它：如果构建无法下载 Go 模块，请把它写进 ~/.docker/config.json 的 "proxies"。',
        )
      : L('', '');
  return {
    id: 'proxy',
    title,
    status: 'ok',
    message: L(`${en.charAt(0).toUpperCase()}${en.slice(1)}.${noBuilds.en}`, `${zh}。${noBuilds['zh-CN']}`),
    details,
  };
};

/** ~/.docker/config.json, or $DOCKER_CONFIG/config.json: the client's own settings, read and never changed. */
const clientConfigPath = (env: NodeJS.ProcessEnv): string => join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');

/** Measures the three places a proxy can be set; `errors` come from the registries and go-proxy items already run. */
export const measureProxy = async (errors: ProxyMeasurement['errors'], signal?: AbortSignal): Promise<ProxyMeasurement> => {
  const info = await dockerExec(['info', '--format', '[{{json .HTTPProxy}},{{json .HTTPSProxy}},{{json .NoProxy}}]'], { timeoutMs: 20_000, signal });
  const daemon = info.exitCode === 0 ? parseDaemonProxies(info.stdout) : undefined;
  const config = await readFile(clientConfigPath(process.env), 'utf8').catch(() => '');
  return { shell: shellProxies(process.env), ...(daemon ? { daemon } : {}), client: config ? parseClientProxies(config) : {}, errors };
};

/** Whether a proxy stands between the lessons and the internet, and what to set where. */
export const proxyItem = async (errors: ProxyMeasurement['errors'], signal?: AbortSignal): Promise<DoctorItem> =>
  judgeProxy(await measureProxy(errors, signal));
