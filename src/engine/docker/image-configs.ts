import type { ImageInspect } from './session.js';
import { readCache, writeCache } from './machine-cache.js';

/**
 * What `docker image inspect <id>` said about images this machine built, by image id.
 *
 * Why it can be remembered: an image id is the digest of the image's config, and the config holds
 * everything an ImageInspect keeps (user, env, entrypoint, ports, labels, healthcheck, platform,
 * created, and the layers' digests, which fix the size). The same id is the same answer, on any
 * engine. A warm verify rebuilds the lesson's image from cache to the same id, and skips one
 * docker call on its way to starting the container. Names (tags) are not ids: never remembered.
 */
const FILE = 'image-configs.json';
/** A few lessons' last images: enough for going back and forth, small to read at every verify. */
const KEEP = 24;

type Remembered = Readonly<Record<string, ImageInspect>>;

const isImageId = (ref: string): boolean => /^sha256:[0-9a-f]{64}$/.test(ref);

/** The remembered inspect of this image id, or undefined (not an id, never seen, unreadable). */
export const rememberedInspect = async (ref: string): Promise<ImageInspect | undefined> => {
  if (!isImageId(ref)) return undefined;
  const found = (await readCache<Remembered>(FILE))?.[ref];
  // A file written by another version may lack fields this one reads: ask Docker then.
  return found && found.id === ref && Array.isArray(found.layers) ? found : undefined;
};

/**
 * Remembers an inspect under its id, the newest last; the oldest entries go past KEEP. Two
 * verifies writing at once can lose one entry: that only costs one `docker image inspect` later.
 */
export const rememberInspect = async (inspect: ImageInspect): Promise<void> => {
  if (!isImageId(inspect.id)) return;
  const before = (await readCache<Remembered>(FILE)) ?? {};
  if (before[inspect.id]) return;
  const kept = Object.entries(before)
    .filter(([id]) => isImageId(id))
    .slice(-(KEEP - 1));
  await writeCache(FILE, Object.fromEntries([...kept, [inspect.id, inspect]]));
};
