/**
 * A small streaming tar reader (ustar, PAX and GNU long names): enough to walk `docker export`
 * without buffering the whole file system.
 */

export interface TarEntry {
  readonly path: string;
  readonly size: number;
  /** "0" file, "5" directory, "2" symlink... */
  readonly type: string;
  /** Permission bits (with setuid/setgid/sticky), owner and group as the archive records them. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** A link's target. */
  readonly link?: string;
}

const BLOCK = 512;

const readString = (buf: Buffer, offset: number, length: number): string => {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
};

const readSize = (buf: Buffer, offset: number): number => {
  // GNU base-256 for files over 8 GiB: high bit set.
  if ((buf[offset] ?? 0) & 0x80) {
    let value = 0;
    for (let i = offset + 1; i < offset + 12; i++) value = value * 256 + (buf[i] ?? 0);
    return value;
  }
  const text = readString(buf, offset, 12).trim();
  return text ? parseInt(text, 8) : 0;
};

const parsePax = (data: Buffer): Record<string, string> => {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(data.subarray(pos, space).toString(), 10);
    if (!length) break;
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
};

/**
 * Walks a tar stream. `onData` receives each regular file's content in chunks (entry, chunk);
 * returning true from `onData` stops the walk early.
 */
export const walkTar = async (
  stream: AsyncIterable<Buffer | string>,
  onData: (entry: TarEntry, chunk: Buffer) => boolean | void,
  onEntry?: (entry: TarEntry) => void,
): Promise<void> => {
  let pending = Buffer.alloc(0);
  let entry: TarEntry | undefined;
  let remaining = 0;
  let padding = 0;
  let meta: 'pax' | 'longname' | undefined;
  let metaBuf: Buffer[] = [];
  let nextPath: string | undefined;
  let nextPax: Record<string, string> = {};
  for await (const raw of stream) {
    pending = pending.length ? Buffer.concat([pending, Buffer.from(raw)]) : Buffer.from(raw);
    for (;;) {
      if (remaining > 0) {
        if (!pending.length) break;
        const take = Math.min(remaining, pending.length);
        const chunk = pending.subarray(0, take);
        pending = pending.subarray(take);
        remaining -= take;
        if (meta) metaBuf.push(Buffer.from(chunk));
        else if (entry && onData(entry, chunk) === true) return;
        if (remaining > 0) break;
        if (meta) {
          const data = Buffer.concat(metaBuf);
          if (meta === 'pax') nextPax = parsePax(data);
          nextPath = meta === 'pax' ? (nextPax.path ?? nextPath) : readString(data, 0, data.length);
          meta = undefined;
          metaBuf = [];
        }
        continue;
      }
      if (padding > 0) {
        if (pending.length < padding) {
          padding -= pending.length;
          pending = Buffer.alloc(0);
          break;
        }
        pending = pending.subarray(padding);
        padding = 0;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (header.every((byte) => byte === 0)) continue;
      const name = readString(header, 0, 100);
      const prefix = header.subarray(257, 262).toString() === 'ustar' ? readString(header, 345, 155) : '';
      const type = String.fromCharCode(header[156] || 0x30);
      const size = readSize(header, 124);
      remaining = size;
      padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === 'x' || type === 'L') {
        meta = type === 'x' ? 'pax' : 'longname';
        entry = undefined;
        if (size === 0) meta = undefined;
        continue;
      }
      if (type === 'g') {
        // Global PAX header: nothing we need; its content is skipped.
        entry = undefined;
        continue;
      }
      const path = nextPath ?? (prefix ? `${prefix}/${name}` : name);
      const number = (key: string, offset: number, length: number): number => {
        const text = nextPax[key] ?? readString(header, offset, length).trim();
        return text ? parseInt(text, nextPax[key] === undefined ? 8 : 10) : 0;
      };
      const mode = (parseInt(readString(header, 100, 8).trim(), 8) || 0) & 0o7777;
      const link = nextPax.linkpath ?? readString(header, 157, 100);
      entry = { path, size, type, mode, uid: number('uid', 108, 8), gid: number('gid', 116, 8), ...(link ? { link } : {}) };
      nextPath = undefined;
      nextPax = {};
      onEntry?.(entry);
    }
  }
};

/** Finds the first file whose content (or name) contains `needle`; also counts the entries walked. */
export const findInTar = async (stream: AsyncIterable<Buffer | string>, needle: string): Promise<{ path?: string; files: number }> => {
  let files = 0;
  const target = Buffer.from(needle);
  let found: string | undefined;
  let tail = Buffer.alloc(0);
  let currentPath = '';
  await walkTar(
    stream,
    (entry, chunk) => {
      if (found) return true;
      if (entry.type !== '0' && entry.type !== '\0' && entry.type !== '7') return false;
      if (entry.path !== currentPath) {
        currentPath = entry.path;
        tail = Buffer.alloc(0);
      }
      const window = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      if (window.indexOf(target) !== -1) {
        found = entry.path;
        return true;
      }
      tail = Buffer.from(window.subarray(Math.max(0, window.length - (target.length - 1))));
      return false;
    },
    (entry) => {
      files += 1;
      if (entry.path !== currentPath) {
        currentPath = entry.path;
        tail = Buffer.alloc(0);
      }
      if (!found && entry.path.includes(needle)) found = entry.path;
    },
  );
  return { path: found, files };
};
