import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageBuilds, notFoundPaths } from '../../../src/engine/checks/docker/image.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

// A learner excludes go.sum in .dockerignore (mistaken for a lock file) and the build says only
// `"/go.sum" not found`, though the file is right there in their folder. The measure finds the
// ignore file's line that left it out, and the verdict names it.
const recorded = JSON.parse(
  readFileSync(join(packageRoot(), 'test/fixtures/docker/recorded/measurements/layers-and-cache.case-ignore-excludes-go-sum.image.builds.json'), 'utf8'),
) as { dockerfile: string; measurement: Record<string, unknown> & { tail: string[] } };

const bound = imageBuilds.bind({});
const judge = (measurement: Record<string, unknown>) => {
  if (bound.kind !== 'docker') throw new Error('image.builds is a Docker check');
  return bound.judge(measurement, { dockerfile: analyzeDockerfile(recorded.dockerfile, { dockerignore: null }), dockerfilePath: 'Dockerfile', history: {} });
};

describe('image.builds when the ignore file leaves out a file the build copies', () => {
  it('reads the paths BuildKit did not find, in the old and the new wording', () => {
    expect(notFoundPaths(recorded.measurement.tail)).toEqual(['go.sum']);
    expect(notFoundPaths(['ERROR: failed to calculate checksum of ref abc::def: "/cmd/server": not found', 'x "/go.sum" not found'])).toEqual([
      'cmd/server',
      'go.sum',
    ]);
    expect(notFoundPaths(['executor failed running [/bin/sh -c go build]: exit code: 1'])).toEqual([]);
  });

  it('names the ignore file and its line, in both languages', () => {
    const ignored = [{ path: 'go.sum', ignoreFile: '.dockerignore', line: 3, pattern: '*.sum' }];
    const outcome = judge({ ...recorded.measurement, ignored });
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('line 3 of .dockerignore ("*.sum") leaves it out of the build context');
    expect(outcome.message.en).toContain('"!go.sum"');
    expect(outcome.message['zh-CN']).toContain('.dockerignore 第 3 行（"*.sum"）');
  });

  it('says nothing of an ignore file when none left the file out (as recorded before the measure looked)', () => {
    const outcome = judge(recorded.measurement);
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('"/go.sum" not found');
    expect(outcome.message.en).not.toContain('.dockerignore');
  });
});
