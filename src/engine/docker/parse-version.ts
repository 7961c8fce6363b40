/** Pure parsing of `docker version --format '{{json .}}'` and friends. */

export interface VersionInfo {
  readonly clientVersion?: string;
  readonly serverVersion?: string;
  readonly serverOs?: string;
  readonly arch?: string;
  readonly context?: string;
  /** "podman" when the client or server says so. */
  readonly flavour?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Reads the JSON `docker version` prints (the server part is null when the daemon is unreachable). */
export const parseVersionJson = (text: string): VersionInfo => {
  let data: Record<string, unknown>;
  try {
    const firstBrace = text.indexOf('{');
    data = JSON.parse(firstBrace >= 0 ? text.slice(firstBrace) : text) as Record<string, unknown>;
  } catch {
    return {};
  }
  const client = (data.Client ?? {}) as Record<string, unknown>;
  const server = (data.Server ?? null) as Record<string, unknown> | null;
  const components = Array.isArray(server?.Components) ? (server.Components as { Name?: string }[]) : [];
  const podman = /podman/i.test(text) || components.some((c) => /podman/i.test(String(c.Name ?? '')));
  return {
    clientVersion: str(client.Version),
    serverVersion: server ? str(server.Version) : undefined,
    serverOs: server ? str(server.Os) : undefined,
    arch: server ? str(server.Arch) : str(client.Arch),
    context: str(client.Context),
    flavour: podman ? 'podman' : undefined,
  };
};

/** Major version of "20.10.24+dfsg1", "28.2.2", "v2.24.6", "1.29.2": NaN when unreadable. */
export const majorVersion = (version: string | undefined): number => {
  const match = /(\d+)\.(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) : Number.NaN;
};

/** A docker client before 23.0 has BuildKit built in (DOCKER_BUILDKIT=1); 23+ delegates to buildx. */
export const clientHasBuiltinBuildkit = (clientVersion: string | undefined): boolean => {
  const major = majorVersion(clientVersion);
  return Number.isFinite(major) && major >= 18 && major < 23;
};

/** Finds the version in `docker compose version` / `docker-compose version` output. */
export const parseComposeVersion = (text: string): string | undefined => {
  const match = /version\s+v?(\d+\.\d+(?:\.\d+)?[\w.+-]*)/i.exec(text);
  return match?.[1];
};

/** Classifies why the daemon cannot be reached from the client's error text. */
export const classifyDaemonError = (stderr: string): 'permission' | 'not-running' | 'other' => {
  if (/permission denied/i.test(stderr)) return 'permission';
  if (/cannot connect|is the docker daemon running|connection refused|no such file or directory|error during connect/i.test(stderr)) {
    return 'not-running';
  }
  return 'other';
};

/** Normalizes `uname -m`-style and Go-style architecture names to Go's (amd64, arm64...). */
export const normalizeArch = (arch: string | undefined): string | undefined => {
  if (!arch) return undefined;
  const map: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm' };
  return map[arch] ?? arch;
};
