import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cp, lstat, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions, type AuditReport } from '../../src/engine/audit/run-audit.js';
import { scorecardItems } from '../../src/engine/audit/scorecard.js';
import { checkRegistry } from '../../src/engine/checks/registry.js';
import type { MeasurementRecord } from '../../src/engine/checks/run.js';
import { createDockerSession, detectCapabilities } from '../../src/engine/docker/index.js';
import { packageRoot } from '../../src/engine/util/package-root.js';
import { registryForCourse } from './course.js';
import { loadTestEnv } from './helpers.js';

// `audit` on small repositories written for it (test/fixtures/audit/README.md), and on the
// course's own capstone solution, on the real engine: each gets the scorecard written below, the
// repository is only read (a copy, made read-only, hashed before and after), and nothing audit
// made is left. RECORD_MEASUREMENTS=1 records the Docker checks' measurements for judges.test.ts.
loadTestEnv();
const RECORD = Boolean(process.env.RECORD_MEASUREMENTS);
const RECORD_DIR = join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements');
const FIXTURES = join(packageRoot(), 'test', 'fixtures', 'audit');

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) {
    await execa('chmod', ['-R', 'u+w', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
});

/** Every file and folder under dir with its mode, size, mtime and content hash: any write changes it. */
const snapshot = async (dir: string, rel = ''): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of (await readdir(join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    const st = await lstat(join(dir, path));
    const hash = entry.isFile()
      ? createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex')
      : '';
    out.push(`${path} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${hash}`);
    if (entry.isDirectory()) out.push(...(await snapshot(dir, path)));
  }
  return out;
};

/**
 * A read-only copy of a repository: audit must not need to write there. (Root, as on CI, can
 * write anyway: the snapshot before and after is what proves nothing was written.)
 */
const readOnlyCopy = async (parts: readonly { from: string; to?: string }[]): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-audit-repo-'));
  temps.push(dir);
  for (const { from, to } of parts) await cp(from, join(dir, to ?? ''), { recursive: true });
  await execa('chmod', ['-R', 'a-w', dir]);
  return dir;
};

const leftovers = async (): Promise<string[]> => {
  const docker = process.env.LEARN_GO_DOCKER_DOCKER ?? 'docker';
  const containers = (await execa(docker, ['ps', '-aq', '--filter', 'label=learn-go-docker.lesson=audit'])).stdout.split('\n').filter(Boolean);
  const images = (await execa(docker, ['images', '-q', 'learn-go-docker/audit'])).stdout.split('\n').filter(Boolean);
  const volumes = (await execa(docker, ['volume', 'ls', '-q', '--filter', 'label=learn-go-docker.lesson=audit'])).stdout.split('\n').filter(Boolean);
  return [...containers.map((c) => `container ${c}`), ...images.map((i) => `image ${i}`), ...volumes.map((v) => `volume ${v}`)];
};

const verdicts = (report: AuditReport): Record<string, string> => Object.fromEntries(report.items.map((i) => [i.id, i.status]));

const explain = (report: AuditReport): string =>
  [...report.notices.map((n) => `notice: ${n.en}`), ...report.items.map((i) => `${i.status.padEnd(7)} ${i.id}: ${i.message.en.split('\n')[0]}`)].join('\n');

describe('audit (real Docker)', async () => {
  const caps = await detectCapabilities();
  it('has a Docker engine to test against', () => {
    // As the lessons' tests: a green run without Docker proves nothing.
    expect(caps.available, caps.problem?.message.en).toBe(true);
  });
  const course = await registryForCourse();
  const registry = checkRegistry();

  const audit = async (name: string, dir: string, options: Partial<AuditOptions> = {}): Promise<AuditReport> => {
    const before = await snapshot(dir);
    const records: MeasurementRecord[] = [];
    const report = await runAudit({ dir, course, registry, createSession: createDockerSession, onMeasured: (r) => records.push(r), ...options });
    expect(await snapshot(dir), 'audit wrote into the repository').toEqual(before);
    expect(await leftovers(), 'audit left Docker objects behind').toEqual([]);
    if (RECORD) {
      mkdirSync(RECORD_DIR, { recursive: true });
      for (const r of records) {
        const item = report.items.find((i) => i.id === r.checkId);
        if (!item || item.status === 'unknown') continue;
        const file = join(RECORD_DIR, `audit.${name}.${r.checkId.replace(/[^a-z0-9.-]/gi, '_')}.json`);
        // The params the scorecard gave the check for this repository, so the judge can be bound again.
        const plan = {
          go: true,
          secretFiles: [],
          ...(report.port ? { port: report.port.value } : {}),
          ...(report.healthPath ? { healthPath: report.healthPath.value } : {}),
        };
        const check = scorecardItems(plan).find((c) => (c.id ?? c.check) === r.checkId);
        writeFileSync(
          file,
          `${JSON.stringify({ lesson: 'audit', state: name, checkId: r.checkId, check: check?.check, params: check?.params, status: item.status, dockerfile: r.dockerfile ?? null, history: r.history, measurement: r.measurement }, null, 1)}\n`,
        );
      }
    }
    return report;
  };

  it('passes every item of a service done the way the course teaches', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'good') }]);
    const report = await audit('good', dir);
    expect(report.mode).toBe('full');
    expect(report.port).toEqual({ value: 8080, from: 'expose' });
    expect(report.healthPath).toEqual({ value: '/healthz', from: 'healthcheck' });
    expect(report.summary, explain(report)).toEqual({ pass: 18, fail: 0, unknown: 0 });
    // Each item names the lesson that teaches it.
    expect(report.items.find((i) => i.id === 'container.stop')?.lesson).toMatchObject({ number: 11, id: 'signals-and-shutdown' });
    expect(report.items.find((i) => i.id === 'image.size')?.measured?.sizeBytes).toBeLessThan(30e6);
  }, 300_000);

  it('fails a first attempt on what it gets wrong, and says what it measured', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'first-attempt') }]);
    const report = await audit('first-attempt', dir, { path: '/health' });
    // A module with no dependency: the rebuild downloads nothing, whatever the order (measured), and
    // the order check says so rather than promise downloads that cannot happen.
    const passing = ['image.builds', 'dockerfile.base-pinned', 'dockerfile.deps-before-source', 'build.cache-reuse', 'http.probe#health'];
    const failing = [
      'dockerignore.excludes',
      'image.size',
      'binary.static',
      'dockerfile.user',
      'image.user',
      'container.user',
      'dockerfile.healthcheck',
      'container.healthy',
      'dockerfile.exec-form',
      'container.stop',
      'image.labels',
      'dockerfile.no-secrets',
      'image.secret-traces',
    ];
    expect(verdicts(report), explain(report)).toEqual(Object.fromEntries([...passing.map((id) => [id, 'pass']), ...failing.map((id) => [id, 'fail'])]));
    const secrets = report.items.find((i) => i.id === 'image.secret-traces');
    // The .env the context carried is in the image, and the password's value is never printed.
    expect(secrets?.message.en).toContain('/app/.env');
    expect(secrets?.message.en).not.toContain('hunter2');
    expect(secrets?.message.en).toContain('DATABASE_URL=po…');
    expect(report.items.find((i) => i.id === 'dockerignore.excludes')?.message.en).toContain('.env');
    expect(report.items.find((i) => i.id === 'container.stop')?.measured?.exitCode).toBe(137);
  }, 300_000);

  it('finds the only Dockerfile of a multi-module repository and builds from its root', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'multi-module') }]);
    const report = await audit('multi-module', dir);
    expect(report.dockerfile).toBe('deploy/Dockerfile');
    expect(report.items.find((i) => i.id === 'dockerignore.excludes')?.message.en).toContain('deploy/Dockerfile.dockerignore excludes .git');
    expect(report.port?.value).toBe(9000);
    expect(report.summary, explain(report)).toEqual({ pass: 18, fail: 0, unknown: 0 });
    // The source change was made in a module that is not under cmd/ or internal/.
    expect(report.items.find((i) => i.id === 'build.cache-reuse')?.message.en).toMatch(/After changing (lib|service)\//);
  }, 300_000);

  it('proves a health check that really probes an app the runner cannot reach (another port, HOST ignored)', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'other-port') }]);
    const report = await audit('other-port', dir);
    expect(report.port).toBeNull();
    const healthy = report.items.find((i) => i.id === 'container.healthy');
    expect(healthy?.status, explain(report)).toBe('pass');
    expect(healthy?.message.en).not.toContain('listened on 127.0.0.2 only');
    expect(report.items.find((i) => i.id === 'http.probe#health')?.status).toBe('unknown');
  }, 300_000);

  it('gives the static part, and says why, when the build needs a private module', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'private-module') }]);
    const report = await audit('private-module', dir);
    expect(report.mode).toBe('static');
    expect(report.notices.map((n) => n.en).join('\n')).toMatch(/private Go modules or a build secret/);
    expect(verdicts(report), explain(report)).toEqual({
      'image.builds': 'fail',
      'dockerfile.base-pinned': 'pass',
      'dockerfile.deps-before-source': 'pass',
      'dockerignore.excludes': 'pass',
      'dockerfile.user': 'pass',
      'dockerfile.healthcheck': 'fail',
      'dockerfile.exec-form': 'pass',
      'dockerfile.no-secrets': 'pass',
    });
  }, 300_000);

  it('gives the static part of a repository that is not Go, without building it', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'not-go') }]);
    const report = await audit('not-go', dir);
    expect(report.mode).toBe('static');
    expect(report.notices[0]?.en).toMatch(/not a Go service/);
    expect(verdicts(report), explain(report)).toEqual({
      'dockerfile.base-pinned': 'pass',
      'dockerignore.excludes': 'fail',
      'dockerfile.user': 'pass',
      'dockerfile.healthcheck': 'fail',
      'dockerfile.exec-form': 'pass',
      'dockerfile.no-secrets': 'pass',
    });
  }, 60_000);

  it("passes every item on the course's own capstone solution", async () => {
    const lesson = course.byId('capstone');
    if (!lesson) throw new Error('no capstone lesson');
    const dir = await readOnlyCopy([
      { from: join(packageRoot(), 'sample-app') },
      { from: join(lesson.dir, 'solution', 'Dockerfile'), to: 'Dockerfile' },
      { from: join(course.byId('layers-and-cache')?.dir ?? '', 'solution', '.dockerignore'), to: '.dockerignore' },
    ]);
    const report = await audit('capstone', dir, { path: '/health' });
    expect(report.summary, explain(report)).toEqual({ pass: 18, fail: 0, unknown: 0 });
    expect(report.healthPath).toEqual({ value: '/health', from: 'flag' });
  }, 600_000);

  it('builds and judges the stage --target names', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'good') }]);
    const report = await audit('good-target-build', dir, { target: 'build' });
    expect(report.target).toBe('build');
    const status = verdicts(report);
    // The build stage is the Go toolchain, as root, with no health check: the scorecard says so.
    expect(
      { size: status['image.size'], user: status['dockerfile.user'], imageUser: status['image.user'], health: status['dockerfile.healthcheck'] },
      explain(report),
    ).toEqual({
      size: 'fail',
      user: 'fail',
      imageUser: 'fail',
      health: 'fail',
    });
    expect(report.items.find((i) => i.id === 'image.size')?.measured?.sizeBytes).toBeGreaterThan(500e6);
  }, 300_000);

  it('stops a build that runs past its budget, says so, and leaves nothing', async () => {
    // A step that outlasts the budget; stopped every time, so never cached.
    const src = await mkdtemp(join(tmpdir(), 'lgd-audit-slow-'));
    temps.push(src);
    await writeFile(join(src, 'go.mod'), 'module example.com/slow\n\ngo 1.26\n');
    await writeFile(join(src, 'Dockerfile'), 'FROM golang:1.26-trixie\nRUN sleep 60\n');
    const dir = await readOnlyCopy([{ from: src }]);
    const report = await audit('budget', dir, { buildBudgetMs: 1500 });
    expect(report.items.find((i) => i.id === 'image.builds')?.status, explain(report)).toBe('fail');
    expect(report.notices.map((n) => n.en).join('\n')).toMatch(/The build was stopped after 2 s, audit's budget for one build/);
  }, 120_000);

  it('refuses a stage the Dockerfile does not have, naming the stages it has', async () => {
    const dir = await readOnlyCopy([{ from: join(FIXTURES, 'good') }]);
    await expect(runAudit({ dir, course, registry, createSession: createDockerSession, target: 'nope' })).rejects.toThrow(/No stage "nope"/);
  });
});
