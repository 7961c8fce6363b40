import { mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeRefusals } from '../../../src/engine/docker/compose-guard.js';
import { check, GOOD } from './helpers.js';

const app = (extra: string) => `services:\n  app:\n    build: .\n${extra}`;

// Each entry: a service body (or a whole file) and the "service, key: value" the refusal must name.
const CASES: [string, string, string][] = [
  ['privileged', app('    privileged: true\n'), 'service "app", privileged: true'],
  [
    'docker socket',
    app('    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n'),
    'volumes: /var/run/docker.sock:/var/run/docker.sock — gives the container control of your Docker engine',
  ],
  ['host root', app('    volumes: ["/:/host"]\n'), 'service "app", volumes: /:/host — mounts / from your machine'],
  ['long-form bind outside', app('    volumes: [{type: bind, source: /etc, target: /etc2}]\n'), 'volumes: /etc:/etc2'],
  ['parent folder', app('    volumes: ["../:/up"]\n'), 'volumes: ../:/up'],
  ['home folder', app('    volumes: ["~/.ssh:/ssh:ro"]\n'), 'volumes: ~/.ssh:/ssh:ro'],
  ['pid host', app('    pid: host\n'), 'service "app", pid: host'],
  ['network host', app('    network_mode: host\n'), 'service "app", network_mode: host'],
  ['ipc host', app('    ipc: host\n'), 'ipc: host'],
  ['userns host', app('    userns_mode: host\n'), 'userns_mode: host'],
  ['cap ALL', app('    cap_add: [ALL]\n'), 'service "app", cap_add: ALL'],
  ['cap SYS_ADMIN', app('    cap_add: [NET_BIND_SERVICE, SYS_ADMIN]\n'), 'cap_add: SYS_ADMIN'],
  ['cap with prefix', app('    cap_add: [CAP_SYS_PTRACE]\n'), 'cap_add: CAP_SYS_PTRACE'],
  ['seccomp off', app('    security_opt: ["seccomp:unconfined"]\n'), 'security_opt: seccomp:unconfined'],
  ['devices', app('    devices: ["/dev/sda:/dev/sda"]\n'), 'devices: /dev/sda:/dev/sda'],
  ['port on all interfaces', app('    ports: ["0.0.0.0:8080:8080"]\n'), 'service "app", ports: 0.0.0.0:8080:8080'],
  ['port on IPv6 any', app('    ports: ["[::]:8080:8080"]\n'), 'ports: [::]:8080:8080'],
  ['long-form port', app('    ports: [{target: 8080, published: 8080, host_ip: 0.0.0.0}]\n'), 'ports: 0.0.0.0:8080:8080'],
  ['merge key', 'x-bad: &bad\n  privileged: true\nservices:\n  app:\n    <<: *bad\n    build: .\n', 'service "app", privileged: true'],
  [
    'volume bound to a host folder',
    `${app('    volumes: ["data:/data"]\n')}volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /}\n`,
    'volumes.data.driver_opts.device: /',
  ],
  ['secret from a host file', `${app('')}secrets:\n  key:\n    file: /etc/shadow\n`, 'secrets.key.file: /etc/shadow'],
  ['host network by name', `${app('')}networks:\n  default:\n    external: true\n    name: host\n`, 'networks.default: host'],
];

describe('compose.valid refuses what hands the container the host', () => {
  for (const [name, text, named] of CASES) {
    it(`refuses ${name}`, async () => {
      const out = await check('compose.valid', GOOD, { services: ['app'] }, { 'compose.yaml': text });
      expect(out.status).toBe('fail');
      expect(out.message.en).toContain(named);
      expect(out.message.en).toContain('the runner will not start the file');
      expect(out.message['zh-CN']).toContain('运行器不会启动这个文件');
      expect(out.message['zh-CN']).toContain(named.includes('service "app"') ? '服务 "app" 的' : named.split(' ')[0]);
    });
  }

  it("passes the lesson's own compose.yaml and ordinary ports and binds", async () => {
    const solution = await readFile(join(import.meta.dirname, '../../../lessons/16-compose/solution/compose.yaml'), 'utf8');
    const out = await check(
      'compose.valid',
      GOOD,
      { services: ['app', 'db'], healthGated: true, namedVolume: true, envFile: true },
      { 'compose.yaml': solution, '.env': 'POSTGRES_PASSWORD=x\n' },
    );
    expect(out.status, out.message.en).toBe('pass');
    const ordinary = app(
      '    ports: ["8080:8080", "9090", "127.0.0.1:5432:5432", "[::1]:81:81", {target: 80, published: 8081}]\n    volumes: ["./data:/data", "notes:/notes", "/tmp"]\n    cap_add: [NET_BIND_SERVICE]\n    network_mode: bridge\n',
    );
    expect((await check('compose.valid', GOOD, { services: ['app'] }, { 'compose.yaml': ordinary })).status).toBe('pass');
  });

  it('leaves ${VARIABLES} of a file as written to the check of the resolved file', () => {
    const doc = parse(app('    privileged: ${PRIV}\n    network_mode: ${MODE}\n    ports: ["${IP}:8080:8080"]\n    volumes: ["${ROOT}:/host"]\n'));
    expect(composeRefusals(doc, { projectDir: '/workspace' })).toEqual([]);
    const resolved = {
      services: {
        app: {
          privileged: true,
          network_mode: 'host',
          ports: [{ target: 8080, published: '8080', host_ip: '0.0.0.0' }],
          volumes: [{ type: 'bind', source: '/', target: '/host' }],
        },
      },
    };
    expect(composeRefusals(resolved, { projectDir: '/workspace', resolved: true }).map((r) => r.key)).toEqual([
      'privileged',
      'network_mode',
      'volumes',
      'ports',
    ]);
  });

  it('in the resolved file, a port without an address (all interfaces) is refused; 127.0.0.1 passes', () => {
    const doc = {
      services: {
        app: {
          ports: [
            { target: 8080, protocol: 'tcp' },
            { target: 9090, host_ip: '127.0.0.1' },
          ],
        },
      },
    };
    const refusals = composeRefusals(doc, { projectDir: '/workspace', resolved: true });
    expect(refusals.map((r) => `${r.service} ${r.key} ${r.value}`)).toEqual(['app ports 0.0.0.0:?:8080']);
    expect(composeRefusals(doc, { projectDir: '/workspace' })).toEqual([]);
  });

  it('follows a symlink inside the workspace that points out of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-guard-'));
    await mkdir(join(dir, 'data'));
    await symlink('/', join(dir, 'root-link'));
    const doc = parse(app('    volumes: ["./data:/data", "./root-link:/host", "./not-yet:/later"]\n'));
    expect(composeRefusals(doc, { projectDir: dir }).map((r) => r.value)).toEqual(['./root-link:/host']);
  });
});
