import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heredocUnread, imageBuilds, notFoundPaths } from '../../../src/engine/checks/docker/image.js';
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

  it('was recorded on a real engine finding the line of the case', () => {
    expect(judge(recorded.measurement).message.en).toContain(
      'go.sum is in your folder, but line 23 of .dockerignore ("go.sum") leaves it out of the build context',
    );
  });

  it('says nothing of an ignore file when none left the file out', () => {
    const { ignored: _ignored, ...without } = recorded.measurement;
    const outcome = judge(without);
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('"/go.sum" not found');
    expect(outcome.message.en).not.toContain('.dockerignore');
  });
});

describe('image.builds when the engine reads a heredoc as instructions', () => {
  it('says the built-in Dockerfile reader is older than heredocs, and the two ways out', () => {
    const dockerfile = 'FROM golang:1.26 AS test\nWORKDIR /src\nRUN <<EOF\nset -e\ngo vet ./...\ngo test ./...\nEOF\n';
    const tail = ['failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 5: unknown instruction: GO'];
    const why = heredocUnread(analyzeDockerfile(dockerfile), tail);
    expect(why?.en).toContain('Line 5 is inside the heredoc of line 3 (RUN <<EOF)');
    expect(why?.en).toContain('# syntax=docker/dockerfile:1');
    expect(why?.['zh-CN']).toContain('第 5 行在第 3 行的 heredoc');
    // A line outside any heredoc is another mistake.
    expect(heredocUnread(analyzeDockerfile(dockerfile), [tail[0]!.replace('line 5', 'line 2')])).toBeUndefined();
  });
});
