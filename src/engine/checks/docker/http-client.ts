export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  /** Response headers by lower-case name, only when the request asked for them (`withHeaders`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The error of a request the runner stopped waiting for. */
export const TIMED_OUT = 'no answer within the timeout';

export type HttpAttempt = { readonly ok: true; readonly answer: HttpAnswer } | { readonly ok: false; readonly error: string };

/** One HTTP request to 127.0.0.1 without keep-alive (a pooled socket would hold up `docker stop`). */
export const httpRequest = async (options: {
  readonly port: number;
  readonly path: string;
  readonly method?: string;
  readonly body?: string;
  readonly timeoutMs?: number;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Return the response headers too. */
  readonly withHeaders?: boolean;
}): Promise<HttpAttempt> => {
  // node:http loads on the first probe, not with the check registry (static verdicts never probe).
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...options.headers, connection: 'close' };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = request({ host: '127.0.0.1', port: options.port, path: options.path, method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 64 * 1024) chunks.push(chunk);
      });
      res.on('end', () => {
        const answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
        if (!options.withHeaders) return resolve({ ok: true, answer });
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
        resolve({ ok: true, answer: { ...answer, headers } });
      });
      res.on('error', (error) => resolve({ ok: false, error: error.message }));
    });
    req.setTimeout(options.timeoutMs ?? 3_000, () => req.destroy(new Error(TIMED_OUT)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: describeError(error) }));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
};

const describeError = (error: NodeJS.ErrnoException): string => {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ECONNRESET' || /socket hang up/.test(error.message))
    return 'connection reset (nothing listening on the container address: not up yet, another port, or only 127.0.0.1 inside)';
  return error.message;
};

/**
 * Retries a request until `accept` says the answer is final or the deadline passes; returns the
 * last attempt. `stop` ends early (e.g. the container exited).
 */
export const requestUntil = async (options: {
  readonly port: number;
  readonly path: string;
  readonly method?: string;
  readonly body?: string;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  readonly accept?: (answer: HttpAnswer) => boolean;
  readonly stop?: () => Promise<boolean>;
  /**
   * Once the app answers HTTP, keep asking for at most this long for an acceptable answer: an app
   * that is up and answers the wrong thing will not change its mind, so don't wait out the deadline.
   */
  readonly settleMs?: number;
}): Promise<HttpAttempt> => {
  const end = Date.now() + options.deadlineMs;
  let last: HttpAttempt = { ok: false, error: 'no attempt made' };
  let round = 0;
  let firstAnswerAt: number | undefined;
  while (!options.signal?.aborted) {
    last = await httpRequest({ ...options, timeoutMs: Math.min(5_000, Math.max(500, end - Date.now())) });
    if (last.ok && (options.accept ?? (() => true))(last.answer)) return last;
    if (last.ok) firstAnswerAt ??= Date.now();
    if (Date.now() >= end) break;
    if (options.settleMs !== undefined && firstAnswerAt !== undefined && Date.now() - firstAnswerAt >= options.settleMs) break;
    round += 1;
    if (options.stop && round % 3 === 0 && (await options.stop())) break;
    // An app just started answers within tens of milliseconds: ask again soon, then every 300 ms.
    await sleep(Math.min(300, 25 * 2 ** round), options.signal);
  }
  return last;
};

/** Waits `ms`, or less when the signal aborts (never rejects). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
