import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild } from '../docker/build.js';
import { detectCapabilities } from '../docker/capabilities.js';
import { dockerExec } from '../docker/exec.js';
import { imageLayerSizes, inspectLocalImage, loadImagesFrom, pullImage, saveImagesInto } from '../docker/image-transfer.js';
import { runDoctor } from '../doctor/index.js';
import type { PrepareDriver } from './types.js';

/** The module download: well within a lesson build's budget even on a slow link. */
const MODULES_BUILD_TIMEOUT_MS = 15 * 60_000;

/** `prepare`'s Docker calls through the Docker driver (engine/docker), all stopped by `signal`. */
export const realPrepareDriver = (signal?: AbortSignal): PrepareDriver => ({
  capabilities: () => detectCapabilities({ refresh: true }),
  inspect: (ref) => inspectLocalImage(ref, signal),
  layerSizes: (ref, platform) => imageLayerSizes(ref, platform, signal),
  pull: (ref, options) => pullImage(ref, { ...options, signal }),
  build: async (spec) => {
    const caps = await detectCapabilities();
    const dir = await mkdtemp(join(tmpdir(), 'learn-go-docker-prepare-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), spec.dockerfile);
      for (const [name, content] of Object.entries(spec.files)) await writeFile(join(dir, name), content);
      // runBuild adds GOPROXY from LEARN_GO_DOCKER_GOPROXY as every lesson build does.
      const result = await runBuild({
        contextDir: dir,
        tag: spec.tag,
        labels: spec.labels,
        caps,
        signal,
        timeoutMs: MODULES_BUILD_TIMEOUT_MS,
        ...(spec.buildArgs ? { buildArgs: spec.buildArgs } : {}),
        ...(spec.platform ? { platform: spec.platform } : {}),
      });
      return { ok: result.ok, ...(result.imageId ? { imageId: result.imageId } : {}), tail: result.tail, ...(result.timedOut ? { timedOut: true } : {}) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  removeImage: async (ref) => {
    await dockerExec(['image', 'rm', ref], { timeoutMs: 60_000 });
  },
  tag: async (from, to) => {
    const result = await dockerExec(['tag', from, to], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
    return result.exitCode === 0 ? { ok: true } : { ok: false, error: (result.stderr || result.stdout).trim().split('\n').pop() ?? 'failed' };
  },
  save: (refs, options) => saveImagesInto(refs, { ...options, signal }),
  load: (options) => loadImagesFrom({ ...options, signal }),
  doctor: (images) => runDoctor({ baseImages: images, ...(signal ? { signal } : {}) }),
});
