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

export const isTar = (head: Buffer): boolean => head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
export const isGzip = (head: Buffer): boolean => head[0] === 0x1f && head[1] === 0x8b;
export const isZstd = (head: Buffer): boolean => head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;

/** One layer's content as it streams out of the outer archive, searched as it comes (gunzipped when compressed). */
const searchLayer = async (feed: PassThrough, needle: string): Promise<'unreadable' | 'not-a-layer' | string | undefined> => {
  const it = feed[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 512 && !ended) {
    const next = await it.next();
    if (next.done) ended = true;
    else head = Buffer.concat([head, next.value]);
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  };
  const drain = async () => {
    for await (const chunk of rest()) void chunk;
  };
  if (isGzip(head)) {
    const { createGunzip } = await import('node:zlib'); // loaded by the one check that reads layers
    const gunzip = createGunzip();
    Readable.from(rest()).pipe(gunzip);
    return (await findInTar(gunzip, needle)).path;
  }
  if (isZstd(head)) {
    await drain();
    return 'unreadable';
  }
  // A saved image also holds JSON (config, manifests): only tar archives are layers.
  if (!isTar(head)) {
    await drain();
    return 'not-a-layer';
  }
  return (await findInTar(rest(), needle)).path;
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
  let current: { entry: TarEntry; feed: PassThrough } | undefined;
  const pending: Promise<void>[] = [];
  const close = () => {
    current?.feed.end();
    current = undefined;
  };
  await walkTar(
    saved,
    (entry, chunk) => {
      if (found) return true;
      if (current?.entry === entry) current.feed.write(Buffer.from(chunk));
      return false;
    },
    (entry) => {
      close();
      const regular = entry.type === '0' || entry.type === '\0' || entry.type === '7';
      if (!regular || entry.size === 0 || !(entry.path.endsWith('/layer.tar') || entry.path.startsWith('blobs/'))) return;
      const feed = new PassThrough();
      current = { entry, feed };
      pending.push(
        searchLayer(feed, needle).then((result) => {
          if (result === 'not-a-layer') return;
          layers += 1;
          if (result === 'unreadable') unreadable += 1;
          else if (result !== undefined && !found) found = { layer: entry.path, path: result };
        }),
      );
    },
  );
  close();
  await Promise.all(pending);
  return { found, layers, unreadable };
};
