import { createHash } from 'node:crypto';
import { L } from '../i18n.js';
import { LABEL } from '../docker/labels.js';
import type { DockerCapabilities } from '../docker/session.js';
import type { ModulesOutcome, PrepareDriver } from './types.js';

/**
 * The sample app's Go module download, warmed into Docker's build cache twice over by one download:
 *
 * 1. `learn-go-docker/prepare:modules` is built from the very lines the lessons' Dockerfiles start
 *    with (the course's golang image, `ARG GOPROXY` with the lessons' default, `WORKDIR /src`,
 *    `COPY go.mod go.sum ./`, `RUN go mod download`; GOPROXY passed as a build arg exactly as the
 *    lesson builds pass it, LEARN_GO_DOCKER_GOPROXY). Same lines, same cache keys: a lesson whose
 *    Dockerfile starts that way finds `go mod download` CACHED. The image is kept (labelled, so
 *    `clean` removes it): the classic builder's cache is its images, and `prepare --export` saves
 *    the module download as this image's layer (the simplest robust carrier: docker save/load keep
 *    it byte for byte, and nothing but Docker is needed to move it).
 * 2. With BuildKit, a second build copies that layer's /go/pkg/mod into the cache mount
 *    `--mount=type=cache,target=/go/pkg/mod` (a cache mount's id is its target), which lesson 3 and
 *    every learner Dockerfile with that mount use; it needs no network, so `prepare --import` restores
 *    the module cache with this same step from the loaded image. A marker named by go.sum's hash
 *    makes the copy once per go.sum; a new nonce each time makes BuildKit run the check.
 */

export const MODULES_IMAGE = 'learn-go-docker/prepare:modules';
export const GO_SUM_LABEL = 'learn-go-docker.go-sum';
const PREPARE_LABEL = 'learn-go-docker.prepare';
/** The default GOPROXY the lessons' Dockerfiles declare: part of the cache key of their download. */
export const LESSON_GOPROXY_DEFAULT = 'https://proxy.golang.org,direct';

export const goSumHash = (goSum: string | Uint8Array): string => createHash('sha256').update(goSum).digest('hex').slice(0, 16);

/** The lessons' first lines, so a lesson build reuses this download (see above). */
export const modulesDockerfile = (goImage: string): string =>
  [`FROM ${goImage}`, `ARG GOPROXY=${LESSON_GOPROXY_DEFAULT}`, 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', ''].join('\n');

/** Copies the module image's /go/pkg/mod into BuildKit's cache mount of that path (no network). */
export const seedDockerfile = (hash: string): string =>
  [
    `FROM ${MODULES_IMAGE}`,
    'ARG LEARN_GO_DOCKER_NONCE',
    'RUN --mount=type=cache,id=/go/pkg/mod,target=/learn-go-docker-seed \\',
    `    if [ -e /learn-go-docker-seed/.learn-go-docker-${hash} ]; then echo present; \\`,
    `    else cp -a /go/pkg/mod/. /learn-go-docker-seed/ && touch /learn-go-docker-seed/.learn-go-docker-${hash} && echo filled; fi`,
    '',
  ].join('\n');

const buildkit = (caps: DockerCapabilities): boolean => caps.builder === 'buildx' || caps.builder === 'buildkit-env';

/** `--platform` for a build only when it is not the engine's own (building for it needs emulation). */
const foreign = (caps: DockerCapabilities, platform: string | undefined): { platform?: string } =>
  platform && platform !== `${caps.serverOs || 'linux'}/${caps.arch || 'amd64'}` ? { platform } : {};

/** The course's golang image: the one most lessons build FROM. */
export const courseGoImage = (images: readonly string[]): string | undefined =>
  images.find((i) => /^golang:[^@]*-trixie$/.test(i)) ?? images.find((i) => /^golang:/.test(i));

const tailText = (tail: readonly string[]): string =>
  tail
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-2)
    .join(' | ')
    .slice(0, 300);

/** Fills BuildKit's /go/pkg/mod cache mount from the module image (prepare and import both end here). */
export const seedModuleCache = async (
  driver: PrepareDriver,
  caps: DockerCapabilities,
  goSum: string | Uint8Array,
  platform?: string,
): Promise<ModulesOutcome> => {
  if (!buildkit(caps)) {
    return {
      ok: true,
      message: L(
        `The module download is in ${MODULES_IMAGE}; this Docker has only the classic builder, which has no cache mounts to fill.`,
        `模块下载已在 ${MODULES_IMAGE} 中；这个 Docker 只有旧版构建器，没有可以填充的缓存挂载。`,
      ),
    };
  }
  const tag = `learn-go-docker/prepare:seed-${process.pid}`;
  const seeded = await driver.build({
    dockerfile: seedDockerfile(goSumHash(goSum)),
    files: {},
    tag,
    labels: { [LABEL]: '1', [PREPARE_LABEL]: 'seed' },
    buildArgs: { LEARN_GO_DOCKER_NONCE: `${Date.now()}-${process.pid}` },
    ...foreign(caps, platform),
  });
  await driver.removeImage(tag).catch(() => undefined);
  if (!seeded.ok) {
    return {
      ok: false,
      message: L(
        `Filling the build cache's /go/pkg/mod from ${MODULES_IMAGE} failed: ${tailText(seeded.tail)}`,
        `用 ${MODULES_IMAGE} 填充构建缓存的 /go/pkg/mod 失败：${tailText(seeded.tail)}`,
      ),
      fix: L(
        'Run prepare again; if it fails again, run npx learn-go-docker doctor.',
        '请再运行一次 prepare；如果仍然失败，请运行 npx learn-go-docker doctor。',
      ),
    };
  }
  return {
    ok: true,
    message: L(
      `The sample app's Go modules are in the build cache (${MODULES_IMAGE} and the /go/pkg/mod cache mount).`,
      `示例应用的 Go 模块已在构建缓存中（${MODULES_IMAGE} 和 /go/pkg/mod 缓存挂载）。`,
    ),
  };
};

/**
 * Downloads the sample app's modules into the build cache (see above). When the download cannot
 * run (no module proxy) but an earlier prepare left the module image for this go.sum, that image
 * seeds the cache mount instead.
 */
export const warmModules = async (
  driver: PrepareDriver,
  caps: DockerCapabilities,
  options: { goImage: string | undefined; goMod: string | Uint8Array; goSum: string | Uint8Array; platform?: string },
): Promise<ModulesOutcome> => {
  const hash = goSumHash(options.goSum);
  if (!options.goImage) {
    return { ok: false, message: L('The course names no golang base image to download the modules with.', '课程没有指定用来下载模块的 golang 基础镜像。') };
  }
  const goImage = options.goImage;
  if (!(await driver.inspect(goImage))) {
    return {
      ok: false,
      message: L(
        `Not warmed: ${goImage} is not on this machine, and the module download runs in it.`,
        `未预热：本机没有 ${goImage}，而模块下载要在它里面运行。`,
      ),
      fix: L(`Get ${goImage} first (above), then run prepare again.`, `请先获取 ${goImage}（见上文），然后再运行 prepare。`),
    };
  }
  const built = await driver.build({
    dockerfile: modulesDockerfile(goImage),
    files: { 'go.mod': options.goMod, 'go.sum': options.goSum },
    tag: MODULES_IMAGE,
    labels: { [LABEL]: '1', [PREPARE_LABEL]: 'modules', [GO_SUM_LABEL]: hash },
    ...foreign(caps, options.platform),
  });
  if (!built.ok) {
    const earlier = await driver.inspect(MODULES_IMAGE);
    if (!earlier || earlier.labels[GO_SUM_LABEL] !== hash) {
      return {
        ok: false,
        message: L(
          `go mod download of the sample app failed${built.timedOut ? ' (it ran out of time)' : ''}: ${tailText(built.tail)}`,
          `示例应用的 go mod download 失败${built.timedOut ? '（超时）' : ''}：${tailText(built.tail)}`,
        ),
        fix: L(
          'Builds must reach a Go module proxy once: set LEARN_GO_DOCKER_GOPROXY (e.g. https://goproxy.cn,direct in mainland China) and run prepare again, or import the workshop archive: npx learn-go-docker prepare --import FILE',
          '构建需要访问一次 Go 模块代理：设置 LEARN_GO_DOCKER_GOPROXY（在中国大陆例如 https://goproxy.cn,direct）后再运行 prepare，或者导入工作坊归档：npx learn-go-docker prepare --import FILE',
        ),
      };
    }
  }
  return seedModuleCache(driver, caps, options.goSum, options.platform);
};
