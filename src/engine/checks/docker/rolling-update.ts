import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import type { ServiceTask } from '../../docker/swarm-stack.js';
import { defineCheck } from '../define.js';
import { count, fail, pass, secs, secsZh, skip } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { appPort } from './explain.js';
import { sleep } from './http-client.js';
import { lessonImage, startContainer } from './measure.js';

/**
 * swarm.rolling-update: a release of the learner's Swarm stack loses no request, and a broken one
 * rolls itself back after one replica. The runner deploys the stack file as its own stack, starts
 * a load client (the image's own `/server load`) on the stack's network that sends each request
 * to one replica picked at random from `tasks.<service>` with no retry elsewhere, then releases
 * v2 (a new tag of the same image) and a broken v3 (the same image with GIN_MODE=broken: it exits
 * at start), each with `docker service update`, which applies the stack's update_config. What
 * decides is measured: the requests that failed, Swarm's update state, the tasks that ran v3.
 */

/** The requests of one stretch of the load: how many answered 200, and why the others failed. */
export interface Tally {
  readonly ok: number;
  readonly failed: Readonly<Record<string, number>>;
}

export interface Release {
  /** Swarm's update state at the end: completed, paused, rollback_completed, rollback_paused; "timeout" when none came. */
  readonly state: string;
  readonly message: string;
  readonly seconds: number;
  /** Tasks running at the end, by image tag: "v1", "v2" or "v3". */
  readonly running: Readonly<Record<string, number>>;
  /** Replica slots that ran this release (v3: the canary's reach). */
  readonly slots: number;
  /** The fewest tasks seen running at once during the release (stop-first dips below the replicas). */
  readonly minRunning?: number;
  readonly load: Tally;
}

export interface RollingMeasurement {
  /** found: swarm mode was on; initialised: the runner turned it on (and off after); else why it cannot run. */
  readonly swarm: 'found' | 'initialised' | 'off' | 'worker' | 'unusable';
  readonly swarmState?: string;
  readonly swarmError?: string;
  readonly deployError?: string;
  readonly missingService?: boolean;
  /** Services whose `ports:` the runner left out of its copy (it publishes nothing). */
  readonly unpublished?: readonly string[];
  readonly spec?: {
    readonly replicas: number | null;
    readonly parallelism: number;
    readonly order: string;
    readonly failureAction: string;
    readonly monitorSeconds: number;
    /** The pause between replicas (update_config delay); 0 in recordings made before it was read. */
    readonly delaySeconds?: number;
    /** Where the health check that gates a start-first update comes from. */
    readonly healthcheck: 'stack' | 'image' | 'none';
  };
  /** v1 deployed: all replicas running within the wait, and the task errors seen otherwise. */
  readonly converged?: { readonly ok: boolean; readonly running: number; readonly seconds: number; readonly errors: readonly string[] };
  readonly loadError?: string;
  /** The service's networks when none could be joined by the load client. */
  readonly networks?: readonly string[];
  readonly baseline?: Tally;
  readonly v2?: Release;
  readonly v3?: Release;
}

const CONVERGE_MS = 90_000;
/**
 * How long a release may take before it counts as unfinished: per replica, its delay and up to 40 s
 * to start and turn healthy, then the monitor window; never less than 150 s, at most 10 minutes.
 */
export const releaseLimitMs = (spec: { replicas: number | null; delaySeconds?: number; monitorSeconds: number }): number =>
  Math.min(600_000, Math.max(150_000, ((spec.replicas ?? 1) * ((spec.delaySeconds ?? 0) + 40) + spec.monitorSeconds + 30) * 1000));
/** After an update is done, old tasks may still drain: the load keeps counting them. */
const TAIL_MS = 1_500;
const TERMINAL = new Set(['completed', 'paused', 'rollback_completed', 'rollback_paused']);
const BROKEN = 'GIN_MODE=broken';

/** One line of `/server load`: the requests that ended in the second before `at`. */
interface LoadSecond {
  readonly at: number;
  readonly ok: number;
  readonly failed?: Readonly<Record<string, number>>;
}

export const parseLoad = (stdout: string): LoadSecond[] =>
  stdout.split('\n').flatMap((line) => {
    try {
      const x = JSON.parse(line) as Partial<LoadSecond>;
      return typeof x.at === 'number' && typeof x.ok === 'number' ? [{ at: x.at, ok: x.ok, ...(x.failed ? { failed: x.failed } : {}) }] : [];
    } catch {
      return [];
    }
  });

/** The seconds in (from, to] summed. */
export const tally = (seconds: readonly LoadSecond[], from: number, to: number): Tally => {
  const failed: Record<string, number> = {};
  let ok = 0;
  for (const x of seconds) {
    if (x.at <= from || x.at > to) continue;
    ok += x.ok;
    for (const [why, n] of Object.entries(x.failed ?? {})) failed[why] = (failed[why] ?? 0) + n;
  }
  return { ok, failed };
};

export const failedCount = (t: Tally | undefined): number => Object.values(t?.failed ?? {}).reduce((a, b) => a + b, 0);

const byTag = (tasks: readonly ServiceTask[], tags: Readonly<Record<string, string>>): Record<string, number> => {
  const running: Record<string, number> = {};
  for (const t of tasks) {
    if (t.desired !== 'Running' || !t.current.startsWith('Running')) continue;
    const tag = Object.entries(tags).find(([, image]) => image === t.image)?.[0] ?? 'other';
    running[tag] = (running[tag] ?? 0) + 1;
  }
  return running;
};

const measureRolling = async (ctx: DockerContext, params: { file: string; service: string; path: string }): Promise<RollingMeasurement> => {
  const use = await ctx.docker.useSwarm(ctx.swarmInit === true);
  if (!use.ok) return { swarm: use.reason, swarmState: use.state, swarmError: use.error };
  const swarm = use.initialised ? 'initialised' : 'found';
  const { id, image } = await lessonImage(ctx);
  const tags: Record<string, string> = { v1: await ctx.docker.tagImage(id) };
  const note = (en: string, zh: string) => ctx.progress({ type: 'note', message: L(en, zh) });
  note(`Swarm: deploying ${params.file} as a stack of the runner…`, `Swarm：把 ${params.file} 部署为检查程序自己的栈……`);
  const deployed = await ctx.docker.deployStack({ file: params.file, service: params.service, image: tags.v1 as string });
  if (deployed.missingService) return { swarm, missingService: true };
  if (!deployed.ok) return { swarm, deployError: deployed.error };
  const unpublished = deployed.unpublished.length ? { unpublished: deployed.unpublished } : {};
  const name = `${deployed.stack}_${params.service}`;
  const first = await ctx.docker.swarmService(name);
  if (!first) return { swarm, missingService: true };
  const has = (test: readonly string[] | null): boolean => test !== null && test.length > 0 && test[0] !== 'NONE';
  const spec = {
    replicas: first.replicas,
    parallelism: first.update.parallelism,
    order: first.update.order,
    failureAction: first.update.failureAction,
    monitorSeconds: first.update.monitorSeconds,
    delaySeconds: first.update.delaySeconds,
    // A stack healthcheck (even `disable: true`, test NONE) replaces the image's.
    healthcheck:
      first.healthcheck !== null
        ? has(first.healthcheck)
          ? ('stack' as const)
          : ('none' as const)
        : has(image.healthcheck)
          ? ('image' as const)
          : ('none' as const),
  };

  // v1: every replica running (a task with a health check is "running" once healthy).
  const want = first.replicas ?? 1;
  note(`Swarm: waiting for ${want} ${want === 1 ? 'replica' : 'replicas'} to run and turn healthy…`, `Swarm：等待 ${want} 个副本运行并变为健康……`);
  const began = Date.now();
  let running = 0;
  const errors = new Set<string>();
  while (Date.now() - began < CONVERGE_MS && !ctx.signal.aborted) {
    const tasks = await ctx.docker.swarmTasks(name);
    running = byTag(tasks, tags).v1 ?? 0;
    for (const t of tasks) if (t.error) errors.add(t.error);
    if (running >= want) break;
    await sleep(1000, ctx.signal);
  }
  const converged = { ok: running >= want, running, seconds: Number(((Date.now() - began) / 1000).toFixed(1)), errors: [...errors].slice(-3) };
  if (!converged.ok) return { swarm, ...unpublished, spec, converged };

  // The load client: the image's own binary, on a network of the service it may join.
  const binary = image.entrypoint?.[0] ?? image.cmd?.[0];
  const network = await ctx.docker.joinableNetwork(first.networks);
  if (!network.id) return { swarm, ...unpublished, spec, converged, loadError: 'not attachable', networks: network.names };
  if (!binary) return { swarm, ...unpublished, spec, converged, loadError: 'the image has no ENTRYPOINT or CMD to find its binary by' };
  const url = `http://tasks.${params.service}:${appPort(image, ctx.port)}${params.path}`;
  const load = await startContainer(ctx, { image: id, network: { name: network.id }, entrypoint: [binary, 'load', url] });
  if (!load.started) return { swarm, ...unpublished, spec, converged, loadError: load.startError };
  const readLoad = async () => parseLoad((await ctx.docker.logs(load.id)).stdout);
  // Stretches are cut on the load's own clock (the last second it reported), not the host's: a
  // Docker VM's clock may differ.
  const mark = async (): Promise<number> => (await readLoad()).at(-1)?.at ?? 0;

  // Requests must be answered before anything changes: else a failure would not be the update's.
  const loadBegan = Date.now();
  while (Date.now() - loadBegan < 10_000 && !ctx.signal.aborted) {
    await sleep(1000, ctx.signal);
    if ((await readLoad()).some((x) => x.ok > 0)) break;
  }
  // One read for both: where the baseline ends, and whether the client reported at all.
  const logs = await ctx.docker.logs(load.id);
  const seen = parseLoad(logs.stdout);
  const t0 = seen.at(-1)?.at ?? 0;
  if (!seen.length) {
    // The client never reported: it did not run (a wrapper as ENTRYPOINT, a binary without `load`).
    const said = (logs.stderr || logs.stdout).trim().split('\n').slice(-2).join(' ');
    return { swarm, ...unpublished, spec, converged, loadError: `${binary} load ${url} printed nothing${said ? ` (${said})` : ''}` };
  }
  const limitMs = releaseLimitMs(spec);

  const release = async (tag: 'v2' | 'v3', envAdd: readonly string[]) => {
    const before = (await ctx.docker.swarmService(name))?.updateStartedAt ?? 0;
    tags[tag] = await ctx.docker.tagImage(id);
    const start = Date.now();
    await ctx.docker.updateSwarmService(name, { image: tags[tag] as string, envAdd });
    let state = 'timeout';
    let message = '';
    let minRunning = Number.MAX_SAFE_INTEGER;
    while (Date.now() - start < limitMs && !ctx.signal.aborted) {
      await sleep(1000, ctx.signal);
      const [now, tasks] = await Promise.all([ctx.docker.swarmService(name), ctx.docker.swarmTasks(name)]);
      minRunning = Math.min(
        minRunning,
        Object.values(byTag(tasks, tags)).reduce((a, b) => a + b, 0),
      );
      // Until this update has begun, UpdateStatus still shows the one before (compared on the daemon's clock).
      if (!now || now.updateStartedAt === before || !TERMINAL.has(now.updateState)) continue;
      state = now.updateState;
      message = now.updateMessage;
      break;
    }
    const seconds = Number(((Date.now() - start) / 1000).toFixed(1));
    await sleep(TAIL_MS, ctx.signal);
    const tasks = await ctx.docker.swarmTasks(name);
    return { state, message, seconds, end: await mark(), tasks, minRunning: minRunning === Number.MAX_SAFE_INTEGER ? 0 : minRunning };
  };
  const slotsOf = (tasks: readonly ServiceTask[], tag: string) => new Set(tasks.filter((t) => t.image === tags[tag]).map((t) => t.name)).size;

  note('Swarm: releasing v2 while the load runs (20 requests a second)…', 'Swarm：在负载运行时（每秒 20 个请求）发布 v2……');
  const r2 = await release('v2', []);
  if (r2.state === 'completed')
    note(`Swarm: releasing a broken v3 (${BROKEN}): will Swarm roll it back?`, `Swarm：发布一个坏掉的 v3（${BROKEN}）：Swarm 会把它回滚吗？`);
  const r3 = r2.state === 'completed' ? await release('v3', [BROKEN]) : undefined;
  note('Swarm: measured; removing the stack…', 'Swarm：测量完成，正在删除栈……');
  await ctx.docker.stop(load.id, 3);
  const seconds = await readLoad();
  const end = Number.MAX_SAFE_INTEGER;
  const v2: Release = {
    state: r2.state,
    message: r2.message,
    seconds: r2.seconds,
    running: byTag(r2.tasks, tags),
    slots: slotsOf(r2.tasks, 'v2'),
    minRunning: r2.minRunning,
    load: tally(seconds, t0, r3 ? r2.end : end),
  };
  const v3: Release | undefined = r3 && {
    state: r3.state,
    message: r3.message,
    seconds: r3.seconds,
    running: byTag(r3.tasks, tags),
    slots: slotsOf(r3.tasks, 'v3'),
    minRunning: r3.minRunning,
    load: tally(seconds, r2.end, end),
  };
  return { swarm, ...unpublished, spec, converged, baseline: tally(seconds, 0, t0), v2, ...(v3 ? { v3 } : {}) };
};

const whyEn = (t: Tally): string =>
  Object.entries(t.failed)
    .sort(([, a], [, b]) => b - a)
    .map(([why, n]) => `${n} × ${why}`)
    .join(', ');
const WHY_ZH: Record<string, string> = {
  'no address': '解析不到地址',
  'connection refused': '连接被拒绝',
  'connection closed': '连接被关闭',
  'no answer in time': '没有及时响应',
  'address unreachable': '地址不可达',
  'other error': '其他错误',
  'bad request': '请求无效',
};
const whyZh = (t: Tally): string =>
  Object.entries(t.failed)
    .sort(([, a], [, b]) => b - a)
    .map(([why, n]) => `${n} 个${WHY_ZH[why] ?? why.replace(/^status /, '状态码 ')}`)
    .join('，');
const total = (t: Tally): number => t.ok + failedCount(t);

/** What in the spec explains requests lost in a release. */
const lossCause = (spec: NonNullable<RollingMeasurement['spec']>): Localized => {
  if (spec.order !== 'start-first' && (spec.replicas ?? 1) < 2)
    return L(
      "With one replica and order: stop-first (Swarm's default), the old task stops before the new one runs: for those seconds no task answers at all. Run two or more replicas and update with order: start-first.",
      '只有一个副本且 order: stop-first（Swarm 的默认值）时，旧任务先停止，新任务才运行：这几秒内没有任何任务能回答。请运行两个或更多副本，并用 order: start-first 更新。',
    );
  if (spec.order !== 'start-first')
    return L(
      "With order: stop-first (Swarm's default), a replica is stopped before its replacement is healthy: the requests it was still answering, and those sent to it before Swarm took it out of the service's DNS, can fail. Update with order: start-first: the new task must pass its health check before an old one stops.",
      'order: stop-first（Swarm 的默认值）会在替代者健康之前先停止副本：它还在处理的请求，以及在 Swarm 把它从服务的 DNS 中移除之前发给它的请求，都可能失败。请用 order: start-first 更新：新任务通过健康检查之后才停止旧任务。',
    );
  return L(
    'Look at the failures: an old task that stops without draining (lesson 24: DRAIN_DELAY, SHUTDOWN_TIMEOUT within stop_grace_period) drops the requests it was answering.',
    '看看失败的原因：不先排空就停止的旧任务（第 24 课：DRAIN_DELAY、SHUTDOWN_TIMEOUT 要在 stop_grace_period 之内）会丢掉它正在处理的请求。',
  );
};

export const swarmRollingUpdate = defineCheck({
  id: 'swarm.rolling-update',
  kind: 'docker',
  title: L('A release loses no request and a broken one rolls back', '发布新版本不丢请求，坏版本自动回滚'),
  params: s.object({
    /** The stack file, relative to the workspace. */
    file: s.string().default('stack.yaml'),
    /** The service of the stack that runs the app. */
    service: s.string().default('app'),
    /** The route the load sends its requests to. */
    path: s.string().startsWith('/').default('/ping'),
    /** The shortest pause between replicas that lets Swarm see a canary fail before it replaces the next. */
    minDelaySeconds: s.number().min(0).default(5),
  }),
  measure: (ctx, params) => measureRolling(ctx, params),
  judge: (m, params) => {
    const file = params.file;
    if (m.swarm === 'off')
      return skip(
        L(
          'Not run: swarm mode is off on this Docker. Let the runner turn it on for this check and off again after: npx learn-go-docker verify --swarm (in the tutorial: start it with npx learn-go-docker --swarm). Or turn it on yourself: docker swarm init --advertise-addr 127.0.0.1 (undo: docker swarm leave --force).',
          '未运行：这个 Docker 没有开启 swarm 模式。让检查程序为这项检查开启、检查后再关闭：npx learn-go-docker verify --swarm（在教程界面里：用 npx learn-go-docker --swarm 启动）。也可以自己开启：docker swarm init --advertise-addr 127.0.0.1（撤销：docker swarm leave --force）。',
        ),
        'needs-swarm',
      );
    if (m.swarm === 'worker')
      return skip(
        L(
          'Not run: this Docker is a worker of a swarm, and only a manager can deploy a stack. Run it against a manager (DOCKER_HOST or docker context), or on a machine of your own.',
          '未运行：这个 Docker 是某个 swarm 的 worker 节点，只有 manager 节点才能部署栈。请连接到 manager（DOCKER_HOST 或 docker context），或在自己的机器上运行。',
        ),
        'needs-swarm',
      );
    if (m.swarm === 'unusable') {
      const why = m.swarmError ? `: ${m.swarmError}` : '';
      return skip(
        L(
          `Not run: swarm mode is not usable on this Docker (state ${m.swarmState ?? 'unknown'}${why}). npx learn-go-docker doctor says more.`,
          `未运行：这个 Docker 无法使用 swarm 模式（状态 ${m.swarmState ?? '未知'}${why}）。npx learn-go-docker doctor 会给出更多信息。`,
        ),
        'needs-swarm',
      );
    }
    if (m.deployError !== undefined) {
      const version = /version/i.test(m.deployError);
      return fail(
        L(
          `docker stack deploy -c ${file} refused the file: ${m.deployError}.${version ? ' Older Docker clients need version: "3.8" at the top of a stack file.' : ''}`,
          `docker stack deploy -c ${file} 拒绝了这个文件：${m.deployError}。${version ? '较旧的 Docker 客户端要求栈文件开头有 version: "3.8"。' : ''}`,
        ),
      );
    }
    if (m.missingService || !m.spec)
      return fail(
        L(
          `${file} has no service named ${params.service}: the runner releases new versions of that service.`,
          `${file} 里没有名为 ${params.service} 的服务：检查程序发布的是这个服务的新版本。`,
        ),
      );
    const spec = m.spec;
    const measured: Record<string, number | string | boolean | null> = {
      replicas: spec.replicas,
      parallelism: spec.parallelism,
      order: spec.order,
      delaySeconds: spec.delaySeconds ?? 0,
      failureAction: spec.failureAction,
      healthcheck: spec.healthcheck,
    };
    // The runner publishes no port of a stack: said with every verdict that ran the stack.
    const ports = m.unpublished?.length
      ? L(
          ` (The runner left out the ports: of ${m.unpublished.join(', ')}: Swarm publishes on every interface, and the load runs inside the stack's network.)`,
          `（检查程序没有发布 ${m.unpublished.join('、')} 的 ports:：Swarm 会在所有网络接口上发布端口，而负载是在栈的网络内部发出的。）`,
        )
      : L('', '');
    const converged = m.converged;
    if (!converged?.ok) {
      const errors = converged?.errors.length ? ` (${converged.errors.join('; ')})` : '';
      return fail(
        L(
          `The stack was deployed, but after ${secs(converged?.seconds ?? 0)} ${converged?.running ?? 0} of ${spec.replicas ?? 1} replicas ran${errors}. Deploy it yourself (docker stack deploy -c ${file} --resolve-image never notes) and docker service ps notes_${params.service} --no-trunc shows why the tasks do not start or turn healthy.`,
          `栈已经部署，但 ${secsZh(converged?.seconds ?? 0)} 后只有 ${converged?.running ?? 0} / ${spec.replicas ?? 1} 个副本在运行${errors}。自己部署一次（docker stack deploy -c ${file} --resolve-image never notes），再用 docker service ps notes_${params.service} --no-trunc 查看任务为什么启动不了或不健康。`,
        ),
        measured,
      );
    }
    if (spec.healthcheck === 'none') {
      return fail(
        L(
          `The service has no health check (the image has no HEALTHCHECK, or the stack's healthcheck: disables it): Swarm counts a new task as running as soon as its process starts, before it answers, so a start-first update cannot wait for it and a version that never answers is never seen failing. Keep the image's HEALTHCHECK (lesson 10), or give the service a healthcheck:.`,
          `这个服务没有健康检查（镜像没有 HEALTHCHECK，或者栈文件的 healthcheck: 把它禁用了）：新任务的进程一启动、还没开始回答，Swarm 就认为它在运行了，所以 start-first 更新没法等它就绪，一个永远不回答的版本也永远不会被发现失败。请保留镜像的 HEALTHCHECK（第 10 课），或者给服务写一个 healthcheck:。`,
        ),
        measured,
      );
    }
    if (m.loadError !== undefined) {
      const attach = /attachable/i.test(m.loadError);
      return fail(
        attach
          ? L(
              `The runner's load client could not join any network of the service (${m.networks?.length ? m.networks.join(', ') : m.loadError}): keep attachable: true on the service's overlay network in ${file}, so a one-off container (docker run --network ...) can join it.`,
              `检查程序的负载容器无法加入服务的任何网络（${m.networks?.length ? m.networks.join('、') : m.loadError}）：请在 ${file} 里服务所在的 overlay 网络上保留 attachable: true，让一次性容器（docker run --network ...）能够加入。`,
            )
          : L(`The runner's load client did not start: ${m.loadError}.`, `检查程序的负载容器没有启动：${m.loadError}。`),
        measured,
      );
    }
    const baseline = m.baseline ?? { ok: 0, failed: {} };
    if (baseline.ok === 0) {
      return fail(
        L(
          `Before any release, none of ${total(baseline)} requests to ${params.path} on tasks.${params.service} was answered${failedCount(baseline) ? ` (${whyEn(baseline)})` : ''}: the replicas run, but the app does not answer on its port inside the stack's network.`,
          `在发布任何版本之前，发往 tasks.${params.service} 上 ${params.path} 的 ${total(baseline)} 个请求没有一个得到回答${failedCount(baseline) ? `（${whyZh(baseline)}）` : ''}：副本在运行，但应用没有在栈网络内的端口上回答。`,
        ),
        measured,
      );
    }
    const v2 = m.v2;
    if (!v2) return fail(L('The release of v2 was not measured.', '没有测量到 v2 的发布。'), measured);
    measured.v2Seconds = v2.seconds;
    measured.v2Requests = total(v2.load);
    measured.v2Failed = failedCount(v2.load);
    if (v2.minRunning !== undefined) measured.v2MinRunning = v2.minRunning;
    if (failedCount(v2.load) > 0) {
      const cause = lossCause(spec);
      return fail(
        L(
          `While v2 replaced v1 (${secs(v2.seconds)}), ${failedCount(v2.load)} of ${total(v2.load)} requests failed (${whyEn(v2.load)}). ${cause.en}`,
          `在 v2 替换 v1 期间（${secsZh(v2.seconds)}），${total(v2.load)} 个请求中有 ${failedCount(v2.load)} 个失败（${whyZh(v2.load)}）。${cause['zh-CN']}`,
        ),
        measured,
      );
    }
    const replicas = spec.replicas ?? 1;
    if (v2.minRunning !== undefined && v2.minRunning < replicas) {
      return fail(
        L(
          `v2 went out without a failed request, but at one moment only ${v2.minRunning} of ${replicas} replicas ran (order: ${spec.order}): each replica was stopped before its replacement was healthy, so the service ran short of capacity for the whole release, and a version that never turns healthy would leave it short. Update with order: start-first: the new task must pass its health check before an old one stops.`,
          `v2 发布时没有失败的请求，但有一刻 ${replicas} 个副本中只有 ${v2.minRunning} 个在运行（order: ${spec.order}）：每个副本都在替代者健康之前就被停止了，整个发布期间服务都缺少容量，而一个永远不健康的版本会让它一直缺下去。请用 order: start-first 更新：新任务通过健康检查之后才停止旧任务。`,
        ),
        measured,
      );
    }
    if (v2.state !== 'completed' || (v2.running.v2 ?? 0) < (spec.replicas ?? 1)) {
      return fail(
        L(
          `The release of v2 ended ${v2.state === 'timeout' ? `unfinished after ${secs(v2.seconds)}` : `as ${v2.state}${v2.message ? ` (${v2.message})` : ''}`}, with ${v2.running.v2 ?? 0} of ${spec.replicas ?? 1} replicas on v2: a healthy release must complete.`,
          `v2 的发布${v2.state === 'timeout' ? `在 ${secsZh(v2.seconds)} 后仍未完成` : `以 ${v2.state} 结束${v2.message ? `（${v2.message}）` : ''}`}，${spec.replicas ?? 1} 个副本中只有 ${v2.running.v2 ?? 0} 个运行 v2：健康的版本应当发布完成。`,
        ),
        measured,
      );
    }
    if ((spec.replicas ?? 1) < 2) {
      return fail(
        L(
          `v2 went out without a failed request, but the service runs ${count(spec.replicas ?? 1, 'replica', 'replicas')}: when it crashes, or its node restarts, nothing answers until Swarm has started another. Run two or more (deploy: replicas: 2).`,
          `v2 发布时没有失败的请求，但服务只运行了 ${spec.replicas ?? 1} 个副本：它一崩溃或所在节点一重启，在 Swarm 启动新的副本之前就没有任何东西能回答。请运行两个或更多副本（deploy: replicas: 2）。`,
        ),
        measured,
      );
    }
    const v3 = m.v3;
    if (!v3) return fail(L('The release of the broken v3 was not measured.', '没有测量到坏版本 v3 的发布。'), measured);
    measured.v3State = v3.state;
    measured.v3Slots = v3.slots;
    measured.v3Failed = failedCount(v3.load);
    const broken = L(`v3 (your image started with ${BROKEN}, so it exits at start)`, `v3（以 ${BROKEN} 启动的同一镜像，一启动就退出）`);
    if (v3.state !== 'rollback_completed') {
      const left = v3.running.v3 ?? 0;
      const undecided = v3.state === 'timeout' && spec.failureAction === 'rollback';
      return fail(
        undecided
          ? L(
              `Swarm had not decided about the broken ${broken.en} after ${secs(v3.seconds)}: its new task neither failed nor turned healthy within the wait. A task fails its health check only after start_period plus retries × interval; keep those, and update_config monitor (${secs(spec.monitorSeconds)}), short enough for a release to be judged in minutes.`,
              `${secsZh(v3.seconds)} 后，Swarm 仍没有对坏版本 ${broken['zh-CN']}作出判断：它的新任务在等待时间内既没有失败，也没有变为健康。健康检查要过了 start_period 加上 retries × interval 才会判定失败；请让这些值以及 update_config 的 monitor（${secsZh(spec.monitorSeconds)}）足够短，让一次发布在几分钟内就能见分晓。`,
            )
          : v3.state === 'paused' || v3.state === 'timeout'
            ? L(
                `The broken ${broken.en} was not rolled back: the update ${v3.state === 'paused' ? 'paused' : `had not ended after ${secs(v3.seconds)}`} (failure_action: ${spec.failureAction}${spec.failureAction === 'pause' ? ", Swarm's default" : ''}). The service's spec now names v3: ${left ? `${count(left, 'task runs', 'tasks run')} it, and ` : 'the replicas still on v2 answer, but '}every task Swarm starts from now on (a crash, a restart) starts v3, until someone runs docker service rollback. Set update_config: failure_action: rollback, so Swarm puts the version before back by itself.`,
                `坏版本 ${broken['zh-CN']}没有被回滚：更新${v3.state === 'paused' ? '暂停了' : `在 ${secsZh(v3.seconds)} 后仍未结束`}（failure_action: ${spec.failureAction}${spec.failureAction === 'pause' ? '，Swarm 的默认值' : ''}）。服务的规格现在指向 v3：${left ? `有 ${left} 个任务在运行它，而且` : '还在运行 v2 的副本仍能响应，但'}从现在起 Swarm 启动的每个任务（崩溃、重启）都会启动 v3，直到有人执行 docker service rollback。请设置 update_config: failure_action: rollback，让 Swarm 自动恢复到之前的版本。`,
              )
            : L(
                `The broken ${broken.en} ended as ${v3.state}${v3.message ? ` (${v3.message})` : ''}, not rolled back: set update_config: failure_action: rollback and keep the image's HEALTHCHECK, so a task that never turns healthy counts as a failure.`,
                `坏版本 ${broken['zh-CN']}以 ${v3.state} 结束${v3.message ? `（${v3.message}）` : ''}，没有回滚：请设置 update_config: failure_action: rollback，并保留镜像的 HEALTHCHECK，让一直不健康的任务算作失败。`,
              ),
        measured,
      );
    }
    const delay = spec.delaySeconds ?? 0;
    if (v3.slots > 1 && spec.parallelism !== 1) {
      return fail(
        L(
          `The broken v3 was rolled back, but only after it had reached ${v3.slots} replicas (update_config parallelism: ${spec.parallelism === 0 ? '0, all at once' : spec.parallelism}): a bad release should meet one replica, the canary, and stop there. Update one at a time (parallelism: 1, with a delay).`,
          `坏版本 v3 被回滚了，但那时它已经到达了 ${v3.slots} 个副本（update_config 的 parallelism: ${spec.parallelism === 0 ? '0，即全部同时' : spec.parallelism}）：坏版本应当只碰到一个副本——金丝雀——然后就停下。请一次更新一个（parallelism: 1，并设置 delay）。`,
        ),
        measured,
      );
    }
    if (v3.slots > 1 || delay < params.minDelaySeconds) {
      const reached = L(
        v3.slots > 1 ? `reached ${v3.slots} replicas` : 'reached one replica this time, by luck',
        v3.slots > 1 ? `到达了 ${v3.slots} 个副本` : `这一次只到达了一个副本，但这是运气`,
      );
      return fail(
        L(
          `The broken v3 was rolled back but ${reached.en}: with parallelism: 1 and ${delay ? `delay: ${secs(delay)}` : 'no delay'}, Swarm starts the next replica as soon as the last one was started, whether or not it failed, so the canary's failure may be seen only after the next replica was replaced. Add a pause between replicas of ${secs(params.minDelaySeconds)} or more (update_config delay: 5s): time to see the canary fail before anything else changes.`,
          `坏版本 v3 被回滚了，但它${reached['zh-CN']}：parallelism: 1 且${delay ? ` delay: ${secsZh(delay)} ` : '没有 delay '}时，上一个副本一启动，Swarm 就会更新下一个，不管它有没有失败，所以金丝雀的失败可能要等下一个副本也被替换后才被发现。请在副本之间加一个至少 ${secsZh(params.minDelaySeconds)} 的停顿（update_config 的 delay: 5s），在其他东西变化之前看清金丝雀是否失败。`,
        ),
        measured,
      );
    }
    if (failedCount(v3.load) > 0) {
      return fail(
        L(
          `The broken v3 was rolled back after one replica, but meanwhile ${failedCount(v3.load)} of ${total(v3.load)} requests failed (${whyEn(v3.load)}). ${lossCause(spec).en}`,
          `坏版本 v3 只到达一个副本就被回滚了，但期间 ${total(v3.load)} 个请求中有 ${failedCount(v3.load)} 个失败（${whyZh(v3.load)}）。${lossCause(spec)['zh-CN']}`,
        ),
        measured,
      );
    }
    return pass(
      L(
        `${spec.replicas} replicas; v2 replaced them in ${secs(v2.seconds)} while ${total(v2.load)} requests were sent, none failed; the broken v3 reached one replica and Swarm rolled it back by itself in ${secs(v3.seconds)}, with ${total(v3.load)} requests, none failed.${ports.en}`,
        `${spec.replicas} 个副本；v2 用 ${secsZh(v2.seconds)} 替换了它们，期间发出 ${total(v2.load)} 个请求，没有一个失败；坏版本 v3 只到达一个副本，Swarm 在 ${secsZh(v3.seconds)} 内自动回滚，期间 ${total(v3.load)} 个请求，没有一个失败。${ports['zh-CN']}`,
      ),
      measured,
    );
  },
});
