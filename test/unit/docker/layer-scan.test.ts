import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findInLayers } from '../../../src/engine/checks/docker/layer-scan.js';
import { chunks, tar } from './tar-fixture.js';

// image.no-secret searches every layer of `docker save` output: in the old format (<id>/layer.tar)
// and the OCI layout (blobs/sha256/..., gzip-compressed with the containerd image store), so a file
// that a later step deleted is still found in the layer that wrote it.

const TOKEN = 'ghp_LearnGoDockerFakeToken4242';
const base = tar({ 'etc/os-release': 'ID=debian\n', 'usr/bin/tool': Buffer.alloc(5000, 7) });
const leaky = tar({ 'root/.netrc': `machine github.com login x password ${TOKEN}\n` });
const cleanup = tar({ '.wh.root/.netrc': '' });

describe('findInLayers', () => {
  it('finds a file in an old-format layer although a later layer deletes it', async () => {
    const saved = tar({ 'aaa/layer.tar': base, 'bbb/layer.tar': leaky, 'ccc/layer.tar': cleanup, 'manifest.json': '[{"Layers":[]}]' });
    const result = await findInLayers(chunks(saved), TOKEN);
    expect(result.found).toEqual({ layer: 'bbb/layer.tar', path: 'root/.netrc' });
  });
  it('reads gzip-compressed OCI blobs and skips JSON blobs', async () => {
    const saved = tar({
      'blobs/sha256/1111': '{"schemaVersion":2}',
      'blobs/sha256/2222': gzipSync(base),
      'blobs/sha256/3333': gzipSync(leaky),
      'index.json': '{}',
    });
    const result = await findInLayers(chunks(saved), TOKEN);
    expect(result.found).toEqual({ layer: 'blobs/sha256/3333', path: 'root/.netrc' });
  });
  it('finds nothing in clean layers and counts them', async () => {
    const saved = tar({ 'aaa/layer.tar': base, 'blobs/sha256/2222': gzipSync(cleanup), 'blobs/sha256/9999': '{"config":{}}' });
    expect(await findInLayers(chunks(saved), TOKEN)).toEqual({ found: null, layers: 2, unreadable: 0 });
  });
  it('counts zstd layers as unreadable instead of clean', async () => {
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600, 1)]);
    const saved = tar({ 'blobs/sha256/4444': zstd });
    expect(await findInLayers(chunks(saved), TOKEN)).toEqual({ found: null, layers: 1, unreadable: 1 });
  });
});
