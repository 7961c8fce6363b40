import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quantityBytes } from '../../../src/engine/checks/static/kubernetes.js';
import { unknownFields } from '../../../src/engine/checks/static/kubernetes-fields.js';
import { goDurationSeconds } from '../../../src/engine/util/go-duration.js';
import { check } from './helpers.js';

const lesson = join(import.meta.dirname, '../../../lessons/29-kubernetes-manifests');
const text = (rel: string) => readFile(join(lesson, rel), 'utf8');
const dockerfile = await text('start/Dockerfile');
const solution = { 'k8s/deployment.yaml': await text('solution/k8s/deployment.yaml'), 'k8s/service.yaml': await text('solution/k8s/service.yaml') };
const run = (files: Record<string, string>) => check('k8s.manifests', dockerfile, {}, { ...solution, ...files });

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
    for (const name of ['numeric-ports-and-claim', 'gomemlimit-in-env']) expect((await proofCase(name)).status, name).toBe('pass');
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
    expect((await run({ 'k8s/deployment.yaml': 'kind: [' })).message.en).toMatch(/^k8s\/deployment.yaml: line 1: .* Fix the YAML\.$/);
    expect((await run({ 'k8s/service.yaml': 'apiVersion: apps/v1\nkind: Deployment\n' })).message.en).toBe(
      'k8s/service.yaml: expected one v1 Service (apiVersion: v1, kind: Service), found apps/v1 Deployment.',
    );
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
