import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { L, type Localized } from '../i18n.js';
import { pidAlive } from './clean.js';
import { dockerExec } from './exec.js';
import { HOST_LABEL, LABEL, PID_LABEL } from './labels.js';
import { parseDfVolumes, parseInspected, parsePrune, type InspectedObject } from './parse-clean.js';
import { folderBytes, listStagedFolders } from './staged-folders.js';
import { codeCacheFolder } from '../util/cache-dir.js';

/**
 * `learn-go-docker clean`: everything the tutorial made on this machine, and only that. Docker
 * objects are found by the `learn-go-docker` label alone (never by name, never the test
 * environment's stand-ins, which carry only `learn-go-docker.stand-in`); temp folders by their
 * name. Objects and folders of a run that is still going (its pid lives on this host) are kept.
 */
export type CleanKind = 'stack' | 'container' | 'image' | 'volume' | 'network' | 'folder';

export interface CleanItem {
  readonly kind: CleanKind;
  readonly id: string;
  readonly name: string;
  /** Space it takes as Docker (or du, for a folder) reports it; absent when not reported. */
  readonly bytes?: number;
  /** Why it stays. */
  readonly keep?: Localized;
  /** For images: the run (pid, host) that made it, when it was a session's. */
  readonly owner?: { readonly pid: string; readonly host: string };
}

export interface CleanPlan {
  readonly docker: boolean;
  readonly items: readonly CleanItem[];
}

export interface CleanResult {
  readonly removed: readonly CleanItem[];
  /** Planned but still there afterwards (in use by a container of yours, removal failed). */
  readonly kept: readonly CleanItem[];
  readonly freedBytes: number;
  /** What `docker image prune` reported: BuildKit layers stay while the build cache uses them. */
  readonly imageBytes: number;
}

const live = (labels: Readonly<Record<string, string>>): boolean => {
  const pid = Number(labels[PID_LABEL]);
  return labels[HOST_LABEL] === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid);
};
const running = (pid: string | number): Localized =>
  L(`its learn-go-docker run (pid ${pid}) is still going`, `它所属的 learn-go-docker 进程（pid ${pid}）仍在运行`);

const ids = async (args: string[], signal?: AbortSignal): Promise<string[]> => {
  const result = await dockerExec(args, { timeoutMs: 60_000, signal });
  return result.exitCode === 0
    ? [
        ...new Set(
          result.stdout
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        ),
      ]
    : [];
};

const inspect = async (kind: 'container' | 'image' | 'volume' | 'network', list: string[], signal?: AbortSignal): Promise<InspectedObject[]> => {
  if (!list.length) return [];
  const result = await dockerExec([kind, 'inspect', ...(kind === 'container' ? ['--size'] : []), ...list], { timeoutMs: 120_000, signal });
  // Objects gone between list and inspect make it exit 1 with the others still printed.
  return parseInspected(kind, result.stdout).filter((o) => o.labels[LABEL] !== undefined);
};

/** What `clean` would remove, with sizes, and what it keeps. */
export const planClean = async (options: { docker: boolean; signal?: AbortSignal }): Promise<CleanPlan> => {
  const { signal } = options;
  const items: CleanItem[] = [];
  if (options.docker) {
    const filter = ['--filter', `label=${LABEL}`];
    const volumes = await inspect('volume', await ids(['volume', 'ls', '-q', ...filter], signal), signal);
    // Only `system df -v` sizes volumes, and it sizes every volume on the machine: asked only when needed.
    const volumeSizes = volumes.length
      ? parseDfVolumes((await dockerExec(['system', 'df', '-v', '--format', '{{json .}}'], { timeoutMs: 120_000, signal })).stdout)
      : new Map<string, number>();
    const add = (kind: CleanKind, objects: InspectedObject[]) => {
      for (const o of objects) {
        const bytes = kind === 'volume' ? volumeSizes.get(o.id) : o.bytes;
        const owner = o.labels[PID_LABEL] !== undefined ? { pid: o.labels[PID_LABEL] ?? '', host: o.labels[HOST_LABEL] ?? '' } : undefined;
        items.push({
          kind,
          id: o.id,
          name: o.name,
          ...(bytes === undefined ? {} : { bytes }),
          ...(live(o.labels) ? { keep: running(o.labels[PID_LABEL] ?? '') } : {}),
          ...(owner ? { owner } : {}),
        });
      }
    };
    // Swarm stacks first: their services would start new task containers for those removed.
    const { runnerStacks } = await import('./swarm-stack.js');
    for (const s of await runnerStacks(LABEL))
      items.push({ kind: 'stack', id: s.stack, name: s.stack, ...(live(s.labels) ? { keep: running(s.labels[PID_LABEL] ?? '') } : {}) });
    add('container', await inspect('container', await ids(['ps', '-aq', ...filter], signal), signal));
    add('image', await inspect('image', await ids(['image', 'ls', '-q', '--no-trunc', ...filter], signal), signal));
    add('volume', volumes);
    add('network', await inspect('network', await ids(['network', 'ls', '-q', '--no-trunc', ...filter], signal), signal));
  }
  for (const folder of await listStagedFolders()) {
    items.push({
      kind: 'folder',
      id: folder.path,
      name: folder.path,
      bytes: await folderBytes(folder.path),
      ...(folder.live ? { keep: running(folder.pid ?? '') } : {}),
    });
  }
  // The executable's compiled code (rebuilt at the next start); the small cache files beside it stay
  // (the swarm marker among them says which swarm the runner turned on).
  const code = codeCacheFolder();
  const codeBytes = await folderBytes(code);
  if (codeBytes > 0) items.push({ kind: 'folder', id: code, name: code, bytes: codeBytes });
  return { docker: options.docker, items };
};

const exists = async (item: CleanItem): Promise<boolean> =>
  item.kind === 'stack'
    ? (await dockerExec(['stack', 'services', '-q', item.id], { timeoutMs: 30_000 })).stdout.trim() !== ''
    : (await dockerExec([item.kind, 'inspect', item.id], { timeoutMs: 30_000 })).exitCode === 0;

/**
 * Removes what the plan does not keep. Images go through `image prune -a` with label filters, so
 * Docker itself skips an image a container (even one of yours) still uses, and says what it freed.
 */
export const runClean = async (plan: CleanPlan): Promise<CleanResult> => {
  const todo = plan.items.filter((i) => !i.keep);
  const of = (kind: CleanKind) => todo.filter((i) => i.kind === kind);
  let imageBytes = 0;
  if (plan.docker) {
    if (of('stack').length) {
      const { stackRemove } = await import('./swarm-stack.js');
      for (const stack of of('stack')) await stackRemove(stack.id);
      // A swarm the runner turned on, with nothing left on it: off again.
      await (await import('./swarm.js')).leaveIfIdle().catch(() => false);
    }
    if (of('container').length) await dockerExec(['rm', '-f', '-v', ...of('container').map((i) => i.id)], { timeoutMs: 120_000 });
    for (const network of of('network')) await dockerExec(['network', 'rm', network.id], { timeoutMs: 60_000 });
    if (of('volume').length) await dockerExec(['volume', 'rm', '-f', ...of('volume').map((i) => i.id)], { timeoutMs: 120_000 });
    // Images of no run (lesson images), then those of each finished run: never one of a live run.
    const prunes = [['--filter', `label=${LABEL}`, '--filter', `label!=${PID_LABEL}`]];
    const owners = new Map(of('image').flatMap((i) => (i.owner ? [[`${i.owner.pid}@${i.owner.host}`, i.owner] as const] : [])));
    for (const owner of owners.values())
      prunes.push(['--filter', `label=${LABEL}`, '--filter', `label=${PID_LABEL}=${owner.pid}`, '--filter', `label=${HOST_LABEL}=${owner.host}`]);
    if (of('image').length) {
      for (const filters of prunes)
        imageBytes += parsePrune((await dockerExec(['image', 'prune', '-a', '-f', ...filters], { timeoutMs: 300_000 })).stdout).reclaimedBytes;
    }
  }
  for (const folder of of('folder')) await rm(folder.id, { recursive: true, force: true }).catch(() => undefined);
  const removed: CleanItem[] = [];
  const kept: CleanItem[] = plan.items.filter((i) => i.keep);
  for (const item of todo) {
    const still = item.kind === 'folder' ? (await folderBytes(item.id)) > 0 : await exists(item);
    if (still)
      kept.push({
        ...item,
        keep: L(
          'still in use (a container or image of yours uses it), or Docker refused to remove it',
          '仍在使用中（你的某个容器或镜像在用它），或 Docker 拒绝删除',
        ),
      });
    else removed.push(item);
  }
  const freedBytes = imageBytes + removed.filter((i) => i.kind !== 'image').reduce((sum, i) => sum + (i.bytes ?? 0), 0);
  return { removed, kept, freedBytes, imageBytes };
};
