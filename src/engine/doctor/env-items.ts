import { statfs } from 'node:fs/promises';
import { homedir } from 'node:os';
import { L } from '../i18n.js';
import { dockerExec } from '../docker/exec.js';
import { LABEL } from '../docker/labels.js';
import { diskUseFigure } from '../docker/disk-use.js';
import { measureCourseDisk } from '../docker/image-tidy.js';
import { containerLimitArgs } from '../docker/limits.js';
import type { DockerCapabilities } from '../docker/session.js';
import type { ManifestProbe } from './registry-item.js';
import type { DoctorItem } from './types.js';

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** Free space where Docker keeps images (DockerRootDir when it is on this machine, else the home disk). */
export const diskItem = async (caps: DockerCapabilities, minFreeBytes: number): Promise<DoctorItem> => {
  const title = L('Disk space for images', '镜像所需的磁盘空间');
  const info = await dockerExec(['info', '--format', '{{.DockerRootDir}}'], { timeoutMs: 20_000 });
  const root = info.exitCode === 0 ? info.stdout.trim() : '';
  const local = !caps.dockerHost || caps.dockerHost.startsWith('unix://');
  let where = root;
  let stats = root && local ? await statfs(root).catch(() => undefined) : undefined;
  if (!stats) {
    // Docker Desktop keeps images in a VM disk we cannot see; the home disk is the best hint.
    where = homedir();
    stats = await statfs(where).catch(() => undefined);
  }
  if (!stats) return { id: 'disk', title, status: 'warn', message: L('Could not measure free disk space.', '无法测量剩余磁盘空间。') };
  const free = Number(stats.bavail) * Number(stats.bsize);
  const measuredRoot = where === root;
  const ok = free >= minFreeBytes;
  return {
    id: 'disk',
    title,
    status: ok ? 'ok' : measuredRoot ? 'fail' : 'warn',
    blocking: !ok && measuredRoot,
    message: L(
      `${gb(free)} free at ${where}${measuredRoot ? ' (Docker root dir)' : ''}; the lessons need about ${gb(minFreeBytes)}.`,
      `${where}${measuredRoot ? '（Docker 数据目录）' : ''}剩余 ${gb(free)}；课程大约需要 ${gb(minFreeBytes)}。`,
    ),
    fix: ok
      ? undefined
      : L(
          'Free some space: `docker system prune` removes stopped containers, unused networks and dangling images.',
          '请释放空间：`docker system prune` 会删除已停止的容器、未使用的网络和悬空镜像。',
        ),
    details: { freeBytes: free, path: where },
  };
};

/** Above this, the course's images deserve a word: `clean` frees them (the lessons rebuild what they need). */
const COURSE_IMAGES_WARN_BYTES = 5e9;

/** What the course's own images use on disk now (also remembered for `list`). */
export const courseImagesItem = async (): Promise<DoctorItem> => {
  const title = L("The course's images", '课程的镜像');
  const use = await measureCourseDisk().catch(() => undefined);
  if (!use) return { id: 'course-images', title, status: 'warn', message: L('Could not measure the images the course made.', '无法测量课程生成的镜像。') };
  const many = use.bytes >= COURSE_IMAGES_WARN_BYTES;
  return {
    id: 'course-images',
    title,
    status: many ? 'warn' : 'ok',
    message: use.images
      ? diskUseFigure(use, use.at)
      : L('None: the course has not built an image on this Docker yet.', '没有：课程还没有在这个 Docker 上构建过镜像。'),
    ...(many
      ? {
          fix: L(
            'npx learn-go-docker clean removes them; each lesson rebuilds its image at the next verify.',
            'npx learn-go-docker clean 会删除它们；每课在下次校验时会重新构建自己的镜像。',
          ),
        }
      : {}),
    details: { bytes: use.bytes, images: use.images },
  };
};

export const archItem = (caps: DockerCapabilities): DoctorItem => {
  const title = L('CPU architecture', 'CPU 架构');
  const arch = caps.arch ?? 'unknown';
  const host = process.arch === 'x64' ? 'amd64' : process.arch;
  const emulated =
    caps.arch && host !== arch
      ? L(` This machine is ${host}: images run under emulation and builds are slower.`, `本机是 ${host}：镜像在模拟下运行，构建更慢。`)
      : L('', '');
  if (arch === 'amd64' || arch === 'arm64') {
    const note =
      arch === 'arm64'
        ? L(
            " The lessons' base images are multi-arch; Go builds natively for arm64 (GOARCH follows the image).",
            '课程使用的基础镜像支持多架构；Go 会原生构建 arm64（GOARCH 跟随镜像）。',
          )
        : L('', '');
    return {
      id: 'arch',
      title,
      status: 'ok',
      message: L(`Docker runs ${arch} images.${note.en}${emulated.en}`, `Docker 运行 ${arch} 镜像。${note['zh-CN']}${emulated['zh-CN']}`),
      details: { arch, host },
    };
  }
  return {
    id: 'arch',
    title,
    status: 'warn',
    message: L(`Docker runs ${arch} images: the lessons are tested on amd64 and arm64 only.`, `Docker 运行 ${arch} 镜像：课程只在 amd64 和 arm64 上测试过。`),
    details: { arch, host },
  };
};

/** What the base-images item measured: each image here (with its platform), pullable, or neither. */
export interface BaseImagesMeasurement {
  readonly wanted: readonly string[];
  /** Images present locally; platform is `os/architecture` from docker image inspect ('' when it did not say). */
  readonly present: readonly { readonly image: string; readonly platform: string }[];
  readonly pullable: readonly string[];
  readonly missing: readonly string[];
}

/** `docker image inspect --format '{{.Os}}/{{.Architecture}}'` output as a platform ('' when unreadable). */
export const parseImagePlatform = (stdout: string): string => {
  const [os = '', arch = ''] = stdout.trim().split('/');
  return arch ? `${os || 'linux'}/${arch}` : '';
};

/** The engine's platform (linux/arm64) from what docker version said; undefined when it did not say the architecture. */
export const enginePlatformOf = (caps: Pick<DockerCapabilities, 'serverOs' | 'arch'>): string | undefined =>
  caps.arch ? `${caps.serverOs ?? 'linux'}/${caps.arch}` : undefined;

/** Whether each base image is present locally (and for which platform), else whether a registry answers for it. */
export const measureBaseImages = async (
  images: readonly string[],
  offline: boolean,
  probe: ManifestProbe,
  signal?: AbortSignal,
): Promise<BaseImagesMeasurement> => {
  const wanted = [...new Set(images.filter((i) => i !== 'scratch'))];
  const present: { image: string; platform: string }[] = [];
  const pullable: string[] = [];
  const missing: string[] = [];
  for (const image of wanted) {
    const local = await dockerExec(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image], { timeoutMs: 20_000, signal });
    if (local.exitCode === 0) present.push({ image, platform: parseImagePlatform(local.stdout) });
    else if (!offline && (await probe(image)).exitCode === 0) pullable.push(image);
    else missing.push(image);
  }
  return { wanted, present, pullable, missing };
};

/**
 * The base-images item from its measurement. An image here for another platform than the engine's
 * (amd64 images on Apple silicon) is a warning: it runs under emulation, slowly, or not at all.
 */
export const judgeBaseImages = (m: BaseImagesMeasurement, offline: boolean, enginePlatform: string | undefined): DoctorItem => {
  const title = L('Base images of the lessons', '课程使用的基础镜像');
  const { wanted, present, pullable, missing } = m;
  const foreign = enginePlatform ? present.filter((p) => p.platform && p.platform !== enginePlatform) : [];
  const details = {
    present: present.length,
    pullable: pullable.length,
    missing: missing.length,
    ...(foreign.length ? { otherPlatform: foreign.length, otherPlatformImages: foreign.map((p) => `${p.image}=${p.platform}`).join(',') } : {}),
  };
  if (!wanted.length) return { id: 'base-images', title, status: 'ok', message: L('No base images to check.', '没有需要检查的基础镜像。'), details };
  const platformPart = foreign.length
    ? L(
        ` Not for this Docker's platform (${enginePlatform}): ${foreign.map((p) => `${p.image} (${p.platform})`).join(', ')}. Containers and builds from them run under emulation, slowly, or fail with exec format error.`,
        `不是这个 Docker 的平台（${enginePlatform}）：${foreign.map((p) => `${p.image}（${p.platform}）`).join('、')}。用它们运行的容器和构建会在模拟下进行，很慢，或者报 exec format error 失败。`,
      )
    : L('', '');
  const platformFix = foreign.length
    ? L(
        ` Get the ${enginePlatform} copy: ${foreign.map((p) => `docker pull --platform ${enginePlatform} ${p.image}`).join(' && ')}, or npx learn-go-docker prepare --import an archive made with --platform ${enginePlatform}.`,
        `请获取 ${enginePlatform} 的副本：${foreign.map((p) => `docker pull --platform ${enginePlatform} ${p.image}`).join(' && ')}，或者用 npx learn-go-docker prepare --import 导入用 --platform ${enginePlatform} 生成的归档。`,
      )
    : L('', '');
  if (!missing.length) {
    return {
      id: 'base-images',
      title,
      status: foreign.length ? 'warn' : 'ok',
      message: L(
        `${present.length} of ${wanted.length} present locally${pullable.length ? `, ${pullable.length} pullable (${pullable.join(', ')})` : ''}.${platformPart.en}`,
        `本地已有 ${wanted.length} 个中的 ${present.length} 个${pullable.length ? `，${pullable.length} 个可以拉取（${pullable.join(', ')}）` : ''}。${platformPart['zh-CN']}`,
      ),
      ...(foreign.length ? { fix: L(platformFix.en.trim(), platformFix['zh-CN']) } : {}),
      details,
    };
  }
  return {
    id: 'base-images',
    title,
    status: offline ? 'warn' : 'fail',
    blocking: !offline,
    message: L(`Not present and not pullable: ${missing.join(', ')}.${platformPart.en}`, `本地没有且无法拉取：${missing.join(', ')}。${platformPart['zh-CN']}`),
    fix: L(
      `Pull them while online (docker pull ${missing[0]}); behind a firewall configure a registry mirror ("registry-mirrors" in daemon.json, or Docker Desktop > Settings > Docker Engine).${platformFix.en}`,
      `请在联网时拉取（docker pull ${missing[0]}）；在防火墙后面请配置镜像加速器（daemon.json 中的 "registry-mirrors"，或 Docker Desktop > Settings > Docker Engine）。${platformFix['zh-CN']}`,
    ),
    details: { ...details, missingImages: missing.join(',') },
  };
};

/** Whether each base image is present locally for the engine's platform, else whether a registry answers for it. */
export const baseImagesItem = async (
  images: readonly string[],
  offline: boolean,
  probe: ManifestProbe,
  signal?: AbortSignal,
  enginePlatform?: string,
): Promise<DoctorItem> => judgeBaseImages(await measureBaseImages(images, offline, probe, signal), offline, enginePlatform);

const proxyProbe = (image: string, goproxy: string | undefined, signal?: AbortSignal) =>
  dockerExec(
    [
      'run',
      '--rm',
      '--label',
      `${LABEL}=1`,
      ...containerLimitArgs(),
      ...(goproxy ? ['-e', `GOPROXY=${goproxy}`] : []),
      image,
      'go',
      'list',
      '-m',
      '-versions',
      'github.com/gin-gonic/gin',
    ],
    { timeoutMs: 60_000, signal },
  );

const MIRROR = 'https://goproxy.cn,direct';

/** Whether a container can reach the Go module proxy (the lessons download gin during builds). */
export const goProxyItem = async (image: string, offline: boolean, signal?: AbortSignal): Promise<DoctorItem> => {
  const title = L('Go module proxy from a build', '构建时访问 Go 模块代理');
  const mirrorFix = L(
    `In mainland China use a mirror: the lessons' Dockerfiles declare ARG GOPROXY, so build with --build-arg GOPROXY=${MIRROR} (learn-go-docker passes it for you when LEARN_GO_DOCKER_GOPROXY=${MIRROR} is set).`,
    `在中国大陆请使用镜像代理：课程的 Dockerfile 声明了 ARG GOPROXY，因此可以用 --build-arg GOPROXY=${MIRROR} 构建（设置 LEARN_GO_DOCKER_GOPROXY=${MIRROR} 后 learn-go-docker 会自动传入）。`,
  );
  if (offline) return { id: 'go-proxy', title, status: 'warn', message: L('Not checked (offline).', '未检查（离线模式）。'), fix: mirrorFix };
  const local = await dockerExec(['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 20_000, signal });
  if (local.exitCode !== 0) {
    return {
      id: 'go-proxy',
      title,
      status: 'warn',
      message: L(`Not checked: ${image} is not present locally yet.`, `未检查：本地还没有 ${image}。`),
      fix: mirrorFix,
    };
  }
  const configured = process.env.LEARN_GO_DOCKER_GOPROXY || undefined;
  const t0 = Date.now();
  const direct = await proxyProbe(image, configured, signal);
  if (direct.exitCode === 0) {
    return {
      id: 'go-proxy',
      title,
      status: 'ok',
      message: L(
        `A container listed gin's versions through ${configured ?? 'the default proxy'} in ${((Date.now() - t0) / 1000).toFixed(1)} s.`,
        `容器通过${configured ? ` ${configured} ` : '默认代理'}在 ${((Date.now() - t0) / 1000).toFixed(1)} 秒内列出了 gin 的版本。`,
      ),
    };
  }
  const reason = direct.timedOut ? 'no answer within 60 s' : (direct.stderr.trim().split('\n').pop() ?? '');
  if (!configured && (await proxyProbe(image, MIRROR, signal)).exitCode === 0) {
    return {
      id: 'go-proxy',
      title,
      status: 'warn',
      message: L(
        `The default proxy is not reachable from containers (${reason}), but ${MIRROR} is.`,
        `容器无法访问默认代理（${reason}），但可以访问 ${MIRROR}。`,
      ),
      fix: mirrorFix,
      details: { error: reason },
    };
  }
  return {
    id: 'go-proxy',
    title,
    status: 'fail',
    blocking: true,
    message: L(
      `No Go module proxy answered from a container (${reason}): builds that download modules will fail.`,
      `容器内没有任何 Go 模块代理响应（${reason}）：需要下载模块的构建将会失败。`,
    ),
    fix: mirrorFix,
    details: { error: reason },
  };
};
