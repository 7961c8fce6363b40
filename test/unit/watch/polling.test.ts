import { describe, expect, it } from 'vitest';
import { detectPolling, type DetectDeps } from '../../../src/engine/watch/detect.js';
import { decidePolling, findMount, isWsl, parseMounts } from '../../../src/engine/watch/polling.js';

const MOUNTS = `sysfs /sys sysfs rw,nosuid 0 0
/dev/sdc / ext4 rw,relatime 0 0
C:\\134 /mnt/c 9p rw,noatime,aname=drvfs 0 0
server:/export/home /home/ada nfs4 rw,relatime 0 0
//nas/share /srv/my\\040share cifs rw 0 0
tmpfs /home/ada/tmp tmpfs rw 0 0
ada@host:/code /home/bob/remote fuse.sshfs rw 0 0
hostshare /workspaces virtiofs rw 0 0
`;
const WSL2 = 'Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1c602f52c2e4) (gcc (GCC) 11.2.0) #1 SMP';
const PLAIN = 'Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) #45-Ubuntu SMP';

describe('parseMounts / findMount', () => {
  it('parses fields and unescapes octal sequences', () => {
    const mounts = parseMounts(MOUNTS);
    expect(mounts).toHaveLength(8);
    expect(mounts[4]).toEqual({ device: '//nas/share', mountPoint: '/srv/my share', fsType: 'cifs' });
  });

  it('picks the longest mount point on a path boundary', () => {
    const mounts = parseMounts(MOUNTS);
    expect(findMount('/home/ada/tmp/x', mounts)?.fsType).toBe('tmpfs');
    expect(findMount('/home/ada/lab/Dockerfile', mounts)?.fsType).toBe('nfs4');
    // "/home/adam" is not under "/home/ada".
    expect(findMount('/home/adam/lab', mounts)?.fsType).toBe('ext4');
    expect(findMount('/srv/my share/lab', mounts)?.fsType).toBe('cifs');
  });
});

describe('decidePolling', () => {
  const mounts = parseMounts(MOUNTS);

  it('uses events on a local Linux disk', () => {
    expect(decidePolling({ path: '/home/bob/go-docker-lab/Dockerfile', platform: 'linux', procVersion: PLAIN, mounts })).toEqual({
      usePolling: false,
    });
  });

  it('polls for Windows drives under WSL, even without a mount table', () => {
    expect(isWsl(WSL2)).toBe(true);
    expect(isWsl('Linux version 4.4.0-19041-Microsoft')).toBe(true);
    expect(decidePolling({ path: '/mnt/c/Users/ada/lab/Dockerfile', platform: 'linux', procVersion: WSL2 })).toEqual({
      usePolling: true,
      reason: 'wsl-windows-drive',
    });
  });

  it('does not treat /mnt/<letter> as a Windows drive outside WSL', () => {
    expect(decidePolling({ path: '/mnt/d/lab/Dockerfile', platform: 'linux', procVersion: PLAIN, mounts })).toEqual({ usePolling: false });
  });

  it('uses events for the WSL Linux file system', () => {
    expect(decidePolling({ path: '/home/bob/lab/Dockerfile', platform: 'linux', procVersion: WSL2, mounts })).toEqual({ usePolling: false });
  });

  it.each([
    ['/home/ada/lab/Dockerfile', 'nfs4'],
    ['/srv/my share/lab/Dockerfile', 'cifs'],
    ['/home/bob/remote/lab/Dockerfile', 'fuse.sshfs'],
    ['/workspaces/lab/Dockerfile', 'virtiofs'],
  ])('polls on network or virtual file systems: %s (%s)', (path, fsType) => {
    expect(decidePolling({ path, platform: 'linux', procVersion: PLAIN, mounts })).toEqual({ usePolling: true, reason: 'network-fs', fsType });
  });

  it('uses events on macOS and Windows', () => {
    expect(decidePolling({ path: '/mnt/c/lab', platform: 'darwin', procVersion: WSL2, mounts })).toEqual({ usePolling: false });
    expect(decidePolling({ path: 'C:\\lab', platform: 'win32' })).toEqual({ usePolling: false });
  });
});

describe('detectPolling', () => {
  const deps = (files: Record<string, string>, real: Record<string, string> = {}): DetectDeps => ({
    platform: 'linux',
    readText: (path) => files[path],
    realpath: (path) => real[path],
  });

  it('reads /proc and resolves the nearest existing folder through symlinks', () => {
    // /home/bob/lab is a symlink to the NFS home; the Dockerfile does not exist yet.
    const decision = detectPolling(
      '/home/bob/lab/Dockerfile',
      deps({ '/proc/self/mounts': MOUNTS, '/proc/version': PLAIN }, { '/home/bob/lab': '/home/ada/lab' }),
    );
    expect(decision).toEqual({ usePolling: true, reason: 'network-fs', fsType: 'nfs4' });
  });

  it('falls back to events when /proc cannot be read', () => {
    expect(detectPolling('/home/ada/lab/Dockerfile', deps({}))).toEqual({ usePolling: false });
  });
});
