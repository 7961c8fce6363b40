import { describe, expect, it } from 'vitest';
import { parseDfVolumes, parseHumanSize, parseInspected, parsePrune } from '../../../src/engine/docker/parse-clean.js';
import { humanBytes } from '../../../src/commands/clean.js';

describe('what clean reads from docker', () => {
  it('reads docker\'s human sizes (decimal units; binary with "i")', () => {
    expect(parseHumanSize('585.4MB')).toBe(585_400_000);
    expect(parseHumanSize('12.3kB')).toBe(12_300);
    expect(parseHumanSize('0B')).toBe(0);
    expect(parseHumanSize('1.5GiB')).toBe(1_610_612_736);
    expect(parseHumanSize('N/A')).toBeUndefined();
  });

  it('reads image prune output: what went and what the daemon reclaimed', () => {
    const out = parsePrune(
      'Deleted Images:\nuntagged: learn-go-docker/first-image:verify\ndeleted: sha256:abc\ndeleted: sha256:def\n\nTotal reclaimed space: 3.2MB\n',
    );
    expect(out).toEqual({ deleted: ['sha256:abc', 'sha256:def'], untagged: ['learn-go-docker/first-image:verify'], reclaimedBytes: 3_200_000 });
    expect(parsePrune('Total reclaimed space: 0B\n').reclaimedBytes).toBe(0);
  });

  it('reads volume sizes from system df -v, and survives junk', () => {
    const sizes = parseDfVolumes(
      JSON.stringify({
        Images: [],
        Volumes: [
          { Name: 'learn-go-docker-a-1', Size: '45.1MB' },
          { Name: 'x', Size: 'N/A' },
        ],
      }),
    );
    expect([...sizes]).toEqual([['learn-go-docker-a-1', 45_100_000]]);
    expect(parseDfVolumes('not json').size).toBe(0);
  });

  it('reads inspected objects of each kind with their labels', () => {
    const [container] = parseInspected(
      'container',
      JSON.stringify([{ Id: 'c1', Name: '/busy_ritchie', SizeRw: 12, Config: { Labels: { 'learn-go-docker': '1' } } }]),
    );
    expect(container).toEqual({ id: 'c1', name: 'busy_ritchie', bytes: 12, labels: { 'learn-go-docker': '1' } });
    const [image] = parseInspected('image', JSON.stringify([{ Id: 'sha256:0123456789abcdef', RepoTags: [], Config: { Labels: null } }]));
    expect(image).toEqual({ id: 'sha256:0123456789abcdef', name: '0123456789ab', labels: {}, tags: [] });
    const [volume] = parseInspected('volume', JSON.stringify([{ Name: 'v1', Labels: { a: 'b' } }]));
    expect(volume).toEqual({ id: 'v1', name: 'v1', labels: { a: 'b' } });
    expect(parseInspected('network', '')).toEqual([]);
  });

  it('prints sizes as Docker does', () => {
    expect(humanBytes(0)).toBe('0 B');
    expect(humanBytes(311_296)).toBe('311.3 kB');
    expect(humanBytes(8_011_776)).toBe('8.0 MB');
  });
});
