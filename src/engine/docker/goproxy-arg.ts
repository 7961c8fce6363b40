import { isLoopbackHost } from '../util/loopback.js';

/**
 * The GOPROXY a lesson build passes (lessons declare `ARG GOPROXY`), in one place:
 *
 * 1. LEARN_GO_DOCKER_GOPROXY, when the learner set it: theirs wins, whole and unchanged.
 * 2. In a workshop room that serves the course's modules: `<room>|<usual>`. The room first (the
 *    instructor's laptop on the LAN: fast, and the only source in a room without internet), then
 *    the learner's usual proxy. "|" and not ",": go moves on after any error of the room (down,
 *    busy, 5xx), not only after a 404, so a room that stops answering never fails a build.
 *    <usual> is the learner's own GOPROXY when it can work inside a build, else the lessons'
 *    default https://proxy.golang.org,direct.
 * 3. Otherwise nothing: the Dockerfile's default applies, and the cache keys stay those `prepare`
 *    warmed. (A build arg's value is part of the cache key of the RUN steps after its ARG, so in a
 *    room the first `go mod download` runs once more, from the room, then is cached under the new key.)
 *
 * The room's URL comes from the engine's entry (index.ts: the workspace's workshop.json, probed
 * before the verify's builds), set here rather than imported: the driver loads no workshop code.
 * One workspace per process (the CLI and the UI open one), so one value for the process.
 */

/** The lessons' default: the cache key `prepare` warmed (prepare/modules.ts LESSON_GOPROXY_DEFAULT). */
export const USUAL_GOPROXY = 'https://proxy.golang.org,direct';

let room: string | undefined;

/** Lesson builds from now on put this proxy first (undefined: none). */
export const useRoomGoproxy = (url: string | undefined): void => {
  room = url;
};

export const roomGoproxy = (): string | undefined => room;

/**
 * Whether the proxy's host is this machine's loopback. Inside a BuildKit RUN (its own network
 * namespace, bridge and NAT to the LAN) 127.0.0.1 is the build container itself, so a room reached
 * on 127.0.0.1 (the instructor trying it on their own laptop) is useless to a build; the
 * instructor's LAN address (192.168.x.y) works from there.
 */
const loopback = (url: string): boolean => {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return true;
  }
  // Loopback, a name under .localhost, or the unspecified address: none reaches this machine from a build.
  return isLoopbackHost(host) || host.endsWith('.localhost') || host === '[::]' || host === '0.0.0.0';
};

/**
 * The learner's own GOPROXY as a fallback, when every entry can work from inside a build: http(s)
 * proxies not on loopback, `direct`, `off`. A file:// cache or a proxy on localhost is the host's,
 * not the build's: then the lessons' default.
 */
const usual = (own: string | undefined): string => {
  const text = own?.trim();
  if (!text) return USUAL_GOPROXY;
  const entries = text.split(/[,|]/).map((e) => e.trim());
  const fits = entries.every((e) => e === 'direct' || e === 'off' || (/^https?:\/\/[^\s]+$/.test(e) && !loopback(e)));
  return fits ? text : USUAL_GOPROXY;
};

/** The GOPROXY build arg of a lesson build, or undefined for none (the Dockerfile's default). */
export const lessonGoproxy = (env: NodeJS.ProcessEnv, roomUrl: string | undefined): string | undefined => {
  if (env.LEARN_GO_DOCKER_GOPROXY) return env.LEARN_GO_DOCKER_GOPROXY;
  if (!roomUrl || loopback(roomUrl)) return undefined;
  return `${roomUrl}|${usual(env.GOPROXY)}`;
};
