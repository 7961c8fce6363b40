import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerSession } from '../../../src/engine/docker/docker-session.js';
import { containerLimitArgs, memoryBytes, serviceLimits } from '../../../src/engine/docker/limits.js';
import { loopbackCompose, loopbackPort } from '../../../src/engine/docker/compose-override.js';

/**
 * A recording docker client: every invocation is appended to a log as a JSON line (argv, and for
 * compose the files passed with -f as they were when it ran), and it answers like a Docker 24 with
 * compose v2. `compose config` prints the first -f file with \${VAR:-default} interpolated, so the
 * runner's own check of the resolved file sees what it wrote.
 */
const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const files = {};
if (args[0] === 'compose') args.forEach((a, i) => { if (a === '-f') files[args[i + 1]] = fs.readFileSync(args[i + 1], 'utf8'); });
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify({ args, files }) + '\\n');
const out = (text) => process.stdout.write(text + '\\n');
const verb = args.find((a) => ['create', 'start', 'port', 'version', 'config', 'up', 'down', 'buildx', '--version'].includes(a));
if (args[0] === 'version') out(JSON.stringify({ Client: { Version: '24.0.7' }, Server: { Version: '24.0.7', Os: 'linux', Arch: 'amd64' } }));
else if (args[0] === 'buildx') process.exit(1);
else if (args[0] === 'compose' && args[1] === 'version') out('Docker Compose version v2.40.3');
else if (args[0] === '--version') out('Docker version 24.0.7');
else if (args[0] === 'info') out(process.env.FAKE_CPU_QUOTA ?? 'true');
else if (args[0] === 'create' || args[0] === 'run') {
  const id = 'c0ffee' + String(Date.now() % 100000);
  const cid = args[args.indexOf('--cidfile') + 1];
  if (args.includes('--cidfile')) fs.writeFileSync(cid, id);
  out(id);
}
else if (args[0] === 'port') out('8080/tcp -> 127.0.0.1:49153');
// compose config interpolates: \${VAR:-default} becomes the default (no variable is set here).
else if (args[0] === 'compose' && verb === 'config') out(Object.values(files)[0].replace(/\\$\\{\\w+:-([^}]*)\\}/g, '$1'));
else if (args[0] === 'compose' && args.includes('port')) out('127.0.0.1:49154');
`;

interface Call {
  readonly args: string[];
  readonly files: Record<string, string>;
}

describe('limits on everything the runner starts (recording fake docker)', () => {
  const saved = process.env.LEARN_GO_DOCKER_DOCKER;
  let log = '';
  let workspace = '';
  const calls = async (): Promise<Call[]> =>
    (await readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Call);

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-fake-docker-'));
    const fake = join(dir, 'docker');
    await writeFile(fake, FAKE);
    await chmod(fake, 0o755);
    log = join(dir, 'calls.jsonl');
    process.env.LEARN_GO_DOCKER_DOCKER = fake;
    process.env.FAKE_DOCKER_LOG = log;
    workspace = await mkdtemp(join(tmpdir(), 'lgd-limits-ws-'));
    await mkdir(join(workspace, '.learn-go-docker'));
    await writeFile(join(workspace, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(
      join(workspace, 'compose.yaml'),
      [
        'services:',
        '  app:',
        '    build: .',
        '    ports: ["8080:8080", "9090", 7070, {target: 6060, published: 6061}, "127.0.0.1:5050:5050"]',
        '    deploy: {resources: {limits: {memory: 2g}}}',
        '  db:',
        '    image: postgres:17-trixie',
        '    mem_limit: 128m',
        '    pids_limit: -1',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.LEARN_GO_DOCKER_DOCKER;
    else process.env.LEARN_GO_DOCKER_DOCKER = saved;
  });

  it("every docker create and run carries memory, cpus, a pids limit and no-new-privileges; a check's own memory/cpus win", async () => {
    delete process.env.FAKE_CPU_QUOTA;
    const session = createDockerSession({ contextDir: workspace, lessonId: 'limits-test' });
    try {
      await session.run({ image: 'img', publish: [8080] });
      await session.run({ image: 'img', memory: '128m', cpus: '0.5' });
      await session.copyFromImage('img', '/server', join(workspace, 'out')).catch(() => undefined);
    } finally {
      await session.dispose();
    }
    const creates = (await calls()).filter((c) => c.args[0] === 'create' || c.args[0] === 'run');
    expect(creates).toHaveLength(3);
    const flag = (args: string[], name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
    for (const { args } of creates) {
      expect(flag(args, '--pids-limit')).toEqual(['256']);
      expect(flag(args, '--security-opt')).toEqual(['no-new-privileges']);
      expect(flag(args, '--memory')).toHaveLength(1);
      expect(flag(args, '--cpus')).toHaveLength(1);
      for (const port of flag(args, '-p')) expect(port).toMatch(/^127\.0\.0\.1:\d*:\d+$/);
    }
    expect(flag(creates[0]?.args ?? [], '--memory')).toEqual(['512m']);
    expect(flag(creates[0]?.args ?? [], '--cpus')).toEqual(['1']);
    // One docker run -d on a free loopback port chosen by the runner (no create/start/port).
    expect(creates[0]?.args.slice(0, 2)).toEqual(['run', '-d']);
    expect(flag(creates[0]?.args ?? [], '-p')[0]).toMatch(/^127\.0\.0\.1:\d+:8080$/);
    expect(flag(creates[1]?.args ?? [], '--memory')).toEqual(['128m']);
    expect(flag(creates[1]?.args ?? [], '--cpus')).toEqual(['0.5']);
  });

  it('leaves the default --cpus out where the daemon has no CPU quotas (Docker would refuse the container)', async () => {
    // Capabilities are cached per client path: a second copy of the fake is a daemon without quotas.
    const dir = await mkdtemp(join(tmpdir(), 'lgd-fake-docker-noquota-'));
    await writeFile(join(dir, 'docker'), FAKE);
    await chmod(join(dir, 'docker'), 0o755);
    process.env.LEARN_GO_DOCKER_DOCKER = join(dir, 'docker');
    process.env.FAKE_CPU_QUOTA = 'false';
    const before = (await calls()).length;
    const session = createDockerSession({ contextDir: workspace, lessonId: 'limits-test' });
    try {
      await session.run({ image: 'img' });
      await session.run({ image: 'img', cpus: '0.5' });
      await session.composeUp({ service: 'app', port: 8080 });
    } finally {
      await session.dispose();
      process.env.LEARN_GO_DOCKER_DOCKER = join(log, '..', 'docker');
      delete process.env.FAKE_CPU_QUOTA;
    }
    const mine = (await calls()).slice(before);
    const creates = mine.filter((c) => c.args[0] === 'create' || c.args[0] === 'run');
    expect(creates.map((c) => c.args.includes('--cpus'))).toEqual([false, true]);
    for (const c of creates) expect(c.args).toEqual(expect.arrayContaining(['--memory', '--pids-limit', '--security-opt']));
    const up = mine.find((c) => c.args.includes('up'));
    const override = parse(Object.values(up?.files ?? {})[1] ?? '') as { services: Record<string, Record<string, unknown>> };
    expect(override.services.app?.cpus).toBeUndefined();
    expect(override.services.app?.pids_limit).toBe(256);
    expect(override.services.app?.deploy).toEqual({ resources: { limits: { memory: String(512 * 1024 * 1024), pids: 256 } } });
  });

  it('compose up runs a copy with every port on 127.0.0.1 and an override limiting every service', async () => {
    const before = (await calls()).length;
    const session = createDockerSession({ contextDir: workspace, lessonId: 'limits-test' });
    let up: Call | undefined;
    try {
      const result = await session.composeUp({ service: 'app', port: 8080 });
      expect(result.refusal).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.hostPort).toBe(49154);
      up = (await calls()).slice(before).find((c) => c.args[0] === 'compose' && c.args.includes('up'));
    } finally {
      await session.dispose();
    }
    expect(up).toBeDefined();
    const files = Object.entries(up?.files ?? {});
    expect(files).toHaveLength(2);
    // Not the learner's file: a copy outside the build context, paths resolved against it.
    expect(files[0]?.[0].startsWith(workspace)).toBe(false);
    expect(up?.args.slice(up.args.indexOf('--project-directory'), up.args.indexOf('--project-directory') + 2)[1]).toMatch(/learn-go-docker-ctx-\d+-/);
    const copy = parse(files[0]?.[1] ?? '') as { services: Record<string, { ports?: unknown[] }> };
    expect(copy.services.app?.ports).toEqual([
      '127.0.0.1:8080:8080',
      '127.0.0.1::9090',
      '127.0.0.1::7070',
      { target: 6060, published: 6061, host_ip: '127.0.0.1' },
      '127.0.0.1:5050:5050',
    ]);
    const override = parse(files[1]?.[1] ?? '') as { services: Record<string, Record<string, unknown>> };
    for (const name of ['app', 'db']) {
      const service = override.services[name] ?? {};
      expect(service.pids_limit).toBe(256);
      expect(service.cpus).toBe(1);
      expect(service.security_opt).toEqual(['no-new-privileges:true']);
      expect((service.labels as Record<string, string>)['learn-go-docker']).toBe('1');
    }
    // A tighter limit of the file stays; a looser one (2g, pids -1) does not lift the cap.
    expect(override.services.app?.mem_limit).toBe(512 * 1024 * 1024);
    expect(override.services.app?.deploy).toEqual({ resources: { limits: { memory: String(512 * 1024 * 1024), cpus: '1', pids: 256 } } });
    expect(override.services.db?.mem_limit).toBe(128 * 1024 * 1024);
    expect((override.services.app?.build as { labels: Record<string, string> }).labels['learn-go-docker']).toBe('1');
  });

  it('refuses a dangerous compose file before compose is ever called', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-limits-bad-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: x\n    privileged: true\n');
    const before = (await calls()).length;
    const session = createDockerSession({ contextDir: dir, lessonId: 'limits-test' });
    try {
      const result = await session.composeUp({ service: 'app', port: 8080 });
      expect(result.ok).toBe(false);
      expect(result.refusal?.en).toContain('service "app", privileged: true');
      expect(result.refusal?.['zh-CN']).toContain('服务 "app" 的 privileged: true');
    } finally {
      await session.dispose();
    }
    expect((await calls()).slice(before).filter((c) => c.args[0] === 'compose' && !c.args.includes('down'))).toEqual([]);
  });

  it('refuses what only the resolved file shows (an interpolated value), after config and before up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-limits-env-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: x\n    network_mode: "${MODE:-host}"\n');
    const before = (await calls()).length;
    const session = createDockerSession({ contextDir: dir, lessonId: 'limits-test' });
    try {
      const result = await session.composeUp({ service: 'app', port: 8080 });
      expect(result.ok).toBe(false);
      expect(result.refusal?.en).toContain('service "app", network_mode: host');
    } finally {
      await session.dispose();
    }
    const compose = (await calls()).slice(before).filter((c) => c.args[0] === 'compose');
    expect(compose.some((c) => c.args.includes('config'))).toBe(true);
    expect(compose.some((c) => c.args.includes('up'))).toBe(false);
  });
});

describe('limit values', () => {
  it('defaults fill what a check does not set', () => {
    expect(containerLimitArgs({}, true)).toEqual(['--memory', '512m', '--cpus', '1', '--pids-limit', '256', '--security-opt', 'no-new-privileges']);
    expect(containerLimitArgs({ memory: '128m' }, true).slice(0, 4)).toEqual(['--memory', '128m', '--cpus', '1']);
    expect(containerLimitArgs()).toEqual(['--memory', '512m', '--pids-limit', '256', '--security-opt', 'no-new-privileges']);
    expect(containerLimitArgs({ cpus: '0.5' })).toContain('0.5');
  });
  it('reads compose memory sizes and never lifts the cap', () => {
    expect(memoryBytes('512m')).toBe(536870912);
    expect(memoryBytes('1gb')).toBe(1073741824);
    expect(memoryBytes(1048576)).toBe(1048576);
    expect(memoryBytes('lots')).toBeUndefined();
    expect(serviceLimits({ mem_limit: '64m', cpus: 0.25, pids_limit: 50 })).toEqual({ memoryBytes: 64 * 1048576, cpus: 0.25, pids: 50 });
    expect(serviceLimits({ mem_limit: '8g', cpus: '4', pids_limit: -1 })).toEqual({ memoryBytes: 512 * 1048576, cpus: 1, pids: 256 });
    expect(serviceLimits({ deploy: { resources: { limits: { memory: '256M', pids: 100 } } } })).toEqual({ memoryBytes: 256 * 1048576, cpus: 1, pids: 100 });
  });
  it('binds ports without an address to 127.0.0.1 and keeps the rest of the file', () => {
    expect(loopbackPort('8080')).toBe('127.0.0.1::8080');
    expect(loopbackPort('8080:80/udp')).toBe('127.0.0.1:8080:80/udp');
    expect(loopbackPort('${PORT:-8080}:8080')).toBe('127.0.0.1:${PORT:-8080}:8080');
    expect(loopbackPort('127.0.0.1::8080')).toBe('127.0.0.1::8080');
    expect(loopbackPort('[::1]:8080:8080')).toBe('[::1]:8080:8080');
    const text =
      '# mine\nx-ports: &p\n  ports: ["80:80"]\nservices:\n  app:\n    <<: *p\n    image: x # keep\n    healthcheck: {test: ["CMD-SHELL", "echo $${HOME}"]}\n';
    const out = loopbackCompose(text);
    expect(out).toContain('# mine');
    expect(out).toContain('"127.0.0.1:80:80"');
    expect(out).toContain('$${HOME}');
    expect(out).toContain('*p');
  });
});
