import { describe, expect, it } from 'vitest';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { BUILD, check } from './helpers.js';

const FINAL = 'FROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /out/server /server\nENTRYPOINT ["/server"]\n';
/** BUILD (lines 1-6), a test stage from line 7 with these lines, then the final stage. */
const withTest = (...lines: string[]) => `${BUILD}FROM build AS test\n${lines.join('\n')}\n${FINAL}`;
const run = (dockerfile: string) => check('dockerfile.govulncheck', dockerfile);
const INSTALL = 'RUN go install golang.org/x/vuln/cmd/govulncheck@v1.9.0';

describe('dockerfile.govulncheck', () => {
  it('passes a pinned install and a scan of ./... in the test stage, naming both lines', async () => {
    const out = await run(withTest(INSTALL, 'RUN govulncheck ./...'));
    expect(out).toMatchObject({ status: 'pass', line: 9 });
    expect(out.message.en).toBe(
      "Line 9: the test stage runs govulncheck v1.9.0 (installed on line 8) on the module's packages before the final stage; a vulnerability it finds fails that build, and the final image carries neither Go nor the scanner.",
    );
    expect(out.message['zh-CN']).toContain('test 阶段在最终阶段之前用 govulncheck v1.9.0（第 8 行安装）扫描模块的包');
  });
  it('accepts the install and the scan in one RUN, go run with a version, and an absolute path', async () => {
    const oneRun = await run(withTest(`${INSTALL} && govulncheck ./...`));
    expect(oneRun.status).toBe('pass');
    expect(oneRun.message.en).toContain('govulncheck v1.9.0 (installed by the same RUN)');
    expect(oneRun.message['zh-CN']).toContain('（由同一个 RUN 安装）');
    expect((await run(withTest('RUN go run golang.org/x/vuln/cmd/govulncheck@v1.9.0 ./...'))).status).toBe('pass');
    expect((await run(withTest(INSTALL, 'RUN /go/bin/govulncheck -show verbose ./...'))).status).toBe('pass');
    expect((await run(withTest(INSTALL, 'RUN govulncheck -C /src -test ./cmd/... ./internal/...'))).status).toBe('pass');
  });
  it('accepts the install in a stage the scanning stage is built FROM', async () => {
    const dockerfile = `FROM golang:1.26 AS tools\n${INSTALL}\nFROM tools AS build\nRUN go build -o /out/server .\nFROM build AS test\nRUN govulncheck ./...\n${FINAL}`;
    expect((await run(dockerfile)).status).toBe('pass');
  });
  it('reads the version from an ARG with a pinned default (in the stage, or the global default it re-declares)', async () => {
    const inStage = await run(
      withTest('ARG GOVULNCHECK_VERSION=v1.9.0', 'RUN go install golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION}', 'RUN govulncheck ./...'),
    );
    expect(inStage.status).toBe('pass');
    expect(inStage.message.en).toContain('govulncheck v1.9.0 (installed on line 9)');
    const global = `ARG GOVULNCHECK_VERSION=v1.9.0\n${withTest('ARG GOVULNCHECK_VERSION', 'RUN go install golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION && govulncheck ./...')}`;
    expect((await run(global)).status).toBe('pass');
    const env = withTest('ENV GOVULNCHECK_VERSION=latest', 'RUN go install golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION} && govulncheck ./...');
    expect((await run(env)).message.en).toContain('@latest (from GOVULNCHECK_VERSION)');
  });
  it('is unknown when the version ARG has no default', async () => {
    const out = await run(
      withTest('ARG GOVULNCHECK_VERSION', 'RUN go install golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION}', 'RUN govulncheck ./...'),
    );
    expect(out).toMatchObject({ status: 'unknown', line: 8 });
    expect(out.message.en).toContain('ARG GOVULNCHECK_VERSION=v1.9.0');
  });
  it('fails a version variable the stage never declares (a global ARG alone does not reach a RUN)', async () => {
    const out = await run(
      `ARG GOVULNCHECK_VERSION=v1.9.0\n${withTest('RUN go install golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION} && govulncheck ./...')}`,
    );
    expect(out).toMatchObject({ status: 'fail', line: 9 });
    expect(out.message.en).toContain('$GOVULNCHECK_VERSION is not declared in this stage');
  });
  it.each([
    ['@latest', 'RUN go install golang.org/x/vuln/cmd/govulncheck@latest', 'installed @latest'],
    ['no version', 'RUN go install golang.org/x/vuln/cmd/govulncheck', 'installed without a version'],
    ['a branch', 'RUN go install golang.org/x/vuln/cmd/govulncheck@master', '@master, which is not a release'],
    ['a partial version', 'RUN go install golang.org/x/vuln/cmd/govulncheck@v1', '@v1, which is not a release'],
  ])('fails an install with %s: the scanner must be pinned', async (_what, install, words) => {
    const out = await run(withTest(install, 'RUN govulncheck ./...'));
    expect(out).toMatchObject({ status: 'fail', line: 8 });
    expect(out.message.en).toContain(words);
    expect(out.message.en).toContain('Pin the version: go install golang.org/x/vuln/cmd/govulncheck@v1.9.0');
    expect(out.message['zh-CN']).toContain('请固定版本');
  });
  it('fails when there is no govulncheck anywhere, pointing at the test stage', async () => {
    const out = await run(withTest('RUN go test ./...'));
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('No RUN runs govulncheck');
    expect(out.message.en).toContain('Add it to the test stage, which CI builds with --target test');
    expect(out.message['zh-CN']).toContain('请把它加到测试阶段');
  });
  it('fails govulncheck only in the final stage: the image must not carry the Go toolchain', async () => {
    const dockerfile = `${BUILD}FROM golang:1.26 AS final\n${INSTALL} && govulncheck ./...\nCOPY --from=build /out/server /server\n`;
    const out = await run(dockerfile);
    expect(out).toMatchObject({ status: 'fail', line: 8 });
    expect(out.message.en).toContain('runs only in the final stage');
    expect(out.message.en).toContain('Go toolchain');
  });
  it('fails a scan without an install in its stage or the stages it is FROM', async () => {
    const dockerfile = `FROM golang:1.26 AS tools\n${INSTALL}\nFROM golang:1.26 AS build\nRUN go build -o /out/server .\nFROM build AS test\nRUN govulncheck ./...\n${FINAL}`;
    const out = await run(dockerfile);
    expect(out).toMatchObject({ status: 'fail', line: 6 });
    expect(out.message.en).toContain('no RUN of this stage or a stage it is built FROM installs it');
  });
  it.each([
    ['RUN govulncheck ./... || true', '`|| true`'],
    ['RUN govulncheck ./... ; true', '`; true`'],
    ['RUN govulncheck ./... || exit 0', '`|| exit 0`'],
    ['RUN govulncheck ./... | tee /tmp/vulns.txt', '`| tee /tmp/vulns.txt`'],
  ])('fails a swallowed status: %s', async (scan, tail) => {
    const out = await run(withTest(INSTALL, scan));
    expect(out).toMatchObject({ status: 'fail', line: 9 });
    expect(out.message.en).toContain(`${tail} after govulncheck throws its exit status away`);
    expect(out.message['zh-CN']).toContain(`govulncheck 后面的 ${tail} 丢掉了它的退出状态`);
  });
  it.each([
    ['RUN govulncheck -format json ./...', '-format json'],
    ['RUN govulncheck -json ./...', '-json'],
    ['RUN govulncheck -format sarif ./...', '-format sarif'],
    ['RUN govulncheck -format openvex ./...', '-format openvex'],
    ['RUN govulncheck --format=json ./...', '--format=json'],
    ['RUN govulncheck -format=sarif -show verbose ./...', '-format=sarif'],
    ['RUN govulncheck --format json ./... > /tmp/vulns.json', '--format json'],
  ])('fails a machine-readable output, which exits 0 whatever it finds: %s', async (scan, format) => {
    const out = await run(withTest(INSTALL, scan));
    expect(out).toMatchObject({ status: 'fail', line: 9 });
    expect(out.message.en).toContain(`\`govulncheck ${format}\` writes a report for a program to read and exits 0 whatever it finds`);
    expect(out.message.en).toContain(`Remove ${format} (or write -format text)`);
    expect(out.message['zh-CN']).toContain(`\`govulncheck ${format}\` 输出的是给程序读的报告，无论发现什么都以 0 退出`);
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
  });
  it('passes text output, written or by default, and -show flags', async () => {
    for (const scan of [
      'RUN govulncheck -format text ./...',
      'RUN govulncheck --format=text ./...',
      'RUN govulncheck -json=false ./...',
      'RUN govulncheck -show traces,color ./...',
      'RUN govulncheck --show verbose -scan symbol ./...',
    ]) {
      expect((await run(withTest(INSTALL, scan))).status, scan).toBe('pass');
    }
  });
  it('keeps the status with && after it, set -e, or pipefail', async () => {
    expect((await run(withTest(INSTALL, 'RUN govulncheck ./... && echo clean'))).status).toBe('pass');
    expect((await run(withTest(INSTALL, 'RUN set -e; govulncheck ./...; echo clean'))).status).toBe('pass');
    expect((await run(withTest(INSTALL, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'RUN govulncheck ./... | tee /tmp/v.txt'))).status).toBe('pass');
  });
  it('fails a run without a package pattern', async () => {
    for (const scan of ['RUN govulncheck', 'RUN govulncheck -show verbose', 'RUN govulncheck && echo done']) {
      const out = await run(withTest(INSTALL, scan));
      expect(out, scan).toMatchObject({ status: 'fail', line: 9 });
      expect(out.message.en).toContain('without a package pattern');
      expect(out.message.en).toContain('govulncheck ./...');
    }
  });
  it('passes when one of several scans is right', async () => {
    expect(
      (await run(withTest('RUN go install golang.org/x/vuln/cmd/govulncheck@latest', 'RUN govulncheck ./...', `${INSTALL}`, 'RUN govulncheck ./...'))).status,
    ).toBe('pass');
  });
  it('skips without a usable Dockerfile', async () => {
    expect((await check('dockerfile.govulncheck', undefined)).status).toBe('skip');
  });
});
