import { hostname } from 'node:os';
import { dockerExec, dockerOut } from './exec.js';
import { HOST_LABEL, LABEL, PID_LABEL, SESSION_LABEL } from './labels.js';

export interface StaleObject {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** ISO time. */
  readonly created: string;
}

export interface CleanStaleResult {
  readonly containers: readonly string[];
  readonly volumes: readonly string[];
  readonly networks: readonly string[];
  readonly images: readonly string[];
}

/** Whether a process of this host exists (EPERM: it does, owned by someone else). */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Whether a labelled object was left behind by a run that is gone: on this host its process no
 * longer exists; from another host (or without a pid) it is older than `maxAgeMs`.
 * Objects of this very process are never stale (its live sessions clean them).
 */
export const isStale = (object: StaleObject, now: number, maxAgeMs: number, host = hostname()): boolean => {
  if (object.labels[LABEL] === undefined) return false;
  const pid = Number(object.labels[PID_LABEL]);
  if (object.labels[HOST_LABEL] === host && Number.isInteger(pid) && pid > 0) {
    if (pid === process.pid) return false;
    return !pidAlive(pid);
  }
  const created = Date.parse(object.created);
  return Number.isFinite(created) && now - created > maxAgeMs;
};

const listIds = async (args: string[]): Promise<string[]> =>
  (await dockerOut(args))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const inspectObjects = async (kind: 'container' | 'volume' | 'network' | 'image', ids: string[]): Promise<StaleObject[]> => {
  if (!ids.length) return [];
  const result = await dockerExec([kind, 'inspect', ...ids]);
  if (result.exitCode !== 0 && !result.stdout.trim().startsWith('[')) return [];
  const items = JSON.parse(result.stdout || '[]') as Record<string, unknown>[];
  return items.map((item) => {
    const config = (item.Config ?? {}) as Record<string, unknown>;
    const labels = (kind === 'container' || kind === 'image' ? config.Labels : item.Labels) ?? {};
    const id = String(kind === 'volume' || kind === 'network' ? (item.Name ?? item.Id) : item.Id);
    return { id, labels: labels as Record<string, string>, created: String(item.Created ?? item.CreatedAt ?? '') };
  });
};

/**
 * Removes labelled containers, networks, volumes and extra images left by a crashed earlier run,
 * and dangling labelled images older than `imageMaxAgeHours`. Never touches unlabelled objects.
 * Call at the start of a verify; failures are ignored (cleanup is best effort).
 */
export const cleanStale = async (options: { maxAgeHours?: number; imageMaxAgeHours?: number } = {}): Promise<CleanStaleResult> => {
  const now = Date.now();
  const maxAgeMs = (options.maxAgeHours ?? 2) * 3_600_000;
  const stale = (objects: StaleObject[]) => objects.filter((o) => isStale(o, now, maxAgeMs)).map((o) => o.id);
  const filter = ['--filter', `label=${LABEL}`];
  const containers = stale(await inspectObjects('container', await listIds(['ps', '-aq', ...filter])));
  if (containers.length) await dockerExec(['rm', '-f', '-v', ...containers], { timeoutMs: 60_000 });
  // Swarm stacks (their services carry the labels; `stack rm` takes their networks too).
  const { runnerStacks, stackRemove } = await import('./swarm-stack.js');
  for (const s of (await runnerStacks(LABEL)).filter((x) => isStale({ id: x.stack, labels: x.labels, created: x.created }, now, maxAgeMs)))
    await stackRemove(s.stack);
  const networks = stale(await inspectObjects('network', await listIds(['network', 'ls', '-q', ...filter])));
  for (const id of networks) await dockerExec(['network', 'rm', id]);
  const volumes = stale(await inspectObjects('volume', await listIds(['volume', 'ls', '-q', ...filter])));
  if (volumes.length) await dockerExec(['volume', 'rm', '-f', ...volumes]);
  // Extra images of a session (unique tags, e.g. one built with a secret) carry the session label.
  const images = stale(await inspectObjects('image', await listIds(['image', 'ls', '-q', '--filter', `label=${SESSION_LABEL}`])));
  for (const id of new Set(images)) await dockerExec(['image', 'rm', '-f', id], { timeoutMs: 60_000 });
  await dockerExec(['image', 'prune', '-f', ...filter, '--filter', `until=${options.imageMaxAgeHours ?? 24}h`], { timeoutMs: 60_000 });
  return { containers, volumes, networks, images };
};

/** Removes every object carrying a session's label (containers, networks, volumes, images). */
export const removeSessionObjects = async (sessionId: string): Promise<void> => {
  const filter = ['--filter', `label=${SESSION_LABEL}=${sessionId}`];
  const containers = await listIds(['ps', '-aq', ...filter]).catch(() => []);
  if (containers.length) await dockerExec(['rm', '-f', '-v', ...containers], { timeoutMs: 60_000 });
  const { runnerStacks, stackRemove } = await import('./swarm-stack.js');
  for (const s of await runnerStacks(`${SESSION_LABEL}=${sessionId}`).catch(() => [])) await stackRemove(s.stack);
  const networks = await listIds(['network', 'ls', '-q', ...filter]).catch(() => []);
  for (const id of networks) await dockerExec(['network', 'rm', id]);
  const volumes = await listIds(['volume', 'ls', '-q', ...filter]).catch(() => []);
  if (volumes.length) await dockerExec(['volume', 'rm', '-f', ...volumes]);
  const images = await listIds(['image', 'ls', '-q', ...filter]).catch(() => []);
  for (const id of new Set(images)) await dockerExec(['image', 'rm', '-f', id], { timeoutMs: 60_000 });
};
