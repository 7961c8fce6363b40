import { L, type Localized } from '../i18n.js';
import { readCache } from './machine-cache.js';
import type { CourseDiskUse } from './parse-tidy.js';

/** Where the last measurement of the course's images on disk is kept (read without loading the driver). */
export const DISK_USE_FILE = 'disk-use.json';

/** The last measured disk use of the course's images (no Docker call): `list` shows it with the way to free it. */
export const lastCourseDiskUse = async (): Promise<CourseDiskUse | undefined> => {
  const use = await readCache<CourseDiskUse>(DISK_USE_FILE);
  return use && Number.isFinite(use.bytes) && Number.isFinite(use.at) ? use : undefined;
};

const size = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`);

const age = (ms: number): Localized => {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return L('just now', '刚刚');
  if (minutes < 90) return L(`${minutes} min ago`, `${minutes} 分钟前`);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return L(`${hours} h ago`, `${hours} 小时前`);
  return L(`${Math.round(hours / 24)} days ago`, `${Math.round(hours / 24)} 天前`);
};

/**
 * One line for `list`, the list screen and `doctor`: what the course's images use and how to remove
 * them. The figure counts the base images they are built on once, and `clean` keeps those bases (and
 * BuildKit's cache keeps layers too), so the line names what clean removes, never a size it frees.
 */
export const diskUseLine = (use: CourseDiskUse, now = Date.now()): Localized => {
  const figure = diskUseFigure(use, now);
  return L(`Docker images of this course: a${figure.en.slice(1)}`, `本课程的 Docker 镜像：${figure['zh-CN']}`);
};

/** The line without its subject, under a heading that already names it (doctor's "The course's images"). */
export const diskUseFigure = (use: CourseDiskUse, now = Date.now()): Localized => {
  const when = age(now - use.at);
  return L(
    `About ${size(use.bytes)} with the base images they are built on (${use.images} ${use.images === 1 ? 'image' : 'images'}, measured ${when.en}). Remove them: npx learn-go-docker clean`,
    `约 ${size(use.bytes)}，含它们所基于的基础镜像（${use.images} 个镜像，${when['zh-CN']}测量）。删除它们：npx learn-go-docker clean`,
  );
};
