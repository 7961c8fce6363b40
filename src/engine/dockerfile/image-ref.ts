/** Image references (`[registry/]path[:tag][@digest]`) and what is known about well-known base images. */

export interface ImageRef {
  /** Registry host when the first component names one (has "." or ":" or is localhost), else null. */
  readonly registry: string | null;
  /** Repository path without registry, Docker Hub's "library/" and "docker.io/" removed. */
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

export const parseImageRef = (image: string): ImageRef => {
  let rest = image.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | null = null;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = null;
  if (registry === null && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return { registry, repository: rest.toLowerCase(), tag, digest };
};

/** Canonical short form, e.g. "docker.io/library/alpine:3.20" -> "alpine:3.20". */
export const normalizeImage = (image: string): string => {
  const ref = parseImageRef(image);
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  return `${name}${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
};

export const isScratch = (image: string): boolean => image.trim().toLowerCase() === 'scratch';

/** Tagged (not latest) or digest-pinned. scratch counts as pinned. */
export const isPinned = (image: string): boolean => {
  if (isScratch(image)) return true;
  const ref = parseImageRef(image);
  if (ref.digest) return true;
  return ref.tag !== null && ref.tag !== '' && ref.tag.toLowerCase() !== 'latest';
};

/** The default user of a base image when the Dockerfile sets none: a uid, or null when not known. */
export interface DefaultUser {
  readonly user: string;
  readonly root: boolean;
}

const ROOT: DefaultUser = { user: '0', root: true };
const NONROOT: DefaultUser = { user: '65532', root: false };
/** Official images that run as root unless told otherwise. */
const ROOT_IMAGES = new Set(['golang', 'debian', 'ubuntu', 'alpine', 'busybox']);

/**
 * Table of well-known base images. distroless `:nonroot`, `:nonroot-<arch>` and `:debug-nonroot`
 * set User 65532 without a USER line; scratch has no user at all, so the process runs as uid 0.
 */
export const knownDefaultUser = (image: string): DefaultUser | null => {
  if (isScratch(image)) return ROOT;
  const ref = parseImageRef(image);
  const tag = (ref.tag ?? 'latest').toLowerCase();
  const nonrootTag = /(^|-)nonroot(-|$)/.test(tag);
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return nonrootTag ? NONROOT : ROOT;
  if (ref.registry === 'cgr.dev' && ref.repository === 'chainguard/static') return NONROOT;
  if (ref.registry === null && ROOT_IMAGES.has(ref.repository)) return ROOT;
  return null;
};

/** Base images without /bin/sh: a shell-form CMD or HEALTHCHECK cannot run there. */
export const hasNoShell = (image: string): boolean => {
  if (isScratch(image)) return true;
  const ref = parseImageRef(image);
  const tag = (ref.tag ?? 'latest').toLowerCase();
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return !/(^|-)debug(-|$)/.test(tag);
  return ref.registry === 'cgr.dev' && ref.repository === 'chainguard/static';
};

/** Bases where a cgo (dynamically linked) Go binary will not start: no C library inside. */
export const hasNoLibc = (image: string): boolean => {
  if (isScratch(image)) return true;
  const ref = parseImageRef(image);
  if (ref.registry === 'gcr.io' && /^distroless\/static/.test(ref.repository)) return true;
  return ref.registry === 'cgr.dev' && ref.repository === 'chainguard/static';
};

/** Looks like a deliberate external image reference (has a registry, a path, a tag or a digest), not a bare word. */
export const looksLikeImageReference = (value: string): boolean => {
  const ref = parseImageRef(value);
  return ref.registry !== null || ref.repository.includes('/') || ref.tag !== null || ref.digest !== null;
};
