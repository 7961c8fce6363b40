import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelText, parseExposition } from '../../../src/engine/checks/docker/exposition.js';
import { deltas, httpMetrics, type MetricsMeasurement, type Scrape } from '../../../src/engine/checks/docker/metrics.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

describe('parseExposition', () => {
  it('reads types, labels with escapes, special values and timestamps', () => {
    const text = [
      '# HELP jobs_total Jobs.',
      '# TYPE jobs_total counter',
      'jobs_total{kind="a\\"b\\\\c\\n",result="ok"} 3',
      'jobs_total{ kind = "x" , } 1.5e3 1700000000000',
      '# TYPE job_seconds histogram',
      'job_seconds_bucket{le="+Inf"} +Inf',
      'up 1',
      '',
    ].join('\n');
    const parsed = parseExposition(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.types).toEqual({ jobs_total: 'counter', job_seconds: 'histogram' });
    expect(parsed.samples).toEqual([
      { name: 'jobs_total', labels: { kind: 'a"b\\c\n', result: 'ok' }, value: 3 },
      { name: 'jobs_total', labels: { kind: 'x' }, value: 1500 },
      { name: 'job_seconds_bucket', labels: { le: '+Inf' }, value: Infinity },
      { name: 'up', labels: {}, value: 1 },
    ]);
  });
  it('reports lines that are not samples, with their number', () => {
    const parsed = parseExposition('ok 1\n<html>\nbad{x="1"}\nopen{x="1} 2\n');
    expect(parsed.samples).toHaveLength(1);
    expect(parsed.errors).toEqual(['line 2: no metric name: <html>', 'line 3: no value: bad{x="1"}', 'line 4: label x is not closed: open{x="1} 2']);
  });
  it('writes labels back as Prometheus shows them', () => {
    expect(labelText({ method: 'GET', route: '/a"b' })).toBe('{method="GET",route="/a\\"b"}');
    expect(labelText({})).toBe('');
  });
});

describe('deltas', () => {
  it('gives how much each series rose, new series from 0', () => {
    const before = [{ labels: { r: 'a' }, value: 2 }];
    const after = [
      { labels: { r: 'a' }, value: 7 },
      { labels: { r: 'b' }, value: 1 },
      { labels: { r: 'c' }, value: 0 },
    ];
    expect(deltas(before, after)).toEqual([
      { labels: { r: 'a' }, delta: 5, isNew: false },
      { labels: { r: 'b' }, delta: 1, isNew: true },
      { labels: { r: 'c' }, delta: 0, isNew: true },
    ]);
  });
});

// The judge on the solution's recording, changed the ways a real scrape can differ.
const solution = (
  JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements', 'metrics.solution.http.metrics.json'), 'utf8')) as {
    measurement: MetricsMeasurement;
  }
).measurement;
const check = httpMetrics.bind({ route: '/api/v1/notes/:id', requests: 5 });
const judge = (m: MetricsMeasurement) => {
  if (check.kind !== 'docker') throw new Error('http.metrics is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};
const withLast = (change: Partial<Scrape>): MetricsMeasurement => {
  const scrapes = [...(solution.scrapes ?? [])];
  scrapes[2] = { ...scrapes[2]!, ...change };
  return { ...solution, scrapes };
};

describe('http.metrics judge', () => {
  it('passes the solution', () => {
    expect(judge(solution).status).toBe('pass');
  });
  it('fails a metrics path that does not answer 200', () => {
    const o = judge(withLast({ status: 404 }));
    expect(o.status).toBe('fail');
    expect(o.message.en).toBe('GET /metrics answered 404: the app must serve its metrics there.');
  });
  it('fails an answer that is not the text format', () => {
    const o = judge(withLast({ parseErrors: ['line 1: no metric name: <html>'] }));
    expect(o.message.en).toContain('is not in the Prometheus text format: line 1');
  });
  it('fails a histogram that takes the made-up method the counter kept out', () => {
    const made = solution.unknownRequests?.find((r) => r.method)?.method;
    expect(made, 'the recording sends made-up methods').toBeDefined();
    const last = solution.scrapes?.[2];
    const stray = { labels: { method: made!, route: '' }, value: 1 };
    const o = judge(withLast({ histogramCount: [...(last?.histogramCount ?? []), stray] }));
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('The counter kept made-up methods and unknown URLs out of its labels, but the histogram did not: 1 new series');
    expect(o.message['zh-CN']).toContain('但直方图有');
  });
  it('fails when the counter is not declared as one', () => {
    const o = judge(withLast({ counterType: 'gauge' }));
    expect(o.message.en).toBe('/metrics declares no http_requests_total (counter).');
  });
});
