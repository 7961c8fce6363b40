import { describe, expect, it } from 'vitest';
import { GOOD, check, contextFor, runCheck } from './helpers.js';

describe('dockerignore.excludes', () => {
  const params = { patterns: ['.git', 'bin/server', 'README.md'] };
  it('passes when every path is excluded, saying by which line', async () => {
    const out = await check('dockerignore.excludes', GOOD, params, { '.dockerignore': '# context\n.git\n/bin\n**/*.md\n' });
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('bin/server (line 3: /bin)');
  });
  it('fails when .dockerignore is missing', async () => {
    const out = await check('dockerignore.excludes', GOOD, params);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('no .dockerignore');
  });
  it('fails for paths that are not excluded, and explains a re-include', async () => {
    const out = await check('dockerignore.excludes', GOOD, params, { '.dockerignore': '.git\nbin\n*.md\n!README.md\n' });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('README.md');
    expect(out.message.en).toContain('line 4 "!README.md"');
    expect(out.message.en).not.toContain('.git,');
  });
  it("reads the Dockerfile's own ignore file (deploy/Dockerfile.dockerignore) first, as BuildKit does", async () => {
    const files = { 'deploy/Dockerfile': GOOD, 'deploy/Dockerfile.dockerignore': '.git\n**/*.pem\n', '.dockerignore': '' };
    const ctx = { ...contextFor(files), dockerfilePath: 'deploy/Dockerfile' };
    const out = await runCheck('dockerignore.excludes', ctx, { patterns: ['.git', 'certs/server.pem'] });
    expect(out.status, out.message.en).toBe('pass');
    expect(out.message.en).toContain('deploy/Dockerfile.dockerignore excludes');
    const none = await runCheck(
      'dockerignore.excludes',
      { ...contextFor({ 'deploy/Dockerfile': GOOD }), dockerfilePath: 'deploy/Dockerfile' },
      { patterns: ['.git'] },
    );
    expect(none.message.en).toContain('There is no .dockerignore at the root of the build context (nor deploy/Dockerfile.dockerignore)');
  });
  it('does not need a Dockerfile', async () => {
    expect((await check('dockerignore.excludes', undefined, { patterns: ['.git'] }, { '.dockerignore': '.git\n' })).status).toBe('pass');
  });
});

const COMPOSE = `services:
  app:
    build: .
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
    volumes:
      - notes:/data
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:17-alpine
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 2s
volumes:
  notes: {}
`;

describe('compose.valid', () => {
  const all = { services: ['app', 'db'], healthGated: true, namedVolume: true, envFile: true };
  it('passes when the file parses and has every feature asked for', async () => {
    const out = await check('compose.valid', GOOD, all, { 'compose.yaml': COMPOSE, '.env': 'PORT=8080\n' });
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('named volume notes');
  });
  it('also finds docker-compose.yml', async () => {
    expect((await check('compose.valid', GOOD, { services: ['app'] }, { 'docker-compose.yml': COMPOSE })).status).toBe('pass');
  });
  it('fails with the line of a YAML syntax error', async () => {
    const out = await check('compose.valid', GOOD, all, { 'compose.yaml': 'services:\n  app:\n    image: x\n   bad: 1\n' });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('line 4');
  });
  it('fails when there is no compose file or a service is missing', async () => {
    expect((await check('compose.valid', GOOD, all)).status).toBe('fail');
    const out = await check('compose.valid', GOOD, { services: ['app', 'cache'] }, { 'compose.yaml': COMPOSE });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('cache');
  });
  it('fails when the gated service has no health check, and when none is gated', async () => {
    const noHealth = COMPOSE.replace(/    healthcheck:\n.*\n.*\n/, '');
    const viaImage = await check('compose.valid', GOOD, { healthGated: true }, { 'compose.yaml': noHealth });
    expect(viaImage.status).toBe('unknown');
    const built = 'services:\n  app:\n    build: .\n  proxy:\n    image: caddy:2\n    depends_on:\n      app: {condition: service_healthy}\n';
    const noHc = 'FROM alpine:3.20\nCMD ["/bin/true"]\n';
    expect((await check('compose.valid', noHc, { healthGated: true }, { 'compose.yaml': built })).status).toBe('fail');
    expect((await check('compose.valid', GOOD, { healthGated: true }, { 'compose.yaml': built })).status).toBe('pass');
    const ungated = 'services:\n  app:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:17\n';
    expect((await check('compose.valid', GOOD, { healthGated: true }, { 'compose.yaml': ungated })).status).toBe('fail');
  });
  it('fails for a depends_on on an undefined service', async () => {
    const out = await check('compose.valid', GOOD, {}, { 'compose.yaml': 'services:\n  app:\n    build: .\n    depends_on: [db]\n' });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('"db"');
  });
  it('fails when the named volume is declared but only a bind mount is used', async () => {
    const bind = COMPOSE.replace('- notes:/data', '- ./data:/data');
    expect((await check('compose.valid', GOOD, { namedVolume: true }, { 'compose.yaml': bind })).status).toBe('fail');
    const long = COMPOSE.replace('- notes:/data', '- {type: volume, source: notes, target: /data}');
    expect((await check('compose.valid', GOOD, { namedVolume: true }, { 'compose.yaml': long })).status).toBe('pass');
  });
  it('fails when env_file is absent or points to a missing file', async () => {
    const none = COMPOSE.replace('    env_file: .env\n', '');
    expect((await check('compose.valid', GOOD, { envFile: true }, { 'compose.yaml': none })).status).toBe('fail');
    const out = await check('compose.valid', GOOD, { envFile: true }, { 'compose.yaml': COMPOSE });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('.env does not exist');
    const optional = COMPOSE.replace('env_file: .env', 'env_file: [{path: .env, required: false}]');
    expect((await check('compose.valid', GOOD, { envFile: true }, { 'compose.yaml': optional })).status).toBe('pass');
  });
});

const WORKFLOW = `name: ci
on:
  push:
    tags: ["v*"]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with: {go-version: "1.26"}
      - run: go test ./...
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ghcr.io/acme/notes
          tags: |
            type=semver,pattern={{version}}
            type=sha
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: \${{ steps.meta.outputs.tags }}
`;

describe('ci.workflow', () => {
  const path = '.github/workflows/ci.yml';
  it('passes when a job builds the image and the tests run, with semver and sha tags', async () => {
    const out = await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: WORKFLOW });
    expect(out.status).toBe('pass');
  });
  it('accepts docker build in a run step and tags from github context', async () => {
    const wf =
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n      - run: docker buildx build -t notes:${{ github.ref_name }} -t notes:${{ github.sha }} .\n';
    expect((await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: wf })).status).toBe('pass');
  });
  it('accepts tests that run in a Dockerfile stage the build targets', async () => {
    const dockerfile = `${GOOD}FROM build AS test\nRUN go test ./...\n`;
    const wf = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with: {target: test}\n';
    expect((await check('ci.workflow', dockerfile, { path }, { [path]: wf })).status).toBe('pass');
    // The default target does not build the test stage, so its tests never run.
    const untargeted = wf.replace('\n        with: {target: test}', '');
    const testFirst = GOOD.replace('RUN CGO_ENABLED=0', 'RUN go test ./... && CGO_ENABLED=0');
    expect((await check('ci.workflow', `FROM golang:1.26 AS test\nRUN go test ./...\n${GOOD}`, { path }, { [path]: untargeted })).status).toBe('fail');
    expect((await check('ci.workflow', testFirst, { path }, { [path]: untargeted })).status).toBe('pass');
  });
  it('fails saying what is missing', async () => {
    const noTests = WORKFLOW.replace('      - run: go test ./...\n', '');
    const out = await check('ci.workflow', GOOD, { path }, { [path]: noTests });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('Go tests');
    const noBuild = WORKFLOW.replace(/      - uses: docker\/build-push-action@v6[\s\S]*$/, '');
    expect((await check('ci.workflow', GOOD, { path }, { [path]: noBuild })).message.en).toContain('builds the image');
  });
  it('fails when a tag kind is missing', async () => {
    const noSha = WORKFLOW.replace('            type=sha\n', '');
    const out = await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: noSha });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('commit SHA');
    expect(out.message.en).not.toContain('version tag');
    // The same expression in build-args tags nothing: only tags: (or -t) name the image.
    const shaInArgs = noSha.replace('          push: true\n', '          push: true\n          build-args: COMMIT=${{ github.sha }}\n');
    expect((await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: shaInArgs })).message.en).toContain('commit SHA');
    const runArgs =
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n      - run: docker build --build-arg COMMIT=${{ github.sha }} -t notes:${{ github.ref_name }} .\n';
    expect((await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: runArgs })).message.en).toContain('commit SHA');
  });
  it('takes type=ref,event=tag (and docker tag) as the version tag', async () => {
    const refTag = WORKFLOW.replace('type=semver,pattern={{version}}', 'type=ref,event=tag');
    expect((await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: refTag })).status).toBe('pass');
    const retag =
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n      - run: docker build -t notes:${{ github.sha }} . && docker tag notes:${{ github.sha }} notes:${{ github.ref_name }}\n';
    expect((await check('ci.workflow', GOOD, { path, tags: ['semver', 'sha'] }, { [path]: retag })).status).toBe('pass');
  });
  it('fails for a missing file, a YAML error (with line) or no jobs', async () => {
    expect((await check('ci.workflow', GOOD, { path })).message.en).toContain('does not exist');
    const broken = await check('ci.workflow', GOOD, { path }, { [path]: 'on: push\njobs:\n  b:\n    steps:\n    - run: x\n   - run: y\n' });
    expect(broken.status).toBe('fail');
    expect(broken.message.en).toMatch(/line \d/);
    expect((await check('ci.workflow', GOOD, { path }, { [path]: 'name: x\n' })).status).toBe('fail');
  });
});

describe('file.contains', () => {
  const ctx = contextFor({ 'cmd/server/main.go': 'package main\n\nfunc main() {\n\tsignal.NotifyContext(ctx, syscall.SIGTERM)\n}\n' });
  it('passes and names the line of the match', async () => {
    const out = await runCheck('file.contains', ctx, { path: 'cmd/server/main.go', pattern: 'SIGTERM', title: 'SIGTERM handling' });
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('line 4 has SIGTERM handling');
  });
  it('matches multiline (^ and $ per line)', async () => {
    expect((await runCheck('file.contains', ctx, { path: 'cmd/server/main.go', pattern: '^func main\\(\\) \\{$' })).status).toBe('pass');
  });
  it('fails when the text or the file is missing', async () => {
    expect((await runCheck('file.contains', ctx, { path: 'cmd/server/main.go', pattern: 'SIGKILL' })).status).toBe('fail');
    expect((await runCheck('file.contains', ctx, { path: 'nope.go', pattern: 'x' })).status).toBe('fail');
  });
  it('reports a broken lesson pattern as error, not as the learner failing', async () => {
    expect((await runCheck('file.contains', ctx, { path: 'cmd/server/main.go', pattern: '(' })).status).toBe('error');
  });
});

describe('dockerfile.deps-before-source on a module with no dependency', () => {
  const SOURCE_FIRST =
    'FROM golang:1.26 AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n';
  it('passes when go.mod requires nothing (nothing to download again), and fails as soon as it requires a module', async () => {
    const none = await check('dockerfile.deps-before-source', SOURCE_FIRST, {}, { 'go.mod': 'module example.com/x\n\ngo 1.26\n' });
    expect(none.status, none.message.en).toBe('pass');
    expect(none.message.en).toContain('go.mod requires no module');
    const some = await check(
      'dockerfile.deps-before-source',
      SOURCE_FIRST,
      {},
      { 'go.mod': 'module example.com/x\n\ngo 1.26\n\nrequire github.com/gin-gonic/gin v1.10.0\n' },
    );
    expect(some.status).toBe('fail');
  });
});
