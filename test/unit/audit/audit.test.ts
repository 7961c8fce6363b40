import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditJson, auditMarkdown } from '../../../src/commands/audit.js';
import { dockerfileUpTo, healthcheckUrl } from '../../../src/engine/audit/dockerfile-facts.js';
import { privateBuildProblem, registryProblem } from '../../../src/engine/audit/private-build.js';
import { runAudit, type AuditReport } from '../../../src/engine/audit/run-audit.js';
import { scorecardItems, HEALTH_PROBE_ID } from '../../../src/engine/audit/scorecard.js';
import { surveyRepo } from '../../../src/engine/audit/survey.js';
import { historyAssignments, imageSecretTraces } from '../../../src/engine/checks/docker/secret-traces.js';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import type { BoundCheck } from '../../../src/engine/checks/types.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { L } from '../../../src/engine/i18n.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { secretFileName } from '../../../src/engine/util/secret-files.js';

const registry = checkRegistry();
const course = await loadCourse(packageRoot(), registry);
const FIXTURES = join(packageRoot(), 'test', 'fixtures', 'audit');
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

const repo = async (files: Record<string, string>): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-audit-unit-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
};

/** A session factory that fails the test if audit asks Docker anything. */
const noDocker = () => {
  throw new Error('audit asked for Docker');
};

describe('the scorecard', () => {
  it('names for each item a lesson that really teaches that check', () => {
    for (const item of scorecardItems({ go: true, port: 8080, healthPath: '/health', secretFiles: ['.env'] })) {
      const lesson = course.byId(item.teaches);
      expect(lesson, item.teaches).toBeDefined();
      // audit's own secret check has no lesson of its own: the secrets lesson teaches what it finds.
      const taught = item.check === 'image.secret-traces' ? 'image.no-secret' : item.check;
      expect(
        lesson?.meta.checks.some((c) => c.check === taught),
        `${item.check} is not a check of lesson ${item.teaches}`,
      ).toBe(true);
      expect(registry.has(item.check)).toBe(true);
    }
  });

  it('probes the app only when it knows both the port and a path, and keeps Go items for Go repositories', () => {
    const ids = (plan: Parameters<typeof scorecardItems>[0]) => scorecardItems(plan).map((i) => i.id ?? i.check);
    expect(ids({ go: true, port: 8080, healthPath: '/h', secretFiles: [] })).toContain(HEALTH_PROBE_ID);
    expect(ids({ go: true, port: 8080, secretFiles: [] })).not.toContain(HEALTH_PROBE_ID);
    expect(ids({ go: true, healthPath: '/h', secretFiles: [] })).not.toContain(HEALTH_PROBE_ID);
    expect(ids({ go: false, secretFiles: [] })).not.toContain('dockerfile.deps-before-source');
    const ignore = scorecardItems({ go: true, secretFiles: ['config/.env', 'certs/server.key'] }).find((i) => i.check === 'dockerignore.excludes');
    expect(ignore?.params).toEqual({ patterns: ['.git', 'config/.env', 'certs/server.key'] });
  });
});

describe('reading the repository', () => {
  it('finds Dockerfiles, Go modules and key files, and skips vendor, node_modules and .git', async () => {
    const dir = await repo({
      Dockerfile: 'FROM scratch\n',
      'deploy/api.Dockerfile': 'FROM scratch\n',
      'Dockerfile.dockerignore': '.git\n',
      'go.mod': 'module x\n',
      'tools/go.mod': 'module y\n',
      '.env': 'A=1\n',
      '.env.example': 'A=\n',
      'certs/tls.key': 'k',
      'vendor/x/go.mod': 'module v\n',
      'node_modules/y/Dockerfile': 'FROM scratch\n',
      '.git/config': '',
    });
    const survey = await surveyRepo(dir);
    expect(survey.dockerfiles).toEqual(['Dockerfile', 'deploy/api.Dockerfile']);
    expect(survey.goModules).toEqual(['go.mod', 'tools/go.mod']);
    expect(survey.secretFiles).toEqual(['.env', 'certs/tls.key']);
    expect(survey.truncated).toBe(false);
  });

  it('reads the health path and port from a HEALTHCHECK URL in shell or exec form', () => {
    const url = (healthcheck: string) => healthcheckUrl(analyzeDockerfile(`FROM scratch\n${healthcheck}\n`));
    expect(url('HEALTHCHECK CMD curl -fsS http://localhost:8081/healthz || exit 1')).toEqual({ path: '/healthz', port: 8081 });
    expect(url('HEALTHCHECK --interval=5s CMD ["wget", "-qO-", "http://127.0.0.1/ready?full=1"]')).toEqual({ path: '/ready?full=1' });
    expect(url('HEALTHCHECK CMD ["/app", "-probe", "http://[::1]:9000"]')).toEqual({ path: '/', port: 9000 });
    expect(url('HEALTHCHECK CMD ["/server", "healthcheck"]')).toBeUndefined();
    expect(url('# no health check')).toBeUndefined();
  });

  it('cuts the Dockerfile after the target stage, keeping the line numbers', () => {
    const text = 'FROM golang:1.26 AS build\nRUN go build\n\nFROM build AS test\nRUN go test ./...\nFROM scratch\nCOPY --from=build /app /app\n';
    const analysis = analyzeDockerfile(text);
    expect(dockerfileUpTo(text, analysis, 'build')).toBe('FROM golang:1.26 AS build\nRUN go build\n\n');
    expect(dockerfileUpTo(text, analysis, 'TEST')).toBe('FROM golang:1.26 AS build\nRUN go build\n\nFROM build AS test\nRUN go test ./...\n');
    expect(dockerfileUpTo(text, analysis, '2')).toBe(text);
    expect(() => dockerfileUpTo(text, analysis, 'release')).toThrow(/No stage "release"/);
  });

  it('tells a build that needs private modules or a secret from any other failed build', () => {
    const plain = analyzeDockerfile('FROM golang:1.26\nRUN go build ./...\n');
    const mounted = analyzeDockerfile('FROM golang:1.26\nRUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download\n');
    const failed = (text: string) => L(`The build failed: ${text}`, `构建失败：${text}`);
    expect(privateBuildProblem(failed('fatal: could not read Username for https://github.com: terminal prompts disabled'), plain)).toBeDefined();
    expect(privateBuildProblem(failed('go: example.com/x@v1: reading https://proxy.golang.org/example.com/x/@v/v1.mod: 410 Gone'), plain)).toBeDefined();
    expect(privateBuildProblem(failed('go: github.com/acme/x@v1: git ls-remote: exit status 128'), mounted)).toBeDefined();
    expect(privateBuildProblem(failed('./main.go:3:2: undefined: Foo'), plain)).toBeUndefined();
    // A "# syntax=" frontend or a base image the registry did not give is not a private module.
    const frontend = failed(
      'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: docker.io/docker/dockerfile:1: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host',
    );
    expect(privateBuildProblem(frontend, mounted)).toBeUndefined();
    expect(registryProblem(frontend)?.en).toMatch(/could not pull an image/);
    expect(registryProblem(failed('go: github.com/acme/x@v1: terminal prompts disabled'))).toBeUndefined();
  });
});

describe('image.secret-traces', () => {
  const bound = imageSecretTraces.bind({}) as Extract<BoundCheck, { kind: 'docker' }>;
  const judge = (m: { env?: string[]; history?: string[]; files?: string[] }) =>
    bound.judge({ env: m.env ?? [], history: m.history ?? [], files: m.files ?? [], fileCount: 10 }, { dockerfilePath: 'Dockerfile', history: {} });

  it('reads the build arguments and declarations a history entry records', () => {
    expect(historyAssignments('RUN |2 GITHUB_TOKEN=ghp_x GOPROXY=off /bin/sh -c go mod download # buildkit')).toEqual([
      { name: 'GITHUB_TOKEN', value: 'ghp_x' },
      { name: 'GOPROXY', value: 'off' },
    ]);
    expect(historyAssignments('|1 TOKEN= /bin/sh -c make')).toEqual([{ name: 'TOKEN', value: '' }]);
    expect(historyAssignments('/bin/sh -c #(nop)  ENV API_KEY=abc PORT=8080')).toEqual([
      { name: 'API_KEY', value: 'abc' },
      { name: 'PORT', value: '8080' },
    ]);
    expect(historyAssignments('RUN /bin/sh -c TOKEN=$(cat /run/secrets/t) make # buildkit')).toEqual([]);
  });

  it('fails on a secret-named variable with a value, in the config or the history, without printing the value', () => {
    const env = judge({ env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter22'] });
    expect(env.status).toBe('fail');
    expect(env.message.en).toContain('DB_PASSWORD=hu…');
    expect(env.message.en).not.toContain('hunter22');
    expect(judge({ history: ['RUN |1 NPM_TOKEN=abcdef /bin/sh -c npm ci # buildkit'] }).status).toBe('fail');
    // A URL with a password is a secret whatever its variable is called.
    const url = judge({ env: ['DATABASE_URL=postgres://app:s3cr3tpw@db:5432/app', 'CACHE_URL=redis://cache:6379/0'] });
    expect(url.status).toBe('fail');
    expect(url.message.en).toContain('DATABASE_URL=po…');
    expect(url.message.en).not.toContain('s3cr3tpw');
    expect(url.message['zh-CN']).toContain('个字符');
    // Provider key formats and Go MySQL DSNs, whatever the variable is called.
    expect(judge({ env: ['STRIPE_KEY=sk_live_51HabcdefGHIJKLmnop'] }).status).toBe('fail');
    expect(judge({ env: ['MYSQL_DSN=app:hunter2@tcp(db:3306)/app?parseTime=true'] }).status).toBe('fail');
    expect(judge({ env: ['MYSQL_DSN=app:${DB_PASS}@tcp(db:3306)/app', 'GREETING=hello'] }).status).toBe('pass');
  });

  it('passes names that only say where a secret is, empty values, and public or test keys', () => {
    const outcome = judge({
      env: ['DB_PASSWORD_FILE=/run/secrets/db', 'API_TOKEN=', 'PUBLIC_KEY=abc'],
      history: ['RUN |1 GITHUB_TOKEN= /bin/sh -c go mod download # buildkit'],
      files: ['/etc/ssl/certs/ca.pem', '/usr/local/go/src/crypto/tls/testdata/example.key', '/go/pkg/mod/x@v1/testdata/k.pem'],
    });
    expect(outcome.status, outcome.message.en).toBe('pass');
    expect(outcome.measured).toMatchObject({ secretVariables: 0, secretFiles: 0, files: 10 });
  });

  it('fails on a key or credentials file in the image', () => {
    const outcome = judge({ files: ['/app/.env', '/root/.ssh/id_ed25519'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.message.en).toContain('/app/.env');
    expect(outcome.message.en).toContain('.dockerignore');
  });

  it('knows key and credentials file names, not their templates', () => {
    for (const path of ['/app/.env', '/app/.env.production', '/x/server.pem', '/home/u/.aws/credentials', '/root/.docker/config.json', '/root/.netrc'])
      expect(secretFileName(path), path).toBe(true);
    for (const path of ['/app/.env.example', '/app/main.go', '/app/config.json', '/app/keys.go', '/app/credentials'])
      expect(secretFileName(path), path).toBe(false);
  });
});

describe('runAudit without Docker', () => {
  it('gives the static part of a repository that is not Go, and never asks Docker', async () => {
    const report = await runAudit({ dir: join(FIXTURES, 'not-go'), course, registry, createSession: noDocker });
    expect(report.mode).toBe('static');
    expect(report.staticBecause).toBe('not-go');
    expect(report.items.map((i) => i.id)).toEqual([
      'dockerfile.base-pinned',
      'dockerignore.excludes',
      'dockerfile.user',
      'dockerfile.healthcheck',
      'dockerfile.exec-form',
      'dockerfile.no-secrets',
    ]);
    expect(report.items.every((i) => i.lesson.number > 0)).toBe(true);
  });

  it('says which Dockerfile to choose when there are several, and refuses one outside the repository', async () => {
    const dir = await repo({ 'a/Dockerfile': 'FROM scratch\n', 'b/Dockerfile': 'FROM scratch\n' });
    await expect(runAudit({ dir, course, registry, createSession: noDocker })).rejects.toThrow(/2 Dockerfiles/);
    await expect(runAudit({ dir, dockerfile: '../Dockerfile', course, registry, createSession: noDocker })).rejects.toThrow(/not inside/);
    await expect(runAudit({ dir, dockerfile: 'c/Dockerfile', course, registry, createSession: noDocker })).rejects.toThrow(/No Dockerfile at c\/Dockerfile/);
    const empty = await repo({ 'README.md': '# nothing\n' });
    await expect(runAudit({ dir: empty, course, registry, createSession: noDocker })).rejects.toThrow(/No Dockerfile in/);
    await expect(runAudit({ dir: join(empty, 'README.md'), course, registry, createSession: noDocker })).rejects.toThrow(/is a file, not a folder/);
    await expect(runAudit({ dir: join(empty, 'nope'), course, registry, createSession: noDocker })).rejects.toThrow(/nope does not exist/);
    await expect(runAudit({ dir, dockerfile: 'a/Dockerfile', path: 'health', course, registry, createSession: noDocker })).rejects.toThrow(
      /--path must start with \//,
    );
  });
});

describe('audit output', () => {
  const report: AuditReport = {
    schema: 'learn-go-docker/audit',
    version: 1,
    tool: '0.0.0-test',
    repo: '/home/ada/src/notes',
    dockerfile: 'Dockerfile',
    target: null,
    port: { value: 8080, from: 'expose' },
    healthPath: { value: '/health', from: 'flag' },
    mode: 'full',
    staticBecause: null,
    notices: [],
    items: [
      {
        id: 'image.size',
        title: L('The image is small', '镜像足够小'),
        status: 'pass',
        message: L('Image is 10.4 MB, budget 30 MB.\nSizes:\nchart', '镜像大小 10.4 MB，预算 30 MB。\n大小对比：\n图'),
        measured: { sizeBytes: 10_400_000 },
        lesson: { number: 4, id: 'multi-stage', title: L('Multi-stage builds', '多阶段构建') },
      },
      {
        id: 'dockerfile.user',
        title: L('The app does not run as root', '应用不以 root 运行'),
        status: 'fail',
        message: L('Line 1: no USER | root. Add USER 65532.\n  | quoted output', '第 1 行：没有 USER | root。请添加 USER 65532。\n  | quoted output'),
        line: 1,
        lesson: { number: 8, id: 'non-root-user', title: L('Not root', '不用 root') },
      },
    ],
    summary: { pass: 1, fail: 1, unknown: 0 },
  };

  it('writes Markdown for a pull request: a table row per item, the first line of each message, what to change', () => {
    const md = auditMarkdown(report, 'en');
    expect(md).toContain('## Production scorecard: `notes`');
    expect(md).not.toContain('/home/ada');
    expect(md).toContain('| ✅ | The image is small | Image is 10.4 MB, budget 30 MB. | lesson 4: Multi-stage builds |');
    // The table has what was measured; the list below has what to change, and what the message quotes as a block.
    expect(md).toContain('| ❌ | The app does not run as root | Line 1: no USER \\| root. | lesson 8: Not root |');
    expect(md).toContain('`dockerfile.user` (line 1): Line 1: no USER \\| root. Add USER 65532.');
    expect(md).toContain('  ```\n    | quoted output\n  ```');
    expect(md).toContain('(Lesson 8.)');
    expect(md).toContain('npx learn-go-docker goto N opens lesson N');
    expect(auditMarkdown(report, 'zh-CN')).toContain('## 生产评分卡');
  });

  it('writes JSON with its schema name and version, in the chosen language', () => {
    const json = auditJson(report, 'zh-CN') as { schema: string; version: number; items: { title: string; line: number | null; lesson: { number: number } }[] };
    expect(json.schema).toBe('learn-go-docker/audit');
    expect(json.version).toBe(1);
    expect(json.items[0]?.title).toBe('镜像足够小');
    expect(json.items[0]?.line).toBeNull();
    expect(json.items[1]?.lesson.number).toBe(8);
  });
});
