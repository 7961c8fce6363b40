import { randomBytes } from 'node:crypto';
import { L, type Localized } from '../../i18n.js';
import type { ComposeServiceState } from '../../docker/session.js';
import type { DockerContext } from '../types.js';
import { endWithLines, secs, secsZh } from '../outcome.js';
import { httpRequest, requestUntil, type HttpAttempt } from './http-client.js';

/**
 * Persistence through `docker compose down` and `up` (compose.up): a note written through the API
 * is read back, and the database's data directory is on the same named volume before and after.
 * `measurePersistence` makes the calls; the `judge*` functions are pure.
 */
export interface PersistParams {
  readonly service: string;
  readonly port?: number;
  readonly file?: string;
  /** The notes collection: POST a note there, GET <notes>/<id> after down/up. */
  readonly notes?: string;
  /** The database service and where it keeps its data (`pathEnv`: a variable of its container that moves it, e.g. PGDATA). */
  readonly database?: { readonly service: string; readonly path: string; readonly pathEnv?: string };
}

export interface PersistMeasurement {
  readonly created?: HttpAttempt;
  readonly noteId?: string | null;
  readonly before?: ComposeServiceState | null;
  readonly restart: { readonly ok: boolean; readonly seconds: number; readonly tail: readonly string[] };
  readonly readBack?: HttpAttempt | null;
  readonly after?: ComposeServiceState | null;
}

const short = (attempt: HttpAttempt): HttpAttempt =>
  attempt.ok ? { ok: true, answer: { status: attempt.answer.status, body: attempt.answer.body.slice(0, 400) } } : attempt;

const idOf = (attempt: HttpAttempt): string | null => {
  if (!attempt.ok || attempt.answer.status !== 201) return null;
  try {
    const id = (JSON.parse(attempt.answer.body) as { id?: unknown }).id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
};

/** After a successful up on `hostPort`: write, down, up, read back. */
export const measurePersistence = async (ctx: DockerContext, params: PersistParams, port: number, hostPort: number): Promise<PersistMeasurement> => {
  let created: HttpAttempt | undefined;
  let noteId: string | null | undefined;
  if (params.notes) {
    const body = JSON.stringify({ title: `learn-go-docker ${randomBytes(4).toString('hex')}`, body: 'written before docker compose down' });
    created = short(await httpRequest({ port: hostPort, path: params.notes, method: 'POST', body, timeoutMs: 10_000 }));
    noteId = idOf(created);
  }
  const before = params.database ? await ctx.docker.composeService(params.database.service) : undefined;
  ctx.progress({ type: 'note', message: L('docker compose down, then up again…', '正在运行 docker compose down，然后再次 up…') });
  const up = await ctx.docker.composeRestart({ file: params.file, service: params.service, port });
  const restart = { ok: up.ok, seconds: up.durationMs / 1000, tail: up.tail };
  let readBack: HttpAttempt | null | undefined;
  if (params.notes && noteId) {
    readBack =
      up.ok && up.hostPort
        ? short(
            await requestUntil({
              port: up.hostPort,
              path: `${params.notes.replace(/\/$/, '')}/${noteId}`,
              deadlineMs: 20_000,
              signal: ctx.signal,
              accept: (a) => a.status === 200 || a.status === 404,
            }),
          )
        : null;
  }
  const after = params.database && up.ok ? await ctx.docker.composeService(params.database.service) : undefined;
  return { created, noteId, before, restart, readBack, after };
};

type Mount = ComposeServiceState['mounts'][number];

const ANONYMOUS = /^[0-9a-f]{64}$/;

/** Where the database keeps its data: the value of pathEnv in its container, else the lesson's path. */
export const dataPathOf = (state: ComposeServiceState, database: NonNullable<PersistParams['database']>): string => {
  const prefix = `${database.pathEnv ?? ''}=`;
  const fromEnv = database.pathEnv ? state.env.find((e) => e.startsWith(prefix))?.slice(prefix.length) : undefined;
  return (fromEnv || database.path).replace(/\/+$/, '') || '/';
};

/** The mount that holds a path: the deepest one at it or above it. */
export const mountHolding = (state: ComposeServiceState, path: string): Mount | undefined =>
  state.mounts
    .filter((m) => {
      const dest = m.destination.replace(/\/+$/, '');
      return path === dest || path.startsWith(`${dest}/`) || dest === '';
    })
    .sort((a, b) => b.destination.length - a.destination.length)[0];

const volumeName = (name: string, project: string): string => (name.startsWith(`${project}_`) ? name.slice(project.length + 1) : name);

const mountsText = (state: ComposeServiceState, project: string): Localized => {
  const listed = state.mounts.map(
    (m) => `${m.type === 'volume' ? (ANONYMOUS.test(m.name) ? 'anonymous volume' : volumeName(m.name, project)) : m.source}:${m.destination}`,
  );
  return listed.length ? L(` (its mounts: ${listed.join(', ')})`, `（它的挂载：${listed.join('，')}）`) : L(' (it has no mounts)', '（它没有任何挂载）');
};

/** The notes half: the note written before down is there after up. */
export const judgeNotes = (m: PersistMeasurement, params: PersistParams): Localized | { readonly ok: Localized } | undefined => {
  if (!params.notes) return undefined;
  const created = m.created;
  if (!created || !m.noteId) {
    const got = !created ? 'nothing' : created.ok ? `${created.answer.status} ${created.answer.body.slice(0, 160)}` : created.error;
    return L(
      `POST ${params.notes} (a test note) answered ${got}, so whether notes survive docker compose down could not be tried: the app must be able to write to its DATA_DIR (/data).`,
      `POST ${params.notes}（一条测试笔记）的结果是 ${got}，所以无法验证笔记能否在 docker compose down 之后保留：应用必须能写入它的 DATA_DIR（/data）。`,
    );
  }
  if (!m.restart.ok) return undefined;
  const read = m.readBack;
  const path = `${params.notes.replace(/\/$/, '')}/${m.noteId}`;
  if (read?.ok && read.answer.status === 200 && read.answer.body.includes(m.noteId)) {
    return { ok: L(`a note written before docker compose down was read back after up`, `docker compose down 之前写入的笔记在 up 之后仍能读到`) };
  }
  if (read?.ok && read.answer.status === 404) {
    return L(
      `A note written before docker compose down was gone after up (GET ${path} answered 404): ${params.service} keeps its notes in the container. Mount a named volume at its data directory (volumes: ["notes-data:/data"] and a top-level volumes: {notes-data: {}}).`,
      `docker compose down 之前写入的笔记在 up 之后不见了（GET ${path} 返回 404）：${params.service} 把笔记存在容器里。请在它的数据目录挂载命名卷（volumes: ["notes-data:/data"]，并在顶层声明 volumes: {notes-data: {}}）。`,
    );
  }
  const got = !read ? 'no answer' : read.ok ? `${read.answer.status} ${read.answer.body.slice(0, 160)}` : read.error;
  return L(`After docker compose down and up, GET ${path} gave ${got}.`, `docker compose down 再 up 之后，GET ${path} 的结果是 ${got}。`);
};

/** The database half: its data directory is on one named volume before and after down/up. */
export const judgeDatabase = (m: PersistMeasurement, params: PersistParams, project: string): Localized | { readonly ok: Localized } | undefined => {
  const db = params.database;
  if (!db) return undefined;
  const before = m.before;
  if (!before) {
    return L(
      `There is no ${db.service} service container in the stack, so where it keeps its data could not be measured. Keep the service named ${db.service}.`,
      `服务栈中没有 ${db.service} 服务的容器，无法测量它的数据存放在哪里。请保留名为 ${db.service} 的服务。`,
    );
  }
  const path = dataPathOf(before, db);
  const holder = mountHolding(before, path);
  const fix = L(
    ` Mount a named volume exactly there: volumes: ["db-data:${path}"] on ${db.service}, and db-data under the top-level volumes:.`,
    `请把命名卷正好挂载到那里：在 ${db.service} 上写 volumes: ["db-data:${path}"]，并在顶层 volumes: 下声明 db-data。`,
  );
  const mounts = mountsText(before, project);
  if (!holder) {
    return L(
      `${db.service} keeps its data in ${path}, and nothing is mounted there${mounts.en}: the database lives in the container and is gone after docker compose down.${fix.en}`,
      `${db.service} 把数据存放在 ${path}，但那里没有挂载任何卷${mounts['zh-CN']}：数据库存在容器里，docker compose down 之后就没了。${fix['zh-CN']}`,
    );
  }
  if (holder.type !== 'volume') {
    return L(
      `${db.service} keeps its data in ${path} on a ${holder.type} mount of ${holder.source}${mounts.en}, not on a named volume Docker manages.${fix.en}`,
      `${db.service} 把数据存放在 ${path}，它位于 ${holder.source} 的 ${holder.type} 挂载上${mounts['zh-CN']}，而不是 Docker 管理的命名卷。${fix['zh-CN']}`,
    );
  }
  if (ANONYMOUS.test(holder.name)) {
    return L(
      `${db.service} keeps its data in ${path}, which is on an anonymous volume (the image's VOLUME)${mounts.en}: the next docker compose up after a down gets a new, empty one.${fix.en}`,
      `${db.service} 把数据存放在 ${path}，它位于一个匿名卷上（来自镜像的 VOLUME）${mounts['zh-CN']}：down 之后再 docker compose up 会得到一个新的空卷。${fix['zh-CN']}`,
    );
  }
  const name = volumeName(holder.name, project);
  if (!m.restart.ok) return undefined;
  const again = m.after ? mountHolding(m.after, dataPathOf(m.after, db)) : undefined;
  if (!again || again.name !== holder.name) {
    const now = again ? (ANONYMOUS.test(again.name) ? 'an anonymous volume' : volumeName(again.name, project)) : 'no volume';
    return L(
      `Before docker compose down ${db.service}'s ${path} was on the volume ${name}; after up it was on ${now}, so its data did not survive.${fix.en}`,
      `docker compose down 之前 ${db.service} 的 ${path} 位于卷 ${name}；up 之后位于 ${now}，数据没有保留下来。${fix['zh-CN']}`,
    );
  }
  return {
    ok: L(`${db.service} keeps ${path} on the named volume ${name} across down and up`, `${db.service} 的 ${path} 在 down 和 up 之间始终位于命名卷 ${name}`),
  };
};

/** The restart itself failed: say so with compose's last lines. */
export const restartFailed = (m: PersistMeasurement): Localized | undefined =>
  m.restart.ok
    ? undefined
    : L(
        `docker compose down and up again failed after ${secs(m.restart.seconds)}${endWithLines(m.restart.tail).en}`,
        `docker compose down 之后再次 up 在 ${secsZh(m.restart.seconds)} 后失败${endWithLines(m.restart.tail)['zh-CN']}`,
      );
