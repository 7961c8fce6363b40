import { describe, expect, it } from 'vitest';
import { BUILD, GOOD, check } from './helpers.js';

const FINAL = (lines: string) => `${BUILD}\n${lines}`;

describe('dockerfile.exists', () => {
  it('passes when the Dockerfile parses and says what it found', async () => {
    const out = await check('dockerfile.exists', GOOD);
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('2 stages');
  });
  it('fails when the file is missing', async () => {
    const out = await check('dockerfile.exists', undefined);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('does not exist');
  });
  it('fails with the parse error and its line', async () => {
    const out = await check('dockerfile.exists', 'FROM alpine:3.20\nUSR app\n');
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('USER');
    expect(out.message['zh-CN']).toContain('第 2 行');
  });
});

describe('other dockerfile.* checks without a usable Dockerfile', () => {
  it.each(['dockerfile.user', 'dockerfile.exec-form', 'dockerfile.multi-stage'])('%s skips when the file does not parse', async (id) => {
    const out = await check(id, 'FROM\n');
    expect(out.status).toBe('skip');
    expect(out.message.en).toContain('fix the Dockerfile first');
  });
  it('skips when the file is missing', async () => {
    expect((await check('dockerfile.user', undefined)).status).toBe('skip');
  });
});

describe('dockerfile.base-pinned', () => {
  it('passes for tags, digests and scratch', async () => {
    expect((await check('dockerfile.base-pinned', GOOD)).status).toBe('pass');
    expect((await check('dockerfile.base-pinned', 'FROM scratch\nCOPY a /a\n')).status).toBe('pass');
    expect((await check('dockerfile.base-pinned', 'FROM golang@sha256:0123\nRUN true\n')).status).toBe('pass');
  });
  it('fails on an untagged or latest image after ARG expansion, naming the line', async () => {
    const out = await check('dockerfile.base-pinned', 'ARG TAG=latest\nFROM golang:1.26 AS build\nFROM alpine:${TAG}\nCOPY --from=build /a /a\n');
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('alpine:latest');
  });
  it('is unknown when the tag comes from an ARG without a default', async () => {
    expect((await check('dockerfile.base-pinned', 'ARG V\nFROM golang:${V}\nRUN true\n')).status).toBe('unknown');
  });
  it.each([
    'golang:1.26',
    'golang:1.26.3',
    'golang:1.26-bookworm',
    'golang:1.26-trixie',
    'debian:trixie-slim',
    'alpine:3.20',
    'postgres:17-trixie',
    'golang@sha256:0123',
  ])('passes FROM %s: a version tag or a digest', async (image) => {
    expect((await check('dockerfile.base-pinned', `FROM ${image}\nRUN true\n`)).status).toBe('pass');
  });
  it.each(['golang:1', 'golang:bookworm', 'alpine', 'debian:stable-slim', 'golang:latest', 'golang'])(
    "fails FROM %s: no version in the tag, with the rule's own words",
    async (image) => {
      const out = await check('dockerfile.base-pinned', `FROM ${image}\nRUN true\n`);
      expect(out).toMatchObject({ status: 'fail', line: 1 });
      expect(out.message.en).toContain(`FROM ${image} `);
      expect(out.message.en).toContain('Pin a version you chose');
      expect(out.message['zh-CN']).toContain('请固定一个你选定的版本');
    },
  );
  it('decides distroless by the Debian release in the repository name', async () => {
    const final = (base: string) => `FROM golang:1.26 AS build\nRUN true\nFROM ${base}\nCOPY --from=build /a /a\n`;
    expect((await check('dockerfile.base-pinned', final('gcr.io/distroless/static-debian13:nonroot'))).status).toBe('pass');
    const floating = await check('dockerfile.base-pinned', final('gcr.io/distroless/static:nonroot'));
    expect(floating).toMatchObject({ status: 'fail', line: 3 });
    expect(floating.message.en).toContain('static-debian13:nonroot');
  });
  it('reads the version after ARG expansion: a major-only default does not pin', async () => {
    const out = await check('dockerfile.base-pinned', 'ARG GO_VERSION=1\nFROM golang:${GO_VERSION}-trixie\nRUN true\n');
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('golang:1.26-trixie');
  });
});

describe('dockerfile.multi-stage', () => {
  it('passes when the final stage copies from an earlier stage (name in any case, or index)', async () => {
    expect((await check('dockerfile.multi-stage', GOOD)).status).toBe('pass');
    expect((await check('dockerfile.multi-stage', FINAL('FROM scratch\nCOPY --from=BUILD /out/server /server\n'))).status).toBe('pass');
    expect((await check('dockerfile.multi-stage', FINAL('FROM scratch\nCOPY --from=0 /out/server /server\n'))).status).toBe('pass');
  });
  it('fails for a single stage', async () => {
    expect((await check('dockerfile.multi-stage', BUILD)).status).toBe('fail');
  });
  it('fails when the final stage copies from a misspelt stage, naming the line', async () => {
    const out = await check('dockerfile.multi-stage', FINAL('FROM scratch\nCOPY --from=biuld /out/server /server\n'));
    expect(out).toMatchObject({ status: 'fail', line: 9 });
    expect(out.message.en).toContain('biuld');
  });
  it('fails when the final stage does not copy from a stage at all', async () => {
    expect((await check('dockerfile.multi-stage', FINAL('FROM alpine:3.20\nCOPY server /server\n'))).status).toBe('fail');
  });
});

describe('dockerfile.final-base', () => {
  const allow = { allow: ['scratch', 'gcr.io/distroless/static*'] };
  it('passes when the final base matches a glob', async () => {
    const out = await check('dockerfile.final-base', GOOD, allow);
    expect(out.status).toBe('pass');
    expect(out.measured?.finalBase).toBe('gcr.io/distroless/static-debian13:nonroot');
  });
  it('follows a final stage built FROM an earlier stage down to its image', async () => {
    const text = 'FROM scratch AS base\nCOPY server /server\nFROM base\nUSER 65532\n';
    expect((await check('dockerfile.final-base', text, allow)).status).toBe('pass');
  });
  it('fails for a big base and says which bases are allowed', async () => {
    const out = await check('dockerfile.final-base', BUILD, allow);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('golang:1.26-alpine');
    expect(out.message.en).toContain('scratch');
  });
  it('is unknown when the final base comes from an ARG without default', async () => {
    expect((await check('dockerfile.final-base', 'ARG BASE\nFROM ${BASE}\nCOPY a /a\n', allow)).status).toBe('unknown');
  });
});

describe('dockerfile.deps-before-source', () => {
  it('passes when go.mod/go.sum are copied and downloaded first', async () => {
    expect((await check('dockerfile.deps-before-source', GOOD)).status).toBe('pass');
  });
  it('fails at the line that copies the source too early', async () => {
    const text = 'FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /server .\n';
    const out = await check('dockerfile.deps-before-source', text);
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('go mod download');
  });
  it('is unknown when nothing runs go build', async () => {
    expect((await check('dockerfile.deps-before-source', 'FROM alpine:3.20\nCOPY server /server\n')).status).toBe('unknown');
  });
  it('passes the source copied first when go build mounts the module cache (no separate download)', async () => {
    const text =
      'FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /server ./cmd/server\n';
    const out = await check('dockerfile.deps-before-source', text);
    expect(out).toMatchObject({ status: 'pass', line: 4 });
    expect(out.message.en).toContain('target=/go/pkg/mod');
  });
  it('fails the source copied first when the only cache mount is the build cache', async () => {
    const text = 'FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /server ./cmd/server\n';
    expect(await check('dockerfile.deps-before-source', text)).toMatchObject({ status: 'fail', line: 3 });
  });
  it('fails a module cache mount on go mod download that go build does not mount, at the go build line', async () => {
    const text =
      'FROM golang:1.26\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN go build -o /server ./cmd/server\n';
    const out = await check('dockerfile.deps-before-source', text);
    expect(out).toMatchObject({ status: 'fail', line: 6 });
    expect(out.message.en).toContain('line 4');
    expect(out.message['zh-CN']).toContain('第 4 行');
  });
  it('reads the module cache from GOMODCACHE', async () => {
    const mount = (target: string) => `FROM golang:1.26\nENV GOMODCACHE=/cache/mod\nCOPY . .\nRUN --mount=type=cache,target=${target} go build -o /s .\n`;
    expect((await check('dockerfile.deps-before-source', mount('/cache/mod'))).status).toBe('pass');
    expect((await check('dockerfile.deps-before-source', mount('/go/pkg/mod'))).status).toBe('fail');
  });
});

describe('dockerfile.cache-mount', () => {
  it('passes when go build mounts the Go build cache, naming its line', async () => {
    const text = 'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /s .\n';
    expect(await check('dockerfile.cache-mount', text)).toMatchObject({ status: 'pass', line: 2 });
  });
  it('passes, with a note, when go build mounts the module cache but go mod download does not (two downloads on a cold cache)', async () => {
    const text =
      'FROM golang:1.26\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /s .\n';
    const out = await check('dockerfile.cache-mount', text);
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('Mount /go/pkg/mod on go mod download (line 3) too');
    const both = text.replace('RUN go mod download', 'RUN --mount=type=cache,target=/go/pkg/mod go mod download');
    expect((await check('dockerfile.cache-mount', both)).message.en).not.toContain('too:');
  });
  it('accepts a mount on a folder above the build cache ($HOME/.cache), and a go build in a heredoc', async () => {
    const above = 'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache go build -o /s .\n';
    expect(await check('dockerfile.cache-mount', above)).toMatchObject({ status: 'pass', line: 2 });
    const heredoc = 'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build <<EOF\nCGO_ENABLED=0 go build -o /s .\nEOF\n';
    expect(await check('dockerfile.cache-mount', heredoc)).toMatchObject({ status: 'pass', line: 2 });
    // Not a folder above it: /root/.cache-old holds nothing of Go's.
    expect((await check('dockerfile.cache-mount', above.replace('target=/root/.cache ', 'target=/root/.cache-old '))).status).toBe('fail');
  });
  it('accepts the build cache where GOCACHE points', async () => {
    const text = 'FROM golang:1.26\nENV GOCACHE=/cache/build\nRUN --mount=type=cache,target=/cache/build go install ./cmd/server\n';
    expect((await check('dockerfile.cache-mount', text)).status).toBe('pass');
  });
  it('fails without any cache mount, pointing at go build', async () => {
    const out = await check('dockerfile.cache-mount', GOOD);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('compiles every package again');
  });
  it('fails when the build cache is mounted on a RUN that does not compile', async () => {
    const text = 'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build go mod download\nRUN go build -o /s .\n';
    const out = await check('dockerfile.cache-mount', text);
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('(line 3)');
    expect(out.message['zh-CN']).toContain('第 3 行');
  });
  it('fails when go build mounts only the module cache', async () => {
    const text = 'FROM golang:1.26\nENV GOMODCACHE=/cache/mod\nRUN --mount=type=cache,target=/cache/mod go build -o /s .\n';
    const out = await check('dockerfile.cache-mount', text);
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('only the module cache (/cache/mod)');
  });
  it('fails when the cache mount is for something else, naming its line', async () => {
    const text = 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\nRUN go build -o /s .\n';
    expect(await check('dockerfile.cache-mount', text)).toMatchObject({ status: 'fail', line: 2 });
  });
  it('is unknown when the target is a variable, or when no RUN compiles', async () => {
    const variable = 'FROM golang:1.26\nARG CACHE\nRUN --mount=type=cache,target=$CACHE go build .\n';
    expect((await check('dockerfile.cache-mount', variable)).status).toBe('unknown');
    expect((await check('dockerfile.cache-mount', 'FROM golang:1.26\nRUN ./build.sh\n')).status).toBe('unknown');
  });
});

describe('dockerfile.test-stage', () => {
  const build = 'FROM golang:1.26 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\n';
  const final = 'FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n';
  it('passes for a test stage before the final one that runs go test, naming that line', async () => {
    const out = await check('dockerfile.test-stage', `${build}FROM build AS test\nRUN go vet ./... && go test ./...\n${final}`);
    expect(out).toMatchObject({ status: 'pass', line: 6 });
  });
  it('matches the stage name case-insensitively', async () => {
    expect((await check('dockerfile.test-stage', `${build}from build as Test\nrun go test ./...\n${final}`)).status).toBe('pass');
  });
  it('fails without a test stage, saying what to add', async () => {
    const out = await check('dockerfile.test-stage', `${build}${final}`);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('FROM build AS test, then RUN go test ./...');
    expect(out.message['zh-CN']).toContain('FROM build AS test');
  });
  it('fails when the test stage is the last one: it would be the image', async () => {
    const out = await check('dockerfile.test-stage', `${build}${final}FROM build AS test\nRUN go test ./...\n`);
    expect(out).toMatchObject({ status: 'fail', line: 8 });
    expect(out.message.en).toContain('the image would be the tests');
  });
  it('fails when || true throws the exit status of the tests away, quoting it', async () => {
    const out = await check('dockerfile.test-stage', `${build}FROM build AS test\nRUN go vet ./... && go test ./... || true\n${final}`);
    expect(out).toMatchObject({ status: 'fail', line: 6 });
    expect(out.message.en).toContain('`|| true` after go test throws its exit status away');
    expect(out.message['zh-CN']).toContain('`|| true`');
  });
  it("fails a pipe or a command after go test (the RUN status is the last command's), but not under set -e or pipefail", async () => {
    const stage = (run: string) => `${build}FROM build AS test\n${run}\n${final}`;
    const piped = await check('dockerfile.test-stage', stage('RUN go vet ./... && go test -v ./... 2>&1 | tee /tmp/go-test.log'));
    expect(piped.status).toBe('fail');
    expect(piped.message.en).toContain('`| tee /tmp/go-test.log` after go test throws its exit status away');
    expect((await check('dockerfile.test-stage', stage('RUN go test ./... ; true'))).message.en).toContain('`; true` after go test');
    expect((await check('dockerfile.test-stage', stage('RUN <<EOF\ngo test ./...\necho tests done\nEOF'))).message.en).toContain(
      '`echo tests done` after go test',
    );
    expect((await check('dockerfile.test-stage', stage('RUN <<EOF\nset -e\ngo test ./...\necho tests done\nEOF'))).status).toBe('pass');
    expect((await check('dockerfile.test-stage', stage('RUN set -o pipefail && go test ./... | tee log'))).status).toBe('pass');
    expect((await check('dockerfile.test-stage', stage('RUN go test ./... 2>&1 && go vet ./...'))).status).toBe('pass');
    // The pipe's own advice, and a SHELL with pipefail (or -e) before the RUN.
    expect(piped.message.en).toContain('or make the pipe fail with it (SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN)');
    expect((await check('dockerfile.test-stage', stage('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN go test ./... | tee log'))).status).toBe('pass');
    expect((await check('dockerfile.test-stage', stage('SHELL ["/bin/bash", "-ec"]\nRUN go test ./... ; echo done'))).status).toBe('pass');
    // -race is a go test flag, not the shell's -e.
    expect((await check('dockerfile.test-stage', stage('RUN go test -race ./... ; echo done'))).status).toBe('fail');
  });
  it('reads go test in a heredoc RUN', async () => {
    const out = await check('dockerfile.test-stage', `${build}FROM build AS test\nRUN <<EOF\nset -e\ngo vet ./...\ngo test ./...\nEOF\n${final}`);
    expect(out).toMatchObject({ status: 'pass', line: 6 });
  });
  it('fails when the test stage runs no go test', async () => {
    const out = await check('dockerfile.test-stage', `${build}FROM build AS test\nRUN go vet ./...\n${final}`);
    expect(out).toMatchObject({ status: 'fail', line: 5 });
  });
});

describe('dockerfile.cgo-disabled', () => {
  it('passes with CGO_ENABLED=0 inline, in ENV or in ARG', async () => {
    expect((await check('dockerfile.cgo-disabled', GOOD)).status).toBe('pass');
    expect((await check('dockerfile.cgo-disabled', 'FROM golang:1.26\nENV CGO_ENABLED=0\nRUN go build .\n')).status).toBe('pass');
    expect((await check('dockerfile.cgo-disabled', 'FROM golang:1.26\nARG CGO_ENABLED=0\nRUN go build .\n')).status).toBe('pass');
  });
  it('fails with CGO_ENABLED=1 when the final image has no C library', async () => {
    const text = 'FROM golang:1.26 AS b\nRUN CGO_ENABLED=1 go build -o /s .\nFROM scratch\nCOPY --from=b /s /s\n';
    expect(await check('dockerfile.cgo-disabled', text)).toMatchObject({ status: 'fail', line: 2 });
  });
  it('is unknown when not said (Go may turn cgo off by itself)', async () => {
    const text = 'FROM golang:1.26-alpine AS b\nRUN go build -o /s .\nFROM scratch\nCOPY --from=b /s /s\n';
    expect((await check('dockerfile.cgo-disabled', text)).status).toBe('unknown');
  });
  it('is unknown with CGO_ENABLED=1 on a base that has a C library', async () => {
    expect((await check('dockerfile.cgo-disabled', 'FROM golang:1.26\nRUN CGO_ENABLED=1 go build .\n')).status).toBe('unknown');
  });
});

describe('dockerfile.exec-form', () => {
  it('passes for a JSON array', async () => {
    expect((await check('dockerfile.exec-form', GOOD)).status).toBe('pass');
  });
  it('fails for shell form and explains SIGTERM', async () => {
    const out = await check('dockerfile.exec-form', FINAL('FROM alpine:3.20\nCOPY --from=build /out/server /server\nCMD /server\n'));
    expect(out).toMatchObject({ status: 'fail', line: 10 });
    expect(out.message.en).toContain('SIGTERM');
  });
  it('fails for JSON-looking text that BuildKit runs as shell form', async () => {
    const out = await check('dockerfile.exec-form', 'FROM alpine:3.20\nENTRYPOINT ["/server",]\n');
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('comma');
  });
  it('fails when a shell-less final image has no command', async () => {
    expect((await check('dockerfile.exec-form', 'FROM scratch\nCOPY s /s\n')).status).toBe('fail');
  });
  it('is unknown when an unknown base may bring its own command', async () => {
    expect((await check('dockerfile.exec-form', 'FROM ghcr.io/acme/runtime:1\nCOPY s /s\n')).status).toBe('unknown');
  });
});

describe('dockerfile.user', () => {
  it('passes for a non-root USER and for distroless :nonroot without USER', async () => {
    expect((await check('dockerfile.user', 'FROM alpine:3.20\nUSER 10001:10001\n')).status).toBe('pass');
    const out = await check('dockerfile.user', GOOD);
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('65532');
  });
  it('fails for USER root, 0:0 and for scratch without USER', async () => {
    expect(await check('dockerfile.user', 'FROM alpine:3.20\nUSER 0:0\n')).toMatchObject({ status: 'fail', line: 2 });
    expect((await check('dockerfile.user', 'FROM alpine:3.20\nUSER root:root\n')).status).toBe('fail');
    expect((await check('dockerfile.user', 'FROM scratch\nCOPY s /s\n')).status).toBe('fail');
  });
  it('is unknown for USER from an ARG without default, or an unknown base', async () => {
    expect((await check('dockerfile.user', 'FROM alpine:3.20\nARG UID\nUSER ${UID}\n')).status).toBe('unknown');
    expect((await check('dockerfile.user', 'FROM ghcr.io/acme/runtime:1\nCOPY s /s\n')).status).toBe('unknown');
  });
});

describe('dockerfile.expose', () => {
  it('passes when the port is exposed (with protocol, via ARG)', async () => {
    expect((await check('dockerfile.expose', GOOD, { port: 8080 })).status).toBe('pass');
    expect((await check('dockerfile.expose', 'FROM alpine:3.20\nARG P=9090\nEXPOSE ${P}/tcp\n', { port: 9090 })).status).toBe('pass');
  });
  it('fails for another port, saying which one is exposed', async () => {
    const out = await check('dockerfile.expose', GOOD, { port: 9090 });
    expect(out).toMatchObject({ status: 'fail', line: 10 });
    expect(out.message.en).toContain('8080');
  });
  it('fails without EXPOSE', async () => {
    expect((await check('dockerfile.expose', 'FROM alpine:3.20\n', { port: 8080 })).status).toBe('fail');
  });
  it('is unknown when EXPOSE uses an ARG without default', async () => {
    expect((await check('dockerfile.expose', 'FROM alpine:3.20\nARG P\nEXPOSE $P\n', { port: 8080 })).status).toBe('unknown');
  });
});

describe('dockerfile.healthcheck', () => {
  it('passes for HEALTHCHECK CMD [...]', async () => {
    expect(await check('dockerfile.healthcheck', GOOD)).toMatchObject({ status: 'pass', line: 11 });
  });
  it('fails without HEALTHCHECK or with HEALTHCHECK NONE', async () => {
    expect((await check('dockerfile.healthcheck', BUILD)).status).toBe('fail');
    expect(await check('dockerfile.healthcheck', 'FROM alpine:3.20\nHEALTHCHECK NONE\n')).toMatchObject({ status: 'fail', line: 2 });
  });
  it('fails for shell form on an image without /bin/sh', async () => {
    const text = 'FROM gcr.io/distroless/static-debian13:nonroot\nHEALTHCHECK CMD /server healthcheck\n';
    expect(await check('dockerfile.healthcheck', text)).toMatchObject({ status: 'fail', line: 2 });
  });
  it('is unknown for shell form on an image that has a shell', async () => {
    expect((await check('dockerfile.healthcheck', 'FROM alpine:3.20\nHEALTHCHECK CMD wget -qO- localhost:8080/health\n')).status).toBe('unknown');
  });
});

describe('dockerfile.no-secrets', () => {
  it('passes without secret-looking names (look-alikes included)', async () => {
    expect((await check('dockerfile.no-secrets', 'FROM alpine:3.20\nENV TOKEN_URL=https://x PASSWORD_FILE=/run/secrets/pw\n')).status).toBe('pass');
  });
  it('fails for ENV or ARG with a secret value, naming the line', async () => {
    expect(await check('dockerfile.no-secrets', 'FROM alpine:3.20\nENV GITHUB_TOKEN=ghp_x\n')).toMatchObject({ status: 'fail', line: 2 });
    expect(await check('dockerfile.no-secrets', 'FROM alpine:3.20\nARG DB_PASSWORD=hunter2\n')).toMatchObject({ status: 'fail', line: 2 });
  });
  it('is unknown for a secret ARG without value (the image check looks for it)', async () => {
    expect(await check('dockerfile.no-secrets', 'FROM alpine:3.20\nARG NPM_TOKEN\n')).toMatchObject({ status: 'unknown', line: 2 });
  });
});

describe('dockerfile.env', () => {
  const text = 'FROM golang:1.26 AS build\nENV GOFLAGS=-trimpath\nFROM alpine:3.20\nARG MODE=release\nENV GIN_MODE=${MODE} PORT=8080\n';
  it('passes when the final stage sets the name (to the value)', async () => {
    expect(await check('dockerfile.env', text, { name: 'PORT' })).toMatchObject({ status: 'pass', line: 5 });
    expect((await check('dockerfile.env', text, { name: 'GIN_MODE', value: 'release' })).status).toBe('pass');
  });
  it('fails for a wrong value or a name only set in a build stage', async () => {
    expect((await check('dockerfile.env', text, { name: 'GIN_MODE', value: 'debug' })).status).toBe('fail');
    const out = await check('dockerfile.env', text, { name: 'GOFLAGS' });
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('final');
  });
  it('is unknown when the value depends on an ARG without default', async () => {
    expect((await check('dockerfile.env', 'FROM alpine:3.20\nARG M\nENV GIN_MODE=$M\n', { name: 'GIN_MODE', value: 'release' })).status).toBe('unknown');
  });
});

describe('dockerfile.arg', () => {
  it('passes when the ARG is declared in the stage and used after it', async () => {
    const text = 'FROM golang:1.26\nARG VERSION=dev\nRUN go build -ldflags "-X main.version=${VERSION}" -o /s .\n';
    expect(await check('dockerfile.arg', text, { name: 'VERSION' })).toMatchObject({ status: 'pass', line: 3 });
  });
  it('passes for a global ARG used in FROM', async () => {
    expect((await check('dockerfile.arg', 'ARG GO_VERSION=1.26\nFROM golang:${GO_VERSION}\n', { name: 'GO_VERSION' })).status).toBe('pass');
  });
  it('fails for a global ARG used inside a stage without re-declaring it', async () => {
    const text = 'ARG VERSION=dev\nFROM golang:1.26\nRUN go build -ldflags "-X main.version=$VERSION" .\n';
    const out = await check('dockerfile.arg', text, { name: 'VERSION' });
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('inside this stage');
  });
  it('fails when never declared, or declared and unused', async () => {
    expect((await check('dockerfile.arg', 'FROM golang:1.26\n', { name: 'VERSION' })).status).toBe('fail');
    expect((await check('dockerfile.arg', 'FROM golang:1.26\nARG VERSION\nRUN go build .\n', { name: 'VERSION' })).status).toBe('fail');
  });
});

describe('dockerfile.labels', () => {
  const text = 'FROM alpine:3.20\nLABEL org.opencontainers.image.title="notes" "org.opencontainers.image.version"=1.0\n';
  it('passes when the final stage sets every key', async () => {
    expect((await check('dockerfile.labels', text, { keys: ['org.opencontainers.image.title', 'org.opencontainers.image.version'] })).status).toBe('pass');
  });
  it('fails listing the missing keys', async () => {
    const out = await check('dockerfile.labels', text, { keys: ['org.opencontainers.image.title', 'org.opencontainers.image.source'] });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('org.opencontainers.image.source');
    expect(out.message.en).not.toContain('image.title,');
  });
});

describe('dockerfile.secret-mount', () => {
  const text = 'FROM golang:1.26\nRUN --mount=type=secret,id=goproxy,env=GOPROXY go mod download\n';
  it('passes for a secret mount (with the id when given)', async () => {
    expect((await check('dockerfile.secret-mount', text)).status).toBe('pass');
    expect(await check('dockerfile.secret-mount', text, { id: 'goproxy' })).toMatchObject({ status: 'pass', line: 2 });
    const byTarget = 'FROM golang:1.26\nRUN --mount=type=secret,target=/run/secrets/npmrc cat /run/secrets/npmrc\n';
    expect((await check('dockerfile.secret-mount', byTarget, { id: 'npmrc' })).status).toBe('pass');
  });
  it('fails without a secret mount or with another id', async () => {
    expect((await check('dockerfile.secret-mount', 'FROM golang:1.26\nARG TOKEN\nRUN go mod download\n')).status).toBe('fail');
    const out = await check('dockerfile.secret-mount', text, { id: 'token' });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('goproxy');
  });
});

describe('dockerfile.cross-compile', () => {
  const stage = (from: string, body: string) =>
    `ARG GO_VERSION=1.26\n${from}\nWORKDIR /src\nCOPY . .\n${body}\nFROM scratch\nCOPY --from=build /out/server /server\nENTRYPOINT ["/server"]\n`;
  const native = 'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-trixie AS build';
  it('passes with --platform=$BUILDPLATFORM, ARG TARGETARCH and GOARCH=$TARGETARCH, naming the go build line', async () => {
    const out = await check(
      'dockerfile.cross-compile',
      stage(native, 'ARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server .'),
    );
    expect(out).toMatchObject({ status: 'pass', line: 6 });
  });
  it('passes with braces, one ARG a line, and GOARCH from an ENV', async () => {
    const braces = stage(
      native.replace('$BUILDPLATFORM', '${BUILDPLATFORM}'),
      'ARG TARGETOS\nARG TARGETARCH\nENV GOOS=${TARGETOS} GOARCH=${TARGETARCH}\nRUN go build -o /out/server .',
    );
    expect((await check('dockerfile.cross-compile', braces)).status).toBe('pass');
  });
  it('fails GOARCH from an ENV written before the ARG it reads, and GOARCH set as a shell variable of its own command', async () => {
    const early = await check(
      'dockerfile.cross-compile',
      stage(native, 'ENV GOOS=$TARGETOS GOARCH=$TARGETARCH\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=0 go build -o /out/server .'),
    );
    expect(early).toMatchObject({ status: 'fail', line: 5 });
    expect(early.message.en).toContain('does not declare ARG TARGETARCH before this line');
    const own = await check(
      'dockerfile.cross-compile',
      stage(native, 'ARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH && \\\n    CGO_ENABLED=0 go build -o /out/server .'),
    );
    expect(own.status).toBe('fail');
    expect(own.message.en).toContain('set as a shell variable of its own command');
    expect(own.message['zh-CN']).toContain('go build 根本看不到它');
    // Exported, or a prefix over a line continuation: go build sees it.
    const exported = stage(native, 'ARG TARGETOS TARGETARCH\nRUN export GOOS=$TARGETOS GOARCH=$TARGETARCH && go build -o /out/server .');
    expect((await check('dockerfile.cross-compile', exported)).status).toBe('pass');
    const continued = stage(native, 'ARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \\\n    go build -o /out/server .');
    expect((await check('dockerfile.cross-compile', continued)).status).toBe('pass');
  });
  it('reads the go build of a heredoc RUN', async () => {
    const out = await check(
      'dockerfile.cross-compile',
      stage(native, 'ARG TARGETOS TARGETARCH\nRUN <<EOF\nCGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server .\nEOF'),
    );
    expect(out.status).toBe('pass');
  });
  it('passes when the platform is on the stage the build stage is FROM', async () => {
    const text = `FROM --platform=$BUILDPLATFORM golang:1.26 AS base\nFROM base AS build\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /out/server .\nFROM scratch\nCOPY --from=build /out/server /server\n`;
    expect((await check('dockerfile.cross-compile', text)).status).toBe('pass');
  });
  it('fails without --platform on the build stage, at its FROM, in both languages', async () => {
    const out = await check(
      'dockerfile.cross-compile',
      stage('FROM golang:${GO_VERSION}-trixie AS build', 'ARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /out/server .'),
    );
    expect(out).toMatchObject({ status: 'fail', line: 2 });
    expect(out.message.en).toContain('FROM --platform=$BUILDPLATFORM');
    expect(out.message['zh-CN']).toContain('FROM --platform=$BUILDPLATFORM');
  });
  it('fails with the platform pinned to one value', async () => {
    const out = await check(
      'dockerfile.cross-compile',
      stage('FROM --platform=linux/amd64 golang:1.26 AS build', 'ARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /out/server .'),
    );
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('has --platform=linux/amd64: it runs on that platform whatever machine builds');
  });
  it('fails when go build is not told GOARCH, at the go build line', async () => {
    const out = await check('dockerfile.cross-compile', stage(native, 'RUN CGO_ENABLED=0 go build -o /out/server .'));
    expect(out).toMatchObject({ status: 'fail', line: 5 });
    expect(out.message.en).toContain('an arm64 image would hold an amd64 binary');
  });
  it('fails with GOARCH hard-coded, quoting the value', async () => {
    const out = await check('dockerfile.cross-compile', stage(native, 'ARG TARGETARCH\nRUN GOARCH=arm64 go build -o /out/server .'));
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('GOARCH=arm64');
  });
  it('fails when TARGETARCH is used but never declared in the stage (it is empty there)', async () => {
    const text = `ARG TARGETARCH\n${native}\nRUN GOARCH=$TARGETARCH go build -o /out/server .\nFROM scratch\nCOPY --from=build /out/server /server\n`;
    const out = await check('dockerfile.cross-compile', text);
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('does not declare ARG TARGETARCH before this line');
    expect(out.message.en).toContain('The ARG before the first FROM only reaches FROM lines.');
  });
  it('fails when nothing runs go build', async () => {
    expect((await check('dockerfile.cross-compile', 'FROM scratch\nCOPY server /server\n')).status).toBe('fail');
  });
});
