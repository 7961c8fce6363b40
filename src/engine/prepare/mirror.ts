import { UserError } from '../errors.js';
import { L } from '../i18n.js';
import { parseImageRef } from '../dockerfile/image-ref.js';

/**
 * Where `prepare --mirror` pulls the course's base images from when Docker Hub or gcr.io do not
 * answer (mainland China, a company network). Each image is pulled from the mirror and then given
 * its original name (`docker tag`), so every Dockerfile, compose file and case of the course, and
 * the learner's own, stay as they are: builds use an image that is here before asking a registry.
 *
 * Two ways mirrors name their copies, both written as --mirror values:
 * - a prefix for every registry: `--mirror m.daocloud.io` pulls
 *   `m.daocloud.io/docker.io/library/golang:1.26-trixie` and `m.daocloud.io/gcr.io/distroless/…`;
 * - one registry replaced: `--mirror docker.io=docker.m.daocloud.io` pulls
 *   `docker.m.daocloud.io/library/golang:1.26-trixie`; `gcr.io=harbor.example.com/gcr` pulls
 *   `harbor.example.com/gcr/distroless/…` (a path after the host is kept: proxy projects).
 * A rule for the image's own registry wins over a prefix.
 */
export interface MirrorRule {
  /** The registry it stands in for (`docker.io`, `gcr.io`); undefined: every registry, as a prefix. */
  readonly registry?: string;
  /** Host, optionally with a port and a path: `m.daocloud.io`, `127.0.0.1:5000`, `harbor.example.com/hub`. */
  readonly to: string;
}

const HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com']);

/** host[:port][/path], no scheme, no tag: what a Docker image name can start with. */
const LOCATION = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;

/** Where the values came from: the learner's --mirror, or LEARN_GO_DOCKER_MIRROR (named in the error). */
export type MirrorSource = '--mirror' | 'LEARN_GO_DOCKER_MIRROR';

const badMirror = (source: MirrorSource, value: string, why: { en: string; zh: string }): UserError =>
  new UserError(L(`${source} "${value}": ${why.en}`, `${source} "${value}"：${why.zh}`), {
    next: L(
      'Give a mirror host that prefixes every image (--mirror m.daocloud.io) or one registry replaced by another (--mirror docker.io=docker.m.daocloud.io --mirror gcr.io=gcr.m.daocloud.io).',
      '请给出一个给所有镜像加前缀的镜像站（--mirror m.daocloud.io），或者把某个仓库换成另一个（--mirror docker.io=docker.m.daocloud.io --mirror gcr.io=gcr.m.daocloud.io）。',
    ),
  });

const cleanLocation = (source: MirrorSource, value: string, text: string): string => {
  const to = text
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!to) throw badMirror(source, value, { en: 'the mirror is empty.', zh: '镜像站地址为空。' });
  if (!LOCATION.test(to))
    throw badMirror(source, value, {
      en: `"${to}" is not a registry host (with an optional port and path).`,
      zh: `"${to}" 不是镜像仓库地址（可带端口和路径）。`,
    });
  return to;
};

/**
 * The --mirror values (or LEARN_GO_DOCKER_MIRROR's, comma-separated), checked; a bad one is the
 * learner's to fix, and the error names where it came from. A --mirror given empty is an error
 * (it was silently ignored); an empty variable is no mirror.
 */
export const parseMirrors = (values: readonly string[], source: MirrorSource = '--mirror'): MirrorRule[] => {
  if (source === '--mirror' && values.some((v) => !v.trim())) throw badMirror(source, '', { en: 'the mirror is empty.', zh: '镜像站地址为空。' });
  const rules: MirrorRule[] = [];
  for (const value of values.flatMap((v) => v.split(',')).filter((v) => v.trim())) {
    const eq = value.indexOf('=');
    if (eq < 0) {
      rules.push({ to: cleanLocation(source, value, value) });
      continue;
    }
    const from = value.slice(0, eq).trim().toLowerCase();
    if (!REGISTRY.test(from))
      throw badMirror(source, value, {
        en: `"${from}" is not a registry name such as docker.io or gcr.io.`,
        zh: `"${from}" 不是 docker.io、gcr.io 这样的仓库名。`,
      });
    rules.push({ registry: HUB_ALIASES.has(from) ? HUB : from, to: cleanLocation(source, value, value.slice(eq + 1)) });
  }
  const seen = new Set<string>();
  for (const rule of rules) {
    const key = rule.registry ?? '*';
    if (seen.has(key))
      throw badMirror(source, rule.to, {
        en: rule.registry ? `${rule.registry} has two mirrors; give one.` : 'two prefix mirrors; give one.',
        zh: rule.registry ? `${rule.registry} 指定了两个镜像站，只能给一个。` : '指定了两个前缀镜像站，只能给一个。',
      });
    seen.add(key);
  }
  return rules;
};

/**
 * The name to pull `image` under from the mirrors, or undefined when no rule covers its registry
 * (then it is pulled as it is). Docker Hub's official images keep their `library/` part.
 */
export const mirrorName = (image: string, rules: readonly MirrorRule[]): string | undefined => {
  const ref = parseImageRef(image);
  const registry = ref.registry ?? HUB;
  const rule = rules.find((r) => r.registry === registry) ?? rules.find((r) => r.registry === undefined);
  if (!rule) return undefined;
  const path = ref.registry === null && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  const suffix = `${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
  return rule.registry === undefined ? `${rule.to}/${registry}/${path}${suffix}` : `${rule.to}/${path}${suffix}`;
};

/** The host part of a mirror name: what a network error is about (one silent mirror is not asked again). */
export const mirrorHost = (name: string): string => name.split('/')[0] ?? name;
