import { hostname } from 'node:os';
import { pidAlive } from './clean.js';
import { dockerExec } from './exec.js';
import { readCache, removeCache, writeCache } from './machine-cache.js';

/** What `docker info` says about swarm mode on this engine. */
export interface SwarmInfo {
  /** inactive, pending, active, error or locked. */
  readonly state: string;
  /** This node is a manager: services can be created on it. */
  readonly manager: boolean;
  /** A rootless engine (no overlay networks, so no swarm services that talk to each other). */
  readonly rootless: boolean;
  /** The engine's own error for the swarm, when it has one. */
  readonly error: string;
}

/** Parses `docker info --format '{{json .Swarm}}\n{{json .SecurityOptions}}'`; undefined when it is not that. */
export const parseSwarmInfo = (stdout: string): SwarmInfo | undefined => {
  const [swarmLine = '', securityLine = 'null'] = stdout.trim().split('\n');
  try {
    const swarm = JSON.parse(swarmLine) as { LocalNodeState?: unknown; ControlAvailable?: unknown; Error?: unknown } | null;
    const security = JSON.parse(securityLine) as unknown;
    if (!swarm || typeof swarm.LocalNodeState !== 'string') return undefined;
    return {
      state: swarm.LocalNodeState,
      manager: swarm.ControlAvailable === true,
      rootless: Array.isArray(security) && security.some((o) => typeof o === 'string' && /(^|,)name=rootless(,|$)/.test(o)),
      error: typeof swarm.Error === 'string' ? swarm.Error : '',
    };
  } catch {
    return undefined;
  }
};

/** Swarm mode on this engine, read without changing anything; undefined when Docker did not say. */
export const readSwarmInfo = async (signal?: AbortSignal): Promise<SwarmInfo | undefined> => {
  const result = await dockerExec(['info', '--format', '{{json .Swarm}}\n{{json .SecurityOptions}}'], { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
  return result.exitCode === 0 ? parseSwarmInfo(result.stdout) : undefined;
};

/** How this process may use swarm mode: already on, turned on by the runner, or why not. */
export type SwarmUse =
  | { readonly ok: true; readonly initialised: boolean }
  | { readonly ok: false; readonly reason: 'off' | 'worker' | 'unusable'; readonly state: string; readonly error: string };

/** The network `docker swarm init` creates on a machine that never had swarm mode; removed on leave when it was not there. */
const GWBRIDGE = 'docker_gwbridge';

/**
 * On disk while a swarm the runner turned on is on: which process did it, and whether the gateway
 * bridge was its doing. A process killed before it could leave leaves this behind, and the next run
 * (its release, or the stale sweep) leaves the swarm for it once nothing runs on it.
 */
const MARKER = 'swarm-init.json';
interface Marker {
  readonly pid: number;
  readonly host: string;
  readonly removeGwbridge: boolean;
}

interface Lease {
  users: number;
  use: Promise<SwarmUse>;
}

// One lease per process: overlapping checks (proof cases, a watch-mode verify cancelled by the
// next) share the swarm the first one found or started; the last one out leaves it as found.
let lease: Lease | undefined;
/** A leave in progress: the next user waits for it before looking at the swarm. */
let leaving: Promise<unknown> = Promise.resolve();
/** The swarm this process turned on (known even where the marker could not be written). */
let ownInit: Marker | undefined;

const networkExists = async (name: string): Promise<boolean> => (await dockerExec(['network', 'inspect', name], { timeoutMs: 20_000 })).exitCode === 0;

// No abort signal here: the lease outlives the verify that started it (a cancelled one must not
// leave "unusable" behind for the next), and each call has its own timeout.
const startUse = async (allowInit: boolean): Promise<SwarmUse> => {
  await leaving;
  const info = await readSwarmInfo();
  if (!info) return { ok: false, reason: 'unusable', state: 'unknown', error: 'docker info did not answer' };
  if (info.state === 'active') return info.manager ? { ok: true, initialised: false } : { ok: false, reason: 'worker', state: info.state, error: '' };
  if (info.state !== 'inactive' || info.rootless) return { ok: false, reason: 'unusable', state: info.rootless ? 'rootless' : info.state, error: info.error };
  if (!allowInit) return { ok: false, reason: 'off', state: info.state, error: '' };
  const removeGwbridge = !(await networkExists(GWBRIDGE));
  // 127.0.0.1: a one-node swarm that advertises nothing beyond this machine.
  const init = await dockerExec(['swarm', 'init', '--advertise-addr', '127.0.0.1'], { timeoutMs: 60_000 });
  if (init.exitCode !== 0) return { ok: false, reason: 'unusable', state: info.state, error: (init.stderr || init.stdout).trim() };
  ownInit = { pid: process.pid, host: hostname(), removeGwbridge };
  await writeCache(MARKER, ownInit);
  return { ok: true, initialised: true };
};

/**
 * Swarm mode for one check: on as found, or turned on when `allowInit` (the learner agreed, e.g.
 * `verify --swarm`). Every call must be paired with `releaseSwarm`, also when this one failed.
 */
export const acquireSwarm = (allowInit: boolean): Promise<SwarmUse> => {
  if (lease && lease.users > 0) {
    lease.users += 1;
    return lease.use;
  }
  const current: Lease = { users: 1, use: startUse(allowInit) };
  lease = current;
  return current.use;
};

/** The last user of this process leaves a swarm the runner turned on (see leaveIfIdle). */
export const releaseSwarm = async (): Promise<void> => {
  const current = lease;
  if (!current || current.users === 0) return;
  current.users -= 1;
  if (current.users > 0) return;
  lease = undefined;
  // Set before any await: a user arriving now must wait for this leave.
  const done = (async () => {
    if ((await current.use).ok) await leaveIfIdle();
  })();
  leaving = done.catch(() => undefined);
  await done;
};

/**
 * Leaves a swarm the runner turned on, once no service runs on it: this process's, or that of a
 * process that is gone. A service still there belongs to someone (another verify, the learner's
 * own stack): the swarm stays on, and its last user leaves it later.
 */
export const leaveIfIdle = async (): Promise<boolean> => {
  if (lease) return false;
  const found = ownInit ?? (await readCache<Marker>(MARKER));
  if (!found || typeof found.pid !== 'number') return false;
  const mine = found === ownInit || (found.host === hostname() && !pidAlive(found.pid));
  if (!mine) return false;
  const services = await dockerExec(['service', 'ls', '-q'], { timeoutMs: 30_000 });
  if (services.exitCode === 0 && services.stdout.trim()) return false;
  ownInit = undefined;
  await removeCache(MARKER);
  if (services.exitCode === 0) await leaveSwarm(found.removeGwbridge === true);
  return true;
};
const leaveSwarm = async (removeGwbridge: boolean): Promise<void> => {
  await dockerExec(['swarm', 'leave', '--force'], { timeoutMs: 60_000 });
  if (removeGwbridge) {
    // The bridge keeps an endpoint for a moment after the leave: a few tries.
    for (let i = 0; i < 10; i += 1) {
      const result = await dockerExec(['network', 'rm', GWBRIDGE], { timeoutMs: 20_000 });
      if (result.exitCode === 0 || /no such network|not found/i.test(result.stderr)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
};
