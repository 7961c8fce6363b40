import { execa } from 'execa';
import { L } from '../i18n.js';
import type { DockerCapabilities } from './session.js';
import { dockerBinary, dockerExec } from './exec.js';
import { binaryStamp, readCache, writeCache } from './machine-cache.js';
import { classifyDaemonError, clientHasBuiltinBuildkit, normalizeArch, parseComposeVersion, parseVersionJson } from './parse-version.js';

const VERSION_TIMEOUT_MS = 20_000;

let cached: { key: string; value: Promise<DockerCapabilities> } | undefined;

/** Detects what the learner's Docker offers; cached per process (per binary + DOCKER_HOST + context). */
export const detectCapabilities = (options: { refresh?: boolean } = {}): Promise<DockerCapabilities> => {
  const key = `${dockerBinary()}|${process.env.DOCKER_HOST ?? ''}|${process.env.DOCKER_CONTEXT ?? ''}`;
  if (!cached || cached.key !== key || options.refresh) cached = { key, value: probe(options) };
  return cached.value;
};

/** Forgets the cached capabilities (tests, or after the learner started Docker). */
export const resetCapabilitiesCache = (): void => {
  cached = undefined;
};

const composeV1 = async (): Promise<string | undefined> => {
  try {
    const result = await execa('docker-compose', ['version', '--short'], { reject: false, timeout: VERSION_TIMEOUT_MS, stdin: 'ignore' });
    if (result.exitCode !== 0) return undefined;
    return parseComposeVersion(`version ${String(result.stdout).trim()}`);
  } catch {
    return undefined;
  }
};

const probe = async (options: { refresh?: boolean }): Promise<DockerCapabilities> => {
  const binary = dockerBinary();
  const dockerHost = process.env.DOCKER_HOST || undefined;
  const base = { binary, dockerHost, daemonReachable: false, permissionDenied: false, builder: 'none', compose: 'none' } as const;
  const version = await dockerExec(['version', '--format', '{{json .}}'], { timeoutMs: VERSION_TIMEOUT_MS });
  if (version.notFound) {
    return {
      ...base,
      available: false,
      problem: {
        message: L(`The Docker command "${binary}" was not found.`, `找不到 Docker 命令 "${binary}"。`),
        next: L(
          'Install Docker Desktop (macOS/Windows) or Docker Engine (Linux), then run `docker version`. Set LEARN_GO_DOCKER_DOCKER to use another client.',
          '请安装 Docker Desktop（macOS/Windows）或 Docker Engine（Linux），然后运行 `docker version`。可以用 LEARN_GO_DOCKER_DOCKER 指定其他 docker 客户端。',
        ),
      },
    };
  }
  const info = parseVersionJson(version.stdout);
  const common = { ...base, clientVersion: info.clientVersion, context: info.context, flavour: info.flavour };
  if (version.timedOut || !info.serverVersion) {
    const kind = version.timedOut ? 'other' : classifyDaemonError(version.stderr);
    const named = dockerHost ? `DOCKER_HOST=${dockerHost}` : info.context && info.context !== 'default' ? `context ${info.context}` : '';
    const where = L(named ? ` (${named})` : '', named ? `（${named}）` : '');
    if (kind === 'permission') {
      return {
        ...common,
        available: false,
        permissionDenied: true,
        problem: {
          message: L(`Docker refused the connection: permission denied${where.en}.`, `Docker 拒绝了连接：权限不足${where['zh-CN']}。`),
          next: L(
            'On Linux add yourself to the docker group (`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker (`dockerd-rootless-setuptool.sh install` and `export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock`).',
            '在 Linux 上把当前用户加入 docker 组（`sudo usermod -aG docker $USER`，然后重新登录），或使用 rootless Docker（`dockerd-rootless-setuptool.sh install` 并设置 `export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock`）。',
          ),
        },
      };
    }
    const detail = version.timedOut ? `no answer within ${VERSION_TIMEOUT_MS / 1000} s` : (version.stderr.trim().split('\n').pop() ?? '');
    const detailZh = version.timedOut ? `${VERSION_TIMEOUT_MS / 1000} 秒内没有响应` : detail;
    return {
      ...common,
      available: false,
      problem: {
        message: L(`The Docker daemon is not reachable${where.en}: ${detail}`, `无法连接 Docker 守护进程${where['zh-CN']}：${detailZh}`),
        next: dockerHost
          ? L(
              `DOCKER_HOST is set to ${dockerHost}: start the daemon it names, or unset DOCKER_HOST to use the local one; then check with \`docker info\`.`,
              `DOCKER_HOST 被设置为 ${dockerHost}：请启动它指向的守护进程，或取消 DOCKER_HOST 以使用本机的守护进程；然后用 \`docker info\` 检查。`,
            )
          : L(
              'Start Docker Desktop, or on Linux `sudo systemctl start docker`; then check with `docker info`.',
              '请启动 Docker Desktop，或在 Linux 上运行 `sudo systemctl start docker`；然后用 `docker info` 检查。',
            ),
      },
    };
  }
  // What the client and the daemon offer changes only when one of them does: remembered per machine.
  const client = await clientKey();
  const key = [client, info.clientVersion, info.serverVersion, info.context].join('|');
  const remembered = await readCache<Remembered>(CACHE_FILE);
  const fresh = options.refresh !== true && remembered?.key === key && Date.now() - remembered.at < CACHE_TTL_MS ? remembered.value : undefined;
  const probed = fresh ?? (await probeFeatures(info));
  const caps: DockerCapabilities = {
    ...common,
    flavour: probed.flavour,
    available: true,
    daemonReachable: true,
    serverVersion: info.serverVersion,
    serverOs: info.serverOs,
    arch: normalizeArch(info.arch),
    builder: probed.builder,
    buildxVersion: probed.buildxVersion,
    compose: probed.compose,
    composeVersion: probed.composeVersion,
    cpuQuota: probed.cpuQuota,
  };
  // Rewritten when the features were probed again, or when what a verify would start its build
  // with (`last`) is not what was found now: a wrong guess costs one verify, not every one.
  if (!fresh || remembered?.client !== client || JSON.stringify(remembered.last) !== JSON.stringify(caps))
    await writeCache(CACHE_FILE, { key, at: fresh ? (remembered?.at ?? Date.now()) : Date.now(), value: probed, client, last: caps } satisfies Remembered);
  return caps;
};

/** The client side of the cache key: which docker binary (path, size, time), DOCKER_HOST and context. */
const clientKey = async (): Promise<string> => [await binaryStamp(dockerBinary()), process.env.DOCKER_HOST ?? '', process.env.DOCKER_CONTEXT ?? ''].join('|');

/** The cache file: the features probed for a client and daemon, and the last capabilities found. */
interface Remembered {
  readonly key: string;
  readonly at: number;
  readonly value: Probed;
  readonly client?: string;
  readonly last?: DockerCapabilities;
}

/**
 * The capabilities the last probe found with this same client, DOCKER_HOST and context (within
 * the cache's lifetime), read without asking Docker: what a verify starts its build with while
 * `docker version` answers. Only a guess: whoever uses it compares it with detectCapabilities()
 * before trusting what it made (the daemon may have stopped or changed since).
 */
export const rememberedCapabilities = async (): Promise<DockerCapabilities | undefined> => {
  const [remembered, client] = await Promise.all([readCache<Remembered>(CACHE_FILE), clientKey()]);
  if (!remembered?.last?.available || remembered.client !== client || Date.now() - remembered.at >= CACHE_TTL_MS) return undefined;
  return remembered.last;
};

/** Whether a build made with `guess` is the build `real` would make (same builder, same client). */
export const sameBuilder = (real: DockerCapabilities, guess: DockerCapabilities): boolean =>
  real.available && real.builder === guess.builder && real.binary === guess.binary && real.flavour === guess.flavour;

/** The features that take four more docker calls to find out. */
interface Probed {
  readonly flavour?: string;
  readonly builder: DockerCapabilities['builder'];
  readonly buildxVersion?: string;
  readonly compose: DockerCapabilities['compose'];
  readonly composeVersion?: string;
  readonly cpuQuota: boolean;
}

const CACHE_FILE = 'capabilities.json';
/** Plugins (buildx, compose) can be installed without the client changing: look again now and then. */
const CACHE_TTL_MS = 6 * 3_600_000;

const probeFeatures = async (info: ReturnType<typeof parseVersionJson>): Promise<Probed> => {
  const [buildx, composeV2, plain, cfsQuota] = await Promise.all([
    dockerExec(['buildx', 'version'], { timeoutMs: VERSION_TIMEOUT_MS }),
    dockerExec(['compose', 'version'], { timeoutMs: VERSION_TIMEOUT_MS }),
    // `podman` installed as `docker` says so here ("podman version 4.9.3"), not always in the JSON.
    dockerExec(['--version'], { timeoutMs: VERSION_TIMEOUT_MS }),
    // `--cpus` is an error, not a warning, where the kernel or a rootless cgroup lacks CPU quotas.
    dockerExec(['info', '--format', '{{json .CPUCfsQuota}}'], { timeoutMs: VERSION_TIMEOUT_MS }),
  ]);
  const flavour = info.flavour ?? (/podman/i.test(plain.stdout) ? 'podman' : undefined);
  const buildxVersion = buildx.exitCode === 0 ? (/v?\d+\.\d+\.\d+\S*/.exec(buildx.stdout)?.[0] ?? buildx.stdout.trim()) : undefined;
  const linuxServer = (info.serverOs ?? 'linux') === 'linux';
  let builder: DockerCapabilities['builder'] = 'classic';
  if (flavour === 'podman') builder = 'classic';
  else if (clientHasBuiltinBuildkit(info.clientVersion) && linuxServer) builder = 'buildkit-env';
  else if (buildxVersion) builder = 'buildx';
  let compose: DockerCapabilities['compose'] = 'none';
  let composeVersion: string | undefined;
  if (composeV2.exitCode === 0) {
    compose = 'v2';
    composeVersion = parseComposeVersion(composeV2.stdout);
  } else {
    composeVersion = await composeV1();
    if (composeVersion) compose = 'v1';
  }
  return { flavour, builder, buildxVersion, compose, composeVersion, cpuQuota: cfsQuota.exitCode === 0 && cfsQuota.stdout.trim() === 'true' };
};

/** true when builds can use BuildKit features (cache/secret mounts, heredocs). */
