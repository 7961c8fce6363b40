import { L } from '../i18n.js';
import { detectCapabilities } from '../docker/capabilities.js';
import { dockerExec } from '../docker/exec.js';
import { readSwarmInfo } from '../docker/swarm.js';
import { buildkitItem, buildRunItem, cliItem, composeItem, daemonItem, permissionItem, swarmItem, swarmTitle } from './docker-items.js';
import { archItem, baseImagesItem, courseImagesItem, diskItem, enginePlatformOf, goProxyItem } from './env-items.js';
import { proxyItem, type ProxyMeasurement } from './proxy-item.js';
import { judgeRegistries, manifestProbe, measureRegistries, registriesOffline } from './registry-item.js';
import type { DoctorItem, DoctorOptions, DoctorReport } from './types.js';

export type { DoctorItem, DoctorOptions, DoctorReport, DoctorStatus } from './types.js';

const DEFAULT_GO_IMAGE = 'golang:1.26-trixie';

/** A local image with a shell to run `true` in: a golang or debian base, never scratch/distroless. */
const shellImage = async (images: readonly string[]): Promise<string | undefined> => {
  for (const image of images.filter((i) => i !== 'scratch' && !/distroless/.test(i))) {
    if ((await dockerExec(['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 20_000 })).exitCode === 0) return image;
  }
  return undefined;
};

const notChecked = (id: string, title: DoctorItem['title']): DoctorItem => ({
  id,
  title,
  status: 'warn',
  message: L('Not checked: Docker is not usable.', '未检查：Docker 不可用。'),
});

/** Checks the learner's environment for the lessons; never throws for a broken Docker (it reports it). */
export const runDoctor = async (options: DoctorOptions = {}): Promise<DoctorReport> => {
  const t0 = Date.now();
  const caps = await detectCapabilities({ refresh: true });
  const items: DoctorItem[] = [cliItem(caps), daemonItem(caps), permissionItem(caps)];
  const images = options.baseImages ?? [];
  const goImage = options.goImage ?? images.find((i) => /^golang:/.test(i)) ?? DEFAULT_GO_IMAGE;
  if (caps.available) {
    items.push(await buildRunItem(caps, await shellImage([...images, goImage]), options.signal));
    items.push(buildkitItem(caps), composeItem(caps), swarmItem(caps, await readSwarmInfo(options.signal)));
    items.push(await diskItem(caps, options.minFreeBytes ?? 3e9));
    items.push(await courseImagesItem());
    items.push(archItem(caps));
    const offline = options.offline ?? false;
    const probe = manifestProbe(options.signal);
    const bases = await baseImagesItem(images, offline, probe, options.signal, enginePlatformOf(caps));
    items.push(bases);
    const basesLocal = bases.details?.missing === 0 && bases.details.pullable === 0;
    const registries = offline ? undefined : await measureRegistries(images, probe, options.signal);
    items.push(registries ? judgeRegistries({ ...registries, basesLocal }) : registriesOffline);
    const goProxy = await goProxyItem(goImage, offline, options.signal);
    items.push(goProxy);
    // The proxy item reads the errors the two network items met (a proxy shows in them first).
    const errors: ProxyMeasurement['errors'] = [
      ...(registries?.probes ?? []).flatMap((p) => (p.reason ? [{ item: 'registries' as const, text: p.reason }] : [])),
      ...(typeof goProxy.details?.error === 'string' ? [{ item: 'go-proxy' as const, text: goProxy.details.error }] : []),
    ];
    items.push(await proxyItem(errors, options.signal));
  } else {
    items.push(
      notChecked('build-run', L('Build and run a container', '构建并运行容器')),
      notChecked('buildkit', L('BuildKit', 'BuildKit')),
      notChecked('compose', L('Docker Compose', 'Docker Compose')),
      notChecked('swarm', swarmTitle),
    );
  }
  return { blocking: items.some((i) => i.status === 'fail' && i.blocking), items, durationMs: Date.now() - t0 };
};
