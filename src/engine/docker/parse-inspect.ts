/** Pure parsing of `docker image inspect`, `docker inspect` (containers), `docker top`, `docker port`, `docker history`. */
import type { ContainerInspect, ContainerProcess, HistoryEntry, ImageInspect } from './session.js';

type Json = Record<string, unknown>;

const first = (text: string): Json => {
  const data = JSON.parse(text) as unknown;
  const item = Array.isArray(data) ? data[0] : data;
  if (!item || typeof item !== 'object') throw new Error('docker inspect returned no object');
  return item as Json;
};

const strings = (value: unknown): string[] | null => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null);

const record = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Json)) out[key] = String(v);
  }
  return out;
};

export const parseImageInspect = (text: string): ImageInspect => {
  const image = first(text);
  const config = (image.Config ?? {}) as Json;
  const health = (config.Healthcheck ?? null) as Json | null;
  const test = health ? strings(health.Test) : null;
  return {
    id: String(image.Id ?? ''),
    size: Number(image.Size ?? 0),
    user: typeof config.User === 'string' ? config.User : '',
    env: strings(config.Env) ?? [],
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    exposedPorts: Object.keys((config.ExposedPorts ?? {}) as Json),
    labels: record(config.Labels),
    // ["NONE"] disables a base image's HEALTHCHECK: treat it as none.
    healthcheck: test && test.length > 0 && test[0] !== 'NONE' ? test : null,
    workingDir: typeof config.WorkingDir === 'string' ? config.WorkingDir : '',
    architecture: String(image.Architecture ?? ''),
    os: String(image.Os ?? ''),
    created: String(image.Created ?? ''),
    layers: strings(((image.RootFS ?? {}) as Json).Layers) ?? [],
  };
};

export const parseContainerInspect = (text: string): ContainerInspect => {
  const container = first(text);
  const state = (container.State ?? {}) as Json;
  const health = (state.Health ?? null) as Json | null;
  const status = health ? String(health.Status ?? '') : '';
  const log = health && Array.isArray(health.Log) ? (health.Log as Json[]) : [];
  return {
    id: String(container.Id ?? ''),
    status: String(state.Status ?? ''),
    running: state.Running === true,
    exitCode: typeof state.ExitCode === 'number' && state.Running !== true ? state.ExitCode : null,
    oomKilled: state.OOMKilled === true,
    error: typeof state.Error === 'string' ? state.Error : '',
    startedAt: String(state.StartedAt ?? ''),
    finishedAt: String(state.FinishedAt ?? ''),
    health: status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : null,
    healthLog: log.map((entry) => ({
      exitCode: Number(entry.ExitCode ?? -1),
      output: String(entry.Output ?? ''),
      ...(typeof entry.Start === 'string' ? { start: entry.Start } : {}),
      ...(typeof entry.End === 'string' ? { end: entry.End } : {}),
    })),
    restartCount: Number(container.RestartCount ?? 0),
    pid: typeof state.Pid === 'number' ? state.Pid : 0,
  };
};

/**
 * uids from `docker top <id> -eo uid,pid` (the daemon needs the pid column to filter the
 * container's processes; `-eo uid` alone fails with "Couldn't find PID field").
 */
export const parseTopUids = (text: string): number[] => {
  const lines = text.split('\n').filter((line) => line.trim());
  const header = (lines.shift() ?? '').trim().split(/\s+/);
  const column = header.findIndex((name) => name.toUpperCase() === 'UID');
  if (column === -1) return [];
  return lines
    .map((line) => line.trim().split(/\s+/)[column])
    .filter((value): value is string => value !== undefined && /^\d+$/.test(value))
    .map(Number);
};

/** `docker history --no-trunc --human=false --format '{{json .}}'` lines, newest first. */
export const parseHistory = (text: string): HistoryEntry[] =>
  text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Json)
    .map((entry) => ({
      createdBy: String(entry.CreatedBy ?? ''),
      size: Number(entry.Size ?? 0) || 0,
      comment: String(entry.Comment ?? ''),
    }));

/** "8080/tcp" -> 8080. */
export const portNumber = (exposed: string): number | undefined => {
  const match = /^(\d+)(?:\/tcp)?$/.exec(exposed);
  return match ? Number(match[1]) : undefined;
};

/** `docker top <id> -eo pid,ppid,uid,args`: the container's processes (args is the rest of the line). */
export const parseTopProcesses = (text: string): ContainerProcess[] => {
  const lines = text.split('\n').filter((line) => line.trim());
  const header = (lines.shift() ?? '')
    .trim()
    .split(/\s+/)
    .map((name) => name.toUpperCase());
  const at = (name: string) => header.indexOf(name);
  const [pid, ppid, uid] = [at('PID'), at('PPID'), at('UID')];
  if (pid === -1 || ppid === -1 || uid === -1) return [];
  const fixed = header.length - 1;
  return lines.flatMap((line) => {
    const words = line.trim().split(/\s+/);
    const numbers = [words[pid], words[ppid], words[uid]];
    if (!numbers.every((n) => n !== undefined && /^\d+$/.test(n))) return [];
    return [{ pid: Number(words[pid]), ppid: Number(words[ppid]), uid: Number(words[uid]), args: words.slice(fixed).join(' ') }];
  });
};
