import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError, UserError } from '../errors.js';
import { L, type Localized } from '../i18n.js';
import { parseImageRef } from '../dockerfile/image-ref.js';
import { isNetworkPullError } from '../docker/parse-pull.js';
import type { DockerCapabilities } from '../docker/session.js';
import { ArchiveError, BLOCK, IMAGES_ENTRY, archiveTail, readArchiveLayout, tarHeader } from './archive.js';
import { etaSeconds, overallEta } from './eta.js';
import { ARCHIVE_SCHEMA, ARCHIVE_VERSION, compareImages, parseManifest, type ArchiveImage, type ArchiveManifest } from './manifest.js';
import { mirrorHost, mirrorName, type MirrorRule } from './mirror.js';
import { GO_SUM_LABEL, MODULES_IMAGE, courseGoImage, goSumHash, seedModuleCache, warmModules } from './modules.js';
import type { ExportResult, ImageOutcome, ImportResult, ModulesOutcome, PrepareDriver, PrepareEvent, PrepareResult } from './types.js';

/** The platforms the course is tested on; `prepare --platform` takes one of them. */
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

export interface PrepareOptions {
  readonly driver: PrepareDriver;
  /** The course's base images (doctor's base-images list); `scratch` is no image. */
  readonly images: readonly string[];
  readonly goMod: string | Uint8Array;
  readonly goSum: string | Uint8Array;
  /** linux/amd64 or linux/arm64; default the engine's own. */
  readonly platform?: string;
  /** Where missing images are pulled from instead (mirror.ts), each then tagged with its own name. */
  readonly mirrors?: readonly MirrorRule[];
  readonly onEvent?: (event: PrepareEvent) => void;
  /** Milliseconds now (tests). */
  readonly now?: () => number;
}

const wantedImages = (images: readonly string[]): string[] => [...new Set(images.filter((i) => i.trim() && i !== 'scratch'))];

const usable = async (driver: PrepareDriver): Promise<DockerCapabilities> => {
  const caps = await driver.capabilities();
  if (!caps.available) {
    throw new EnvironmentError(caps.problem?.message ?? L('Docker is not usable.', 'Docker 不可用。'), caps.problem?.next ? { next: caps.problem.next } : {});
  }
  return caps;
};

/** A --platform the course is for, refused before anything asks Docker. */
const checkPlatform = (asked: string | undefined): void => {
  if (asked !== undefined) {
    if (!(PLATFORMS as readonly string[]).includes(asked)) {
      throw new UserError(
        L(`--platform must be linux/amd64 or linux/arm64, not "${asked}".`, `--platform 只能是 linux/amd64 或 linux/arm64，而不是 "${asked}"。`),
        {
          next: L(
            'Apple silicon laptops: --platform linux/arm64; most others: linux/amd64.',
            'Apple 芯片的电脑：--platform linux/arm64；其他大多数：linux/amd64。',
          ),
        },
      );
    }
  }
};

/** The platform asked for (checked), else the engine's own. */
export const resolvePlatform = (asked: string | undefined, caps: DockerCapabilities): string => {
  checkPlatform(asked);
  return asked ?? `${caps.serverOs || 'linux'}/${caps.arch || 'amd64'}`;
};

const platformOf = (image: { os: string; architecture: string }): string => `${image.os || 'linux'}/${image.architecture}`;
/** An image for the platform; one whose config names no architecture is taken as it is (nothing says otherwise). */
const forPlatform = (image: { os: string; architecture: string }, platform: string): boolean => !image.architecture || platformOf(image) === platform;
const registryOf = (ref: string): string => parseImageRef(ref).registry ?? 'docker.io';

const missingFix = (ref: string, platform: string): Localized => {
  // A mirror serves Docker Hub's images only: another registry's image is pulled elsewhere and tagged.
  const hub = registryOf(ref) === 'docker.io';
  const mirror = hub
    ? L('configure a registry mirror ("registry-mirrors" in daemon.json)', '配置镜像加速器（daemon.json 中的 "registry-mirrors"）')
    : L(`pull a copy from a mirror of ${registryOf(ref)} and docker tag it ${ref}`, `从 ${registryOf(ref)} 的镜像站拉取副本并 docker tag 为 ${ref}`);
  return L(
    `Import the workshop archive from your instructor (npx learn-go-docker prepare --import FILE), or pull through a mirror (npx learn-go-docker prepare --mirror ${registryOf(ref)}=<mirror>), or ${mirror.en} and run prepare again. Online elsewhere: docker pull --platform ${platform} ${ref}`,
    `请导入讲师提供的工作坊归档（npx learn-go-docker prepare --import FILE），或者通过镜像站拉取（npx learn-go-docker prepare --mirror ${registryOf(ref)}=<镜像站>），或者${mirror['zh-CN']}，然后再运行 prepare。在能联网的地方：docker pull --platform ${platform} ${ref}`,
  );
};

/** What to do when the mirror did not give the image: another mirror, or the room's archive. */
const mirrorFix = (source: string): Localized =>
  L(
    `Check the name on the mirror (docker pull ${source}), give another mirror with --mirror, or import the workshop archive from your instructor (npx learn-go-docker prepare --import FILE).`,
    `请在镜像站上核对这个名字（docker pull ${source}），用 --mirror 换一个镜像站，或者导入讲师提供的工作坊归档（npx learn-go-docker prepare --import FILE）。`,
  );

/**
 * Why a pull failed, in the learner's words, with what to do; `here` says what copy is here when
 * one is, for another platform; `source` is the mirror's name for it when it came from a mirror.
 */
const pullFailure = (ref: string, platform: string, error: string, network: boolean, here?: Localized, source?: string): Localized => {
  const what = here
    ? L(`${ref} is not on this machine for ${platform} (${here.en})`, `本机没有 ${platform} 的 ${ref}（${here['zh-CN']}）`)
    : L(`${ref} is not on this machine`, `本机没有 ${ref}`);
  if (source) {
    const fix = mirrorFix(source);
    return network
      ? L(
          `${what.en} and the mirror ${mirrorHost(source)} did not answer (${error}). ${fix.en}`,
          `${what['zh-CN']}，镜像站 ${mirrorHost(source)} 没有响应（${error}）。${fix['zh-CN']}`,
        )
      : L(`${what.en} and the pull of ${source} failed: ${error}. ${fix.en}`, `${what['zh-CN']}，拉取 ${source} 失败：${error}。${fix['zh-CN']}`);
  }
  const fix = missingFix(ref, platform);
  return network
    ? L(`${what.en} and no registry answered (${error}). ${fix.en}`, `${what['zh-CN']}，并且没有任何镜像仓库响应（${error}）。${fix['zh-CN']}`)
    : L(`${what.en} and the pull failed: ${error}. ${fix.en}`, `${what['zh-CN']}，拉取失败：${error}。${fix['zh-CN']}`);
};

/** What prepare and its export both start with: the platform checked, a usable Docker, the images wanted. */
const begin = async (options: PrepareOptions | ExportOptions) => {
  checkPlatform(options.platform);
  const caps = await usable(options.driver);
  return {
    emit: options.onEvent ?? ((): void => undefined),
    now: options.now ?? Date.now,
    caps,
    platform: resolvePlatform(options.platform, caps),
    wanted: wantedImages(options.images),
  };
};

/**
 * `prepare`: every base image of the course for the platform (pulled when missing, one at a time so
 * a room's Wi-Fi is shared fairly and the ETA means something), then the sample app's Go modules
 * into the build cache, then doctor. Images already here are never pulled again, so with no
 * registry a machine that has them (imported, or CI's stand-ins) is ready.
 */
export const runPrepare = async (options: PrepareOptions): Promise<PrepareResult> => {
  const { driver } = options;
  const { emit, now, caps, platform, wanted } = await begin(options);
  emit({ type: 'platform', platform, images: wanted.length });

  const outcomes = new Map<string, ImageOutcome>();
  const toPull: { ref: string; index: number; reason?: Localized }[] = [];
  for (const [index, ref] of wanted.entries()) {
    const local = await driver.inspect(ref);
    if (local && forPlatform(local, platform)) {
      outcomes.set(ref, { ref, status: 'present', id: local.id });
      emit({ type: 'image-present', ref, index: index + 1, total: wanted.length, size: local.size });
    } else {
      const reason = local ? L(`the copy here is ${platformOf(local)}, not ${platform}`, `本机的副本是 ${platformOf(local)}，不是 ${platform}`) : undefined;
      toPull.push({ ref, index, ...(reason ? { reason } : {}) });
    }
  }

  if (toPull.length) {
    // What each pull weighs, asked of the registries side by side (each answer bounded): the ETA's basis.
    // The name each is pulled under: its own, or its mirror's (then tagged with its own).
    const sources = toPull.map(({ ref }) => (options.mirrors?.length ? mirrorName(ref, options.mirrors) : undefined) ?? ref);
    const sizes = await Promise.all(toPull.map((_, i) => driver.layerSizes(sources[i] as string, platform).catch(() => undefined)));
    const weight = sizes.map((s) => (s ? [...s.values()].reduce((a, b) => a + b, 0) : 0));
    const bytesTotal = sizes.every((s) => s !== undefined) ? weight.reduce((a, b) => a + b, 0) : 0;
    const started = now();
    let bytesBefore = 0;
    let imagesDone = 0;
    const silent = new Map<string, string>();
    const overall = (bytesNow: number) =>
      emit({
        type: 'overall',
        imagesDone,
        images: toPull.length,
        bytesDone: bytesNow,
        bytesTotal,
        ...withEta(overallEta({ bytesDone: bytesNow, bytesTotal, imagesDone, imagesToPull: toPull.length, elapsedMs: now() - started })),
      });
    for (const [i, { ref, index, reason }] of toPull.entries()) {
      const layerSizes = sizes[i];
      const source = sources[i] as string;
      const mirrored = source !== ref ? source : undefined;
      const registry = mirrored ? mirrorHost(mirrored) : registryOf(ref);
      const down = silent.get(registry);
      if (down !== undefined) {
        // That registry did not answer for an earlier image: not asked again (each try costs a timeout).
        const message = pullFailure(ref, platform, down, true, reason, mirrored);
        outcomes.set(ref, { ref, status: 'failed', message });
        emit({ type: 'image-failed', ref, message });
        imagesDone += 1;
        continue;
      }
      emit({
        type: 'image-pull',
        ref,
        index: index + 1,
        total: wanted.length,
        ...(weight[i] ? { bytesTotal: weight[i] } : {}),
        ...(reason ? { reason } : {}),
        ...(mirrored ? { from: mirrored } : {}),
      });
      const t0 = now();
      const result = await driver.pull(source, {
        platform,
        onProgress: (p) => {
          const bytesDone = layerSizes ? p.downloaded.reduce((sum, layer) => sum + (layerSizes.get(layer) ?? 0), 0) : undefined;
          emit({
            type: 'image-progress',
            ref,
            layers: p.layers,
            layersDone: p.layersDone,
            ...(bytesDone !== undefined ? { bytesDone, bytesTotal: weight[i] } : {}),
          });
          overall(bytesBefore + (bytesDone ?? 0));
        },
      });
      imagesDone += 1;
      bytesBefore += weight[i] ?? 0;
      // The mirror's copy gets the image's own name, and loses the mirror's: one name, the one the lessons use.
      const named = result.ok && mirrored ? await driver.tag(mirrored, ref) : undefined;
      if (named?.ok && mirrored) await driver.removeImage(mirrored).catch(() => undefined);
      if (named && !named.ok) {
        const message = L(
          `${mirrored} was pulled, but docker tag ${mirrored} ${ref} failed: ${named.error}`,
          `已拉取 ${mirrored}，但 docker tag ${mirrored} ${ref} 失败：${named.error}`,
        );
        outcomes.set(ref, { ref, status: 'failed', message });
        emit({ type: 'image-failed', ref, message });
      } else if (result.ok) {
        const local = await driver.inspect(ref);
        if (local && forPlatform(local, platform)) {
          outcomes.set(ref, { ref, status: 'pulled', id: local.id });
          emit({ type: 'image-pulled', ref, seconds: Math.round((now() - t0) / 100) / 10, size: local.size, ...(mirrored ? { from: mirrored } : {}) });
        } else if (local) {
          // A mirror that answers with another platform's image under the name is no copy of it.
          const message = L(
            `${source} arrived for ${platformOf(local)}, not ${platform}.`,
            `拉取到的 ${source} 是 ${platformOf(local)} 的，不是 ${platform}。`,
          );
          outcomes.set(ref, { ref, status: 'failed', message });
          emit({ type: 'image-failed', ref, message });
        } else {
          const message = L(`docker pull said ${ref} arrived, but the engine does not have it.`, `docker pull 说 ${ref} 已拉取，但引擎里没有它。`);
          outcomes.set(ref, { ref, status: 'failed', message });
          emit({ type: 'image-failed', ref, message });
        }
      } else {
        const error = result.error ?? 'failed';
        const network = result.timedOut || isNetworkPullError(error);
        if (network) silent.set(registry, error);
        const message = pullFailure(ref, platform, error, network, reason, mirrored);
        outcomes.set(ref, { ref, status: 'failed', message });
        emit({ type: 'image-failed', ref, message });
      }
      overall(bytesBefore);
    }
  }

  emit({
    type: 'step',
    step: 'modules',
    message: L("Warming the sample app's Go module download in the build cache", '在构建缓存中预热示例应用的 Go 模块下载'),
  });
  const modules = await warmModules(driver, caps, { goImage: courseGoImage(wanted), goMod: options.goMod, goSum: options.goSum, platform });

  emit({ type: 'step', step: 'doctor', message: L('Checking this machine (doctor)', '检查这台机器（doctor）') });
  const doctor = await driver.doctor(options.images);
  const images = wanted.map((ref) => outcomes.get(ref) as ImageOutcome);
  // With the modules in the build cache, a Go proxy that does not answer (the room is offline) does not stop the lessons.
  const blocking = doctor.items.some((item) => item.status === 'fail' && item.blocking && !(item.id === 'go-proxy' && modules.ok));
  return { platform, images, modules, doctor, ready: images.every((i) => i.status !== 'failed') && modules.ok && !blocking };
};

const withEta = (eta: number | undefined): { etaSeconds?: number } => (eta === undefined ? {} : { etaSeconds: eta });

export interface ExportOptions {
  readonly driver: PrepareDriver;
  readonly images: readonly string[];
  readonly goMod: string | Uint8Array;
  readonly goSum: string | Uint8Array;
  /** Where the archive goes (written as FILE.partial-PID, renamed once complete). */
  readonly file: string;
  readonly platform?: string;
  /** learn-go-docker's version, written into the manifest. */
  readonly tool: string;
  readonly onEvent?: (event: PrepareEvent) => void;
  readonly now?: () => number;
}

export interface ExportProblem {
  readonly ref: string;
  readonly message: Localized;
}

/**
 * `prepare --export FILE`: one archive of every base image (as this machine has them) and the
 * module image, with the manifest. Nothing is pulled: images that are missing or for another
 * platform are the result's `problems` (run prepare first) and no file is written.
 */
/**
 * Where the archive goes, checked before anything is saved (a trial wrote 1.9 GB and then found
 * the name was a folder): a folder, or a folder that does not exist, is a one-line UserError.
 */
const checkArchivePath = async (file: string): Promise<void> => {
  const here = await stat(file).catch(() => undefined);
  if (here?.isDirectory()) {
    throw new UserError(
      L(
        `${file} is a folder: give the archive a file name, e.g. ${join(file, 'workshop.tar')}`,
        `${file} 是一个文件夹：请给归档起一个文件名，例如 ${join(file, 'workshop.tar')}`,
      ),
    );
  }
  const parent = dirname(resolve(file));
  const folder = await stat(parent).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new UserError(
      L(`The folder ${parent} does not exist: create it, or write the archive elsewhere.`, `文件夹 ${parent} 不存在：请先创建它，或者把归档写到别处。`),
    );
  }
};

export const exportArchive = async (options: ExportOptions): Promise<{ result?: ExportResult; problems: ExportProblem[] }> => {
  const { driver } = options;
  await checkArchivePath(options.file);
  const { emit, now, caps, platform, wanted } = await begin(options);
  const problems: ExportProblem[] = [];
  const images: ArchiveImage[] = [];
  const prepareFirst = options.platform ? `npx learn-go-docker prepare --platform ${platform}` : 'npx learn-go-docker prepare';
  for (const ref of wanted) {
    const local = await driver.inspect(ref);
    if (!local) {
      problems.push({ ref, message: L(`${ref} is not on this machine: run ${prepareFirst} first.`, `本机没有 ${ref}：请先运行 ${prepareFirst}。`) });
    } else if (!forPlatform(local, platform)) {
      problems.push({
        ref,
        message: L(
          `${ref} here is ${platformOf(local)}, not ${platform}: run ${prepareFirst} first.`,
          `本机的 ${ref} 是 ${platformOf(local)}，不是 ${platform}：请先运行 ${prepareFirst}。`,
        ),
      });
    } else {
      images.push({
        ref,
        id: local.id,
        repoDigests: local.repoDigests,
        os: local.os,
        architecture: local.architecture,
        ...(local.variant ? { variant: local.variant } : {}),
        size: local.size,
      });
    }
  }
  if (problems.length) return { problems };

  const hash = goSumHash(options.goSum);
  let modules = await driver.inspect(MODULES_IMAGE);
  if (!modules || modules.labels[GO_SUM_LABEL] !== hash || !forPlatform(modules, platform)) {
    emit({ type: 'step', step: 'modules', message: L("Downloading the sample app's Go modules into the build cache", '把示例应用的 Go 模块下载到构建缓存') });
    const warmed = await warmModules(driver, caps, { goImage: courseGoImage(wanted), goMod: options.goMod, goSum: options.goSum, platform });
    modules = warmed.ok ? await driver.inspect(MODULES_IMAGE) : undefined;
    if (!modules) return { problems: [{ ref: MODULES_IMAGE, message: withFix(warmed) }] };
  }

  const partial = `${options.file}.partial-${process.pid}`;
  const refs = [...images.map((i) => i.ref), MODULES_IMAGE];
  // docker save's size is about the images' sizes (layers shared between them are written once).
  const estimate = images.reduce((sum, i) => sum + i.size, 0) + modules.size;
  emit({ type: 'step', step: 'save', message: L(`Saving ${refs.length} images into ${options.file}`, `把 ${refs.length} 个镜像保存到 ${options.file}`) });
  const handle = await open(partial, 'w');
  await handle.write(Buffer.alloc(BLOCK, 0), 0, BLOCK, 0);
  await handle.close();
  try {
    const started = now();
    const saved = await driver.save(refs, {
      file: partial,
      start: BLOCK,
      onBytes: (bytes) =>
        emit({ type: 'bytes', step: 'save', bytes, ...(estimate > 0 ? { total: estimate } : {}), ...withEta(etaSeconds(bytes, estimate, now() - started)) }),
    });
    const mtime = Math.floor(now() / 1000);
    const manifest: ArchiveManifest = {
      schema: ARCHIVE_SCHEMA,
      version: ARCHIVE_VERSION,
      tool: options.tool,
      createdAt: new Date(now()).toISOString(),
      platform,
      images,
      modules: { ref: MODULES_IMAGE, id: modules.id, goSum: hash },
      payload: { name: IMAGES_ENTRY, bytes: saved.bytes, sha256: saved.sha256 },
    };
    const out = await open(partial, 'r+');
    try {
      await out.write(archiveTail(saved.bytes, `${JSON.stringify(manifest, null, 2)}\n`, mtime), 0, undefined, BLOCK + saved.bytes);
      await out.write(tarHeader(IMAGES_ENTRY, saved.bytes, mtime), 0, BLOCK, 0);
      await out.sync();
      const { size } = await out.stat();
      await out.close();
      await rename(partial, options.file);
      return { problems: [], result: { file: options.file, bytes: size, images: images.map((i) => i.ref), modules: MODULES_IMAGE, platform } };
    } catch (error) {
      await out.close().catch(() => undefined);
      throw error;
    }
  } finally {
    await rm(partial, { force: true });
  }
};

const withFix = (outcome: ModulesOutcome): Localized =>
  outcome.fix ? L(`${outcome.message.en} ${outcome.fix.en}`, `${outcome.message['zh-CN']} ${outcome.fix['zh-CN']}`) : outcome.message;

/** One line that says the archive cannot be used, and why (never a stack trace). */
const archiveProblem = (file: string, why: Localized): UserError =>
  new UserError(L(`${file} is not a usable workshop archive: ${why.en}`, `${file} 不是可用的工作坊归档：${why['zh-CN']}`));

const archiveWhy = (error: ArchiveError): Localized => {
  switch (error.kind) {
    case 'truncated':
      return L(`it is truncated (${error.detail}); copy it again.`, `文件不完整（${error.detail}）；请重新复制。`);
    case 'not-archive':
      return L(`${error.detail}; it was not made by prepare --export.`, `${error.detail}；它不是 prepare --export 生成的。`);
    case 'bad-manifest':
      return L(`its manifest is corrupt (${error.detail}).`, `它的清单已损坏（${error.detail}）。`);
    case 'missing':
      return L('there is no such file.', '没有这个文件。');
    case 'folder':
      return L('it is a folder: give the archive file in it.', '这是一个文件夹：请给出其中的归档文件。');
    default:
      return L(`it cannot be read (${error.detail}).`, `无法读取（${error.detail}）。`);
  }
};

export interface ImportOptions {
  readonly driver: PrepareDriver;
  readonly file: string;
  /** The course's go.sum: the archive's module download should be for it. */
  readonly goSum: string | Uint8Array;
  readonly onEvent?: (event: PrepareEvent) => void;
  readonly now?: () => number;
}

/**
 * `prepare --import FILE`: `docker load` of the archive's images, then each image of the manifest
 * checked by ID under its name, then the module cache restored into the build cache as prepare
 * warms it. A truncated or corrupt archive is one UserError line.
 */
export const importArchive = async (options: ImportOptions): Promise<ImportResult> => {
  const { driver, file } = options;
  const emit = options.onEvent ?? (() => undefined);
  const now = options.now ?? Date.now;
  let layout;
  try {
    layout = await readArchiveLayout(file);
  } catch (error) {
    if (error instanceof ArchiveError) throw archiveProblem(file, archiveWhy(error));
    throw error;
  }
  const parsed = parseManifest(layout.manifestText);
  if ('problem' in parsed) throw archiveProblem(file, L(`its manifest is not one (${parsed.problem}).`, `它的清单无效（${parsed.problem}）。`));
  const { manifest } = parsed;
  if (manifest.payload.bytes !== layout.imagesBytes) {
    throw archiveProblem(
      file,
      L(
        `the manifest says ${manifest.payload.bytes} bytes of images, the archive holds ${layout.imagesBytes}.`,
        `清单说镜像有 ${manifest.payload.bytes} 字节，归档里有 ${layout.imagesBytes} 字节。`,
      ),
    );
  }
  const caps = await usable(driver);
  // Loaded, another platform's images would replace this machine's under the same names, and every
  // build would then need emulation: refused before anything is loaded.
  const here = resolvePlatform(undefined, caps);
  if (manifest.platform !== here) {
    throw new UserError(
      L(
        `${file} holds images for ${manifest.platform}; this Docker runs ${here}. Nothing was loaded.`,
        `${file} 中的镜像是 ${manifest.platform} 的；这个 Docker 运行的是 ${here}。没有加载任何内容。`,
      ),
      {
        next: L(
          `Ask for an archive made for this machine: npx learn-go-docker prepare --export FILE --platform ${here}`,
          `请索取为这台机器生成的归档：npx learn-go-docker prepare --export FILE --platform ${here}`,
        ),
      },
    );
  }
  emit({
    type: 'step',
    step: 'load',
    message: L(
      `Loading the images of ${file} (made ${manifest.createdAt} for ${manifest.platform})`,
      `加载 ${file} 中的镜像（${manifest.createdAt} 为 ${manifest.platform} 生成）`,
    ),
  });
  const started = now();
  let loaded;
  try {
    loaded = await driver.load({
      file,
      start: layout.imagesStart,
      length: layout.imagesBytes,
      onBytes: (bytes) =>
        emit({ type: 'bytes', step: 'load', bytes, total: layout.imagesBytes, ...withEta(etaSeconds(bytes, layout.imagesBytes, now() - started)) }),
    });
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    if (typeof reason === 'string') throw archiveProblem(file, L(`docker load refused it (${reason}).`, `docker load 拒绝了它（${reason}）。`));
    throw error;
  }
  if (loaded.sha256 !== manifest.payload.sha256) {
    throw archiveProblem(
      file,
      L("its images' checksum differs from the manifest's: the copy is corrupt; copy it again.", '镜像的校验和与清单不符：这个副本已损坏；请重新复制。'),
    );
  }
  emit({ type: 'step', step: 'verify', message: L('Checking each image by its ID', '按 ID 逐个检查镜像') });
  const found = new Map<string, string | undefined>();
  const wanted = [
    ...manifest.images.map((i) => ({ ref: i.ref, id: i.id })),
    ...(manifest.modules ? [{ ref: manifest.modules.ref, id: manifest.modules.id }] : []),
  ];
  for (const { ref } of wanted) found.set(ref, (await driver.inspect(ref))?.id);
  const checks = compareImages(wanted, found);
  const images = checks.slice(0, manifest.images.length);
  let modules: ImportResult['modules'] = null;
  if (manifest.modules) {
    const check = checks[checks.length - 1] as (typeof checks)[number];
    if (check.status !== 'ok') {
      modules = {
        ...check,
        restored: false,
        message: L('The module image did not load as the archive says: nothing to restore.', '模块镜像没有按归档所说加载：没有可恢复的内容。'),
      };
    } else if (manifest.modules.goSum !== goSumHash(options.goSum)) {
      modules = {
        ...check,
        restored: false,
        message: L(
          `The archive's modules are for another go.sum (made by learn-go-docker ${manifest.tool}): ask for an archive made with this version.`,
          `归档中的模块对应另一个 go.sum（由 learn-go-docker ${manifest.tool} 生成）：请索取用这个版本生成的归档。`,
        ),
      };
    } else {
      emit({ type: 'step', step: 'restore', message: L('Restoring the Go module cache into the build cache', '把 Go 模块缓存恢复到构建缓存') });
      const seeded = await seedModuleCache(driver, caps, options.goSum, manifest.platform);
      modules = { ...check, restored: seeded.ok, message: withFix(seeded) };
    }
  }
  const ok = images.every((i) => i.status === 'ok') && (modules === null || modules.restored);
  return { file, platform: manifest.platform, createdAt: manifest.createdAt, tool: manifest.tool, images, modules, ok };
};
