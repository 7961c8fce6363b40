import { parseHumanSize } from './parse-clean.js';

/** Pure parts of keeping the course's images tidy: what `docker image ls` and `system df -v` say, and what to remove. */

/** When each lesson was last built on this machine, and which lesson was built last. */
export interface LessonBuilds {
  readonly last: string | undefined;
  readonly at: Readonly<Record<string, number>>;
}

/** The course's images on disk, as last measured. */
export interface CourseDiskUse {
  readonly at: number;
  /** Unique bytes of the course's images plus the largest shared part, counted once: an estimate, not a sum of sizes. */
  readonly bytes: number;
  readonly images: number;
}

export interface ListedImage {
  readonly id: string;
  readonly repository: string;
  readonly tag: string;
  /** Milliseconds since the epoch; NaN when docker's text could not be read. */
  readonly created: number;
}

/** "2026-11-28 09:06:14 +0000 UTC" -> epoch milliseconds. */
export const parseDockerTime = (text: string): number => {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? ([+-]\d\d)(\d\d)/.exec(text.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`) : Number.NaN;
};

/** `docker image ls --format '{{json .}}'`, one object per line. */
export const parseImageList = (text: string): ListedImage[] =>
  text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, string>)
    .map((item) => ({ id: item.ID ?? '', repository: item.Repository ?? '', tag: item.Tag ?? '', created: parseDockerTime(item.CreatedAt ?? '') }));

const VERIFY_IMAGE = /^learn-go-docker\/([^/:]+)$/;

/**
 * The `learn-go-docker/<lesson>:verify` images of other lessons that no verify has built for a while
 * (by our record, or by the image's age when we have none). Returned as references, so only the tag
 * goes when another tag shares the image.
 */
export const verifyImagesToRemove = (
  images: readonly ListedImage[],
  options: { keepLesson: string; builtAt: Readonly<Record<string, number>>; now: number; idleMs: number },
): string[] =>
  images
    .filter((image) => image.tag === 'verify')
    .flatMap((image) => {
      const lesson = VERIFY_IMAGE.exec(image.repository)?.[1];
      if (!lesson || lesson === options.keepLesson) return [];
      const last = options.builtAt[lesson] ?? image.created;
      // An unreadable time keeps the image: removing what another verify is using costs more than disk.
      return Number.isFinite(last) && options.now - last > options.idleMs ? [`${image.repository}:${image.tag}`] : [];
    });

/** The tag a verify holds its lesson image by while it runs: `held-<pid>-<session>`. */
export const heldTag = (pid: number, session: string): string => `held-${pid}-${session}`;
const HELD = /^held-(\d+)-[0-9a-f]+$/;

/** Held tags of verifies whose process is gone (killed before it could untag): they would keep the image forever. */
export const heldTagsToRemove = (images: readonly ListedImage[], alive: (pid: number) => boolean): string[] =>
  images.flatMap((image) => {
    const pid = HELD.exec(image.tag)?.[1];
    return pid !== undefined && VERIFY_IMAGE.test(image.repository) && !alive(Number(pid)) ? [`${image.repository}:${image.tag}`] : [];
  });

/** `docker system df -v --format '{{json .Images}}'` restricted to `ours` (full image ids). */
export const courseImagesBytes = (text: string, ours: ReadonlySet<string>): { bytes: number; images: number } => {
  let entries: Record<string, string>[] = [];
  try {
    const parsed: unknown = JSON.parse(text.trim() || '[]');
    if (Array.isArray(parsed)) entries = parsed as Record<string, string>[];
  } catch {
    return { bytes: 0, images: 0 };
  }
  const mine = entries.filter((e) => ours.has(e.ID ?? ''));
  const unique = mine.reduce((sum, e) => sum + (parseHumanSize(e.UniqueSize ?? '') ?? 0), 0);
  const shared = Math.max(0, ...mine.map((e) => parseHumanSize(e.SharedSize ?? '') ?? 0));
  return { bytes: unique + shared, images: new Set(mine.map((e) => e.ID)).size };
};

/**
 * The same figure from `docker image inspect --format '{{.Id}} {{.Size}} {{range .RootFS.Layers}}{{.}},{{end}}'`
 * of every local image, for engines whose `system df` fails (a 20.10 engine whose BuildKit cache lost
 * a snapshot refuses the whole command). An image's own bytes are its size less the size of the
 * local image whose layers are the longest proper prefix of its own (its base, or an earlier lesson
 * image); the bases that are not the course's count once, as the largest, like `system df`'s shared size.
 */
export const courseImagesBytesFromLayers = (text: string, ours: ReadonlySet<string>): { bytes: number; images: number } => {
  const images = text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length >= 2 && /^\d+$/.test(parts[1] ?? ''))
    .map(([id = '', size = '0', layers = '']) => ({ id, size: Number(size), layers: layers.split(',').filter(Boolean) }));
  const key = (layers: readonly string[]): string => layers.join(',');
  const sizeOf = new Map(images.map((i) => [key(i.layers), i]));
  const mine = images.filter((i) => ours.has(i.id));
  /** The size of the local image (ours too, unless `others`) whose layers are the longest proper prefix. */
  const base = (layers: readonly string[], others: boolean): number => {
    for (let n = layers.length - 1; n > 0; n -= 1) {
      const found = sizeOf.get(key(layers.slice(0, n)));
      if (found && !(others && ours.has(found.id))) return found.size;
    }
    return 0;
  };
  let unique = 0;
  let shared = 0;
  for (const image of new Map(mine.map((i) => [i.id, i])).values()) {
    unique += Math.max(0, image.size - base(image.layers, false));
    shared = Math.max(shared, base(image.layers, true));
  }
  return { bytes: unique + shared, images: new Set(mine.map((i) => i.id)).size };
};
