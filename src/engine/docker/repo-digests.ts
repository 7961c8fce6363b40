import { parseImageRef, repositoryName } from '../dockerfile/image-ref.js';
import { dockerExec, QUICK_TIMEOUT_MS } from './exec.js';

/**
 * The digest this engine recorded for each image (`RepoDigests`: written when an image is pulled
 * or pushed, never for one built or loaded here), as `sha256:…`. An image that is missing or has
 * no digest of its own repository is left out.
 */
export const localDigests = async (refs: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> => {
  const found = await Promise.all(
    refs.map(async (ref): Promise<[string, string] | undefined> => {
      const out = await dockerExec(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], { timeoutMs: QUICK_TIMEOUT_MS, signal }).catch(
        () => undefined,
      );
      if (!out || out.exitCode !== 0) return undefined;
      const repository = repositoryName(parseImageRef(ref));
      const own = parseRepoDigests(out.stdout)
        .map(parseImageRef)
        .find((d) => repositoryName(d) === repository);
      return own?.digest ? [ref, own.digest] : undefined;
    }),
  );
  return new Map(found.filter((entry): entry is [string, string] => entry !== undefined));
};

/** `["golang@sha256:…"]` as `docker image inspect` prints it; [] for anything else. */
export const parseRepoDigests = (stdout: string): string[] => {
  try {
    const parsed: unknown = JSON.parse(stdout.trim() || 'null');
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string' && /@sha256:[0-9a-f]{64}$/.test(d)) : [];
  } catch {
    return [];
  }
};
