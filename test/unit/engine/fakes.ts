import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s } from '../../../src/engine/util/schema.js';
import { L } from '../../../src/engine/i18n.js';
import { defineCheck } from '../../../src/engine/checks/define.js';
import { fail, pass } from '../../../src/engine/checks/outcome.js';
import type { CheckDefinition } from '../../../src/engine/checks/types.js';
import type { DockerCapabilities, DockerSession } from '../../../src/engine/docker/session.js';
import type { DigestLookup } from '../../../src/engine/lessons/digest-pins.js';

export const FIXTURE_COURSE = join(import.meta.dirname, '../../fixtures/course');

/** A static check that passes when the Dockerfile contains a text: enough to drive the engine. */
const contains = defineCheck({
  id: 'fake.contains',
  kind: 'static',
  title: L('Contains', '包含'),
  params: s.object({ text: s.string() }),
  run: async (ctx, params) => {
    const text = (await ctx.files.read(ctx.dockerfilePath)) ?? '';
    return text.includes(params.text)
      ? pass(L(`found ${params.text}`, `找到 ${params.text}`))
      : fail(L(`missing ${params.text}`, `缺少 ${params.text}`), undefined, 1);
  },
});

/** A Docker check that measures nothing itself (to test skip paths and the first image size). */
const dockerProbe = defineCheck({
  id: 'fake.docker',
  kind: 'docker',
  title: L('Docker', 'Docker'),
  params: s.object({}),
  buildsLessonImage: false,
  measure: async () => ({ sizeBytes: 1234 }),
  judge: (m) => pass(L('ran', '已运行'), { sizeBytes: m.sizeBytes }),
});

export const fakeRegistry = (): Map<string, CheckDefinition> => new Map([contains, dockerProbe].map((d) => [d.id, d]));

/** A usable Docker with BuildKit and compose v2, changed where a test needs another. */
export const availableCaps = (caps: Partial<DockerCapabilities> = {}): DockerCapabilities => ({
  available: true,
  builder: 'buildkit-env',
  compose: 'v2',
  daemonReachable: true,
  permissionDenied: false,
  binary: 'docker',
  ...caps,
});

/** A Docker session with no Docker at all: every Docker check must skip, never fail. */
export const noDockerSession = (disposed: { count: number } = { count: 0 }): DockerSession =>
  ({
    capabilities: async () => ({
      available: false,
      builder: 'none',
      compose: 'none',
      daemonReachable: false,
      permissionDenied: false,
      binary: 'docker',
      problem: { message: L('docker not found', '找不到 docker'), next: L('install Docker', '安装 Docker') },
    }),
    dispose: async () => {
      disposed.count += 1;
    },
  }) as unknown as DockerSession;

/** A copy of the fixture course in a temp dir, so a test may break it. */
export const copyCourse = async (): Promise<{ root: string; done: () => Promise<void> }> => {
  const root = await mkdtemp(join(tmpdir(), 'lgd-course-'));
  await cp(FIXTURE_COURSE, root, { recursive: true });
  return { root, done: () => rm(root, { recursive: true, force: true }) };
};

export const tempDir = async (): Promise<{ dir: string; done: () => Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-ws-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
};

/**
 * Digests for a solution that pins its bases, as an engine that pulled them would give (a hash of
 * each name): unit tests apply the course's solutions without Docker.
 */
export const madeUpDigests: DigestLookup = async (refs) => new Map(refs.map((ref) => [ref, `sha256:${createHash('sha256').update(ref).digest('hex')}`]));
