import { open } from 'node:fs/promises';

/**
 * The workshop archive is one plain tar file (`tar -tvf` lists it) of two entries:
 *
 *   images.tar                    what `docker save` wrote: the base images and the module image
 *   learn-go-docker-prepare.json  the manifest (manifest.ts)
 *
 * The images come first so `docker save` streams straight into the archive (no second copy of a
 * gigabyte on the instructor's disk): their header is written last, once their size is known. On
 * import the manifest is found from the first header, and the images go to `docker load` as a byte
 * range of the file. A file too short for what its headers say is truncated; a header whose
 * checksum is wrong, or entries with other names, are not such an archive.
 */

export const BLOCK = 512;
export const IMAGES_ENTRY = 'images.tar';
export const MANIFEST_ENTRY = 'learn-go-docker-prepare.json';
/** ustar's size field: 11 octal digits. */
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

export const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

const writeOctal = (header: Buffer, offset: number, width: number, value: number): void => {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
};

/** A ustar header of a regular file (mode 0644, owned by root, given time). */
export const tarHeader = (name: string, size: number, mtimeSeconds: number): Buffer => {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(BLOCK, 0);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  if (size <= MAX_OCTAL_SIZE) {
    writeOctal(header, 124, 12, size);
  } else {
    // GNU base-256: the high bit of the first byte set, the size big-endian in the rest.
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i -= 1) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  writeOctal(header, 136, 12, Math.floor(mtimeSeconds));
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  const sum = header.reduce((acc, byte) => acc + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
};

export interface TarEntry {
  readonly name: string;
  readonly size: number;
}

/** The entry a header describes; undefined when the block is not a valid tar header. */
export const readTarHeader = (block: Buffer): TarEntry | undefined => {
  if (block.length < BLOCK || block.every((b) => b === 0)) return undefined;
  const stored = parseInt(
    block
      .subarray(148, 156)
      .toString('ascii')
      .replace(/[\0 ]+/g, ' ')
      .trim(),
    8,
  );
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (!Number.isFinite(stored) || stored !== sum) return undefined;
  const name = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
  let size: number;
  if (((block[124] ?? 0) & 0x80) !== 0) {
    let value = 0n;
    for (let i = 125; i < 136; i += 1) value = (value << 8n) | BigInt(block[i] ?? 0);
    size = Number(value);
  } else {
    size = parseInt(block.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
  }
  if (!Number.isFinite(size) || size < 0) return undefined;
  return { name, size };
};

/** Why an archive cannot be read: `kind` picks the words (archive errors in prepare.ts). */
export class ArchiveError extends Error {
  constructor(
    readonly kind: 'not-archive' | 'truncated' | 'bad-manifest' | 'unreadable' | 'missing' | 'folder',
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'ArchiveError';
  }
}

export interface ArchiveLayout {
  /** Byte offset and length of images.tar (docker save's output) inside the archive. */
  readonly imagesStart: number;
  readonly imagesBytes: number;
  /** The manifest's text (JSON, not yet validated). */
  readonly manifestText: string;
  readonly fileBytes: number;
}

/** Manifests are small; anything bigger is not ours. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Finds the two entries of an archive without reading the images. */
export const readArchiveLayout = async (file: string): Promise<ArchiveLayout> => {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArchiveError('missing', file);
    if (code === 'EISDIR') throw new ArchiveError('folder', file);
    throw new ArchiveError('unreadable', code ?? String(error));
  }
  try {
    const stat = await handle.stat();
    // Linux opens a folder for reading; only the read fails (EISDIR).
    if (stat.isDirectory()) throw new ArchiveError('folder', file);
    const fileBytes = stat.size;
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    if (fileBytes === 0) throw new ArchiveError('truncated', 'the file is empty');
    const first = readTarHeader(await read(0, BLOCK));
    if (!first || first.name !== IMAGES_ENTRY) {
      if (fileBytes < BLOCK) throw new ArchiveError('truncated', `${fileBytes} bytes`);
      throw new ArchiveError('not-archive', first ? `its first entry is ${first.name}` : 'it does not start with a tar header');
    }
    const imagesStart = BLOCK;
    const manifestAt = imagesStart + padded(first.size);
    if (fileBytes < manifestAt + BLOCK) throw new ArchiveError('truncated', `${fileBytes} bytes, the images alone need ${manifestAt}`);
    const second = readTarHeader(await read(manifestAt, BLOCK));
    if (!second || second.name !== MANIFEST_ENTRY)
      throw new ArchiveError('not-archive', second ? `its second entry is ${second.name}` : 'no manifest after the images');
    if (second.size > MAX_MANIFEST_BYTES) throw new ArchiveError('bad-manifest', `${second.size} bytes`);
    const manifestStart = manifestAt + BLOCK;
    if (fileBytes < manifestStart + second.size) throw new ArchiveError('truncated', `${fileBytes} bytes, the manifest ends at ${manifestStart + second.size}`);
    const manifestText = (await read(manifestStart, second.size)).toString('utf8');
    return { imagesStart, imagesBytes: first.size, manifestText, fileBytes };
  } finally {
    await handle.close();
  }
};

/** What follows docker save's bytes: padding, the manifest entry and the end of the archive. */
export const archiveTail = (imagesBytes: number, manifestText: string, mtimeSeconds: number): Buffer => {
  const manifest = Buffer.from(manifestText, 'utf8');
  return Buffer.concat([
    Buffer.alloc(padded(imagesBytes) - imagesBytes, 0),
    tarHeader(MANIFEST_ENTRY, manifest.length, mtimeSeconds),
    manifest,
    Buffer.alloc(padded(manifest.length) - manifest.length, 0),
    Buffer.alloc(BLOCK * 2, 0),
  ]);
};
