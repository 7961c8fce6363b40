import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
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
  it('fails a variable in a FROM that carries a digest: the digest decides, and no bot updates the line', async () => {
    const dockerfile = `ARG GO_VERSION=1.26\nFROM golang:\${GO_VERSION}-trixie@${DIGEST} AS build\nRUN true\n`;
    const out = await run(dockerfile);
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toBe(
      `Line 2: FROM golang:\${GO_VERSION}-trixie@${DIGEST} takes part of its name from GO_VERSION, but the digest decides which image is pulled: --build-arg GO_VERSION=<another value> would still build golang:1.26-trixie (the image of this digest), without a word; and Dependabot and Renovate cannot update a FROM line with a variable in it, so this digest would never move to a fixed image. Write the tag and digest out in the FROM line: FROM golang:1.26-trixie@${DIGEST} (and drop ARG GO_VERSION if nothing else uses it).`,
    );
    expect(out.message['zh-CN']).toContain(
      '但决定拉取哪个镜像的是摘要：--build-arg GO_VERSION=<别的值> 构建出来的仍然是 golang:1.26-trixie（这个摘要对应的镜像）',
    );
    expect(out.message['zh-CN']).toContain(
      `请在 FROM 行里直接写出标签和摘要：FROM golang:1.26-trixie@${DIGEST}（如果没有别处用到 ARG GO_VERSION，就删掉它）。`,
    );
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
    // The final stage is judged too, and a variable without a default is no excuse.
    const final = await run(`ARG TAG=nonroot\n${two(`golang:1.26@${DIGEST}`, `gcr.io/distroless/static-debian13:$TAG@${OTHER}`)}`);
    expect(final).toMatchObject({ status: 'fail', line: 5 });
    expect(final.message.en).toContain('--build-arg TAG=<another value> would still build gcr.io/distroless/static-debian13:nonroot');
    const noDefault = await run(`ARG GO_VERSION\nFROM golang:\${GO_VERSION}@${DIGEST}\nRUN true\n`);
    expect(noDefault).toMatchObject({ status: 'fail', line: 2 });
    expect(noDefault.message.en).toContain('FROM <image>:<tag>@sha256:<digest>');
  });
  it('fails a digest or a whole image taken from an ARG: the FROM line must say it', async () => {
    const image = await run(`ARG GO_IMAGE=golang:1.26@${DIGEST}\nFROM \${GO_IMAGE} AS build\nRUN true\n`);
    expect(image).toMatchObject({ status: 'fail', line: 2 });
    expect(image.message.en).toContain('FROM ${GO_IMAGE} takes the digest from GO_IMAGE, so the line does not say which image it builds');
    expect(image.message.en).toContain(`Write the tag and digest out in the FROM line: FROM golang:1.26@${DIGEST}`);
    expect(image.message['zh-CN']).toContain('的摘要来自 GO_IMAGE');
    expect(cjkSpacingProblems(image.message['zh-CN'])).toEqual([]);
    const digestArg = await run(`ARG GO_DIGEST=${DIGEST}\nFROM golang:1.26@\${GO_DIGEST}\nRUN true\n`);
    expect(digestArg).toMatchObject({ status: 'fail', line: 2 });
    expect(digestArg.message.en).toContain('Dependabot and Renovate cannot update a FROM line with a variable in it');
  });
  it('reads the image after ARG expansion', async () => {
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
    expect(out.message.en).toContain("docker image inspect --format '{{index .RepoDigests 0}}' golang:1.26 (after docker pull golang:1.26)");
    expect(out.message.en).toContain('docker buildx imagetools inspect golang:1.26 where buildx is installed');
    expect(out.message['zh-CN']).toContain('Docker 不接受这样的引用');
    expect(out.message['zh-CN']).toContain("请从 docker image inspect --format '{{index .RepoDigests 0}}' golang:1.26 的输出里完整复制");
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
    const finding = analyzeDockerfile(dockerfile).findings.find((f) => f.id === 'base-digest-invalid');
    expect(finding).toMatchObject({ severity: 'error', line: 1 });
    expect(finding?.message).toEqual(out.message);
  });
  it('says how many hex characters a digest of the wrong length has', async () => {
    const short = await run(`FROM golang:1.26@${DIGEST.slice(0, -1)}\nRUN true\n`);
    expect(short.message.en).toContain('where the digest goes, 63 of the 64 hex characters, and Docker refuses the reference');
    expect(short.message['zh-CN']).toContain('（64 个十六进制字符只有 63 个），Docker 不接受这样的引用');
    const long = await run(`FROM golang:1.26@${DIGEST}0\nRUN true\n`);
    expect(long.message.en).toContain('65 hex characters where a digest has 64');
    expect(long.message['zh-CN']).toContain('（有 65 个十六进制字符，而摘要只有 64 个）');
    const sha512 = await run(`FROM golang:1.26@sha512:${'ab'.repeat(60)}\nRUN true\n`);
    expect(sha512.message.en).toContain('120 of the 128 hex characters');
    for (const text of [short, long].map((o) => o.message['zh-CN'])) expect(cjkSpacingProblems(text)).toEqual([]);
    // Right length, wrong case: nothing about the length.
    const upper = await run(`FROM golang:1.26@sha256:${'ABCDEF0123456789'.repeat(4)}\nRUN true\n`);
    expect(upper.message.en).not.toContain('hex characters where');
    expect(upper.message.en).not.toContain(' of the 64');
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
