/**
 * Pure decision: should the file watcher poll instead of using OS events?
 *
 * OS file events (inotify) do not arrive for files on Windows drives seen from WSL (`/mnt/c/...`) or on
 * network and virtual file systems (NFS, SMB, 9p, virtiofs, sshfs...): rustlings #417, #444, #2407
 * report watch mode silently never firing there. Polling is slower but works everywhere.
 */

export interface MountEntry {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
}

/** File system types whose changes made elsewhere (or through a VM boundary) do not raise inotify events. */
export const POLLING_FS_TYPES: ReadonlySet<string> = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  '9p',
  'drvfs',
  'virtiofs',
  'vboxsf',
  'prl_fs',
  'vmhgfs',
  'fuse.vmhgfs-fuse',
  'fuse.sshfs',
  'sshfs',
  'fuse.rclone',
  'fuse.s3fs',
  'fuse.gcsfuse',
  'fuse.glusterfs',
  'glusterfs',
  'ceph',
  'afs',
  'davfs',
  'fuse.davfs2',
]);

// /proc/mounts escapes space, tab, newline and backslash as octal (`\040`).
const unescapeMountField = (field: string): string => field.replace(/\\([0-7]{3})/g, (_whole, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** Parses /proc/mounts (or /proc/self/mounts): `device mountpoint fstype options dump pass` per line. */
export const parseMounts = (text: string): MountEntry[] =>
  text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 3 && fields[0] !== '')
    .map(([device = '', mountPoint = '', fsType = '']) => ({
      device: unescapeMountField(device),
      mountPoint: unescapeMountField(mountPoint),
      fsType,
    }));

const isUnder = (path: string, mountPoint: string): boolean =>
  mountPoint === '/' || path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);

/** The mount an absolute path lives on: the longest matching mount point; the last one wins on ties (over-mounts). */
export const findMount = (path: string, mounts: readonly MountEntry[]): MountEntry | undefined => {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    if (!isUnder(path, mount.mountPoint)) continue;
    if (!best || mount.mountPoint.length >= best.mountPoint.length) best = mount;
  }
  return best;
};

/** `/proc/version` says "Microsoft" (WSL1) or "microsoft-standard-WSL2" under WSL. */
export const isWsl = (procVersion: string | undefined): boolean => /microsoft|wsl/i.test(procVersion ?? '');

export interface PollingFacts {
  /** Absolute path (symlinks resolved when possible) of the watched file or its folder. */
  readonly path: string;
  readonly platform: NodeJS.Platform;
  /** Contents of /proc/version, when readable. */
  readonly procVersion?: string;
  /** Parsed /proc/mounts, when readable. */
  readonly mounts?: readonly MountEntry[];
}

export type PollingDecision =
  { readonly usePolling: false } | { readonly usePolling: true; readonly reason: 'wsl-windows-drive' | 'network-fs'; readonly fsType?: string };

/** Decides between OS events and polling from facts gathered elsewhere (see detect.ts). */
export const decidePolling = (facts: PollingFacts): PollingDecision => {
  // macOS (FSEvents) and Windows (ReadDirectoryChangesW) events work on local disks; network shares
  // there are rare for this tutorial and cannot be detected without spawning processes.
  if (facts.platform !== 'linux') return { usePolling: false };
  if (isWsl(facts.procVersion) && /^\/mnt\/[a-z](\/|$)/i.test(facts.path)) {
    return { usePolling: true, reason: 'wsl-windows-drive' };
  }
  const mount = facts.mounts ? findMount(facts.path, facts.mounts) : undefined;
  if (mount && POLLING_FS_TYPES.has(mount.fsType)) {
    return { usePolling: true, reason: 'network-fs', fsType: mount.fsType };
  }
  return { usePolling: false };
};
