/** Pure parsing of what `clean` reads: docker's human sizes, `image prune` output, `system df -v` volumes, inspected objects. */

const DECIMAL = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Docker's human sizes ("585.4MB", "12.3kB", "0B", "1.5GiB") in bytes. */
export const parseHumanSize = (text: string): number | undefined => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKMGTP]?)(i?)B\s*$/.exec(text);
  if (!m) return undefined;
  const power = DECIMAL.indexOf(`${(m[2] ?? '').toUpperCase()}B`);
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
};

export interface PruneOutput {
  readonly deleted: readonly string[];
  readonly untagged: readonly string[];
  /** "Total reclaimed space", as the daemon counted it. */
  readonly reclaimedBytes: number;
}

export const parsePrune = (text: string): PruneOutput => {
  const deleted: string[] = [];
  const untagged: string[] = [];
  let reclaimedBytes = 0;
  for (const line of text.split('\n')) {
    const entry = /^(deleted|untagged):\s*(\S+)/i.exec(line.trim());
    if (entry?.[1]?.toLowerCase() === 'deleted') deleted.push(entry[2] ?? '');
    else if (entry) untagged.push(entry[2] ?? '');
    const total = /^Total reclaimed space:\s*(.+)$/.exec(line.trim());
    if (total) reclaimedBytes = parseHumanSize(total[1] ?? '') ?? 0;
  }
  return { deleted, untagged, reclaimedBytes };
};

/** Volume name -> size in bytes, from `docker system df -v --format '{{json .}}'`. */
export const parseDfVolumes = (text: string): Map<string, number> => {
  const sizes = new Map<string, number>();
  try {
    const data = JSON.parse(text) as { Volumes?: { Name?: string; Size?: string }[] | null };
    for (const volume of data.Volumes ?? []) {
      const bytes = parseHumanSize(volume.Size ?? '');
      if (volume.Name && bytes !== undefined) sizes.set(volume.Name, bytes);
    }
  } catch {
    // No sizes is still a clean: the volumes are listed without one.
  }
  return sizes;
};

export interface InspectedObject {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container: its writable layer (SizeRw, from inspect --size). */
  readonly bytes?: number;
  /** Image: its tags. */
  readonly tags?: readonly string[];
}

/** `docker <kind> inspect` output of containers, images, volumes or networks. */
export const parseInspected = (kind: 'container' | 'image' | 'volume' | 'network', text: string): InspectedObject[] => {
  let items: Record<string, unknown>[];
  try {
    items = JSON.parse(text || '[]') as Record<string, unknown>[];
  } catch {
    return [];
  }
  return items.map((item) => {
    const config = (item.Config ?? {}) as Record<string, unknown>;
    const labels = ((kind === 'container' || kind === 'image' ? config.Labels : item.Labels) ?? {}) as Record<string, string>;
    const tags = Array.isArray(item.RepoTags) ? (item.RepoTags as string[]) : [];
    const id = String(kind === 'volume' ? item.Name : item.Id);
    const name =
      kind === 'image'
        ? (tags[0] ?? id.replace(/^sha256:/, '').slice(0, 12))
        : kind === 'container'
          ? String(item.Name ?? '').replace(/^\//, '')
          : String(item.Name ?? id);
    return { id, name, labels, ...(typeof item.SizeRw === 'number' ? { bytes: item.SizeRw } : {}), ...(kind === 'image' ? { tags } : {}) };
  });
};
