import { PassThrough, Readable } from 'node:stream';
import { findInTar, walkTar, type TarEntry } from '../../docker/tar-scan.js';

/** What a search through every layer of a saved image found. */
export interface LayerSearch {
  /** The first file holding the value: the layer's entry in the saved archive and the path inside it. */
  readonly found: { readonly layer: string; readonly path: string } | null;
  /** Layers searched. */
  readonly layers: number;
  /** Layers in a compression this search cannot read (zstd), so not searched. */
  readonly unreadable: number;
}

const isTar = (head: Buffer): boolean => head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
const isGzip = (head: Buffer): boolean => head[0] === 0x1f && head[1] === 0x8b;
const isZstd = (head: Buffer): boolean => head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;

/** An entry of a saved image as it streams: its first bytes sniffed, the rest to read once. */
export interface SniffedBlob {
  /** The entry as a tar archive (gunzipped when compressed), or undefined when it is none. */
  readonly tar: AsyncIterable<Buffer> | undefined;
  /** Compressed with zstd, which no reader here understands. */
  readonly zstd: boolean;
  /** Every byte of the entry, head included: read it (or the tar) once. */
  readonly bytes: () => AsyncIterable<Buffer>;
}

/** Reads the head of one entry of `docker save` output to tell a layer (tar, gzip, zstd) from the rest (JSON). */
export const sniffBlob = async (feed: PassThrough): Promise<SniffedBlob> => {
  const it = feed[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 512 && !ended) {
    const next = await it.next();
    if (next.done) ended = true;
    else head = Buffer.concat([head, next.value]);
  }
  const bytes = async function* (): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  };
  if (isGzip(head)) {
    const { createGunzip } = await import('node:zlib'); // loaded by the checks that read layers
    const gunzip = createGunzip();
    Readable.from(bytes()).pipe(gunzip);
    return { tar: gunzip, zstd: false, bytes };
  }
  return { tar: isTar(head) ? bytes() : undefined, zstd: isZstd(head), bytes };
};

/** One layer's content as it streams out of the outer archive, searched as it comes. */
const searchLayer = async (feed: PassThrough, needle: string): Promise<'unreadable' | 'not-a-layer' | string | undefined> => {
  const blob = await sniffBlob(feed);
  if (blob.tar) return (await findInTar(blob.tar, needle)).path;
  for await (const chunk of blob.bytes()) void chunk;
  // A saved image also holds JSON (config, manifests): only tar archives are layers.
  return blob.zstd ? 'unreadable' : 'not-a-layer';
};

const isRegular = (entry: TarEntry): boolean => entry.type === '0' || entry.type === '\0' || entry.type === '7';

/**
 * Walks `docker save` output and hands each entry to `read`, a file's content as a stream of its
 * own read beside the walk (a layer is never held whole; a link or folder gets an empty one);
 * `read` returns undefined for an entry it skips.
 * Resolves when every read is done; `stop` ends the walk early.
 */
export const eachSavedEntry = async (
  saved: AsyncIterable<Buffer | string>,
  read: (entry: TarEntry, feed: PassThrough) => Promise<void> | undefined,
  stop: () => boolean = () => false,
): Promise<void> => {
  let current: { entry: TarEntry; feed: PassThrough } | undefined;
  const pending: Promise<void>[] = [];
  const close = () => {
    current?.feed.end();
    current = undefined;
  };
  await walkTar(
    saved,
    (entry, chunk) => {
      if (stop()) return true;
      if (current?.entry === entry) current.feed.write(Buffer.from(chunk));
      return false;
    },
    (entry) => {
      close();
      if (!isRegular(entry)) return void read(entry, new PassThrough());
      const feed = new PassThrough();
      const reading = read(entry, feed);
      if (!reading) return;
      current = { entry, feed };
      if (entry.size === 0) feed.end();
      pending.push(reading);
    },
  );
  close();
  await Promise.all(pending);
};

/**
 * Searches every layer of `docker save` output for a value: the old format's `<id>/layer.tar`
 * and the OCI layout's `blobs/sha256/<digest>` (gzip-compressed ones too). Unlike the flattened
 * file system of `docker export`, a layer still holds a file that a later step deleted.
 */
export const findInLayers = async (saved: AsyncIterable<Buffer | string>, needle: string): Promise<LayerSearch> => {
  let layers = 0;
  let unreadable = 0;
  let found: LayerSearch['found'] = null;
  await eachSavedEntry(
    saved,
    (entry, feed) => {
      if (!isRegular(entry) || entry.size === 0 || !(entry.path.endsWith('/layer.tar') || entry.path.startsWith('blobs/'))) return undefined;
      return searchLayer(feed, needle).then((result) => {
        if (result === 'not-a-layer') return;
        layers += 1;
        if (result === 'unreadable') unreadable += 1;
        else if (result !== undefined && !found) found = { layer: entry.path, path: result };
      });
    },
    () => found !== null,
  );
  return { found, layers, unreadable };
};
