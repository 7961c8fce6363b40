import { readFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { COMPOSE_FILES } from '../../docker/compose-guard.js';
import { yamlLibrary } from '../static/yaml-file.js';
import { defineCheck } from '../define.js';
import { endWithLines, fail, join, outcome, pass, secs, secsZh } from '../outcome.js';
import { requestUntil } from './http-client.js';
import { probeError } from './explain.js';
import { judgeDatabase, judgeNotes, measurePersistence, restartFailed } from './compose-persist.js';

/** The learner's compose file (the named one, else the first of compose's own names), parsed; undefined when there is none. */
export const readComposeDoc = async (dir: string, file: string | undefined): Promise<unknown> => {
  for (const name of file ? [file] : COMPOSE_FILES) {
    const text = await readFile(joinPath(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const { parse } = await yamlLibrary();
    // Merge keys (`<<: *hardened`) resolved, as Compose resolves them.
    return parse(text, { merge: true }) ?? {};
  }
  return undefined;
};

/** The container port of a service: its first `ports` entry's target, else 8080. */
export const servicePort = async (dir: string, file: string | undefined, service: string): Promise<number> => portOf(await readComposeDoc(dir, file), service);

/** The container port of a service in a parsed compose file (pure). */
export const portOf = (parsed: unknown, service: string): number => {
  const doc = (parsed ?? {}) as { services?: Record<string, { ports?: unknown[]; expose?: unknown[] } | null> };
  const first = doc.services?.[service]?.ports?.[0];
  if (typeof first === 'string' || typeof first === 'number') {
    const target = Number(
      String(first)
        .replace(/\/\w+$/, '')
        .split(':')
        .pop(),
    );
    if (target > 0) return target;
  } else if (first && typeof first === 'object' && Number((first as { target?: unknown }).target) > 0) {
    return Number((first as { target: unknown }).target);
  }
  return 8080;
};

/** Why `docker compose up` did not bring the stack up: compose's last lines, and a busy fixed host port. */
export const upFailure = (m: {
  readonly seconds: number;
  readonly tail: readonly string[];
  readonly busyHostPorts: readonly number[];
  readonly port: number;
}): Localized => {
  const busy = m.busyHostPorts.length
    ? L(
        ` Host port ${m.busyHostPorts.join(', ')} is already in use on this machine and the compose file publishes it as a fixed port: stop what uses it, or publish only the container port ("${m.port}") so Docker picks a free one.`,
        `本机的端口 ${m.busyHostPorts.join(', ')} 已被占用，而 compose 文件把它发布为固定端口：请停止占用它的程序，或只发布容器端口（"${m.port}"），让 Docker 选择空闲端口。`,
      )
    : undefined;
  return join(
    L(
      `docker compose up failed after ${secs(m.seconds)}${endWithLines(m.tail).en}`,
      `docker compose up 在 ${secsZh(m.seconds)} 后失败${endWithLines(m.tail)['zh-CN']}`,
    ),
    busy,
  );
};

export const composeUpCheck = defineCheck({
  id: 'compose.up',
  kind: 'docker',
  buildsLessonImage: false,
  title: L('docker compose up brings the stack up', 'docker compose up 能启动整个服务栈'),
  needs: ['compose'],
  params: s.object({
    service: s.string().min(1),
    path: s.string().startsWith('/'),
    file: s.string().optional(),
    port: s.number().int().positive().optional(),
    /** The app's notes collection: a note POSTed there must be read back after `docker compose down` and `up`. */
    notes: s.string().startsWith('/').optional(),
    /** The database service keeps `path` (or its container's `pathEnv`, e.g. PGDATA) on one named volume across down and up. */
    database: s
      .object({ service: s.string().min(1), path: s.string().startsWith('/'), pathEnv: s.string().min(1).optional() })
      .strict()
      .optional(),
  }),
  measure: async (ctx, params) => {
    const port = params.port ?? (await servicePort(ctx.files.dir, params.file, params.service));
    ctx.progress({ type: 'note', message: L('Running docker compose up…', '正在运行 docker compose up…') });
    const up = await ctx.docker.composeUp({ file: params.file, service: params.service, port });
    const attempt = up.ok
      ? await requestUntil({
          port: up.hostPort ?? 0,
          path: params.path,
          deadlineMs: 20_000,
          signal: ctx.signal,
          accept: (a) => a.status >= 200 && a.status < 300,
        })
      : null;
    const ready = up.ok && attempt?.ok === true && attempt.answer.status < 300;
    const persistence = ready && (params.notes || params.database) ? await measurePersistence(ctx, params, port, up.hostPort ?? 0) : undefined;
    return {
      port,
      ok: up.ok,
      seconds: up.durationMs / 1000,
      tail: up.tail,
      busyHostPorts: up.busyHostPorts,
      attempt,
      refusal: up.refusal,
      project: up.project,
      persistence,
    };
  },
  judge: (m, params) => {
    const measured = { upSeconds: Number(m.seconds.toFixed(1)) };
    // The file asked for the host (privileged, host paths...): nothing was started, the refusal says why.
    if (m.refusal) return fail(m.refusal, { refused: true });
    if (!m.ok || !m.attempt) return fail(upFailure(m), measured);
    const attempt = m.attempt;
    if (attempt.ok && attempt.answer.status < 300) {
      const up = L(
        `The stack is up in ${secs(m.seconds)}; ${params.service} answered GET ${params.path} with ${attempt.answer.status}`,
        `服务栈在 ${secsZh(m.seconds)} 内启动；${params.service} 对 GET ${params.path} 返回 ${attempt.answer.status}`,
      );
      const measuredUp = { ...measured, status: attempt.answer.status };
      const p = m.persistence;
      if (!p) {
        if (!params.notes && !params.database) return pass(L(`${up.en}.`, `${up['zh-CN']}。`), measuredUp);
        // A measurement from before persistence was measured (an old recording): no verdict on it.
        return outcome(
          'error',
          L('Persistence through docker compose down and up was not measured.', '没有测量数据能否在 docker compose down 和 up 之间保留。'),
        );
      }
      const verdicts = [judgeNotes(p, params), judgeDatabase(p, params, m.project ?? '')].filter((v) => v !== undefined);
      const problems = [restartFailed(p), ...verdicts.filter((v): v is Localized => !('ok' in v))].filter((v): v is Localized => v !== undefined);
      const withRestart = { ...measuredUp, restartSeconds: Number(p.restart.seconds.toFixed(1)) };
      if (problems.length > 0) return fail(join(L(`${up.en}, but:`, `${up['zh-CN']}，但是：`), ...problems), withRestart);
      const kept = verdicts.filter((v): v is { ok: Localized } => 'ok' in v).map((v) => v.ok);
      return pass(
        L(
          `${up.en}; after docker compose down and up: ${kept.map((k) => k.en).join('; ')}.`,
          `${up['zh-CN']}；docker compose down 再 up 之后：${kept.map((k) => k['zh-CN']).join('；')}。`,
        ),
        withRestart,
      );
    }
    const got = attempt.ok
      ? L(`${attempt.answer.status} ${attempt.answer.body.slice(0, 120)}`, `${attempt.answer.status} ${attempt.answer.body.slice(0, 120)}`)
      : probeError(attempt.error);
    return fail(
      L(
        `The stack started, but ${params.service} GET ${params.path} (port ${m.port}) gave: ${got.en}.`,
        `服务栈已启动，但 ${params.service} 的 GET ${params.path}（端口 ${m.port}）结果为：${got['zh-CN']}。`,
      ),
      measured,
    );
  },
});
