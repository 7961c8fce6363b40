import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The learner's side of the room's Go module proxy, as small as it can be: a verify of a joined
 * workspace reads one field of `.learn-go-docker/workshop.json` (written by `join`, client.ts) and
 * asks the room whether it answers, without loading the workshop client or its protocol. The
 * engine's entry then hands the URL to the Docker driver (docker/goproxy-arg.ts), which puts it
 * first in the lesson builds' GOPROXY. Nothing here can fail a verify: any doubt means no proxy.
 */

// The same path as client.ts's (STATE_DIR + WORKSHOP_FILE); a unit test keeps them equal.
export const WORKSHOP_CONFIG_PATH = ['.learn-go-docker', 'workshop.json'] as const;

/** How long a verify waits for the room's answer: on the room's LAN it comes in milliseconds. */
export const ROOM_PROBE_TIMEOUT_MS = 800;

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * A room proxy URL as `join` stores it: http(s), a host and port, a plain path ending in "/", no
 * user, query or fragment. It goes into GOPROXY, whose entries are split on "," and "|": those (and
 * spaces) cannot occur here, so a stored value can never add a proxy of its own.
 */
export const isRoomProxyUrl = (text: string): boolean => {
  const match = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?((?:\/[^/]+)*)\/$/.exec(text);
  if (!match) return false;
  const segments = (match[1] as string).split('/').slice(1);
  return segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
};

/** The proxy `join` stored for this workspace, or undefined (not joined, no proxy, unreadable). */
export const storedRoomGoproxy = async (workspace: string): Promise<string | undefined> => {
  try {
    const raw = JSON.parse(await readFile(join(workspace, ...WORKSHOP_CONFIG_PATH), 'utf8')) as { goproxy?: unknown };
    return typeof raw.goproxy === 'string' && isRoomProxyUrl(raw.goproxy) ? raw.goproxy : undefined;
  } catch {
    return undefined;
  }
};

export type ProbeFetch = (url: string, init: { method: string; signal: AbortSignal }) => Promise<{ status: number }>;

/**
 * The stored proxy when the room answers now, else undefined. Asked before each verify's builds:
 * a laptop at home after the workshop must not send `go` to a LAN address that no longer exists
 * (each module fetch would wait for a connection timeout before falling through).
 */
export const reachableRoomGoproxy = async (workspace: string, options: { timeoutMs?: number; fetchImpl?: ProbeFetch } = {}): Promise<string | undefined> => {
  const url = await storedRoomGoproxy(workspace);
  if (!url) return undefined;
  const fetchImpl: ProbeFetch = options.fetchImpl ?? ((target, init) => fetch(target, init));
  try {
    const answer = await fetchImpl(url, { method: 'HEAD', signal: AbortSignal.timeout(options.timeoutMs ?? ROOM_PROBE_TIMEOUT_MS) });
    return answer.status === 200 ? url : undefined;
  } catch {
    return undefined;
  }
};
