// @ts-expect-error: a plain ES module of the test environment (scripts/test-env/registry.mjs), no types
import { serveImages } from '../../scripts/test-env/registry.mjs';

/**
 * The pull side of a registry on 127.0.0.1 (plain HTTP: loopback registries are insecure by
 * default), serving one image of the local engine as `repository:tag`, for tests of `prepare
 * --mirror` on machines that reach no registry (CI). The same server test-env uses to record the
 * stand-ins' digests; every request is recorded, to show the pull came from here.
 */
export interface MiniRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export const serveImage = (docker: string, image: string, repository: string, tag: string): Promise<MiniRegistry> =>
  serveImages({ docker, images: [{ image, repository, tag }], timeoutMs: 120_000 }) as Promise<MiniRegistry>;
