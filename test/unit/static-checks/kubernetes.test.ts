import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quantityBytes } from '../../../src/engine/checks/static/kubernetes.js';
import { unknownFields } from '../../../src/engine/checks/static/kubernetes-fields.js';
import { goDurationSeconds } from '../../../src/engine/util/go-duration.js';
import { check } from './helpers.js';
import { asList } from './findings-list.js';

const lesson = join(import.meta.dirname, '../../../lessons/30-kubernetes-manifests');
const text = (rel: string) => readFile(join(lesson, rel), 'utf8');
const dockerfile = await text('start/Dockerfile');
const solution = { 'k8s/deployment.yaml': await text('solution/k8s/deployment.yaml'), 'k8s/service.yaml': await text('solution/k8s/service.yaml') };
const run = async (files: Record<string, string>) => asList(await check('k8s.manifests', dockerfile, {}, { ...solution, ...files }));

/** The lesson's proof case: its overlay on the solution. */
const proofCase = async (name: string) => {
  const files: Record<string, string> = {};
  for (const rel of ['k8s/deployment.yaml', 'k8s/service.yaml']) {
    const path = join(lesson, 'cases', name, 'files', rel);
    if (existsSync(path)) files[rel] = await readFile(path, 'utf8');
  }
  return run(files);
};

/** The lines of a failing verdict that list findings ("- line N: ..."). */
const findings = (message: string) => message.split('\n').filter((l) => l.startsWith('- '));

describe('k8s.manifests', () => {
  it("passes the lesson's solution with what it measured", async () => {
    const out = await run({});
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('GOMEMLIMIT 100MiB is 78.1% of the 128Mi limit');
    expect(out.message.en).toContain("15 s to stop, more than the app's 7 s");
  });

  // Each wrong proof case fails for its own reason, and for that reason alone.
  const wrong: Record<string, string> = {
    'liveness-on-ready': 'livenessProbe on /health/ready: readiness turns 503 while the pod drains',
    'misspelt-probe': 'Container has no field readinessprobe (did you mean readinessProbe?)',
    'grace-too-short': 'terminationGracePeriodSeconds is 5, but the app takes up to 7 s to leave (DRAIN_DELAY 2 s + SHUTDOWN_TIMEOUT 5 s)',
    'limit-below-gomemlimit': 'GOMEMLIMIT 100MiB is 156.3% of the 64Mi limit',
    'service-selects-nothing': 'spec.selector selects no pod of the Deployment: use labels of its pod template (app: notes)',
    'claim-without-fsgroup': "set the pod's securityContext.fsGroup: 65532",
    'latest-tag': 'image: notes:latest: name a version tag',
    'single-replica': 'replicas: 1: with one pod',
    'gomemlimit-from-whole-limit': 'GOMEMLIMIT 134217728 (resourceFieldRef limits.memory) is 100.0% of the 128Mi limit',
    'prestop-eats-grace': 'terminationGracePeriodSeconds is 10, but the app takes up to 12 s to leave (preStop 5 s + DRAIN_DELAY 2 s + SHUTDOWN_TIMEOUT 5 s)',
  };
  for (const [name, words] of Object.entries(wrong)) {
    it(`fails the proof case ${name} with one finding`, async () => {
      const out = await proofCase(name);
      expect(out.status).toBe('fail');
      const en = name === 'misspelt-probe' ? findings(out.message.en).filter((l) => !l.includes('no readinessProbe')) : findings(out.message.en);
      expect(en, out.message.en).toHaveLength(1);
      expect(en[0]).toContain(words);
      expect(findings(out.message['zh-CN']).length).toBe(findings(out.message.en).length);
    });
  }

  it('passes the right proof cases', async () => {
    for (const name of ['numeric-ports-and-claim', 'gomemlimit-in-env', 'prestop-within-grace']) expect((await proofCase(name)).status, name).toBe('pass');
  });

  it('reads env values from the container resources as the kubelet does, and says when a value is not in these files', async () => {
    const dep = solution['k8s/deployment.yaml'];
    const withEnv = (entry: string) => dep.replace('              containerPort: 8080\n', `              containerPort: 8080\n          env:\n${entry}`);
    // A divisor makes the value a count of that unit: GOMEMLIMIT=128 is 128 bytes to Go.
    const divided = await run({
      'k8s/deployment.yaml': withEnv(
        '            - name: GOMEMLIMIT\n              valueFrom:\n                resourceFieldRef:\n                  resource: limits.memory\n                  divisor: 1Mi\n',
      ),
    });
    expect(findings(divided.message.en)).toEqual([
      expect.stringContaining('GOMEMLIMIT 128 (resourceFieldRef limits.memory, divisor 1Mi) is <0.1% of the 128Mi limit'),
    ]);
    // Its way out, at the env entry (not the limit's line), and Chinese brackets in Chinese.
    expect(divided.message.en).toContain(
      'A resourceFieldRef gives the whole limit, in units of its divisor (a bare number is bytes to Go): write value: 100MiB instead',
    );
    const envLine =
      withEnv('')
        .split('\n')
        .findIndex((l) => l.trim() === 'env:') + 2;
    expect(findings(divided.message.en)[0]).toMatch(new RegExp(`^- line ${envLine}: `));
    expect(divided.message['zh-CN']).toContain('GOMEMLIMIT 128（resourceFieldRef limits.memory, divisor 1Mi）是');
    const fromMap = await run({
      'k8s/deployment.yaml': withEnv(
        '            - name: SHUTDOWN_TIMEOUT\n              valueFrom:\n                configMapKeyRef:\n                  name: notes\n                  key: shutdown\n',
      ),
    });
    expect(findings(fromMap.message.en)).toEqual([
      expect.stringContaining('SHUTDOWN_TIMEOUT comes from valueFrom.configMapKeyRef, which these manifests do not hold, so nothing here shows its value'),
    ]);
    expect(findings(fromMap.message['zh-CN'])).toEqual([expect.stringContaining('SHUTDOWN_TIMEOUT 来自 valueFrom.configMapKeyRef')]);
    // An exec hook that sleeps counts too.
    const exec = await run({
      'k8s/deployment.yaml': dep.replace(
        '          readinessProbe:',
        '          lifecycle:\n            preStop:\n              exec:\n                command: ["sleep", "9"]\n          readinessProbe:',
      ),
    });
    expect(findings(exec.message.en)).toEqual([expect.stringContaining('takes up to 16 s to leave (preStop 9 s + DRAIN_DELAY 2 s')]);
  });

  it('names the line of each finding, and the file', async () => {
    const out = await run({
      'k8s/deployment.yaml': solution['k8s/deployment.yaml'].replace('terminationGracePeriodSeconds: 15', 'terminationGracePeriodSeconds: 5'),
    });
    const line = solution['k8s/deployment.yaml'].split('\n').findIndex((l) => l.includes('terminationGracePeriodSeconds')) + 1;
    expect(out.message.en).toContain(`k8s/deployment.yaml:\n- line ${line}: terminationGracePeriodSeconds is 5`);
    expect(out.message['zh-CN']).toContain(`k8s/deployment.yaml：\n- 第 ${line} 行：terminationGracePeriodSeconds 是 5`);
  });

  it('stops at a missing file, a YAML error or another kind, saying which', async () => {
    expect((await check('k8s.manifests', dockerfile, {}, { 'k8s/service.yaml': solution['k8s/service.yaml'] })).message.en).toBe(
      'k8s/deployment.yaml: it does not exist. Create the Deployment there.',
    );
    expect((await run({ 'k8s/deployment.yaml': 'kind: [' })).message.en).toMatch(
      /^k8s\/deployment.yaml: line 1: Flow sequence .*\]\. Fix the YAML \(indent with spaces, never tabs\)\.$/,
    );
    expect((await run({ 'k8s/service.yaml': 'apiVersion: apps/v1\nkind: Deployment\n' })).message.en).toBe(
      'k8s/service.yaml: line 2: expected a v1 Service (apiVersion: v1, kind: Service), found apps/v1 Deployment.',
    );
    // A misspelt kind is found on its line.
    expect((await run({ 'k8s/service.yaml': svc.replace('kind: Service', 'kind: Servce') })).message.en).toMatch(
      /^k8s\/service.yaml: line \d+: expected a v1 Service \(apiVersion: v1, kind: Service\), found v1 Servce\.$/,
    );
  });

  const dep = solution['k8s/deployment.yaml'];
  const svc = solution['k8s/service.yaml'];
  const only = async (files: Record<string, string>) => findings((await run(files)).message.en);

  it('reads both objects from one file with ---, as kubectl apply does, and a trailing --- too', async () => {
    expect((await check('k8s.manifests', dockerfile, {}, { 'k8s/deployment.yaml': `${dep}---\n${svc}---\n` })).status).toBe('pass');
    const out = await check('k8s.manifests', dockerfile, {}, { 'k8s/deployment.yaml': `${dep}---\n${svc.replace('targetPort: http', 'targetPort: web')}` });
    // One finding is said on one line, so a one-line summary shows it whole.
    expect(out.message.en).toMatch(/^k8s\/deployment\.yaml, line \d+: targetPort: web names/);
    expect(out.message['zh-CN']).toMatch(/^k8s\/deployment\.yaml 第 \d+ 行：targetPort: web/);
    expect(out.message.en).toContain('targetPort: web names no port of the container (its port 8080 is named http): set targetPort: http.');
    expect(out.message['zh-CN']).toContain('targetPort: web 不是容器的任何端口名（它的 8080 端口名为 http）：请设置 targetPort: http。');
    // A container port without a name: the number is the one to set, in both languages.
    const unnamed = await check(
      'k8s.manifests',
      dockerfile,
      {},
      {
        'k8s/deployment.yaml': `${dep.replace('- name: http\n              containerPort: 8080', '- containerPort: 8080').replaceAll('port: http', 'port: 8080')}---\n${svc.replace('targetPort: http', 'targetPort: web')}`,
      },
    );
    expect(unnamed.message.en).toContain('targetPort: web names no port of the container (its port 8080 has no name): set targetPort: 8080.');
    expect(unnamed.message['zh-CN']).toContain('（它的 8080 端口没有名字）：请设置 targetPort: 8080。');
  });

  it('fails what the API server or the kubelet would refuse, or run wrong, each with its own words', async () => {
    const cases: [string, string, string][] = [
      ['memory: 128Mi\n            # ...and', 'memory: 128m\n            # ...and', 'requests.memory: 128m means 128 thousandths of a byte'],
      ['memory: 128Mi\n            # ...and', 'memory: 256Mi\n            # ...and', 'requests.memory 256Mi is more than limits.memory 128Mi'],
      ['cpu: 250m', 'cpu: lots', 'requests.cpu: lots is not a CPU quantity'],
      ['mountPath: /data', 'mountPath: /data\n              readOnly: true', 'the volume at /data is mounted readOnly'],
      [
        'allowPrivilegeEscalation: false',
        'allowPrivilegeEscalation: false\n            privileged: true',
        'privileged: true gives the container every power of the node',
      ],
      ['drop: [ALL]', 'drop: [ALL]\n              add: [NET_BIND_SERVICE]', 'capabilities.add: [NET_BIND_SERVICE] gives back what drop: [ALL] took'],
      ['drop: [ALL]', 'drop: [all]', 'capabilities.drop: [ALL] (in capitals: ALL)'],
      [
        '              path: /health/ready\n              port: http',
        '              path: /health/ready\n              port: http\n              scheme: HTTPS',
        'readinessProbe uses scheme HTTPS',
      ],
      [
        'terminationGracePeriodSeconds: 15',
        'terminationGracePeriodSeconds: "15"',
        'terminationGracePeriodSeconds: "15" must be a whole number of seconds without quotes',
      ],
      ['replicas: 2', 'replicas: 2.5', 'replicas: 2.5 must be a whole number'],
      ['containerPort: 8080', 'containerPort: "8080"', 'containerPort: "8080" is a string: write the number without quotes'],
      ['runAsUser: 65532\n        runAsGroup', 'runAsUser: "65532"\n        runAsGroup', '("65532" is a string: write the number without quotes)'],
      ['- name: data\n          emptyDir', '- name: notes-data\n          emptyDir', "names volume data, which the pod's volumes: does not declare"],
    ];
    for (const [from, to, words] of cases) {
      expect(dep.includes(from), from).toBe(true);
      const lines = await only({ 'k8s/deployment.yaml': dep.replace(from, to) });
      expect(lines, `${to}: ${lines.join(' | ')}`).toHaveLength(1);
      expect(lines[0]).toContain(words);
    }
    const runAsUserLine = dep.split('\n').findIndex((l) => l.includes('runAsUser')) + 1;
    expect((await only({ 'k8s/deployment.yaml': dep.replace('runAsUser: 65532', 'runAsUser: 1000') }))[0]).toContain(`line ${runAsUserLine}:`);
    expect(await only({ 'k8s/service.yaml': svc.replace('targetPort: http', 'targetPort: http\n      protocol: UDP') })).toEqual([
      expect.stringContaining('the port to the app uses protocol UDP; HTTP runs over TCP'),
    ]);
    expect(await only({ 'k8s/service.yaml': svc.replace('name: notes\n', 'name: notes\n  namespace: other\n') })).toEqual([
      expect.stringContaining('the Service is in namespace other and the Deployment in default'),
    ]);
  });

  it("accepts what Kubernetes runs right: limits that stand for requests, a trailing slash, the image's health check as liveness", async () => {
    const limitsOnly = dep
      .replace('            requests:\n              cpu: 250m\n              memory: 128Mi\n', '')
      .replace('limits:\n              memory: 128Mi', 'limits:\n              cpu: 500m\n              memory: 128Mi');
    expect((await run({ 'k8s/deployment.yaml': limitsOnly })).status).toBe('pass');
    expect((await run({ 'k8s/deployment.yaml': dep.replace('mountPath: /data', 'mountPath: /data/') })).status).toBe('pass');
    const exec = dep.replace(
      'livenessProbe:\n            httpGet:\n              path: /health\n              port: http',
      'livenessProbe:\n            exec:\n              command: ["/server", "healthcheck"]',
    );
    expect(exec).not.toBe(dep);
    expect((await run({ 'k8s/deployment.yaml': exec })).status).toBe('pass');
  });

  it('reads the files as kubectl does, in YAML 1.1: yes and on are true, a quoted "true" is a string', async () => {
    const yes = dep.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: yes').replace('runAsNonRoot: true', 'runAsNonRoot: on');
    expect(yes).not.toBe(dep);
    const out = await run({ 'k8s/deployment.yaml': yes });
    expect(out.status, out.message.en).toBe('pass');
    const quotedTrue = await only({ 'k8s/deployment.yaml': dep.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: "true"') });
    expect(quotedTrue).toEqual([expect.stringContaining('readOnlyRootFilesystem')]);
  });

  it('refuses volume names, port names and labels the API server refuses', async () => {
    expect(
      await only({
        'k8s/deployment.yaml': dep
          .replace(/- name: data\n(\s+)emptyDir/, '- name: Data_x\n$1emptyDir')
          .replace('name: data\n              mountPath', 'name: Data_x\n              mountPath'),
      }),
    ).toEqual([expect.stringContaining('the name of volume 1 "Data_x" is not a valid name')]);
    expect(await only({ 'k8s/deployment.yaml': dep.replaceAll('port: http', 'port: http-x').replace('- name: http\n', '- name: HTTP_X\n') })).toEqual(
      expect.arrayContaining([expect.stringContaining('ports[0].name "HTTP_X" is not a valid port name')]),
    );
    // A Service port's name is a DNS label: longer than a container port's may be, and no capitals.
    expect(await only({ 'k8s/service.yaml': svc.replace('- name: http', '- name: http-port-number-1') })).toEqual([]);
    expect(await only({ 'k8s/service.yaml': svc.replace('- name: http', '- name: HTTP_1') })).toEqual([
      expect.stringContaining('spec.ports[0].name "HTTP_1" is not a valid name'),
    ]);
    const bang = await only({ 'k8s/service.yaml': svc.replace(/selector:\n(\s+)app: notes/, 'selector:\n$1app: notes!') });
    expect(bang).toEqual(expect.arrayContaining([expect.stringContaining('spec.selector: the value of label app, "notes!", is not valid')]));
    expect(await only({ 'k8s/deployment.yaml': dep.replace(/labels:\n(\s+)app: notes/, 'labels:\n$1app: notes\n$1example.com/tier: web') })).toEqual([]);
  });

  it('says a key written twice without the advice on tabs, and names a file that holds both objects once', async () => {
    const twice = await run({ 'k8s/deployment.yaml': dep.replace('replicas: 2', 'replicas: 2\n  replicas: 3') });
    expect(twice.message.en).toContain('Map keys must be unique');
    expect(twice.message.en).not.toContain('tabs');
    const both = await run({ 'k8s/deployment.yaml': `${dep}\n---\n${svc}`, 'k8s/service.yaml': '' });
    expect(both.status, both.message.en).toBe('pass');
    expect(both.message.en).toMatch(/^k8s\/deployment\.yaml: 2 replicas/);
  });

  it('lists the findings of a file in the order of its lines', async () => {
    // An unknown field far down is found before replicas near the top: shown after it.
    const lines = await only({
      'k8s/deployment.yaml': dep.replace('replicas: 2', 'replicas: 1').replace('mountPath: /data', 'mountPath: /data\n              readonly: true'),
    });
    const numbers = lines.map((l) => Number(/^- line (\d+):/.exec(l)?.[1]));
    expect(numbers.length, lines.join('\n')).toBeGreaterThanOrEqual(2);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(lines[0]).toContain('replicas: 1');
  });

  it('refuses the names the API server refuses: a Deployment needs a DNS subdomain, a Service and a container a DNS label', async () => {
    const depName = (name: string) => only({ 'k8s/deployment.yaml': dep.replace(/^  name: notes$/m, `  name: ${name}`) });
    const svcName = (name: string) => only({ 'k8s/service.yaml': svc.replace(/^  name: notes$/m, `  name: ${name}`) });
    expect(await depName('Notes_API')).toEqual([expect.stringContaining('metadata.name of the Deployment "Notes_API" is not a valid name')]);
    expect(await depName('notes.v2')).toEqual([]);
    expect(await svcName('notes.v2')).toEqual([expect.stringContaining('metadata.name of the Service "notes.v2" is not a valid name')]);
    expect(await svcName('2notes')).toEqual([expect.stringContaining('beginning with a letter')]);
    expect(await svcName('notes-api')).toEqual([]);
    expect(await svcName(`n${'o'.repeat(63)}`)).toEqual([expect.stringContaining('is longer than 63 characters')]);
    const noName = await only({ 'k8s/service.yaml': svc.replace(/^  name: notes\n/m, '') });
    expect(noName).toEqual([expect.stringContaining('metadata.name of the Service is missing')]);
    const container = await only({ 'k8s/deployment.yaml': dep.replace(/^        - name: notes$/m, '        - name: Notes') });
    expect(container).toEqual([expect.stringContaining('the name of container 1 "Notes" is not a valid name')]);
  });

  it('checks the app container wherever it is, and locks down every container, naming each', async () => {
    const sidecarFirst = dep.replace('      containers:\n', '      containers:\n        - name: sidecar\n          image: busybox:1.36\n');
    const lines = await only({ 'k8s/deployment.yaml': sidecarFirst });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('container sidecar:'))).toBe(true);
    expect(lines.some((l) => l.includes('readOnlyRootFilesystem'))).toBe(true);
  });

  it("reads the image's ENV through the stages the final one builds on", async () => {
    const inherited = `FROM golang:1.26-trixie AS build\nRUN true\nFROM gcr.io/distroless/static-debian13:nonroot AS base\nENV GOMEMLIMIT=100MiB DRAIN_DELAY=2s SHUTDOWN_TIMEOUT=20s\nFROM base\nUSER 65532:65532\n`;
    const out = await check('k8s.manifests', inherited, {}, solution);
    expect(findings(asList(out).message.en)).toEqual([expect.stringContaining('the app takes up to 22 s to leave (DRAIN_DELAY 2 s + SHUTDOWN_TIMEOUT 20 s)')]);
  });

  it('finds fields a type does not have, deep inside lists, with the one meant', () => {
    const doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ name: 'a', resource: {} }], securityContext: { readOnlyRootFilesystem: true } } } },
    };
    expect(unknownFields(doc, 'Deployment')).toEqual([
      { path: ['spec', 'template', 'spec', 'containers', 0, 'resource'], field: 'resource', type: 'Container', suggestion: 'resources' },
      { path: ['spec', 'template', 'spec', 'securityContext', 'readOnlyRootFilesystem'], field: 'readOnlyRootFilesystem', type: 'PodSecurityContext' },
    ]);
  });

  it('says what 128m means as a memory limit', async () => {
    const out = await run({
      'k8s/deployment.yaml': solution['k8s/deployment.yaml'].replace('limits:\n              memory: 128Mi', 'limits:\n              memory: 128m'),
    });
    expect(findings(out.message.en)).toHaveLength(1);
    expect(out.message.en).toContain('limits.memory: 128m means 128 thousandths of a byte (m is milli in Kubernetes, as in cpu: 250m): write 128Mi.');
  });

  it('reads Kubernetes quantities and Go durations as they are meant', () => {
    expect([quantityBytes('128Mi'), quantityBytes('1Gi'), quantityBytes('500M'), quantityBytes('1024'), quantityBytes('1.5Gi'), quantityBytes('128m')]).toEqual(
      [134217728, 1073741824, 500000000, 1024, 1610612736, undefined],
    );
    expect([
      goDurationSeconds('2s'),
      goDurationSeconds('1m30s'),
      goDurationSeconds('500ms'),
      goDurationSeconds('0'),
      goDurationSeconds('5'),
      goDurationSeconds('1.5h'),
    ]).toEqual([2, 90, 0.5, 0, undefined, 5400]);
  });
});
