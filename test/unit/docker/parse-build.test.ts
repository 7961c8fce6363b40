import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildOutputParser, failureTail, parseBuildOutput } from '../../../src/engine/docker/parse-build.js';

const recorded = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'docker', 'recorded', name), 'utf8');
const instructions = (text: string, failed = false) => parseBuildOutput(text, { failed }).steps.filter((s) => s.instruction);

describe('BuildKit plain progress (recorded from docker 20.10, DOCKER_BUILDKIT=1)', () => {
  it('lists instruction steps, not internal ones', () => {
    const steps = instructions(recorded('buildkit-ok.txt'));
    expect(steps.map((s) => s.name)).toEqual(['[1/1] COPY server /server']);
    expect(steps[0]?.cached).toBe(false);
    expect(parseBuildOutput(recorded('buildkit-ok.txt')).imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('marks #N CACHED steps', () => {
    expect(instructions(recorded('buildkit-cached.txt')).every((s) => s.cached)).toBe(true);
  });
  it('finds the failing step and a short tail', () => {
    const parsed = parseBuildOutput(recorded('buildkit-fail.txt'));
    expect(parsed.failedStep?.name).toBe('[2/2] RUN /server healthcheck');
    const tail = failureTail(parsed);
    expect(tail[0]).toContain('stat /bin/sh: no such file or directory');
    expect(tail.join('\n')).toContain('exit code: 1');
    expect(tail.length).toBeLessThanOrEqual(15);
    expect(tail.filter((l) => l.includes('executor failed running')).length).toBe(1);
  });
  it('reads step durations from DONE lines', () => {
    const parsed = parseBuildOutput('#5 [build 2/4] RUN go mod download\n#5 0.512 go: downloading x\n#5 DONE 3.2s\n');
    expect(parsed.steps[0]?.durationMs).toBe(3200);
    expect(parsed.steps[0]?.lines).toEqual(['go: downloading x']);
  });
  it('handles the newer buildx error format', () => {
    const text = [
      '#7 [build 3/5] RUN go mod download',
      '#7 0.201 go: example.com/x@v1.0.0: reading go.mod: 404 Not Found',
      '#7 ERROR: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1',
      '------',
      ' > [build 3/5] RUN go mod download:',
      '0.201 go: example.com/x@v1.0.0: reading go.mod: 404 Not Found',
      '------',
      'Dockerfile:5',
      '--------------------',
      '   4 |     COPY go.mod go.sum ./',
      '   5 | >>> RUN go mod download',
      '--------------------',
      'ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1',
    ].join('\n');
    const parsed = parseBuildOutput(text);
    expect(parsed.failedStep?.name).toBe('[build 3/5] RUN go mod download');
    const tail = failureTail(parsed);
    expect(tail[0]).toContain('404 Not Found');
    expect(tail.some((l) => l.includes('>>>'))).toBe(false);
  });
  it('reports a step as it starts (live progress)', () => {
    const parser = new BuildOutputParser(() => 0);
    expect(parser.push('#4 [2/3] COPY . .')?.name).toBe('[2/3] COPY . .');
    expect(parser.push('#4 CACHED')).toBeUndefined();
  });
});

describe('classic builder (recorded from docker 28 without buildx)', () => {
  it('lists steps with "Using cache"', () => {
    const fresh = instructions(recorded('classic-ok.txt'));
    expect(fresh.map((s) => s.name)[1]).toBe('[2/7] COPY server /server');
    expect(fresh.some((s) => s.cached)).toBe(false);
    const cached = instructions(recorded('classic-cached.txt'));
    expect(cached.slice(1).every((s) => s.cached)).toBe(true);
    expect(parseBuildOutput(recorded('classic-cached.txt')).imageId).toBe('f2e551be7d3e');
  });
  it('blames the last unfinished step and keeps the daemon error, not the deprecation notice', () => {
    const parsed = parseBuildOutput(recorded('classic-fail.txt'), { failed: true });
    expect(parsed.failedStep?.name).toBe('[3/5] RUN /server healthcheck');
    const tail = failureTail(parsed);
    expect(tail.join('\n')).toContain('stat /bin/sh');
    expect(tail.join('\n')).not.toContain('DEPRECATED');
  });
  it('parses Podman STEP lines', () => {
    const parsed = parseBuildOutput('STEP 1/2: FROM scratch\nSTEP 2/2: COPY a /a\n--> Using cache 1234abcd\nCOMMIT x\n');
    expect(parsed.steps.map((s) => [s.name, s.cached])).toEqual([
      ['[1/2] FROM scratch', false],
      ['[2/2] COPY a /a', true],
    ]);
  });
});
