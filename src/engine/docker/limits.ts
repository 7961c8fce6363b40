/**
 * Resource limits on every container the runner starts, so a learner's CMD (or a shared workspace's)
 * cannot take the machine down: a fork bomb stops at the pids limit, a leak at the memory limit.
 * The defaults sit far above what the course's app and PostgreSQL need (about 30 MB and 15
 * processes each); a check that measures behaviour under limits (container.limits) passes its own.
 */

export interface ContainerLimits {
  /** Docker `--memory` syntax ("512m"). */
  readonly memory: string;
  /**
   * Docker `--cpus` syntax ("1"); 1 CPU exists on every Docker host, remote ones included. Applied
   * only where the daemon has CPU quotas: elsewhere (rootless Docker without the cpu controller,
   * some NAS and Raspberry Pi kernels) `--cpus` fails the create, while an unsupported memory or
   * pids limit is only a warning.
   */
  readonly cpus: string;
  readonly pids: number;
}

export const DEFAULT_LIMITS: ContainerLimits = { memory: '512m', cpus: '1', pids: 256 };

/** Kept in every container: setuid binaries cannot raise a process's privileges. */
export const NO_NEW_PRIVILEGES = 'no-new-privileges';

/** Whether a security_opt entry turns no-new-privileges on: bare, `:true` or `=true`. */
export const turnsOnNoNewPrivileges = (option: string): boolean => new RegExp(`^${NO_NEW_PRIVILEGES}(?:[:=]true)?$`).test(option.trim());

/** `docker create/run` flags: the check's own memory/cpus win, the defaults fill the rest (cpus only with `cpuQuota`). */
export const containerLimitArgs = (own: { readonly memory?: string; readonly cpus?: string } = {}, cpuQuota = false): string[] => {
  const cpus = own.cpus || (cpuQuota ? DEFAULT_LIMITS.cpus : undefined);
  return [
    '--memory',
    own.memory || DEFAULT_LIMITS.memory,
    ...(cpus ? ['--cpus', cpus] : []),
    '--pids-limit',
    String(DEFAULT_LIMITS.pids),
    '--security-opt',
    NO_NEW_PRIVILEGES,
  ];
};

const UNITS = ' kmgtp';

/** Docker/compose memory sizes ("512m", "1gb", "1.5g", 536870912) in bytes, as go-units RAMInBytes reads them. */
export const memoryBytes = (raw: unknown): number | undefined => {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(raw.trim());
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * 1024 ** UNITS.indexOf((m[2] ?? ' ').toLowerCase()));
  return bytes > 0 ? bytes : undefined;
};

const positive = (raw: unknown): number | undefined => {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
};

export interface ServiceLimits {
  readonly memoryBytes: number;
  /** The service's own when tighter, else the default; the override leaves it out without CPU quotas. */
  readonly cpus: number;
  readonly pids: number;
}

/**
 * Limits for one compose service: the service's own (mem_limit, cpus, pids_limit, or
 * deploy.resources.limits) where they are tighter, the defaults otherwise, so a compose file can
 * lower a limit but never lift it (pids_limit: -1 included).
 */
export const serviceLimits = (service: Readonly<Record<string, unknown>>): ServiceLimits => {
  const deploy = (service.deploy ?? {}) as Record<string, unknown>;
  const limits = ((deploy.resources ?? {}) as Record<string, unknown>).limits as Record<string, unknown> | undefined;
  const tighter = (cap: number, ...own: (number | undefined)[]) => Math.min(cap, ...own.filter((v): v is number => v !== undefined));
  return {
    memoryBytes: tighter(memoryBytes(DEFAULT_LIMITS.memory) ?? 0, memoryBytes(service.mem_limit), memoryBytes(limits?.memory)),
    cpus: tighter(Number(DEFAULT_LIMITS.cpus), positive(service.cpus), positive(limits?.cpus)),
    pids: tighter(DEFAULT_LIMITS.pids, positive(service.pids_limit), positive(limits?.pids)),
  };
};
