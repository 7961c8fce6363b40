import { L, type Localized } from '../i18n.js';
import { dockerExec, type DockerExecResult } from '../docker/exec.js';
import { normalizeImage, parseImageRef } from '../dockerfile/image-ref.js';
import type { DoctorItem } from './types.js';

/** One registry the lessons pull from, and whether it answered for one of their images. */
export interface RegistryProbe {
  /** `docker.io` for Docker Hub, else the registry host (`gcr.io`). */
  readonly registry: string;
  /** The lesson image its manifest was asked for. */
  readonly image: string;
  readonly answered: boolean;
  /** Why not, in one line (the client's last error line, or the timeout). */
  readonly reason?: string;
  readonly ms: number;
}

/** What the registries item measured: the probes and the daemon's Docker Hub mirrors. */
export interface RegistryMeasurement {
  readonly probes: readonly RegistryProbe[];
  readonly mirrors: readonly string[];
  /** Every base image of the lessons is on this machine already (doctor's base-images item). */
  readonly basesLocal?: boolean;
}

const PROBE_MS = 20_000;

/** `docker manifest inspect IMAGE`: whether a registry answers for one image (the client's network). */
export type ManifestProbe = (image: string) => Promise<DockerExecResult>;

/**
 * One probe per image for a whole doctor run: the base-images item asks about the missing images,
 * this item about one image per registry, and the same image is never asked twice.
 */
export const manifestProbe = (signal?: AbortSignal): ManifestProbe => {
  const asked = new Map<string, Promise<DockerExecResult>>();
  return (image) => {
    let answer = asked.get(image);
    if (!answer) {
      answer = dockerExec(['manifest', 'inspect', image], { timeoutMs: PROBE_MS, signal });
      asked.set(image, answer);
    }
    return answer;
  };
};

const registryOf = (image: string): string => parseImageRef(image).registry ?? 'docker.io';

/** The first lesson image of each registry the lessons pull from (scratch is no image). */
export const imagesByRegistry = (images: readonly string[]): Map<string, string> => {
  const out = new Map<string, string>();
  for (const image of images) {
    if (image === 'scratch') continue;
    const registry = registryOf(image);
    if (!out.has(registry)) out.set(registry, normalizeImage(image));
  }
  return out;
};

/**
 * Asks each registry for one manifest (the client's network, in parallel) and the daemon for its
 * `registry-mirrors`: those serve the daemon's Docker Hub pulls, which this probe does not use.
 */
export const measureRegistries = async (images: readonly string[], probe: ManifestProbe, signal?: AbortSignal): Promise<RegistryMeasurement> => {
  const probes = await Promise.all(
    [...imagesByRegistry(images)].map(async ([registry, image]): Promise<RegistryProbe> => {
      const t0 = Date.now();
      const r = await probe(image);
      const ms = Date.now() - t0;
      // A registry that says the tag is unknown or wants a login has answered: it is reachable.
      if (r.exitCode === 0 || /manifest unknown|no such manifest|unauthorized|denied/i.test(r.stderr)) return { registry, image, answered: true, ms };
      const reason = r.timedOut ? `no answer within ${PROBE_MS / 1000} s` : (r.stderr.trim().split('\n').pop() ?? '').slice(0, 200);
      return { registry, image, answered: false, reason, ms };
    }),
  );
  const info = await dockerExec(['info', '--format', '{{json .RegistryConfig.Mirrors}}'], { timeoutMs: 20_000, signal });
  let mirrors: string[] = [];
  try {
    const parsed: unknown = info.exitCode === 0 ? JSON.parse(info.stdout.trim() || 'null') : null;
    if (Array.isArray(parsed)) mirrors = parsed.filter((m): m is string => typeof m === 'string');
  } catch {
    // An engine that does not say has no mirrors we could name.
  }
  return { probes, mirrors };
};

const NOTHING_TO_PULL = L(
  'Every base image of the lessons is on this machine already, so nothing needs pulling now; this matters when one is missing or you want a newer one.',
  '课程用到的基础镜像都已在本机，现在不需要拉取；缺少某个镜像或想更新时才需要处理。',
);

const hubName = (registry: string): string => (registry === 'docker.io' ? 'Docker Hub' : registry);

/** Why a registry did not answer, in words: the client's error is long and names its transport. */
const whyNot = (reason: string | undefined): Localized => {
  const raw = reason ?? '';
  if (/no such host|server misbehaving|Temporary failure in name resolution/i.test(raw)) return L('its name does not resolve', '域名无法解析');
  if (/within \d+ s|timeout|deadline exceeded/i.test(raw)) return L('no answer in time', '超时无响应');
  if (/connection refused|connection reset|EOF/i.test(raw)) return L('the connection was refused or cut', '连接被拒绝或中断');
  if (/x509|certificate/i.test(raw)) return L('its TLS certificate is not trusted here', '此处不信任它的 TLS 证书');
  return raw ? L(raw, raw) : L('no answer', '无响应');
};

/** The way around one registry that does not answer. */
const detour = (probe: RegistryProbe, mirrors: readonly string[]): Localized => {
  if (probe.registry === 'docker.io') {
    if (mirrors.length) {
      const list = mirrors.join(', ');
      return L(
        `Docker pulls Docker Hub images through your registry mirror (${list}), which this probe cannot use; if a pull of ${probe.image} fails too, the mirror does not answer either: try another.`,
        `Docker 会通过你配置的镜像加速器（${list}）拉取 Docker Hub 镜像，这个探测用不到它；如果拉取 ${probe.image} 也失败，说明加速器同样不可用：请换一个。`,
      );
    }
    return L(
      'Give Docker a registry mirror it can reach: "registry-mirrors": ["https://<mirror>"] in daemon.json (Linux: /etc/docker/daemon.json, then restart Docker; Docker Desktop: Settings > Docker Engine), e.g. the image accelerator of your cloud provider or company. For the course alone: npx learn-go-docker prepare --mirror docker.io=<mirror> pulls its images from there.',
      '给 Docker 配置一个能访问的镜像加速器：在 daemon.json 中写 "registry-mirrors": ["https://<加速器地址>"]（Linux：/etc/docker/daemon.json，然后重启 Docker；Docker Desktop：Settings > Docker Engine），例如你的云服务商或公司提供的镜像加速地址。只为本课程：npx learn-go-docker prepare --mirror docker.io=<加速器地址> 会从那里拉取课程的镜像。',
    );
  }
  const ref = parseImageRef(probe.image);
  const path = ref.repository;
  const tag = `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  return L(
    `"registry-mirrors" serves Docker Hub only, not ${probe.registry}. Pull the image from a registry that copies ${probe.registry} (your company's, or your cloud provider's) and give it its original name: docker pull <mirror>/${path}${tag} && docker tag <mirror>/${path}${tag} ${probe.image}. The lessons' builds then use the local copy. npx learn-go-docker prepare --mirror ${probe.registry}=<mirror> does that for every image of the course.`,
    `"registry-mirrors" 只作用于 Docker Hub，对 ${probe.registry} 无效。请从同步了 ${probe.registry} 的镜像仓库（公司内部的或云服务商的）拉取该镜像，再打上原来的名字：docker pull <镜像仓库>/${path}${tag} && docker tag <镜像仓库>/${path}${tag} ${probe.image}。之后课程的构建就会使用这份本地副本。npx learn-go-docker prepare --mirror ${probe.registry}=<镜像仓库> 会为课程的每个镜像完成这一步。`,
  );
};

/** The registries item from its measurement: a warning with the way around, never blocking (base-images decides). */
export const judgeRegistries = (m: RegistryMeasurement): DoctorItem => {
  const title = L('Image registries', '镜像仓库');
  const details = {
    answered:
      m.probes
        .filter((p) => p.answered)
        .map((p) => p.registry)
        .join(',') || null,
    silent:
      m.probes
        .filter((p) => !p.answered)
        .map((p) => p.registry)
        .join(',') || null,
    mirrors: m.mirrors.join(',') || null,
  };
  if (!m.probes.length)
    return { id: 'registries', title, status: 'ok', message: L('The lessons pull from no registry.', '课程不需要从任何镜像仓库拉取。'), details };
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  const answered = m.probes.filter((p) => p.answered);
  const silent = m.probes.filter((p) => !p.answered);
  const okPart = L(
    `${answered.map((p) => `${hubName(p.registry)} answered (${p.image} in ${secs(p.ms)} s)`).join('; ')}.`,
    `${answered.map((p) => `${hubName(p.registry)} 有响应（${p.image}，${secs(p.ms)} 秒）`).join('；')}。`,
  );
  if (!silent.length) return { id: 'registries', title, status: 'ok', message: okPart, details };
  const silentPart = L(
    `${silent.map((p) => `${hubName(p.registry)} did not answer for ${p.image} (${whyNot(p.reason).en})`).join('; ')}.`,
    `${silent.map((p) => `${hubName(p.registry)} 没有响应 ${p.image}（${whyNot(p.reason)['zh-CN']}）`).join('；')}。`,
  );
  const fixes = silent.map((p) => detour(p, m.mirrors));
  return {
    id: 'registries',
    title,
    status: 'warn',
    message: L(
      [silentPart.en, answered.length ? okPart.en : '', m.basesLocal ? NOTHING_TO_PULL.en : ''].filter(Boolean).join(' '),
      [silentPart['zh-CN'], answered.length ? okPart['zh-CN'] : '', m.basesLocal ? NOTHING_TO_PULL['zh-CN'] : ''].join(''),
    ),
    fix: L(fixes.map((f) => f.en).join(' '), fixes.map((f) => f['zh-CN']).join('')),
    details,
  };
};

/** The registries item when doctor runs offline (nothing was asked). */
export const registriesOffline: DoctorItem = {
  id: 'registries',
  title: L('Image registries', '镜像仓库'),
  status: 'warn',
  message: L('Not checked (offline).', '未检查（离线模式）。'),
};

/** Whether the registries the lessons pull from answer here, and the way around each one that does not. */
export const registriesItem = async (
  images: readonly string[],
  offline: boolean,
  basesLocal: boolean,
  probe: ManifestProbe,
  signal?: AbortSignal,
): Promise<DoctorItem> => (offline ? registriesOffline : judgeRegistries({ ...(await measureRegistries(images, probe, signal)), basesLocal }));
