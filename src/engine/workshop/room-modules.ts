import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { L, type Localized } from '../i18n.js';
import { readIfExists, writeFileAtomic } from '../util/files.js';
import { GO_SUM_LABEL, LESSON_GOPROXY_DEFAULT, MODULES_IMAGE, goSumHash } from '../prepare/modules.js';
import type { GoDownloadResult, GoEnv } from '../docker/go-modules.js';
import { isLoopbackHost } from '../util/loopback.js';

/**
 * Fills the room's Go module proxy folder (`<room>/goproxy/`, the layout of Go's module download
 * cache, which goproxy.ts serves as is) with the sample app's modules, when `workshop serve` starts:
 *
 * 1. Already filled for this go.sum (`<room>/goproxy.json` says its hash): kept, nothing runs, so a
 *    restart mid-workshop is instant and needs no network.
 * 2. `go` on the instructor's PATH: `go mod download -json` of the sample app's go.mod/go.sum in a temp
 *    folder, GOMODCACHE pointed into the room folder, the instructor's own module cache first in
 *    GOPROXY (file://, so a laptop that built the sample app once fills the room with no internet),
 *    then their usual proxy. Its cache/download becomes the served folder.
 * 3. Otherwise `prepare`'s module image (learn-go-docker/prepare:modules, built by the same
 *    `go mod download` in the course's golang image) for this go.sum: its /go/pkg/mod/cache/download
 *    is copied out (docker create + docker cp, never run).
 * 4. Neither: no proxy, and the reason in one line; the room works as before.
 *
 * Done at start rather than by a flag: the instructor has nothing to remember, and a folder already
 * filled costs one file read. Deleting `<room>/goproxy/` makes the next start fill it again.
 */

/**
 * Whether the server's address is this machine's loopback: then no learner's build can reach the
 * proxy (inside a BuildKit RUN, 127.0.0.1 is the build container itself), so it is not filled.
 */
export const loopbackHost = isLoopbackHost;

export const ROOM_GOPROXY_DIR = 'goproxy';
export const ROOM_GOPROXY_FILE = 'goproxy.json';
/** Where the module image keeps the download cache (the golang image's GOMODCACHE). */
const IMAGE_DOWNLOAD_CACHE = '/go/pkg/mod/cache/download';

/** The processes (docker/go-modules.ts in real life; fakes in tests). */
export interface RoomModulesDriver {
  goEnv(): Promise<GoEnv>;
  goModDownload(options: { appDir: string; modCache: string; goproxy: string }): Promise<GoDownloadResult>;
  imageLabels(image: string): Promise<{ found: true; labels: Readonly<Record<string, string>> } | { found: false; docker: boolean }>;
  copyFromImage(image: string, from: string, dest: string): Promise<{ ok: true } | { ok: false; detail: string }>;
}

export type RoomModules =
  | { readonly ok: true; readonly dir: string; readonly modules: number; readonly source: 'kept' | 'go' | 'image' }
  | { readonly ok: false; readonly reason: Localized };

interface Marker {
  readonly version: 1;
  readonly goSum: string;
  readonly source: 'go' | 'image';
  readonly modules: number;
  readonly filledAt: string;
}

const readMarker = async (roomDir: string): Promise<Marker | undefined> => {
  try {
    const raw = JSON.parse((await readIfExists(join(roomDir, ROOM_GOPROXY_FILE)))?.toString('utf8') ?? 'null') as Partial<Marker> | null;
    return raw && typeof raw.goSum === 'string' && typeof raw.modules === 'number' && (raw.source === 'go' || raw.source === 'image')
      ? { version: 1, goSum: raw.goSum, source: raw.source, modules: raw.modules, filledAt: String(raw.filledAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
};

/** Module zips under a download cache: one per module version a build can fetch whole. */
const countZips = async (dir: string): Promise<number> => {
  let count = 0;
  const walk = async (at: string): Promise<void> => {
    for (const entry of await fs.readdir(at, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(at, entry.name));
      else if (entry.isFile() && entry.name.endsWith('.zip')) count += 1;
    }
  };
  await walk(dir);
  return count;
};

const isDir = async (path: string): Promise<boolean> => (await fs.stat(path).catch(() => undefined))?.isDirectory() ?? false;

/** The GOPROXY of the instructor's download: their own module cache first (offline), then their proxy. */
const instructorGoproxy = (env: Extract<GoEnv, { found: true }>): string => {
  const usual = env.goproxy.trim() || LESSON_GOPROXY_DEFAULT;
  const own = env.modCache ? pathToFileURL(join(env.modCache, 'cache', 'download')).href : '';
  // GOPROXY splits on "," and "|": a cache path holding one cannot be listed (rare; then the proxy alone).
  return own && !/[,|]/.test(own) ? `${own},${usual}` : usual;
};

const joined = (a: Localized, b: Localized): Localized => L(`${a.en}; ${b.en}`, `${a['zh-CN']}；${b['zh-CN']}`);

export const fillRoomModules = async (options: {
  roomDir: string;
  goMod: string | Uint8Array;
  goSum: string | Uint8Array;
  driver: RoomModulesDriver;
  now?: Date;
  /** Told when the folder has to be filled (a download or a copy follows), not when it is kept. */
  onFilling?: () => void;
}): Promise<RoomModules> => {
  const { roomDir, driver } = options;
  const hash = goSumHash(options.goSum);
  const dir = join(roomDir, ROOM_GOPROXY_DIR);
  const marker = await readMarker(roomDir);
  if (marker?.goSum === hash && (await isDir(dir))) return { ok: true, dir, modules: marker.modules, source: 'kept' };

  options.onFilling?.();
  await fs.mkdir(roomDir, { recursive: true });
  // In the room folder, so the finished download moves into place with a rename (same file system).
  const work = await fs.mkdtemp(join(roomDir, '.goproxy-fill-'));
  /** Puts a filled download cache in place of the served folder, then says so in the marker. */
  const install = async (filled: string, source: 'go' | 'image'): Promise<RoomModules> => {
    const modules = await countZips(filled);
    const old = join(work, 'previous');
    if (await isDir(dir)) await fs.rename(dir, old);
    await fs.rename(filled, dir);
    const written: Marker = { version: 1, goSum: hash, source, modules, filledAt: (options.now ?? new Date()).toISOString() };
    await writeFileAtomic(join(roomDir, ROOM_GOPROXY_FILE), `${JSON.stringify(written, null, 2)}\n`);
    return { ok: true, dir, modules, source };
  };
  try {
    let goWhy: Localized;
    const env = await driver.goEnv();
    if (env.found) {
      const appDir = join(work, 'app');
      const modCache = join(work, 'modcache');
      await fs.mkdir(appDir, { recursive: true });
      await fs.writeFile(join(appDir, 'go.mod'), options.goMod);
      await fs.writeFile(join(appDir, 'go.sum'), options.goSum);
      const downloaded = await driver.goModDownload({ appDir, modCache, goproxy: instructorGoproxy(env) });
      if (downloaded.ok && (await isDir(join(modCache, 'cache', 'download')))) return await install(join(modCache, 'cache', 'download'), 'go');
      goWhy = L(
        `go mod download of the sample app failed (${downloaded.ok ? 'nothing downloaded' : downloaded.detail})`,
        `示例应用的 go mod download 失败（${downloaded.ok ? '没有下载任何内容' : downloaded.detail}）`,
      );
    } else goWhy = L('go is not on this laptop’s PATH', '这台电脑的 PATH 中没有 go');

    const image = await driver.imageLabels(MODULES_IMAGE);
    if (!image.found) {
      return {
        ok: false,
        reason: joined(
          goWhy,
          image.docker
            ? L(`${MODULES_IMAGE} is not here (run npx learn-go-docker prepare)`, `本机没有 ${MODULES_IMAGE}（请运行 npx learn-go-docker prepare）`)
            : L(`Docker does not answer (to copy the modules out of ${MODULES_IMAGE})`, `Docker 没有响应（无法从 ${MODULES_IMAGE} 复制模块）`),
        ),
      };
    }
    if (image.labels[GO_SUM_LABEL] !== hash) {
      return {
        ok: false,
        reason: joined(
          goWhy,
          L(
            `${MODULES_IMAGE} holds another go.sum's modules (run npx learn-go-docker prepare again)`,
            `${MODULES_IMAGE} 中是另一个 go.sum 的模块（请再运行一次 npx learn-go-docker prepare）`,
          ),
        ),
      };
    }
    const target = join(work, 'download');
    const copied = await driver.copyFromImage(MODULES_IMAGE, IMAGE_DOWNLOAD_CACHE, target);
    if (copied.ok && (await isDir(target))) return await install(target, 'image');
    return {
      ok: false,
      reason: joined(
        goWhy,
        L(
          `copying the modules out of ${MODULES_IMAGE} failed (${copied.ok ? 'nothing copied' : copied.detail})`,
          `从 ${MODULES_IMAGE} 复制模块失败（${copied.ok ? '没有复制任何内容' : copied.detail}）`,
        ),
      ),
    };
  } finally {
    // The temp app, the extracted modules (-modcacherw: writable) and a replaced folder.
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
};

/** The real processes, loaded when a room fills (the Docker driver is not part of `workshop serve` otherwise). */
export const realRoomModulesDriver = async (signal?: AbortSignal): Promise<RoomModulesDriver> => {
  const go = await import('../docker/go-modules.js');
  return {
    goEnv: () => go.instructorGoEnv(signal),
    goModDownload: (o) => go.goModDownload({ ...o, ...(signal ? { signal } : {}) }),
    imageLabels: (image) => go.imageLabels(image, signal),
    copyFromImage: (image, from, dest) => go.copyFromImage(image, from, dest, signal),
  };
};
