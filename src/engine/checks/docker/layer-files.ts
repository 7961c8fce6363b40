import { posix } from 'node:path';
import { PassThrough } from 'node:stream';
import { walkTar } from '../../docker/tar-scan.js';
import { eachSavedEntry, sniffBlob } from './layer-scan.js';

/** A file a layer adds or replaces, or a path it deletes (a whiteout). */
export interface LayerFile {
  readonly path: string;
  readonly bytes: number;
}

/** One layer of a saved image, in build order, with what its step wrote. */
export interface SavedLayer {
  /** The step that made it, as `docker history` shows it. */
  readonly createdBy: string;
  /** Regular files it writes (path without a leading ./ or /, and their sizes). */
  readonly files: readonly LayerFile[];
  /** Paths it deletes: `.wh.<name>` hides a file or folder below, `.wh..wh..opq` a folder's old content. */
  readonly deletes: readonly string[];
  /** Folders whose lower content it replaces whole (opaque whiteouts). */
  readonly opaque: readonly string[];
  /** Its compression could not be read (zstd): its files are unknown. */
  readonly unreadable: boolean;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** JSON files of a saved image (manifest, config) are small; a bigger blob is not one of them. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

const clean = (path: string): string => path.replace(/^\.?\/+/, '').replace(/\/+$/, '');

const collect = async (chunks: AsyncIterable<Buffer>): Promise<Omit<SavedLayer, 'createdBy' | 'unreadable'>> => {
  const files: LayerFile[] = [];
  const deletes: string[] = [];
  const opaque: string[] = [];
  await walkTar(
    chunks,
    () => false,
    (entry) => {
      const path = clean(entry.path);
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      const dir = slash === -1 ? '' : path.slice(0, slash);
      if (base === OPAQUE) opaque.push(dir);
      else if (base.startsWith(WHITEOUT)) deletes.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
      else if (entry.type === '0' || entry.type === '\0' || entry.type === '7') files.push({ path, bytes: entry.size });
    },
  );
  return { files, deletes, opaque };
};

type Blob =
  { kind: 'layer'; content: Omit<SavedLayer, 'createdBy' | 'unreadable'> } | { kind: 'unreadable' } | { kind: 'json'; text: string } | { kind: 'other' };

/** One entry of the outer archive as it streams: a layer (listed), a JSON file (kept) or something else. */
const readBlob = async (feed: PassThrough, size: number): Promise<Blob> => {
  const blob = await sniffBlob(feed);
  if (blob.tar) return { kind: 'layer', content: await collect(blob.tar) };
  const chunks: Buffer[] = [];
  for await (const chunk of blob.bytes()) if (size <= MAX_JSON_BYTES) chunks.push(chunk);
  if (blob.zstd) return { kind: 'unreadable' };
  const text = Buffer.concat(chunks).toString('utf8');
  return size <= MAX_JSON_BYTES && /^\s*[[{]/.test(text) ? { kind: 'json', text } : { kind: 'other' };
};

interface Manifest {
  readonly Config: string;
  readonly Layers: readonly string[];
}

interface Config {
  readonly history?: readonly { readonly created_by?: string; readonly empty_layer?: boolean }[];
}

/**
 * The layers of `docker save` output, oldest first, each with the files it writes and deletes and
 * the step that made it (from the image config's history, skipping steps that made no layer).
 * Reads both archive layouts (`<id>/layer.tar` and OCI `blobs/sha256/<digest>`, gzip too).
 */
export const readSavedLayers = async (saved: AsyncIterable<Buffer | string>): Promise<SavedLayer[]> => {
  const blobs = new Map<string, Blob>();
  // `docker save` stores a layer that two images share once; the other entry is a symlink to it.
  const aliases = new Map<string, string>();
  await eachSavedEntry(saved, (entry, feed) => {
    const path = clean(entry.path);
    if (entry.type === '2' && entry.link) aliases.set(path, clean(posix.normalize(posix.join(posix.dirname(path), entry.link))));
    if (entry.type !== '0' && entry.type !== '\0' && entry.type !== '7') return undefined;
    return readBlob(feed, entry.size).then((blob) => void blobs.set(path, blob));
  });
  const manifestBlob = blobs.get('manifest.json');
  if (manifestBlob?.kind !== 'json') throw new Error('docker save gave no manifest.json');
  const manifest = (JSON.parse(manifestBlob.text) as Manifest[])[0];
  if (!manifest) throw new Error('docker save gave an empty manifest.json');
  const configBlob = blobs.get(clean(manifest.Config));
  const config = configBlob?.kind === 'json' ? (JSON.parse(configBlob.text) as Config) : {};
  const steps = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
  return manifest.Layers.map((path, i) => {
    const blob = blobs.get(aliases.get(clean(path)) ?? clean(path));
    const createdBy = steps[i] ?? '';
    if (blob?.kind === 'layer') return { createdBy, ...blob.content, unreadable: false };
    return { createdBy, files: [], deletes: [], opaque: [], unreadable: true };
  });
};
