import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';

/**
 * The pull side of a registry (Distribution API v2), serving one image of the local engine under
 * one repository name, for tests of `prepare --mirror` on machines that reach no registry (CI).
 * The image is what `docker save` writes, its layers gzipped: the engine that pulls it gets the
 * same config, hence the same image id. Docker pulls from 127.0.0.1 over plain HTTP (loopback
 * registries are insecure by default). Every request is recorded, to show the pull came from here.
 */
export interface MiniRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly requests: string[];
  close(): Promise<void>;
}

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const sha = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export const serveImage = async (docker: string, image: string, repository: string, tag: string): Promise<MiniRegistry> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-mini-registry-'));
  const blobs = new Map<string, Buffer>();
  let manifest: Buffer;
  try {
    await execa(docker, ['save', '-o', join(dir, 'image.tar'), image], { timeout: 120_000 });
    await execa('tar', ['-xf', join(dir, 'image.tar'), '-C', dir], { timeout: 120_000 });
    const [saved] = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
    if (!saved) throw new Error(`docker save ${image} wrote no manifest`);
    const config = await readFile(join(dir, saved.Config));
    blobs.set(sha(config), config);
    const layers = [];
    for (const path of saved.Layers) {
      const gz = gzipSync(await readFile(join(dir, path)), { level: 1 });
      blobs.set(sha(gz), gz);
      layers.push({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: gz.length, digest: sha(gz) });
    }
    manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
        layers,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const manifestDigest = sha(manifest);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const send = (status: number, body: Buffer | string, type = 'application/json', extra: Record<string, string> = {}) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(bytes.length), 'Docker-Distribution-API-Version': 'registry/2.0', ...extra });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    };
    const unknown = (code: string) => send(404, JSON.stringify({ errors: [{ code, message: `${code.toLowerCase()}: ${url}` }] }));
    if (url === '/v2/' || url === '/v2') return send(200, '{}');
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url);
    if (!m || m[1] !== repository) return unknown('NAME_UNKNOWN');
    if (m[2] === 'manifests') {
      if (m[3] !== tag && m[3] !== manifestDigest) return unknown('MANIFEST_UNKNOWN');
      return send(200, manifest, MANIFEST, { 'Docker-Content-Digest': manifestDigest });
    }
    const blob = blobs.get(m[3] ?? '');
    return blob ? send(200, blob, 'application/octet-stream', { 'Docker-Content-Digest': m[3] ?? '' }) : unknown('BLOB_UNKNOWN');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
