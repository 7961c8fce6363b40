/**
 * The manifest of a workshop archive (`prepare --export`), schema `learn-go-docker/prepare-archive`
 * version 1. A change that removes or renames a field bumps the version; import refuses versions it
 * does not know.
 *
 * {"schema","version":1,"tool","createdAt","platform",
 *  "images":[{"ref","id","repoDigests":[...],"os","architecture","variant"?,"size"}],
 *  "modules":{"ref","id","goSum"},
 *  "payload":{"name":"images.tar","bytes","sha256"}}
 *
 * `images` are the course's base images; `modules` is the image holding the sample app's Go module
 * download (it travels inside images.tar with them); `payload` is docker save's output.
 */

export const ARCHIVE_SCHEMA = 'learn-go-docker/prepare-archive';
export const ARCHIVE_VERSION = 1;

export interface ArchiveImage {
  readonly ref: string;
  /** The image ID (sha256:...) as `docker image inspect` gives it: the same after `docker load`. */
  readonly id: string;
  /** Registry digests, when the image came from one (a local stand-in has none). */
  readonly repoDigests: readonly string[];
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly size: number;
}

export interface ArchiveManifest {
  readonly schema: typeof ARCHIVE_SCHEMA;
  readonly version: typeof ARCHIVE_VERSION;
  /** learn-go-docker's version that wrote it. */
  readonly tool: string;
  readonly createdAt: string;
  /** The platform the images were prepared for (linux/amd64, linux/arm64). */
  readonly platform: string;
  readonly images: readonly ArchiveImage[];
  readonly modules: { readonly ref: string; readonly id: string; readonly goSum: string } | null;
  readonly payload: { readonly name: string; readonly bytes: number; readonly sha256: string };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The manifest, or a one-line reason it is not one. */
export const parseManifest = (text: string): { manifest: ArchiveManifest } | { problem: string } => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: 'the manifest is not JSON' };
  }
  if (!isObject(raw)) return { problem: 'the manifest is not a JSON object' };
  if (raw.schema !== ARCHIVE_SCHEMA) return { problem: `schema ${JSON.stringify(raw.schema)}, not ${ARCHIVE_SCHEMA}` };
  if (raw.version !== ARCHIVE_VERSION) return { problem: `version ${JSON.stringify(raw.version)}; this learn-go-docker reads version ${ARCHIVE_VERSION}` };
  if (!isString(raw.tool) || !isString(raw.createdAt) || !isString(raw.platform)) return { problem: 'tool, createdAt or platform is missing' };
  if (!Array.isArray(raw.images)) return { problem: 'images is not a list' };
  const images: ArchiveImage[] = [];
  for (const [i, image] of raw.images.entries()) {
    if (!isObject(image) || !isString(image.ref) || !isString(image.id) || !/^sha256:[0-9a-f]{64}$/.test(image.id)) {
      return { problem: `images[${i}] has no ref or no sha256 id` };
    }
    images.push({
      ref: image.ref,
      id: image.id,
      repoDigests: Array.isArray(image.repoDigests) ? image.repoDigests.filter(isString) : [],
      os: isString(image.os) ? image.os : '',
      architecture: isString(image.architecture) ? image.architecture : '',
      ...(isString(image.variant) ? { variant: image.variant } : {}),
      size: typeof image.size === 'number' ? image.size : 0,
    });
  }
  let modules: ArchiveManifest['modules'] = null;
  if (raw.modules !== null && raw.modules !== undefined) {
    const m = raw.modules;
    if (!isObject(m) || !isString(m.ref) || !isString(m.id) || !isString(m.goSum)) return { problem: 'modules has no ref, id or goSum' };
    modules = { ref: m.ref, id: m.id, goSum: m.goSum };
  }
  const p = raw.payload;
  if (!isObject(p) || !isString(p.name) || typeof p.bytes !== 'number' || !isString(p.sha256) || !/^[0-9a-f]{64}$/.test(p.sha256)) {
    return { problem: 'payload has no name, bytes or sha256' };
  }
  return {
    manifest: {
      schema: ARCHIVE_SCHEMA,
      version: ARCHIVE_VERSION,
      tool: raw.tool,
      createdAt: raw.createdAt,
      platform: raw.platform,
      images,
      modules,
      payload: { name: p.name, bytes: p.bytes, sha256: p.sha256 },
    },
  };
};

/** One image of the manifest after `docker load`: there with the same ID, there with another, or not there. */
export interface ImageCheck {
  readonly ref: string;
  readonly expectedId: string;
  readonly status: 'ok' | 'mismatch' | 'missing';
  /** The ID found under that name, when one was. */
  readonly actualId?: string;
}

/** Compares each image of the manifest with what the engine has under its name (pure). */
export const compareImages = (wanted: readonly { ref: string; id: string }[], found: ReadonlyMap<string, string | undefined>): ImageCheck[] =>
  wanted.map(({ ref, id }) => {
    const actual = found.get(ref);
    if (actual === undefined) return { ref, expectedId: id, status: 'missing' };
    return actual === id ? { ref, expectedId: id, status: 'ok', actualId: actual } : { ref, expectedId: id, status: 'mismatch', actualId: actual };
  });
