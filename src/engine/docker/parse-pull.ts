/**
 * Pure parsers for `prepare`: the lines `docker pull` prints without a terminal, and the layer
 * sizes `docker manifest inspect -v` gives for one platform.
 */

/** One layer's state as a non-terminal `docker pull` reports it ("a2318d6c47ec: Pull complete"). */
export interface PullLine {
  /** The first 12 hex digits of the layer's (compressed) digest. */
  readonly layer: string;
  readonly state: 'waiting' | 'downloading' | 'downloaded' | 'done';
}

const STATES: ReadonlyArray<readonly [RegExp, PullLine['state']]> = [
  [/^(Pulling fs layer|Waiting)$/i, 'waiting'],
  [/^(Downloading|Retrying|Verifying Checksum)/i, 'downloading'],
  [/^Download complete$/i, 'downloaded'],
  [/^(Extracting)/i, 'downloaded'],
  [/^(Pull complete|Already exists)$/i, 'done'],
];

/** A layer line of `docker pull`, or undefined for the other lines (Digest:, Status:, the ref). */
export const parsePullLine = (line: string): PullLine | undefined => {
  const match = /^\s*([0-9a-f]{12}): (.+?)\s*$/.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  const found = STATES.find(([pattern]) => pattern.test(match[2] as string));
  return found ? { layer: match[1], state: found[1] } : undefined;
};

/** The layers of a pull so far: each layer's furthest state (a pull never goes back). */
export class PullTracker {
  private readonly layers = new Map<string, PullLine['state']>();
  private static readonly ORDER: Record<PullLine['state'], number> = { waiting: 0, downloading: 1, downloaded: 2, done: 3 };

  /** Returns true when the line changed what is known. */
  push(line: string): boolean {
    const parsed = parsePullLine(line);
    if (!parsed) return false;
    const before = this.layers.get(parsed.layer);
    if (before !== undefined && PullTracker.ORDER[before] >= PullTracker.ORDER[parsed.state]) return false;
    this.layers.set(parsed.layer, parsed.state);
    return true;
  }

  get total(): number {
    return this.layers.size;
  }

  /** Layers whose bytes are here (downloaded, extracting, complete or already present). */
  get downloaded(): string[] {
    return [...this.layers].filter(([, state]) => state === 'downloaded' || state === 'done').map(([layer]) => layer);
  }
}

interface Descriptor {
  readonly platform?: { readonly architecture?: string; readonly os?: string; readonly variant?: string };
}
interface VerboseEntry {
  readonly Descriptor?: Descriptor;
  readonly SchemaV2Manifest?: { readonly layers?: readonly { readonly digest?: string; readonly size?: number }[] };
  readonly OCIManifest?: { readonly layers?: readonly { readonly digest?: string; readonly size?: number }[] };
}

/** "linux/arm64/v8" -> its parts. */
export const splitPlatform = (platform: string): { os: string; architecture: string; variant?: string } => {
  const [os = 'linux', architecture = '', variant] = platform.split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
};

/**
 * Layer sizes (short digest -> compressed bytes) of the manifest for `platform` in the output of
 * `docker manifest inspect -v` (one object for a single-platform image, an array for a list);
 * undefined when the output does not say.
 */
export const parseManifestSizes = (text: string, platform: string): Map<string, number> | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entries = (Array.isArray(parsed) ? parsed : [parsed]) as VerboseEntry[];
  const want = splitPlatform(platform);
  const matches = (entry: VerboseEntry): boolean => {
    const p = entry?.Descriptor?.platform;
    if (!p) return entries.length === 1;
    if (p.os !== want.os || p.architecture !== want.architecture) return false;
    return !want.variant || !p.variant || p.variant === want.variant;
  };
  const entry = entries.find((e) => e && typeof e === 'object' && matches(e));
  const layers = entry?.SchemaV2Manifest?.layers ?? entry?.OCIManifest?.layers;
  if (!layers?.length) return undefined;
  const sizes = new Map<string, number>();
  for (const layer of layers) {
    const hex = /^sha256:([0-9a-f]{12})/.exec(layer.digest ?? '')?.[1];
    if (hex && typeof layer.size === 'number' && layer.size >= 0) sizes.set(hex, layer.size);
  }
  return sizes.size ? sizes : undefined;
};

/** Whether a failed pull's error means no registry answered (network), rather than a refusal. */
export const isNetworkPullError = (text: string): boolean =>
  /no such host|dial tcp|i\/o timeout|TLS handshake timeout|connection refused|connection reset|network is unreachable|Client\.Timeout|request canceled|context deadline exceeded|server misbehaving|temporary failure in name resolution|no route to host|EOF$/i.test(
    text,
  );
