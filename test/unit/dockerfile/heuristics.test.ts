import { describe, expect, it } from 'vitest';
import {
  hasNoLibc,
  hasNoShell,
  isPinned,
  knownDefaultUser,
  looksLikeImageReference,
  normalizeImage,
  parseImageRef,
  pinProblem,
} from '../../../src/engine/dockerfile/image-ref.js';
import { looksLikeSecretName } from '../../../src/engine/dockerfile/secrets.js';
import { isRootUser } from '../../../src/engine/dockerfile/user.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';

describe('image references', () => {
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageRef('localhost:5000/team/app:1.0@sha256:abc')).toEqual({
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: '1.0',
      digest: 'sha256:abc',
    });
    expect(parseImageRef('docker.io/library/golang:1.26')).toEqual({ registry: null, repository: 'golang', tag: '1.26', digest: null });
    expect(normalizeImage('docker.io/library/alpine:3.20')).toBe('alpine:3.20');
  });

  it.each([
    ['golang:1.26', true],
    ['golang:1.26.3', true],
    ['golang:1.26-bookworm', true],
    ['golang:1.26-trixie', true],
    ['golang:1.26rc1-alpine', true],
    ['alpine:3.20', true],
    ['postgres:17-trixie', true],
    ['node:22-alpine', true],
    ['debian:12-slim', true],
    ['debian:trixie-slim', true],
    ['debian:bookworm', true],
    ['gcr.io/distroless/static-debian13:nonroot', true],
    ['gcr.io/distroless/static-debian13:debug-nonroot', true],
    ['gcr.io/distroless/static-debian13:latest', true],
    ['gcr.io/distroless/static-debian13', true],
    ['debian:bookworm-20240211-slim', true],
    ['ghcr.io/acme/app:sha-1a2b3c4', true],
    ['example.com/team/runtime:2.1', true],
    ['golang@sha256:abc', true],
    ['golang:latest@sha256:abc', true],
    ['gcr.io/distroless/static@sha256:abc', true],
    ['scratch', true],
    ['golang', false],
    ['golang:latest', false],
    ['golang:LATEST', false],
    ['golang:1', false],
    ['golang:1-alpine3.20', false],
    ['golang:bookworm', false],
    ['golang:alpine', false],
    ['alpine', false],
    ['alpine:3', false],
    ['alpine:edge', false],
    ['python:3-slim', false],
    ['debian:stable', false],
    ['debian:sid-slim', false],
    ['ubuntu:trixie', false],
    ['node:lts', false],
    ['ghcr.io/acme/runtime:1', false],
    ['gcr.io/distroless/static:nonroot', false],
    ['localhost:5000/app', false],
  ])('%s pinned: %s', (image, pinned) => {
    expect(isPinned(image)).toBe(pinned);
  });

  it('says why a base is not pinned', () => {
    expect(pinProblem('golang')).toBe('no-tag');
    expect(pinProblem('golang:latest')).toBe('latest');
    expect(pinProblem('golang:bookworm')).toBe('no-version');
    expect(pinProblem('golang:1')).toBe('major-only');
    expect(pinProblem('gcr.io/distroless/static:nonroot')).toBe('unversioned-repository');
    expect(pinProblem('golang:1.26-trixie')).toBeNull();
  });

  it('knows the default user of well-known bases', () => {
    expect(knownDefaultUser('gcr.io/distroless/static-debian13:nonroot')).toEqual({ user: '65532', root: false });
    expect(knownDefaultUser('gcr.io/distroless/base-debian13:nonroot-amd64')?.root).toBe(false);
    expect(knownDefaultUser('gcr.io/distroless/static-debian13:debug-nonroot')?.root).toBe(false);
    expect(knownDefaultUser('gcr.io/distroless/static-debian13')?.root).toBe(true);
    expect(knownDefaultUser('gcr.io/distroless/static-debian13:debug')?.root).toBe(true);
    expect(knownDefaultUser('scratch')?.root).toBe(true);
    expect(knownDefaultUser('golang:1.26-alpine')?.root).toBe(true);
    expect(knownDefaultUser('docker.io/library/debian:12')?.root).toBe(true);
    expect(knownDefaultUser('ghcr.io/acme/runtime:1')).toBeNull();
    expect(knownDefaultUser('nginx:1.27')).toBeNull();
  });

  it('knows which bases have no shell or no C library', () => {
    expect(hasNoShell('scratch')).toBe(true);
    expect(hasNoShell('gcr.io/distroless/static-debian13:nonroot')).toBe(true);
    expect(hasNoShell('gcr.io/distroless/static-debian13:debug-nonroot')).toBe(false);
    expect(hasNoShell('alpine:3.20')).toBe(false);
    expect(hasNoLibc('gcr.io/distroless/base-debian13')).toBe(false);
    expect(hasNoLibc('gcr.io/distroless/static-debian13')).toBe(true);
  });

  it('tells an image reference from a bare word (a likely stage-name typo)', () => {
    expect(looksLikeImageReference('golang:1.26')).toBe(true);
    expect(looksLikeImageReference('ghcr.io/acme/tools')).toBe(true);
    expect(looksLikeImageReference('biuld')).toBe(false);
  });
});

describe('root users', () => {
  const known = (text: string) => ({ text, known: true, unsetRefs: [] });
  it.each([
    ['root', 'yes'],
    ['0', 'yes'],
    ['0:0', 'yes'],
    ['root:root', 'yes'],
    ['0:root', 'yes'],
    ['root:1000', 'yes'],
    ['000', 'yes'],
    ['65532', 'no'],
    ['65532:65532', 'no'],
    ['nonroot', 'no'],
    ['app:app', 'no'],
    ['10', 'no'],
    [':1000', 'unknown'],
  ])('%s -> %s', (user, verdict) => {
    expect(isRootUser(known(user))).toBe(verdict);
  });

  it('is unknown when the user cannot be expanded', () => {
    expect(isRootUser({ text: '${UID}', known: false, unsetRefs: [] })).toBe('unknown');
  });
});

describe('secret-looking names', () => {
  it.each([
    'API_KEY',
    'GITHUB_TOKEN',
    'NPM_TOKEN',
    'DB_PASSWORD',
    'PASSWD',
    'AWS_SECRET_ACCESS_KEY',
    'PRIVATE_KEY',
    'CLIENT_SECRET',
    'apiKey',
    'credentials',
    'DB_PASS',
    'SIGNING_KEY',
  ])('%s looks like a secret', (name) => expect(looksLikeSecretName(name)).toBe(true));
  it.each([
    'TOKEN_URL',
    'PASSWORD_FILE',
    'PUBLIC_KEY',
    'AWS_ACCESS_KEY_ID',
    'SECRET_NAME',
    'KEYCLOAK_URL',
    'MONKEY',
    'CACHE_KEY',
    'MAX_TOKENS',
    'GOPRIVATE',
    'GIN_MODE',
    'AUTH_ENABLED',
  ])('%s is harmless', (name) => expect(looksLikeSecretName(name)).toBe(false));
});

describe('analyzeDockerfile robustness', () => {
  it.each([
    '',
    '\n\n\n',
    '\\',
    'FROM',
    'FROM a:1\nRUN \\',
    'FROM a:1\nCOPY <<',
    'FROM a:1\nRUN <<"EOF\n',
    'FROM ${',
    'FROM a:1 AS b\nCOPY --from= x y',
    'FROM a:1\nUSER ${X:-${Y:-${Z}}}',
    'FROM a:1\nENV =1',
    'FROM a:1\nLABEL "unterminated',
    'FROM a:1\nHEALTHCHECK',
    'FROM a:1\nONBUILD ONBUILD RUN x',
    'FROM a:1\nEXPOSE 99999999999999999999',
    '\u0000\u0001 binary junk \uFFFD',
  ])('never throws on %j', (text) => {
    const analysis = analyzeDockerfile(text, { dockerignore: null });
    expect(typeof analysis.ok).toBe('boolean');
    if (!analysis.ok) expect(analysis.parseError?.message['zh-CN']).toBeTruthy();
  });
});
