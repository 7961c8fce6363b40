import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSavedLayers } from '../../../src/engine/checks/docker/layer-files.js';
import { layerOverlaps, stepText } from '../../../src/engine/checks/docker/layer-waste.js';
import { chunks, tar } from './tar-fixture.js';

// image.layer-waste counts what dive calls wasted space: files a later layer writes again or
// deletes, which the earlier layer still ships. Its reader takes `docker save` output apart.

const layer = (files: Record<string, number>, deletes: string[] = [], opaque: string[] = []) => ({
  files: Object.entries(files).map(([path, bytes]) => ({ path, bytes })),
  deletes,
  opaque,
});

describe('layerOverlaps', () => {
  it('counts a file written again by a later layer (a chown -R) once per pair of layers', () => {
    const overlaps = layerOverlaps([
      layer({ 'etc/os-release': 100 }),
      layer({ 'app/server': 9_000_000, 'app/README': 10 }),
      layer({ 'app/server': 9_000_000, 'app/README': 10 }),
    ]);
    expect(overlaps).toEqual([{ layer: 1, by: 2, how: 'rewritten', files: 2, bytes: 9_000_010, example: '/app/server' }]);
  });
  it('counts files a later layer deletes, by a whiteout of the file or of a folder above it', () => {
    const overlaps = layerOverlaps([layer({ 'tmp/x.tgz': 5000, 'src/a.go': 10, 'src/b/c.go': 20, 'srcx/keep': 1 }), layer({}, ['tmp/x.tgz', 'src'])]);
    expect(overlaps).toEqual([{ layer: 0, by: 1, how: 'deleted', files: 3, bytes: 5030, example: '/tmp/x.tgz' }]);
  });
  it('treats an opaque folder as deleting what lower layers had in it, not what the same layer writes there', () => {
    const overlaps = layerOverlaps([layer({ 'var/cache/a': 300, 'var/cachex': 1 }), layer({ 'var/cache/b': 50 }, [], ['var/cache'])]);
    expect(overlaps).toEqual([{ layer: 0, by: 1, how: 'deleted', files: 1, bytes: 300, example: '/var/cache/a' }]);
  });
  it('sees a mv as a deletion of the old path (the new path is a new file)', () => {
    const overlaps = layerOverlaps([layer({ server: 9_000_000 }), layer({ 'app/server': 9_000_000 }, ['server'])]);
    expect(overlaps).toEqual([{ layer: 0, by: 1, how: 'deleted', files: 1, bytes: 9_000_000, example: '/server' }]);
  });
  it('finds nothing when every layer adds new files', () => {
    expect(layerOverlaps([layer({ 'etc/a': 1 }), layer({ 'app/server': 9 }), layer({ 'data/.keep': 0 })])).toEqual([]);
  });
  it('lists the biggest waste first', () => {
    const overlaps = layerOverlaps([layer({ a: 10, b: 1000 }), layer({ a: 10 }), layer({ b: 1000 })]);
    expect(overlaps.map((o) => [o.by, o.bytes])).toEqual([
      [2, 1000],
      [1, 10],
    ]);
  });
});

describe('stepText', () => {
  it('reads BuildKit steps as the Dockerfile line', () => {
    expect(stepText('COPY /out/server /app/server # buildkit')).toBe('COPY /out/server /app/server');
    expect(stepText('RUN /bin/sh -c mkdir -p /data  && chown -R 65532:65532 /app /data # buildkit')).toBe(
      'RUN mkdir -p /data && chown -R 65532:65532 /app /data',
    );
    expect(stepText('RUN |2 VERSION=dev COMMIT=none /bin/sh -c go build ./... # buildkit')).toBe('RUN go build ./...');
  });
  it('reads the classic builder steps, with a copied file named by its destination', () => {
    expect(stepText('/bin/sh -c #(nop) COPY file:8bb41bdd59e16b96e1d772f69bcc5fd1 in /app/server ')).toBe('COPY … /app/server');
    expect(stepText('/bin/sh -c chmod 0755 /app/server')).toBe('RUN chmod 0755 /app/server');
  });
});

describe('readSavedLayers', () => {
  const config = JSON.stringify({
    history: [
      { created_by: 'base layer' },
      { created_by: 'ENV PORT=8080', empty_layer: true },
      { created_by: 'COPY /out/server /app/server # buildkit' },
      { created_by: 'RUN /bin/sh -c chown -R 65532 /app # buildkit' },
      { created_by: 'RUN /bin/sh -c rm -rf /tmp # buildkit' },
    ],
  });
  const base = tar({ 'etc/os-release': 'ID=debian\n', 'tmp/junk': Buffer.alloc(700, 1) });
  const copy = tar({ 'app/server': Buffer.alloc(3000, 2) });
  const chown = tar({ 'app/server': Buffer.alloc(3000, 2) });
  const rm = tar({ '.wh.tmp': '', 'var/.wh..wh..opq': '' });

  it('reads the old format in manifest order, with each layer named by its step (steps without a layer skipped)', async () => {
    const saved = tar({
      'ddd/layer.tar': rm,
      'aaa/layer.tar': base,
      'bbb/layer.tar': copy,
      'ccc/layer.tar': chown,
      'cfg.json': config,
      'manifest.json': JSON.stringify([{ Config: 'cfg.json', Layers: ['aaa/layer.tar', 'bbb/layer.tar', 'ccc/layer.tar', 'ddd/layer.tar'] }]),
    });
    const layers = await readSavedLayers(chunks(saved));
    expect(layers.map((l) => [l.createdBy, l.files.map((f) => `${f.path}:${f.bytes}`), l.deletes, l.opaque])).toEqual([
      ['base layer', ['etc/os-release:10', 'tmp/junk:700'], [], []],
      ['COPY /out/server /app/server # buildkit', ['app/server:3000'], [], []],
      ['RUN /bin/sh -c chown -R 65532 /app # buildkit', ['app/server:3000'], [], []],
      ['RUN /bin/sh -c rm -rf /tmp # buildkit', [], ['tmp'], ['var']],
    ]);
    expect(layerOverlaps(layers).map((o) => [o.layer, o.by, o.how, o.bytes])).toEqual([
      [1, 2, 'rewritten', 3000],
      [0, 3, 'deleted', 700],
    ]);
  });
  it('reads gzip-compressed OCI blobs and follows a layer stored once under another name', async () => {
    const saved = tar({
      'blobs/sha256/c0': config,
      'blobs/sha256/l1': gzipSync(base),
      'blobs/sha256/l2': copy,
      'old/layer.tar': { link: '../blobs/sha256/l2' },
      'manifest.json': JSON.stringify([{ Config: 'blobs/sha256/c0', Layers: ['blobs/sha256/l1', 'old/layer.tar'] }]),
    });
    const layers = await readSavedLayers(chunks(saved));
    expect(layers.map((l) => [l.createdBy, l.files.length, l.unreadable])).toEqual([
      ['base layer', 2, false],
      ['COPY /out/server /app/server # buildkit', 1, false],
    ]);
  });
  it('marks a layer it cannot read (zstd) instead of guessing, and says when there is no manifest', async () => {
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600)]);
    const saved = tar({ 'blobs/sha256/z': zstd, 'manifest.json': JSON.stringify([{ Config: 'none', Layers: ['blobs/sha256/z'] }]) });
    expect((await readSavedLayers(chunks(saved)))[0]).toMatchObject({ unreadable: true, createdBy: '' });
    await expect(readSavedLayers(chunks(tar({ 'x/layer.tar': base })))).rejects.toThrow(/manifest\.json/);
  });
});
