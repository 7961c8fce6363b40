import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { check } from './helpers.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const OTHER = `sha256:${'fedcba9876543210'.repeat(4)}`;
/** A build stage and a final stage on these bases (line 1 and line 4). */
const two = (build: string, final: string) =>
  `FROM ${build} AS build\nRUN go build -o /out/server ./cmd/server\n\nFROM ${final}\nCOPY --from=build /out/server /server\n`;
const run = (dockerfile: string) => check('dockerfile.base-digest', dockerfile);

describe('dockerfile.base-digest', () => {
  it('passes when every external base has a tag and a sha256 digest, registry paths included, and lists them', async () => {
    const out = await run(two(`golang:1.26-trixie@${DIGEST}`, `gcr.io/distroless/static-debian13:nonroot@${OTHER}`));
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('golang:1.26-trixie@sha256:0123456789ab…');
    expect(out.message.en).toContain('gcr.io/distroless/static-debian13:nonroot@sha256:fedcba987654…');
    expect(out.message['zh-CN']).toContain('所有基础镜像都同时固定了标签和摘要');
    expect((await run(`FROM localhost:5000/team/go:1.26@${DIGEST}\nRUN true\n`)).status).toBe('pass');
  });
  it('leaves out scratch and stages built FROM an earlier stage', async () => {
    const dockerfile = `FROM golang:1.26@${DIGEST} AS build\nRUN true\nFROM build AS test\nRUN go test ./...\nFROM scratch\nCOPY --from=build /a /a\n`;
    const out = await run(dockerfile);
    expect(out.status).toBe('pass');
    expect(out.message.en).not.toContain('scratch');
    expect((await run('FROM scratch\nCOPY a /a\n')).status).toBe('pass');
  });
  it('reads the image after ARG expansion', async () => {
    const pinned = `ARG GO_IMAGE=golang:1.26@${DIGEST}\nFROM \${GO_IMAGE} AS build\nRUN true\n`;
    expect((await run(pinned)).status).toBe('pass');
    const digestArg = `ARG GO_DIGEST=${DIGEST}\nFROM golang:1.26@\${GO_DIGEST}\nRUN true\n`;
    expect((await run(digestArg)).status).toBe('pass');
    const tagOnly = await run('ARG GO_VERSION=1.26\nFROM golang:${GO_VERSION}\nRUN true\n');
    expect(tagOnly).toMatchObject({ status: 'fail', line: 2 });
    expect(tagOnly.message.en).toContain('FROM golang:1.26 has a tag but no digest');
  });
  it('fails a tag without a digest, naming the line and image and how to read the digest', async () => {
    const out = await run(two(`golang:1.26@${DIGEST}`, 'gcr.io/distroless/static-debian13:nonroot'));
    expect(out).toMatchObject({ status: 'fail', line: 4 });
    expect(out.message.en).toMatch(/^Line 4: FROM gcr\.io\/distroless\/static-debian13:nonroot has a tag but no digest/);
    expect(out.message.en).toContain('gcr.io/distroless/static-debian13:nonroot@sha256:<digest>');
    expect(out.message.en).toContain('docker buildx imagetools inspect gcr.io/distroless/static-debian13:nonroot prints it (the index digest');
    expect(out.message.en).toContain("docker image inspect --format '{{index .RepoDigests 0}}' gcr.io/distroless/static-debian13:nonroot");
    expect(out.message['zh-CN']).toMatch(/^第 4 行：FROM gcr\.io\/distroless\/static-debian13:nonroot 有标签但没有摘要/);
    expect(out.message['zh-CN']).toContain('索引摘要');
  });
  it('names the other FROM lines without a digest too', async () => {
    const out = await run(two('golang:1.26', 'gcr.io/distroless/static-debian13:nonroot'));
    expect(out).toMatchObject({ status: 'fail', line: 1 });
    expect(out.message.en).toContain('Same for line 4 (gcr.io/distroless/static-debian13:nonroot).');
    expect(out.message['zh-CN']).toContain('第 4 行（gcr.io/distroless/static-debian13:nonroot）也一样。');
  });
  it('fails an image with neither tag nor digest', async () => {
    const out = await run('FROM alpine\nRUN true\n');
    expect(out).toMatchObject({ status: 'fail', line: 1 });
    expect(out.message.en).toContain('neither a tag nor a digest');
    expect(out.message.en).toContain('alpine:<tag>@sha256:<digest>');
  });
  it('fails a digest without its tag: readers and update bots need the tag beside it', async () => {
    const out = await run(two(`golang@${DIGEST}`, `gcr.io/distroless/static-debian13:nonroot@${OTHER}`));
    expect(out).toMatchObject({ status: 'fail', line: 1 });
    expect(out.message.en).toContain('Keep the tag beside the digest');
    expect(out.message.en).toContain(`golang:<tag>@${DIGEST}`);
    expect(out.message.en).toContain('Dependabot or Renovate');
    expect(out.message['zh-CN']).toContain('请把标签和摘要写在一起');
  });
  it.each([
    ['a short digest', 'golang:1.26@sha256:0123abcd', '"sha256:0123abcd"'],
    ['a placeholder left in', 'golang:1.26@{{digest}}', 'a placeholder left in'],
    ['uppercase hex', `golang:1.26@${DIGEST.toUpperCase().replace('SHA256', 'sha256')}`, 'lowercase'],
    ['no algorithm', `golang:1.26@${DIGEST.slice('sha256:'.length)}`, 'where the digest goes'],
  ])("fails %s with lint's own finding (base-digest-invalid, an error)", async (_what, image, words) => {
    const dockerfile = `FROM ${image}\nRUN true\n`;
    const out = await run(dockerfile);
    expect(out).toMatchObject({ status: 'fail', line: 1 });
    expect(out.message.en).toContain(words);
    expect(out.message.en).toContain('docker buildx imagetools inspect golang:1.26');
    expect(out.message['zh-CN']).toContain('Docker 不接受这样的引用');
    const finding = analyzeDockerfile(dockerfile).findings.find((f) => f.id === 'base-digest-invalid');
    expect(finding).toMatchObject({ severity: 'error', line: 1 });
    expect(finding?.message).toEqual(out.message);
  });
  it('gives lint no finding for a tag without a digest, nor for a valid digest', () => {
    for (const image of ['golang:1.26', `golang:1.26@${DIGEST}`, `golang@${DIGEST}`, `golang@sha512:${'ab'.repeat(64)}`]) {
      expect(
        analyzeDockerfile(`FROM ${image}\nRUN true\n`).findings.map((f) => f.id),
        image,
      ).not.toContain('base-digest-invalid');
    }
  });
  it('fails a FROM whose ARG is never declared with the rule of lint', async () => {
    const out = await run('FROM golang:1.26@${GO_DIGEST}\nRUN true\n');
    expect(out).toMatchObject({ status: 'fail', line: 1 });
    expect(out.message.en).toContain('which no ARG before the first FROM declares');
  });
  it('is unknown when an ARG without a default decides the image, and a definite fault comes first', async () => {
    const out = await run('ARG BASE\nFROM ${BASE}\nRUN true\n');
    expect(out).toMatchObject({ status: 'unknown', line: 2 });
    expect(out.message.en).toContain('ARG without a default');
    expect(out.message['zh-CN']).toContain('没有默认值的 ARG');
    expect((await run('ARG BASE\nFROM ${BASE} AS build\nRUN true\nFROM alpine:3.20\nCOPY --from=build /a /a\n')).status).toBe('fail');
  });
  it('skips without a usable Dockerfile', async () => {
    expect((await check('dockerfile.base-digest', undefined)).status).toBe('skip');
    expect((await check('dockerfile.base-digest', 'FROM\n')).status).toBe('skip');
  });
});
