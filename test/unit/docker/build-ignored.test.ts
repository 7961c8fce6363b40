import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFromMissing, heredocUnread, imageBuilds, notFoundPaths } from '../../../src/engine/checks/docker/image.js';
import { baseNotFetched } from '../../../src/engine/checks/docker/explain.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

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

describe('image.builds when a base image could not be fetched', () => {
  const dockerfile =
    'FROM golang:1.26.99-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /server /server\n';
  const analysis = analyzeDockerfile(dockerfile);
  // The builders' last lines, as recorded on the project's machine (no registry answers there).
  const buildkitNoHost = [
    'ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/1.26.99-trixie": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  ];
  const classicNoHost = ['Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host'];

  it('says the network did not let Docker reach the registry, names the FROM line and the ways around it', () => {
    const why = baseNotFetched(analysis, '[internal] load metadata for docker.io/library/golang:1.26.99-trixie', buildkitNoHost);
    expect(why?.en).toMatch(/^Docker could not reach Docker Hub to fetch golang:1\.26\.99-trixie \(line 1\): that is the network/);
    expect(why?.en).toContain('prepare --mirror');
    expect(why?.['zh-CN']).toContain('Docker 无法访问 Docker Hub 来获取 golang:1.26.99-trixie（第 1 行）');
    expect(cjkSpacingProblems(why?.['zh-CN'] ?? '')).toEqual([]);
    // The same from the FROM step itself, and for gcr.io.
    expect(baseNotFetched(analysis, '[build 1/4] FROM golang:1.26.99-trixie AS build', classicNoHost)?.en).toContain('(line 1)');
    const gcr = baseNotFetched(analysis, '[internal] load metadata for gcr.io/distroless/static-debian13:nonroot', [
      'failed to do request: Head "https://gcr.io/v2/distroless/static-debian13/manifests/nonroot": dial tcp 142.250.1.82:443: i/o timeout',
    ]);
    expect(gcr?.en).toContain('could not reach gcr.io to fetch gcr.io/distroless/static-debian13:nonroot (line 5)');
  });

  it('names the tags of that image this machine has: a mistyped tag is likelier than the network', () => {
    const why = baseNotFetched(analysis, '[internal] load metadata for docker.io/library/golang:1.26.99-trixie', buildkitNoHost, [
      'golang:1.26-trixie',
      'golang:1.26',
    ]);
    expect(why?.en).toBe(
      'golang:1.26.99-trixie (line 1) is not on this machine and Docker Hub did not give it; this machine has golang:1.26-trixie, golang:1.26. Check the tag on the FROM line: did you mean one of those?',
    );
    expect(why?.['zh-CN']).toContain('本机有 golang:1.26-trixie、golang:1.26');
    expect(cjkSpacingProblems(why?.['zh-CN'] ?? '')).toEqual([]);
    // Only the image itself here (it could not be resolved for another reason): the network words.
    expect(
      baseNotFetched(analysis, '[internal] load metadata for docker.io/library/golang:1.26.99-trixie', buildkitNoHost, ['golang:1.26.99-trixie'])?.en,
    ).toMatch(/^Docker could not reach Docker Hub/);
  });

  it('for a base pinned by digest: a mistyped digest names the one here, a copy never pulled says why it has none', () => {
    const pinned = (digest: string) => `FROM golang:1.26-trixie@sha256:${digest} AS build\nRUN go build -o /server .\n`;
    const typed = 'd'.repeat(63) + '1';
    const step = `[internal] load metadata for docker.io/library/golang:1.26-trixie@sha256:${typed}`;
    const noHost = [
      `ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/manifests/sha256:${typed}": dial tcp: lookup registry-1.docker.io: no such host`,
    ];
    const here = `sha256:${'d'.repeat(64)}`;
    const mistyped = baseNotFetched(analyzeDockerfile(pinned(typed)), step, noHost, ['golang:1.26-trixie'], here);
    expect(mistyped?.en).toBe(
      `The FROM (line 1) pins golang:1.26-trixie to sha256:${typed}, which this machine does not have and Docker Hub did not give; golang:1.26-trixie here is ${here}. Check the digest, all 64 hex digits: docker image inspect --format '{{index .RepoDigests 0}}' golang:1.26-trixie prints the one here.`,
    );
    expect(cjkSpacingProblems(mistyped?.['zh-CN'] ?? '')).toEqual([]);
    const neverPulled = baseNotFetched(analyzeDockerfile(pinned(typed)), step, noHost, ['golang:1.26-trixie'], null);
    expect(neverPulled?.en).toContain('golang:1.26-trixie is on this machine without a digest');
    expect(neverPulled?.en).toContain('prepare --import');
    expect(cjkSpacingProblems(neverPulled?.['zh-CN'] ?? '')).toEqual([]);
    // Neither the tag nor a digest here: the network words, not "did you mean" another tag.
    expect(baseNotFetched(analyzeDockerfile(pinned(typed)), step, noHost, ['golang:1.25'], null)?.en).toMatch(/^Docker could not reach Docker Hub/);
  });

  it('says the registry has no such image when it answered so, and nothing for other failures', () => {
    const unknown = baseNotFetched(analysis, '[internal] load metadata for docker.io/library/golang:1.26.99-trixie', [
      'ERROR: docker.io/library/golang:1.26.99-trixie: not found',
    ]);
    expect(unknown?.en).toBe(
      'Docker Hub has no image golang:1.26.99-trixie (line 1): check the name and the tag on the FROM line (docker image ls lists what this machine has).',
    );
    expect(baseNotFetched(analysis, '[build 4/4] RUN go build -o /server .', ['go: cannot find main module'])).toBeUndefined();
    expect(baseNotFetched(analysis, null, buildkitNoHost)).toBeUndefined();
  });

  it('joins the build failure in the verdict of image.builds', () => {
    if (bound.kind !== 'docker') throw new Error('image.builds is a Docker check');
    const outcome = bound.judge(
      {
        ...recorded.measurement,
        ok: false,
        sizeBytes: null,
        failedStep: '[internal] load metadata for docker.io/library/golang:1.26.99-trixie',
        tail: buildkitNoHost,
        ignored: [],
      },
      { dockerfile: analysis, dockerfilePath: 'Dockerfile', history: {} },
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('Docker could not reach Docker Hub to fetch golang:1.26.99-trixie (line 1)');
  });
});

describe('image.builds when COPY --from copies a path the stage does not have', () => {
  const dockerfile =
    'FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server ./cmd/server\n\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /out/server /server\nENTRYPOINT ["/server"]\n';
  const analysis = analyzeDockerfile(dockerfile);
  const step = '[stage-1 2/2] COPY --from=build /out/server /server';

  it("names the missing path, the COPY's line and where that stage's go build -o writes, in BuildKit's two wordings", () => {
    const newer = copyFromMissing(analysis, step, ['ERROR: "/out/server" not found: not found']);
    expect(newer?.en).toBe(
      'Stage build has no /out/server, so COPY --from=build /out/server (line 7) found nothing to copy: copy the path that stage wrote the file to. Its go build -o writes /server (line 4).',
    );
    expect(cjkSpacingProblems(newer?.['zh-CN'] ?? '')).toEqual([]);
    // BuildKit 0.8 (Docker 20.10) names the first missing folder of the path.
    const older = copyFromMissing(analysis, step, [
      'failed to compute cache key: failed to walk /var/lib/docker/overlay2/0c5f3a/merged/out: lstat /var/lib/docker/overlay2/0c5f3a/merged/out: no such file or directory',
    ]);
    expect(older?.en).toMatch(/^Stage build has no \/out, so COPY --from=build \/out\/server \(line 7\)/);
  });

  it('says nothing of another failure', () => {
    expect(copyFromMissing(analysis, '[build 4/4] RUN CGO_ENABLED=0 go build -o /server ./cmd/server', ['exit code: 1'])).toBeUndefined();
    expect(copyFromMissing(analysis, step, ['failed to solve: rpc error: code = Unknown desc = unexpected EOF'])).toBeUndefined();
  });
});
