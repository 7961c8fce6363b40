import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { L, type Localized } from '../i18n.js';

/** The file names `docker compose` looks for, in its order. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * What a compose file may not ask of the learner's machine. The runner runs compose.yaml for real,
 * and a workspace may come from someone else (the README invites zipping and sharing them): none
 * of these is needed by the course, and each hands the container the host. Pure; used by the
 * static check compose.valid and, on `docker compose config` output, before every `compose up`.
 */
export interface ComposeRefusal {
  /** The service; absent for a top-level entry, whose key then starts with its section ("volumes.data.driver_opts.device"). */
  readonly service?: string;
  readonly key: string;
  /** The offending value as written. */
  readonly value: string;
  readonly why: Localized;
}

export interface GuardOptions {
  /** The workspace (compose project directory): host paths inside it may be mounted. */
  readonly projectDir: string;
  /**
   * The document is `docker compose config` output of the file the runner starts: interpolated,
   * merged, ports already moved to 127.0.0.1, so a port on any other address is refused. On a file
   * as written (false) only an explicit non-loopback address is, and values with `${...}` are left
   * to that later check.
   */
  readonly resolved?: boolean;
}

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

const NAMESPACES: Readonly<Record<string, Localized>> = {
  network_mode: L('network (every port it opens is open on all of your interfaces)', '网络（它打开的每个端口都对所有网卡开放）'),
  net: L('network (every port it opens is open on all of your interfaces)', '网络（它打开的每个端口都对所有网卡开放）'),
  pid: L('processes (it can see and signal all of them)', '进程（它能看到并向所有进程发信号）'),
  ipc: L('shared memory', '共享内存'),
  uts: L('host name', '主机名'),
  userns_mode: L('user namespace (root in the container is root on your machine)', '用户命名空间（容器里的 root 就是你机器上的 root）'),
  cgroup: L('cgroups', 'cgroup'),
};

/** Capabilities that each amount to control of the host (the default set stays allowed). */
const DANGEROUS_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_BOOT',
  'SYS_TIME',
  'NET_ADMIN',
  'DAC_READ_SEARCH',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'BPF',
  'PERFMON',
  'SYSLOG',
  'LINUX_IMMUTABLE',
]);
const UNCONFINED = /^(seccomp|apparmor|systempaths)[:=]unconfined$|^label[:=]disable$/i;
const DOCKER_SOCKET = /(^|\/)docker\.sock$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** A path with its symlinks resolved as far as it exists (a link inside the workspace may point out). */
const realish = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realish(parent), basename(path));
  }
};

const inside = (path: string, dir: string): boolean => {
  const rel = relative(realish(dir), realish(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const hostPath = (source: string, projectDir: string): string =>
  source === '~' || source.startsWith('~/') ? join(homedir(), source.slice(1)) : resolve(projectDir, source);

/** A short-syntax volume source that is a host path (compose: starts with ".", "/" or "~"). */
const isPathSource = (source: string): boolean => /^[./~]/.test(source);

/** host_ip of a port entry, or undefined when none is given (all interfaces). */
const portAddress = (port: unknown): { ip: string | undefined; spec: string } => {
  if (isMap(port)) return { ip: text(port.host_ip) || undefined, spec: `${text(port.published) || '?'}:${text(port.target)}` };
  const spec = text(port).replace(/\/\w+$/, '');
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  if (v6) return { ip: v6[1], spec: v6[2] ?? '' };
  const parts = spec.split(':');
  return parts.length >= 3 ? { ip: parts[0], spec: parts.slice(1).join(':') } : { ip: undefined, spec };
};

/** Flattens YAML merge keys (`<<: *common`), which the static parse leaves as a key. */
const flatten = (value: unknown): Map => {
  if (!isMap(value)) return {};
  const merged = list(value['<<']).length ? list(value['<<']) : isMap(value['<<']) ? [value['<<']] : [];
  return Object.assign({}, ...merged.filter(isMap).map(flatten), value) as Map;
};

export const composeRefusals = (doc: unknown, options: GuardOptions): ComposeRefusal[] => {
  const root = flatten(doc);
  const out: ComposeRefusal[] = [];
  const skip = (v: unknown) => !options.resolved && text(v).includes('$');
  const refuse = (service: string | undefined, key: string, value: unknown, why: Localized) =>
    out.push({ ...(service === undefined ? {} : { service }), key, value: text(value) || JSON.stringify(value), why });
  const checkPath = (service: string | undefined, key: string, source: string, shown: string) => {
    if (skip(source) || inside(hostPath(source, options.projectDir), options.projectDir)) return;
    const why = DOCKER_SOCKET.test(source)
      ? L('gives the container control of your Docker engine, which is root on your machine', '会让容器控制你的 Docker 引擎，相当于你机器上的 root')
      : L(`mounts ${source} from your machine, outside the workspace`, `会挂载你机器上工作区之外的 ${source}`);
    refuse(service, key, shown, why);
  };
  for (const [name, raw] of Object.entries(flatten(root.services))) {
    const service = flatten(raw);
    if (text(service.privileged) === 'true') {
      refuse(
        name,
        'privileged',
        service.privileged,
        L("gives the container every capability and all of your machine's devices", '会让容器获得全部权限和你机器上的所有设备'),
      );
    }
    for (const [key, what] of Object.entries(NAMESPACES)) {
      if (text(service[key]) === 'host')
        refuse(name, key, 'host', L(`shares your machine's ${what.en} with the container`, `会让容器共享你机器的${what['zh-CN']}`));
    }
    for (const cap of list(service.cap_add).map(text)) {
      if (DANGEROUS_CAPS.has(cap.toUpperCase().replace(/^CAP_/, '')))
        refuse(name, 'cap_add', cap, L(`gives the container ${cap}, enough to take over your machine`, `会让容器获得 ${cap}，足以接管你的机器`));
    }
    for (const opt of list(service.security_opt).map(text)) {
      if (UNCONFINED.test(opt)) refuse(name, 'security_opt', opt, L('turns off a kernel protection around the container', '会关闭容器的一项内核防护'));
    }
    for (const key of ['devices', 'device_cgroup_rules']) {
      if (list(service[key]).length)
        refuse(name, key, list(service[key]).map(text).join(', '), L("passes your machine's devices into the container", '会把你机器上的设备交给容器'));
    }
    for (const volume of list(service.volumes)) {
      if (isMap(volume)) {
        if (text(volume.type) === 'bind') checkPath(name, 'volumes', text(volume.source), `${text(volume.source)}:${text(volume.target)}`);
      } else {
        // A lone path ("/tmp") is an anonymous volume at that container path, not a host path.
        const [source = '', target] = text(volume).split(':');
        if (target !== undefined && isPathSource(source)) checkPath(name, 'volumes', source, text(volume));
      }
    }
    for (const port of list(service.ports)) {
      if (skip(isMap(port) ? port.host_ip : port)) continue;
      const { ip, spec } = portAddress(port);
      if (ip !== undefined ? LOOPBACK.test(ip) : !options.resolved) continue;
      const where = ip ?? '0.0.0.0';
      refuse(
        name,
        'ports',
        isMap(port) ? `${where}:${spec}` : port,
        L(
          `publishes ${spec} on ${where}, where other machines reach it; write "127.0.0.1:${spec}"`,
          `会把 ${spec} 发布在 ${where} 上，其他机器都能访问；请写成 "127.0.0.1:${spec}"`,
        ),
      );
    }
  }
  for (const [name, raw] of Object.entries(flatten(root.volumes))) {
    const device = text(flatten(flatten(raw).driver_opts).device);
    if (device && isPathSource(device)) checkPath(undefined, `volumes.${name}.driver_opts.device`, device, device);
  }
  for (const section of ['secrets', 'configs']) {
    for (const [name, raw] of Object.entries(flatten(root[section]))) {
      const file = text(flatten(raw).file);
      if (file) checkPath(undefined, `${section}.${name}.file`, file, file);
    }
  }
  for (const [name, raw] of Object.entries(flatten(root.networks))) {
    const network = flatten(raw);
    if (text(network.driver) === 'host' || (network.external && text(network.name) === 'host')) {
      refuse(
        undefined,
        `networks.${name}`,
        'host',
        L(`puts the services on your machine's network (every port open on all interfaces)`, '会把服务放进你机器的网络（每个端口都对所有网卡开放）'),
      );
    }
  }
  return out;
};

/** One message for all refusals: each names the service and key, then why the runner will not start it. */
export const formatRefusals = (file: string, refusals: readonly ComposeRefusal[]): Localized => {
  const lines = (lang: 'en' | 'zh-CN') =>
    refusals
      .map((r) => {
        const where = r.service === undefined ? '' : lang === 'en' ? `service "${r.service}", ` : `服务 "${r.service}" 的 `;
        return lang === 'en' ? `\n  - ${where}${r.key}: ${r.value} — ${r.why.en}` : `\n  - ${where}${r.key}: ${r.value} —— ${r.why['zh-CN']}`;
      })
      .join('');
  return L(
    `${file} asks for access to your machine that the runner does not grant:${lines('en')}\nThe lesson needs none of this and the runner will not start the file: remove ${refusals.length > 1 ? 'these keys' : 'the key'}.`,
    `${file} 请求了运行器不会授予的、对你机器的访问权限：${lines('zh-CN')}\n本课完全不需要这些，运行器不会启动这个文件：请删除${refusals.length > 1 ? '这些键' : '该键'}。`,
  );
};
