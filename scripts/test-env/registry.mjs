// The pull side of a registry (Distribution API v2) serving images of the local engine, for
// machines that reach no registry: test-env records the stand-ins' digests through it (digests.sh)
// and the Docker tests of `prepare --mirror` pull from it (test/docker/mini-registry.ts).
//
// Each image is what `docker save` writes. Layers are served as the uncompressed tars of the save
// (Docker's puller detects the compression itself), so a layer's digest is its diff id and the
// engine that pulls gets the same config, hence the same image id: a pull only adds the digest to
// the names the image already has. Served from the save's files on disk, never held in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const sha = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const shaOfFile = async (path) => {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest('hex')}`;
};

/**
 * Serves `images` ({ image, repository, tag }: the local image `image` as `repository:tag`, e.g.
 * `library/golang` and `1.26-trixie`) on 127.0.0.1. `tls` ({ key, cert }) makes it HTTPS, `port`
 * defaults to any free one; `alsoHttp` serves the same over plain HTTP on a free port too. Resolves to
 * { host, port, httpPort, requests, digests, close }: `digests` maps
 * `repository:tag` to the manifest digest a pull records; every request is in `requests`.
 */
export const serveImages = async ({ docker, images, tls, alsoHttp = false, port = 0, timeoutMs = 600_000 }) => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-registry-'));
  const blobs = new Map(); // digest -> { path } | { bytes }
  const manifests = new Map(); // `${repository}:${tag}` or `${repository}@${digest}` -> bytes
  const digests = {};
  try {
    for (const [i, { image, repository, tag }] of images.entries()) {
      const into = join(dir, String(i));
      await execa('mkdir', ['-p', into]);
      await execa(docker, ['save', '-o', join(into, 'image.tar'), image], { timeout: timeoutMs });
      await execa('tar', ['-xf', join(into, 'image.tar'), '-C', into], { timeout: timeoutMs });
      await rm(join(into, 'image.tar'));
      const [saved] = JSON.parse(await readFile(join(into, 'manifest.json'), 'utf8'));
      if (!saved) throw new Error(`docker save ${image} wrote no manifest`);
      const config = await readFile(join(into, saved.Config));
      blobs.set(sha(config), { bytes: config });
      const layers = [];
      for (const layer of saved.Layers) {
        const path = join(into, layer);
        const digest = await shaOfFile(path);
        blobs.set(digest, { path });
        layers.push({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: (await stat(path)).size, digest });
      }
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
          layers,
        }),
      );
      manifests.set(`${repository}:${tag}`, manifest);
      manifests.set(`${repository}@${sha(manifest)}`, manifest);
      digests[`${repository}:${tag}`] = sha(manifest);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const requests = [];
  const handler = (req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const head = (status, type, length, extra = {}) =>
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(length), 'Docker-Distribution-API-Version': 'registry/2.0', ...extra });
    const send = (status, body, type = 'application/json', extra = {}) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      head(status, type, bytes.length, extra);
      res.end(req.method === 'HEAD' ? undefined : bytes);
    };
    const unknown = (code) => send(404, JSON.stringify({ errors: [{ code, message: `${code.toLowerCase()}: ${url}` }] }));
    if (url === '/v2/' || url === '/v2') return send(200, '{}');
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(url);
    if (!m) return unknown('NAME_UNKNOWN');
    const [, repository, kind, ref] = m;
    if (kind === 'manifests') {
      const manifest = manifests.get(`${repository}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`);
      return manifest ? send(200, manifest, MANIFEST, { 'Docker-Content-Digest': sha(manifest) }) : unknown('MANIFEST_UNKNOWN');
    }
    const blob = blobs.get(ref);
    if (!blob) return unknown('BLOB_UNKNOWN');
    if (blob.bytes) return send(200, blob.bytes, 'application/octet-stream', { 'Docker-Content-Digest': ref });
    stat(blob.path).then(
      ({ size }) => {
        head(200, 'application/octet-stream', size, { 'Docker-Content-Digest': ref });
        if (req.method === 'HEAD') return res.end();
        createReadStream(blob.path)
          .on('error', () => res.destroy())
          .pipe(res);
      },
      () => unknown('BLOB_UNKNOWN'),
    );
  };
  const listen = async (server, at) => {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', resolve);
    });
    return server;
  };
  const servers = [await listen(tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler), port)];
  // Docker Hub's images are pulled through a registry mirror (a TLS registry named
  // registry-1.docker.io would need the system's trust store, which dockerd reads once).
  if (tls && alsoHttp) servers.push(await listen(createHttpServer(handler), 0));
  const [bound, plain] = servers.map((server) => server.address().port);
  return {
    host: `127.0.0.1:${bound}`,
    port: bound,
    httpPort: plain,
    requests,
    digests,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
      for (const server of servers) server.closeAllConnections?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

// As a program (digests.sh): node registry.mjs DOCKER KEY CERT PORT IMAGE=REPOSITORY:TAG...
// Prints `ready <https port> <http port>` and each `repository:tag digest`, then serves until stdin closes or a signal.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [docker, key, cert, port, ...specs] = process.argv.slice(2);
  const images = specs.map((spec) => {
    const [image, target] = spec.split('=');
    const colon = target.lastIndexOf(':');
    return { image, repository: target.slice(0, colon), tag: target.slice(colon + 1) };
  });
  const registry = await serveImages({ docker, images, port: Number(port), alsoHttp: true, tls: { key: await readFile(key), cert: await readFile(cert) } });
  process.stdout.write(`ready ${registry.port} ${registry.httpPort}\n`);
  for (const [name, digest] of Object.entries(registry.digests)) process.stdout.write(`${name} ${digest}\n`);
  const stop = async () => {
    await registry.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).resume();
}
