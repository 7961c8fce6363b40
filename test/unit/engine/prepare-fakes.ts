import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { DoctorItem, DoctorReport } from '../../../src/engine/doctor/types.js';
import { L } from '../../../src/engine/i18n.js';
import type { LocalImage, PullResult } from '../../../src/engine/docker/image-transfer.js';
import type { DockerCapabilities } from '../../../src/engine/docker/session.js';
import type { BuildSpec, PrepareDriver } from '../../../src/engine/prepare/types.js';
import { availableCaps } from './fakes.js';

export const GO = 'golang:1.26-trixie';
export const DEBIAN = 'debian:trixie-slim';
export const DISTROLESS = 'gcr.io/distroless/static-debian13:nonroot';
export const COURSE_IMAGES = [DEBIAN, DISTROLESS, GO, 'scratch'];

export const idOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;

export const image = (name: string, over: Partial<LocalImage> = {}): LocalImage => ({
  id: idOf(name),
  os: 'linux',
  architecture: 'amd64',
  repoDigests: [],
  size: 100e6,
  labels: {},
  ...over,
});

export const doctorReport = (items: Partial<DoctorItem>[] = []): DoctorReport => ({
  blocking: items.some((i) => i.status === 'fail' && i.blocking),
  durationMs: 1,
  items: items.map((i) => ({ id: 'x', title: L('X', 'X'), status: 'ok', message: L('fine', '正常'), ...i })),
});

export interface FakeDriverOptions {
  caps?: Partial<DockerCapabilities>;
  /** Images on the fake engine now (changed by pull, build and load). */
  local?: Record<string, LocalImage>;
  /** Per ref: the pull's result (default: ok, the image arrives). */
  pulls?: Record<string, PullResult>;
  /** Per ref: layer sizes by short digest (default: none: the registry does not say). */
  sizes?: Record<string, Record<string, number>>;
  /** The progress lines each pull reports (short digests downloaded, in order). */
  pullLayers?: Record<string, string[]>;
  /** The module build fails with this tail. */
  modulesBuildFails?: string[];
  seedBuildFails?: string[];
  doctor?: DoctorReport;
  /** What `docker load` gives each ref, when not the ID it was saved with (a mismatch). */
  loadAs?: Record<string, string>;
  /** Refs docker load leaves out. */
  loadDrops?: string[];
  /** docker load refuses with this reason. */
  loadRefuses?: string;
  /** docker tag fails with this error. */
  tagFails?: string;
}

/** A fake engine for prepare: records every call in order; save/load write and read real bytes. */
export const fakePrepareDriver = (options: FakeDriverOptions = {}) => {
  const calls: string[] = [];
  const local = new Map(Object.entries(options.local ?? {}));
  const builds: BuildSpec[] = [];
  const driver: PrepareDriver = {
    capabilities: async () => {
      calls.push('capabilities');
      return availableCaps({ arch: 'amd64', serverOs: 'linux', ...options.caps });
    },
    inspect: async (ref) => {
      calls.push(`inspect ${ref}`);
      return local.get(ref);
    },
    layerSizes: async (ref) => {
      calls.push(`sizes ${ref}`);
      const sizes = options.sizes?.[ref];
      return sizes ? new Map(Object.entries(sizes)) : undefined;
    },
    pull: async (ref, { platform, onProgress }) => {
      calls.push(`pull ${ref} ${platform}`);
      const layers = options.pullLayers?.[ref] ?? [];
      layers.forEach((_, i) => onProgress?.({ layers: layers.length, layersDone: i + 1, downloaded: layers.slice(0, i + 1) }));
      const result = options.pulls?.[ref] ?? { ok: true, timedOut: false, durationMs: 10 };
      if (result.ok) {
        const [os = 'linux', architecture = 'amd64'] = platform.split('/');
        local.set(ref, image(ref, { os, architecture }));
      }
      return result;
    },
    build: async (spec) => {
      builds.push(spec);
      const kind = spec.tag.endsWith(':modules') ? 'modules' : 'seed';
      calls.push(`build ${kind}`);
      const fails = kind === 'modules' ? options.modulesBuildFails : options.seedBuildFails;
      if (fails) return { ok: false, tail: fails };
      local.set(spec.tag, image(spec.tag, { labels: { ...spec.labels }, size: 50e6 }));
      return { ok: true, imageId: idOf(spec.tag), tail: [] };
    },
    removeImage: async (ref) => {
      calls.push(`rm ${ref}`);
      local.delete(ref);
    },
    tag: async (from, to) => {
      calls.push(`tag ${from} ${to}`);
      const found = local.get(from);
      if (!found || options.tagFails) return { ok: false, error: options.tagFails ?? `No such image: ${from}` };
      local.set(to, found);
      return { ok: true };
    },
    save: async (refs, { file, start, onBytes }) => {
      calls.push(`save ${refs.join(' ')}`);
      // What "docker save" writes here: the refs and their IDs (enough for the fake load).
      const payload = Buffer.from(JSON.stringify(refs.map((ref) => [ref, local.get(ref)?.id ?? 'none'])));
      const handle = await open(file, 'r+');
      await handle.write(payload, 0, payload.length, start);
      await handle.close();
      onBytes?.(payload.length);
      return { bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex') };
    },
    load: async ({ file, start, length, onBytes }) => {
      calls.push('load');
      const handle = await open(file, 'r');
      const payload = Buffer.alloc(length);
      await handle.read(payload, 0, length, start);
      await handle.close();
      onBytes?.(length);
      if (options.loadRefuses) throw Object.assign(new Error('load'), { step: 'load', reason: options.loadRefuses });
      const sha256 = createHash('sha256').update(payload).digest('hex');
      let entries: [string, string][] = [];
      try {
        entries = JSON.parse(payload.toString('utf8')) as [string, string][];
      } catch {
        // a corrupt payload loads nothing
      }
      const loaded: string[] = [];
      for (const [ref, id] of entries) {
        if (options.loadDrops?.includes(ref)) continue;
        local.set(ref, image(ref, { id: options.loadAs?.[ref] ?? id }));
        loaded.push(ref);
      }
      return { loaded, sha256, bytes: length };
    },
    doctor: async () => {
      calls.push('doctor');
      return options.doctor ?? doctorReport([{ id: 'base-images' }]);
    },
  };
  return { driver, calls, local, builds };
};
