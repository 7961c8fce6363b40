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

/** The repository as Docker names it locally: "golang", "gcr.io/distroless/static-debian13". */
export const repositoryName = (ref: ImageRef): string => (ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository);

/** Canonical short form, e.g. "docker.io/library/alpine:3.20" -> "alpine:3.20". */
export const normalizeImage = (image: string): string => {
  const ref = parseImageRef(image);
  const name = repositoryName(ref);
  return `${name}${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
};

export const isScratch = (image: string): boolean => image.trim().toLowerCase() === 'scratch';

/** Hex characters of each digest algorithm Docker takes (sha256, as every registry serves them; sha384 and sha512 are valid too). */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * A digest Docker accepts in a reference: an algorithm of DIGEST_HEX_LENGTH and that many lowercase
 * hex characters. Anything else, a short copy or a template placeholder left in (`@{{digest}}`),
 * stops the build.
 */
export const isDigest = (digest: string): boolean => {
  const m = /^(sha\d+):([0-9a-f]+)$/.exec(digest);
  return m !== null && DIGEST_HEX_LENGTH[m[1] ?? ''] === m[2]?.length;
};

/** The command that prints the digest this engine recorded for an image (after a pull): said wherever a digest is asked for. */
export const repoDigestCommand = (ref: string): string => `docker image inspect --format '{{index .RepoDigests 0}}' ${ref}`;

/**
 * Why a base image reference is not pinned to a version (null: it is):
 * - `no-tag`: no tag at all, which means `:latest`;
 * - `latest`: the `latest` tag;
 * - `no-version`: a tag without a version number, e.g. a distribution codename or variant
 *   (`golang:bookworm`, `debian:trixie-slim`, `golang:alpine`, `node:lts`): it moves to every
 *   new release of the image built on that variant. Debian's own codenames are the exception:
 *   `debian:trixie-slim` is Debian 13 for good, exactly like `debian:13-slim`;
 * - `major-only`: only a major version where the image's release lines are major.minor
 *   (`golang:1` is every Go release since 2012, `alpine:3`, `python:3`);
 * - `unversioned-repository`: a distroless repository that follows the current Debian release
 *   (`gcr.io/distroless/static:nonroot`) instead of naming it (`static-debian13`).
 */
export type PinProblem = 'no-tag' | 'latest' | 'no-version' | 'major-only' | 'unversioned-repository';

/**
 * Images whose major version alone names a release line: `postgres:16` gets only 16.x point
 * releases (bug and security fixes), so it pins. For every other image a major-only tag does not
 * pin, because its releases are major.minor (golang:1 -> 1.26, 1.27...; alpine:3 -> 3.20, 3.21...;
 * semver images: 2 -> 2.1, 2.2...).
 */
const MAJOR_RELEASE_LINES = new Set([
  'postgres',
  'node',
  'debian',
  'eclipse-temurin',
  'openjdk',
  'amazoncorretto',
  'fedora',
  'rockylinux',
  'almalinux',
  'oraclelinux',
  'amazonlinux',
]);

/**
 * Debian release codenames: on the `debian` image each names one release line, as its major
 * version does (`debian:trixie` = `debian:13`). The suite names (`stable`, `testing`, `sid`) move.
 */
const DEBIAN_CODENAMES = new Set(['buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke']);

/** A version with at least major.minor: 1.26, 1.26.3, 1.26rc1, 3.20, v2.1. */
const MINOR_VERSION = /^v?\d+\.\d+/i;
/** A major version only: 1, 16, v2 (possibly followed by letters, e.g. 16beta). */
const MAJOR_VERSION = /^v?\d+(?![\d.])/i;
/** A date stamp (debian:bookworm-20240211-slim, ubuntu:noble-20240423) or a commit (sha-1a2b3c4): immutable by convention. */
const STAMP = /^(\d{8}(\.\d+)?|(sha-)?(?=[0-9a-f]*\d)[0-9a-f]{7,40})$/i;

/**
 * distroless names the Debian release in the repository (`static-debian13`) and publishes no
 * version tags: its tags (`latest`, `nonroot`, `debug`, `debug-nonroot`, `-<arch>`) are variants
 * (user, busybox, architecture) of that one release, rebuilt in place with security updates, and
 * none of them moves to the next Debian. So with a versioned repository every tag pins the
 * release (a digest pins the bytes); without one (`distroless/static`) no tag does, because the
 * repository itself moves to each new Debian release.
 */
const distrolessRelease = (ref: ImageRef): 'versioned' | 'unversioned' | null => {
  if (ref.registry !== 'gcr.io' || !ref.repository.startsWith('distroless/')) return null;
  return /-debian\d+$/.test(ref.repository) ? 'versioned' : 'unversioned';
};

/** Why this base image is not pinned to a version, or null when it is (scratch and digests are). */
export const pinProblem = (image: string): PinProblem | null => {
  if (isScratch(image)) return null;
  const ref = parseImageRef(image);
  if (ref.digest) return null;
  const distroless = distrolessRelease(ref);
  if (distroless === 'versioned') return null;
  if (distroless === 'unversioned') return 'unversioned-repository';
  if (ref.tag === null || ref.tag === '') return 'no-tag';
  const tag = ref.tag.toLowerCase();
  if (tag === 'latest') return 'latest';
  const parts = tag.split(/[-_]/);
  const first = parts[0] ?? '';
  if (MINOR_VERSION.test(first) || STAMP.test(first)) return null;
  if (MAJOR_VERSION.test(first)) return MAJOR_RELEASE_LINES.has(ref.repository) ? null : 'major-only';
  if (ref.repository === 'debian' && DEBIAN_CODENAMES.has(first)) return null;
  return parts.slice(1).some((part) => STAMP.test(part)) ? null : 'no-version';
};

/** Pinned to a version: a version tag (major.minor, or the major of an image whose majors are release lines), a dated tag, a digest; scratch. */
export const isPinned = (image: string): boolean => pinProblem(image) === null;

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
