import { dockerExec } from './exec.js';

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
