import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { GOPROXY_PATH } from './protocol.js';

/**
 * The room's read-only Go module proxy (the GOPROXY protocol, https://go.dev/ref/mod#goproxy-protocol)
 * over a folder laid out as Go's own module download cache (`$GOMODCACHE/cache/download`):
 *
 *   <module>/@v/list            the versions known here (the cache's list file, else the .info files)
 *   <module>/@v/<version>.info  .mod  .zip
 *   <module>/@latest            optional in the protocol: always 404 (builds ask for pinned versions)
 *
 * A 404 (or 410) tells `go` to try the next proxy in GOPROXY, so anything the room does not hold
 * (a module a learner added, sumdb lookups) falls through to the learner's usual proxy.
 *
 * No join code: `go` cannot send a header, and BuildKit's RUN steps would have to carry it. What it
 * serves is only the course's public modules (filled from the sample app's go.mod by room-modules.ts),
 * the same bytes proxy.golang.org serves anyone; nothing of the room or its learners is reachable here.
 * Module paths and versions are checked against what the case-encoding allows (upper case travels as
 * `!` + lower case: github.com/!burnt!sushi/toml), so no path leaves the folder.
 */

/** Where the proxy lives on the workshop server; learners' builds get `<server>/goproxy/`. */
export const GOPROXY_ROUTE = GOPROXY_PATH;

/** An escaped path element: lower case, digits, `-._~`, and `!` before a lower-case letter only. */
const ELEMENT = /^(?:[a-z0-9._~-]|![a-z])+$/;
/** An escaped version: semver's characters and `!` + lower case (v1.0.0-RC1 → v1.0.0-!r!c1). */
const VERSION = /^v(?:[a-z0-9.+-]|![a-z])+$/;
/** A module path has at most a few dozen elements; a request with more is not one. */
const MAX_ELEMENTS = 32;
const MAX_PATH = 512;

/** Pseudo-versions are not listed (the protocol's rule for /@v/list). */
const PSEUDO = /^v\d+\.(?:0\.0-|\d+\.\d+-(?:[^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export type GoproxyRequest =
  | { readonly kind: 'list'; readonly module: string }
  | { readonly kind: 'info' | 'mod' | 'zip'; readonly module: string; readonly version: string }
  | { readonly kind: 'latest'; readonly module: string };

const validModule = (escaped: string): boolean => {
  const elements = escaped.split('/');
  return (
    escaped.length <= MAX_PATH &&
    elements.length <= MAX_ELEMENTS &&
    // No empty, "." or ".." element, and none starting with a dot: nothing that walks the tree.
    elements.every((e) => ELEMENT.test(e) && !e.startsWith('.') && !e.endsWith('.'))
  );
};

/**
 * What a path under /goproxy/ asks for, or undefined when it is not a request of the protocol (a
 * sumdb lookup, a traversal, anything else). `sub` is the part after the route, still URL-encoded.
 */
export const parseGoproxyPath = (sub: string): GoproxyRequest | undefined => {
  let path: string;
  try {
    path = decodeURIComponent(sub);
  } catch {
    return undefined;
  }
  if (path.includes('\\') || path.includes('\0')) return undefined;
  const latest = /^(.+)\/@latest$/.exec(path);
  if (latest) return validModule(latest[1] as string) ? { kind: 'latest', module: latest[1] as string } : undefined;
  const match = /^(.+)\/@v\/(list|[^/]+\.(info|mod|zip))$/.exec(path);
  if (!match) return undefined;
  const module = match[1] as string;
  if (!validModule(module)) return undefined;
  if (match[2] === 'list') return { kind: 'list', module };
  const kind = match[3] as 'info' | 'mod' | 'zip';
  const version = (match[2] as string).slice(0, -(kind.length + 1));
  if (!VERSION.test(version) || version.includes('..')) return undefined;
  return { kind, module, version };
};

const CONTENT_TYPE = {
  list: 'text/plain; charset=utf-8',
  info: 'application/json',
  mod: 'text/plain; charset=utf-8',
  zip: 'application/zip',
} as const;

/** The versions a module's folder holds, when the cache has no list file: one a line, as the protocol wants. */
const listFromInfos = async (dir: string): Promise<string | undefined> => {
  const names = await fs.readdir(dir).catch(() => undefined);
  if (!names) return undefined;
  const versions = names
    .filter((n) => n.endsWith('.info'))
    .map((n) => n.slice(0, -'.info'.length))
    .filter((v) => !PSEUDO.test(v));
  // A folder with no version of its own holds nothing to list: 404, go tries the next proxy.
  return versions.length ? versions.map((v) => `${v}\n`).join('') : undefined;
};

const plain = (res: ServerResponse, status: number, text: string, head: boolean): void => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(head ? undefined : text);
};

/** A file's text, not following a link in its last component; undefined when it cannot be read so. */
const readNoFollow = async (file: string): Promise<string | undefined> => {
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile('utf8') : undefined;
  } finally {
    await handle.close();
  }
};

/** Whether `file` is inside `root` once resolved (the patterns above already rule out "..": a second lock). */
const inside = (root: string, file: string): boolean => file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

/**
 * Answers one GET or HEAD under the route from `root` (the folder in the cache's layout). Files are
 * opened without following a final symbolic link and streamed (a module zip may be megabytes).
 */
export const serveGoproxy = async (req: IncomingMessage, res: ServerResponse, root: string, sub: string): Promise<void> => {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    plain(res, 405, 'read-only: GET and HEAD only\n', false);
    return;
  }
  // The route itself: a probe (learners' laptops ask before a build whether the room is reachable).
  if (sub === '') {
    plain(res, 200, 'learn-go-docker room module proxy\n', head);
    return;
  }
  const asked = parseGoproxyPath(sub);
  if (!asked || asked.kind === 'latest') {
    plain(res, 404, 'not in this room\n', head);
    return;
  }
  const base = resolve(root);
  const dir = resolve(base, ...asked.module.split('/'), '@v');
  // Resolved on disk too: a linked folder inside (none is ever made there) cannot lead out of it.
  const [realBase, realDir] = await Promise.all([fs.realpath(base).catch(() => undefined), fs.realpath(dir).catch(() => undefined)]);
  if (!inside(base, dir) || !realBase || !realDir || !inside(realBase, realDir)) {
    plain(res, 404, 'not in this room\n', head);
    return;
  }
  if (asked.kind === 'list') {
    const listed = (await readNoFollow(join(dir, 'list'))) ?? (await listFromInfos(dir));
    if (listed === undefined) {
      plain(res, 404, 'not in this room\n', head);
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPE.list, 'content-length': Buffer.byteLength(listed) });
    res.end(head ? undefined : listed);
    return;
  }
  const file = join(dir, `${asked.version}.${asked.kind}`);
  let handle: FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    plain(res, 404, 'not in this room\n', head);
    return;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      plain(res, 404, 'not in this room\n', head);
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPE[asked.kind], 'content-length': stat.size });
    if (head) {
      res.end();
      return;
    }
    const stream = handle.createReadStream({ autoClose: false });
    await new Promise<void>((done, fail) => {
      stream.on('error', fail);
      // A client gone mid-zip: stop reading (the handle is closed below, not by the stream).
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    }).catch(() => res.destroy());
  } finally {
    await handle.close().catch(() => undefined);
  }
};
