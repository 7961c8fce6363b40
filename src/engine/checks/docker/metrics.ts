import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { randomHex } from '../../util/random-hex.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { notStarted, probeError } from './explain.js';
import { labelText, parseExposition } from './exposition.js';
import { httpRequest } from './http-client.js';
import { neverReady, runUntilReady, type Started } from './measure.js';

/**
 * http.metrics: the app's Prometheus metrics count what happened, with labels from a small, fixed
 * set. The runner scrapes the metrics path, sends N requests for N different notes (one route),
 * scrapes again, sends N requests to N unknown URLs, and scrapes a third time. The counter and the
 * histogram must each have one series that rose by N for the route (with the status the app
 * answered), and neither the notes' ids nor the unknown URLs may appear in any label.
 */

export interface SeriesValue {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scrape {
  readonly status: number | null;
  readonly error: string | null;
  /** Samples in the whole answer. */
  readonly samples: number;
  readonly parseErrors: readonly string[];
  readonly counterType: string | null;
  readonly counter: readonly SeriesValue[];
  /** The histogram's `_count` series. */
  readonly histogramType: string | null;
  readonly histogramCount: readonly SeriesValue[];
}

export interface MetricsMeasurement {
  readonly start: Started;
  readonly notUp?: string;
  /** Before, after the route's requests, after the unknown URLs. */
  readonly scrapes?: readonly Scrape[];
  /** The paths requested in each round and the status each got. */
  readonly routeRequests?: readonly { readonly path: string; readonly status: number | null }[];
  /** Unknown URLs, each with a made-up method (a scanner's); absent method in older recordings. */
  readonly unknownRequests?: readonly { readonly path: string; readonly method?: string; readonly status: number | null }[];
}

const scrape = async (port: number, path: string, counter: string, histogram: string): Promise<Scrape> => {
  const answer = await httpRequest({ port, path, timeoutMs: 5_000 });
  if (!answer.ok || answer.answer.status !== 200) {
    return {
      status: answer.ok ? answer.answer.status : null,
      error: answer.ok ? null : answer.error,
      samples: 0,
      parseErrors: [],
      counterType: null,
      counter: [],
      histogramType: null,
      histogramCount: [],
    };
  }
  const parsed = parseExposition(answer.answer.body);
  const of = (name: string) => parsed.samples.filter((x) => x.name === name).map(({ labels, value }) => ({ labels, value }));
  return {
    status: 200,
    error: null,
    samples: parsed.samples.length,
    parseErrors: parsed.errors,
    counterType: parsed.types[counter] ?? null,
    counter: of(counter),
    histogramType: parsed.types[histogram] ?? null,
    histogramCount: of(`${histogram}_count`),
  };
};

/** How much each series rose between two scrapes (a new series rose from 0). */
export const deltas = (
  before: readonly SeriesValue[],
  after: readonly SeriesValue[],
): { labels: Readonly<Record<string, string>>; delta: number; isNew: boolean }[] => {
  const old = new Map(before.map((x) => [labelText(x.labels), x.value]));
  return after
    .map((x) => ({ labels: x.labels, delta: x.value - (old.get(labelText(x.labels)) ?? 0), isNew: !old.has(labelText(x.labels)) }))
    .filter((d) => d.delta !== 0 || d.isNew);
};

/** Series with a label value that holds one of the URL fragments the runner made up. */
const carrying = (rows: readonly { labels: Readonly<Record<string, string>> }[], fragments: readonly string[]) =>
  rows.filter((r) => Object.values(r.labels).some((v) => fragments.some((f) => v.includes(f))));

const STATUS_LABELS = ['status', 'code', 'status_code'];

export const httpMetrics = defineCheck({
  id: 'http.metrics',
  kind: 'docker',
  title: L('Metrics count requests by route', '指标按路由统计请求'),
  params: s.object({
    path: s.string().default('/metrics'),
    counter: s.string().default('http_requests_total'),
    histogram: s.string().default('http_request_duration_seconds'),
    /** A route with a parameter: each request gets a new value (`:id` is replaced). */
    route: s.string().default('/api/v1/notes/:id'),
    requests: s.number().int().min(2).max(50).default(5),
  }),
  measure: async (ctx, params): Promise<MetricsMeasurement> => {
    const app = await runUntilReady(ctx);
    if (!('hostPort' in app)) return app;
    const { start, hostPort } = app;
    const get = async (path: string, method?: string) => {
      const a = await httpRequest({ port: hostPort, path, method, timeoutMs: 5_000 });
      return { path, ...(method ? { method } : {}), status: a.ok ? a.answer.status : null };
    };
    const before = await scrape(hostPort, params.path, params.counter, params.histogram);
    const routeRequests = [];
    for (let i = 0; i < params.requests; i += 1) routeRequests.push(await get(params.route.replace(/:[a-z_]+/gi, () => randomHex(32))));
    const afterRoute = await scrape(hostPort, params.path, params.counter, params.histogram);
    const unknownRequests = [];
    for (let i = 0; i < params.requests; i += 1) unknownRequests.push(await get(`/no-such-page-${randomHex(8)}`, `SCAN${randomHex(4).toUpperCase()}`));
    const afterUnknown = await scrape(hostPort, params.path, params.counter, params.histogram);
    return { start, scrapes: [before, afterRoute, afterUnknown], routeRequests, unknownRequests };
  },
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    if (m.notUp !== undefined || !m.scrapes || !m.routeRequests || !m.unknownRequests)
      return fail(neverReady(m.notUp, '/health', L('the app must run before its metrics can be read.', '应用要先运行起来，才能读取它的指标。')));
    const [before, afterRoute, afterUnknown] = m.scrapes as [Scrape, Scrape, Scrape];
    const broken = [before, afterRoute, afterUnknown].find((x) => x.status !== 200);
    if (broken) {
      const what = broken.status !== null ? L(`answered ${broken.status}`, `返回了 ${broken.status}`) : probeError(broken.error ?? '');
      return fail(L(`GET ${params.path} ${what.en}: the app must serve its metrics there.`, `GET ${params.path} ${what['zh-CN']}：应用必须在这里提供指标。`), {
        scraped: false,
      });
    }
    const parseErrors = afterUnknown.parseErrors;
    if (parseErrors.length) {
      return fail(L(`${params.path} is not in the Prometheus text format: ${parseErrors[0]}`, `${params.path} 不是 Prometheus 文本格式：${parseErrors[0]}`), {
        scraped: true,
      });
    }
    if (afterUnknown.counterType !== 'counter' || afterUnknown.histogramType !== 'histogram') {
      const missing = afterUnknown.counterType !== 'counter' ? `${params.counter} (counter)` : `${params.histogram} (histogram)`;
      return fail(L(`${params.path} declares no ${missing}.`, `${params.path} 没有声明 ${missing}。`), { scraped: true });
    }

    const n = params.requests;
    const answered = m.routeRequests[0]?.status ?? null;
    const fragments = m.routeRequests.map((r) => r.path.split('/').pop() ?? r.path);
    const unknownPaths = m.unknownRequests.map((r) => r.path);
    const counterRound = deltas(before.counter, afterRoute.counter);
    const histogramRound = deltas(before.histogramCount, afterRoute.histogramCount);
    const unknownRound = deltas(afterRoute.counter, afterUnknown.counter);
    const measured = {
      series: afterUnknown.samples,
      newSeriesForRoute: counterRound.filter((d) => d.isNew).length,
      newSeriesForUnknown: unknownRound.filter((d) => d.isNew).length,
    };
    const example = (rows: readonly { labels: Readonly<Record<string, string>> }[]) => `${params.counter}${labelText(rows[0]!.labels)}`;

    const problems: Localized[] = [];
    const byUrl = carrying(counterRound, fragments);
    const routeSeries = counterRound.find((d) => d.delta === n && !carrying([d], fragments).length);
    if (byUrl.length) {
      problems.push(
        L(
          `${n} requests for ${n} different notes made ${byUrl.length} new series, one per URL, e.g. ${example(byUrl)}: every note, forever, is a series in the app's memory and in Prometheus. Label with the route template, c.FullPath() (${params.route}).`,
          `对 ${n} 条不同笔记的 ${n} 个请求产生了 ${byUrl.length} 条新序列，每个 URL 一条，例如 ${example(byUrl)}：每条笔记都会永久成为应用内存和 Prometheus 中的一条序列。请用路由模板 c.FullPath()（${params.route}）作为标签。`,
        ),
      );
    } else if (!routeSeries) {
      problems.push(
        L(
          `${n} requests for ${params.route} did not add ${n} to any one series of ${params.counter}: each request must be counted once, under its route.`,
          `对 ${params.route} 的 ${n} 个请求没有让 ${params.counter} 的任何一条序列增加 ${n}：每个请求都要在它的路由下计数一次。`,
        ),
      );
    }
    // The status is judged on whichever series the notes' requests went to (the route's, or one per URL).
    const counted = routeSeries ? [routeSeries] : byUrl;
    const statusLabel = STATUS_LABELS.find((k) => counted.some((row) => k in row.labels));
    const wrongStatus = statusLabel && answered !== null ? counted.find((row) => row.labels[statusLabel] !== String(answered)) : undefined;
    if (wrongStatus && statusLabel) {
      problems.push(
        L(
          `The requests for notes were counted with ${statusLabel}="${wrongStatus.labels[statusLabel]}", but the app answered ${answered}: read c.Writer.Status() after c.Next(), once the handler has written its answer.`,
          `对笔记的请求被计为 ${statusLabel}="${wrongStatus.labels[statusLabel]}"，但应用实际返回的是 ${answered}：要在 c.Next() 之后、处理函数写出响应后再读取 c.Writer.Status()。`,
        ),
      );
    }
    const histogramByUrl = carrying(histogramRound, fragments);
    if (histogramByUrl.length && !byUrl.length) {
      problems.push(
        L(
          `The histogram is labelled with the URL: ${params.histogram}_count${labelText(histogramByUrl[0]!.labels)}. Give it the same route label as the counter.`,
          `直方图用 URL 作了标签：${params.histogram}_count${labelText(histogramByUrl[0]!.labels)}。给它和计数器一样的路由标签。`,
        ),
      );
    } else if (!histogramByUrl.length && !histogramRound.some((d) => d.delta === n)) {
      problems.push(
        L(
          `${params.histogram}_count did not rise by ${n} for those requests: observe each request's duration, under the same route.`,
          `${params.histogram}_count 没有因这些请求增加 ${n}：要在同一路由下记录每个请求的耗时。`,
        ),
      );
    }
    const madeUpMethods = m.unknownRequests.flatMap((r) => (r.method ? [r.method] : []));
    const byMethod = carrying(unknownRound, madeUpMethods);
    if (byMethod.length) {
      problems.push(
        L(
          `${n} requests with made-up methods (${madeUpMethods[0]}...) made ${byMethod.length} new series, e.g. ${example(byMethod)}: gin passes any method a client sends. Keep the method label to the methods HTTP defines (methodLabel).`,
          `${n} 个使用虚构方法（${madeUpMethods[0]}……）的请求产生了 ${byMethod.length} 条新序列，例如 ${example(byMethod)}：客户端发来什么方法，gin 就照单全收。方法标签只能取 HTTP 定义的方法（methodLabel）。`,
        ),
      );
    }
    const unknownByUrl = carrying(unknownRound, unknownPaths);
    if (unknownByUrl.length) {
      problems.push(
        L(
          `${n} requests to ${n} unknown URLs made ${unknownByUrl.length} new series with the URL in a label, e.g. ${example(unknownByUrl)}: anyone scanning the service grows its memory. Requests that match no route share one label value (c.FullPath() is "" for them).`,
          `对 ${n} 个不存在的 URL 的 ${n} 个请求产生了 ${unknownByUrl.length} 条把 URL 放进标签的新序列，例如 ${example(unknownByUrl)}：任何扫描服务的人都能让它的内存增长。没有匹配任何路由的请求应共用一个标签值（对它们来说 c.FullPath() 是 ""）。`,
        ),
      );
    }
    // The histogram gets the same labels as the counter: the scanning round must not grow it either.
    const histogramUnknownRound = deltas(afterRoute.histogramCount, afterUnknown.histogramCount);
    const histogramStray = [...carrying(histogramUnknownRound, madeUpMethods), ...carrying(histogramUnknownRound, unknownPaths)];
    if (histogramStray.length && !byMethod.length && !unknownByUrl.length) {
      problems.push(
        L(
          `The counter kept made-up methods and unknown URLs out of its labels, but the histogram did not: ${histogramStray.length} new series, e.g. ${params.histogram}_count${labelText(histogramStray[0]!.labels)}. Give the histogram the same method and route labels as the counter.`,
          `计数器的标签里没有虚构方法和不存在的 URL，但直方图有：产生了 ${histogramStray.length} 条新序列，例如 ${params.histogram}_count${labelText(histogramStray[0]!.labels)}。请给直方图和计数器一样的方法和路由标签。`,
        ),
      );
    }
    if (problems.length) return fail(join(...problems), measured);
    const unknownSeries = unknownRound.find((d) => d.delta === n);
    return pass(
      L(
        `${n} requests for ${n} different notes added ${n} to one series, ${params.counter}${labelText((routeSeries as { labels: Record<string, string> }).labels)}, and to its histogram; ${n} unknown URLs ${unknownSeries ? `added ${n} to ${params.counter}${labelText(unknownSeries.labels)}` : 'made no series of their own'}. ${params.path} serves ${afterUnknown.samples} samples.`,
        `对 ${n} 条不同笔记的 ${n} 个请求让一条序列 ${params.counter}${labelText((routeSeries as { labels: Record<string, string> }).labels)} 及其直方图增加了 ${n}；${n} 个不存在的 URL ${unknownSeries ? `让 ${params.counter}${labelText(unknownSeries.labels)} 增加了 ${n}` : '没有产生自己的序列'}。${params.path} 提供了 ${afterUnknown.samples} 个样本。`,
      ),
      measured,
    );
  },
});
