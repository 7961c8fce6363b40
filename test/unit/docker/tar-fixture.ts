import { Readable } from 'node:stream';

/** An entry of a fixture archive: a file's content, or a symlink. */
export type TarFixtureEntry = Buffer | string | { readonly link: string };

/** A ustar archive of regular files (and symlinks), as `docker save` and layers are made. */
export const tar = (files: Record<string, TarFixtureEntry>): Buffer => {
  const blocks: Buffer[] = [];
  for (const [name, entry] of Object.entries(files)) {
    const link = typeof entry === 'object' && 'link' in entry ? entry.link : undefined;
    const data = link === undefined ? Buffer.from(entry as Buffer | string) : Buffer.alloc(0);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write(link === undefined ? '0' : '2', 156);
    if (link !== undefined) header.write(link, 157, 100, 'utf8');
    header.write('ustar\0', 257);
    header.write('00', 263);
    const sum = header.reduce((n, b) => n + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
};

/** Streams a buffer in small chunks, as a pipe would. */
export const chunks = (buf: Buffer, size = 700): Readable =>
  Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
    })(),
  );
