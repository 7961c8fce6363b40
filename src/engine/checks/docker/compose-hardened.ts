import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { turnsOnNoNewPrivileges } from '../../docker/limits.js';
import type { ComposeServiceState } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { httpRequest, requestUntil } from './http-client.js';
import { portOf, readComposeDoc, upFailure } from './compose.js';
import { copyTextInto } from './measure.js';

/**
 * compose.hardened: the service runs with what a production orchestrator should give it and nothing
 * more, and still works. `docker compose up`, then the container's HostConfig (read-only root file
 * system, capabilities dropped; a tmpfs on /tmp is reported, not required: the app needs none) and a
 * write outside the volume that must fail (`docker cp` into /), while readiness, a write of a note
 * and a read still succeed.
 *
 * The runner adds `no-new-privileges` and a pids limit to every service it starts (its own safety),
 * so those two are read from the learner's file as written, not from the container.
 */

export interface HardenedMeasurement {
  readonly port: number;
  readonly up: {
    readonly ok: boolean;
    readonly seconds: number;
    readonly tail: readonly string[];
    readonly busyHostPorts: readonly number[];
    readonly refusal?: Localized;
  };
  readonly state?: Pick<ComposeServiceState, 'running' | 'host'> | null;
  /** What holds the data path: "volume", "bind", "tmpfs", or null (the image's own, read-only, directory). */
  readonly dataMount?: string | null;
  /** What `docker cp` into / said (null: it worked, the root is writable). */
  readonly rootWrite?: string | null;
  readonly ready?: number | null;
  readonly post?: number | null;
  readonly get?: number | null;
  /** The service as the learner wrote it. */
  readonly written?: { readonly securityOpt: readonly string[]; readonly pidsLimit: number | null };
}

/** security_opt and pids_limit (or deploy.resources.limits.pids) of a service, as written in the compose file. */
export const writtenLimits = (doc: unknown, service: string): { securityOpt: string[]; pidsLimit: number | null } => {
  const services = (doc as { services?: Record<string, unknown> } | null)?.services ?? {};
  const svc = (services[service] ?? {}) as Record<string, unknown>;
  const securityOpt = Array.isArray(svc.security_opt) ? svc.security_opt.map(String) : [];
  const deployPids = ((svc.deploy as { resources?: { limits?: { pids?: unknown } } } | undefined)?.resources?.limits?.pids ?? null) as unknown;
  const raw = svc.pids_limit ?? deployPids;
  // null: not set; 0 or -1: set to unlimited (kept, so the verdict can say so).
  const pidsLimit = raw === null || raw === undefined || Number.isNaN(Number(raw)) ? null : Number(raw);
  return { securityOpt, pidsLimit };
};

export const composeHardened = defineCheck({
  id: 'compose.hardened',
  kind: 'docker',
  buildsLessonImage: false,
  title: L('The service runs locked down, and still works', '服务在加固后运行，并且仍然可用'),
  needs: ['compose'],
  params: s.object({
    service: s.string().min(1),
    file: s.string().optional(),
    /** The volume the app writes to; the rest of the file system must be read-only. */
    data: s.string().startsWith('/').default('/data'),
    /** The highest pids limit that counts as the service's own. */
    maxPids: s.number().int().positive().default(200),
  }),
  measure: async (ctx, params): Promise<HardenedMeasurement> => {
    // The file is read once: for the port, and for the two settings judged as written.
    const doc = await readComposeDoc(ctx.files.dir, params.file);
    const port = portOf(doc, params.service);
    const written = writtenLimits(doc ?? {}, params.service);
    ctx.progress({ type: 'note', message: L('Running docker compose up…', '正在运行 docker compose up…') });
    const started = await ctx.docker.composeUp({ file: params.file, service: params.service, port });
    const up = { ok: started.ok, seconds: started.durationMs / 1000, tail: started.tail, busyHostPorts: started.busyHostPorts, refusal: started.refusal };
    if (!started.ok || !started.hostPort) return { port, up, written };
    const hostPort = started.hostPort;
    const readyAttempt = await requestUntil({
      port: hostPort,
      path: '/health/ready',
      deadlineMs: 20_000,
      signal: ctx.signal,
      accept: (a) => a.status === 200,
      settleMs: 3_000,
    });
    const state = await ctx.docker.composeService(params.service);
    let rootWrite: string | null = 'no container';
    if (state?.id) {
      rootWrite = await copyTextInto(ctx, state.id, 'a write outside the volume\n', '/hardening-probe').then(
        () => null,
        // The daemon's own words ("container rootfs is marked read-only"), not the command line.
        (error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          return (/Error response from daemon: (.*)/.exec(text)?.[1] ?? text.split('\n').find((l) => l.trim()) ?? 'refused').trim();
        },
      );
    }
    const status = async (method: 'GET' | 'POST', path: string) => {
      const a = await httpRequest({ port: hostPort, path, method, body: method === 'POST' ? '{"title":"hardened"}' : undefined, timeoutMs: 5_000 });
      return a.ok ? a.answer.status : null;
    };
    return {
      port,
      up,
      written,
      state: state ? { running: state.running, host: state.host } : null,
      dataMount: state
        ? state.host?.tmpfs.includes(params.data)
          ? 'tmpfs'
          : (state.mounts.find((mount) => mount.destination === params.data)?.type ?? null)
        : null,
      rootWrite,
      ready: readyAttempt.ok ? readyAttempt.answer.status : null,
      post: await status('POST', '/api/v1/notes'),
      get: await status('GET', '/api/v1/notes'),
    };
  },
  judge: (m, params) => {
    if (m.up.refusal) return fail(m.up.refusal, { refused: true });
    if (!m.up.ok) return fail(upFailure({ ...m.up, port: m.port }), { up: false });
    const host = m.state?.host;
    if (!m.state || !host) {
      return fail(
        L(`No running container of ${params.service} was found after docker compose up.`, `docker compose up 之后没有找到 ${params.service} 正在运行的容器。`),
        { up: true },
      );
    }
    const problems: Localized[] = [];
    if (!host.readOnlyRootfs) {
      const wrote = m.rootWrite === null ? L(' (the runner wrote /hardening-probe into it)', '（运行器往里面写入了 /hardening-probe）') : L('', '');
      problems.push(
        L(
          `The root file system is writable${wrote.en}: add read_only: true, so nothing but the volume can be changed by the app or by an attacker in it.`,
          `根文件系统是可写的${wrote['zh-CN']}：加上 read_only: true，这样除了卷以外，应用或攻入其中的人都改不了任何东西。`,
        ),
      );
    }
    const dropsAll = host.capDrop.some((c) => /^(CAP_)?ALL$/i.test(c));
    if (!dropsAll) {
      problems.push(
        L(
          `Capabilities are not dropped (cap_drop: ${host.capDrop.length ? host.capDrop.join(', ') : 'none'}): the app listens on 8080 and needs none of the 14 Docker keeps by default; add cap_drop: [ALL].`,
          `没有丢弃能力（cap_drop：${host.capDrop.length ? host.capDrop.join(', ') : '无'}）：应用监听 8080 端口，Docker 默认保留的 14 项能力它一项都不需要；加上 cap_drop: [ALL]。`,
        ),
      );
    }
    if (host.capAdd.length) {
      problems.push(
        L(
          `cap_add gives back ${host.capAdd.join(', ')}: the app needs no capability; remove it.`,
          `cap_add 又加回了 ${host.capAdd.join(', ')}：应用不需要任何能力；删掉它。`,
        ),
      );
    }
    const written = m.written ?? { securityOpt: [], pidsLimit: null };
    if (!written.securityOpt.some(turnsOnNoNewPrivileges)) {
      problems.push(
        L(
          `security_opt does not set no-new-privileges:true in your file (the runner adds it to everything it starts, so it is read from the file): without it a setuid binary in the image could raise privileges.`,
          `你的文件中 security_opt 没有设置 no-new-privileges:true（运行器会给它启动的所有容器加上它，所以这一项从文件中读取）：没有它，镜像中的 setuid 程序可能提升权限。`,
        ),
      );
    }
    if (written.pidsLimit === null || written.pidsLimit <= 0 || written.pidsLimit > params.maxPids) {
      const what =
        written.pidsLimit === null
          ? L('no pids_limit', '没有设置 pids_limit')
          : written.pidsLimit <= 0
            ? L(`pids_limit: ${written.pidsLimit} (no limit)`, `设置的是 pids_limit: ${written.pidsLimit}（不限制）`)
            : L(`pids_limit: ${written.pidsLimit}`, `设置的是 pids_limit: ${written.pidsLimit}`);
      problems.push(
        L(
          `Your file sets ${what.en} (the runner adds its own 256, so it is read from the file): give the service a limit of at most ${params.maxPids}, so a fork bomb or a thread leak stops there.`,
          `你的文件中${what['zh-CN']}（运行器会加上它自己的 256，所以这一项从文件中读取）：给服务设置不超过 ${params.maxPids} 的限制，这样 fork 炸弹或线程泄漏就会止步于此。`,
        ),
      );
    }
    // Notes must outlive the container: only a volume keeps them (a tmpfs is empty at every start).
    if (m.dataMount !== undefined && m.dataMount !== 'volume' && m.dataMount !== 'bind') {
      const held =
        m.dataMount === 'tmpfs'
          ? L(`${params.data} is a tmpfs: the notes vanish at every restart.`, `${params.data} 是一个 tmpfs：每次重启笔记都会消失。`)
          : L(
              `${params.data} is the image's own directory, not a volume: the notes go with the container.`,
              `${params.data} 是镜像自带的目录，不是卷：笔记会随容器一起消失。`,
            );
      problems.push(
        L(
          `${held.en} Keep the named volume there (volumes: [notes-data:${params.data}]): it is the one place the app writes and must keep.`,
          `${held['zh-CN']}在那里保留命名卷（volumes: [notes-data:${params.data}]）：它是应用唯一写入且必须保留数据的地方。`,
        ),
      );
    }
    const broken: string[] = [];
    if (m.ready !== 200) broken.push(`GET /health/ready → ${m.ready ?? 'no answer'}`);
    if (m.post !== 201) broken.push(`POST /api/v1/notes → ${m.post ?? 'no answer'}`);
    if (m.get !== 200) broken.push(`GET /api/v1/notes → ${m.get ?? 'no answer'}`);
    if (broken.length) {
      problems.push(
        L(
          `Locked down, the app no longer works: ${broken.join(', ')}. It writes its notes to ${params.data}: with a read-only root, ${params.data} must be a volume the app's user can write.`,
          `加固之后应用不能正常工作了：${broken.join(', ')}。它把笔记写到 ${params.data}：根文件系统只读时，${params.data} 必须是应用用户可写的卷。`,
        ),
      );
    }
    const measured = {
      readOnlyRoot: host.readOnlyRootfs,
      rootWriteRefused: m.rootWrite !== null,
      capDropAll: dropsAll,
      pidsLimit: written.pidsLimit,
      post: m.post ?? null,
    };
    if (problems.length) return fail(join(...problems), measured);
    return pass(
      L(
        `Read-only root (a write to / was refused: ${m.rootWrite ?? ''})${host.tmpfs.includes('/tmp') ? ' with a tmpfs on /tmp' : ''}, every capability dropped, no-new-privileges and pids_limit ${written.pidsLimit} in your file; readiness answered 200, a note was written (201) and read back (200).`,
        `根文件系统只读（写入 / 被拒绝：${m.rootWrite ?? ''}）${host.tmpfs.includes('/tmp') ? '，/tmp 上有 tmpfs' : ''}，丢弃了所有能力，你的文件中有 no-new-privileges 和 pids_limit ${written.pidsLimit}；就绪检查返回 200，写入了一条笔记（201）并读了回来（200）。`,
      ),
      measured,
    );
  },
});
