import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, pass } from '../outcome.js';
import { isMap, loadYaml } from '../static/yaml-file.js';
import { requestUntil, sleep } from './http-client.js';
import { lessonImage, startContainer } from './measure.js';

/** What the learner wrote in the answers file (strings as written; null when not answered). */
interface Answers {
  readonly uid: string | null;
  readonly port: string | null;
  readonly breaks: string | null;
}

/** The real values, read from a debug container that joins the app's PID and network namespaces. */
export interface ContainerFacts {
  readonly answers: Answers | { readonly invalid: string };
  readonly running: boolean;
  readonly startError: string | null;
  /** Uid of PID 1 (the app), from /proc/1/status. */
  readonly uid: number | null;
  /** TCP ports in LISTEN state in the container's network namespace, from /proc/net/tcp and tcp6. */
  readonly listening: readonly number[];
  /** The readiness path's status as the image runs, and with the answered variable set empty. */
  readonly readyAsIs: number | null;
  readonly readyWithout: number | null;
}

/** Listening TCP ports in /proc/net/tcp text (state 0A), local port in hex after the colon. */
export const listeningPorts = (procNetTcp: string): number[] => {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== '0A') continue;
    const port = parseInt(fields[1]?.split(':').pop() ?? '', 16);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
};

const answerText = (value: unknown): string | null => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim());

/** The variable a `breaks:` answer names, written as a learner might: DATA_DIR, $DATA_DIR, ${DATA_DIR}, DATA_DIR=/var/lib/notes. */
export const variableName = (answer: string): string =>
  answer
    .trim()
    .replace(/^\$\{?/, '')
    .replace(/=.*$/s, '')
    .replace(/\}$/, '');

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const readAnswers = async (text: string | undefined, file: string): Promise<ContainerFacts['answers']> => {
  if (text === undefined) return { invalid: `${file} does not exist` };
  const yaml = await loadYaml(text);
  if (!yaml.ok) return { invalid: `${file} is not valid YAML${yaml.line ? ` (line ${yaml.line})` : ''}: ${yaml.reason}` };
  const value = yaml.value ?? {};
  if (!isMap(value)) return { invalid: `${file} must hold uid:, port: and breaks: lines` };
  const breaks = answerText(value.breaks);
  return { uid: answerText(value.uid), port: answerText(value.port), breaks: breaks === null ? null : variableName(breaks) };
};

/** How long the app may take to answer before a probe gives up. */
const PROBE_MS = 10_000;

export const containerAnswers = defineCheck({
  id: 'container.answers',
  kind: 'docker',
  title: L('Your answers match the running container', '你的答案与正在运行的容器一致'),
  params: s.object({
    file: s.string().min(1).default('answers.yaml'),
    /** The stage used as the runner's debugging toolbox (it has cat; the image has no shell). */
    toolbox: s.string().min(1).default('build'),
    readyPath: s.string().regex(/^\//).default('/health/ready'),
  }),
  measure: async (ctx, params): Promise<ContainerFacts> => {
    const answers = await readAnswers(await ctx.files.read(params.file), params.file);
    const { id } = await lessonImage(ctx);
    const none = { uid: null, listening: [], readyAsIs: null, readyWithout: null };
    const app = await startContainer(ctx, { image: id });
    if (!app.started) return { answers, running: false, startError: app.startError, ...none };
    // The image has no shell and no cat: a debug container that joins its PID and network
    // namespaces reads them, as a learner would with a toolbox image.
    ctx.progress({ type: 'note', message: L('Looking inside the container with a debug container…', '正在用调试容器查看容器内部…') });
    const copy = await ctx.docker.stageContext();
    const toolbox = await ctx.docker.build({ contextDir: copy, staged: true, dockerfile: ctx.dockerfilePath, target: params.toolbox });
    if (!toolbox.ok || !toolbox.imageId) throw new Error(`the ${params.toolbox} stage did not build: ${toolbox.tail.slice(-3).join(' ')}`);
    await sleep(500, ctx.signal); // the app opens its port as it starts
    const state = await ctx.docker.inspectContainer(app.id);
    if (!state.running) return { answers, running: false, startError: `it exited with code ${state.exitCode ?? '?'} right after starting`, ...none };
    const debug = await ctx.docker.run({
      image: toolbox.imageId,
      join: app.id,
      entrypoint: ['cat'],
      args: ['/proc/1/status', '/proc/net/tcp', '/proc/net/tcp6'],
    });
    if (!debug.started) throw new Error(`the debug container did not start: ${debug.startError ?? ''}`);
    for (let waited = 0; waited < 10_000 && (await ctx.docker.inspectContainer(debug.id)).running; waited += 200) await sleep(200, ctx.signal);
    const { stdout } = await ctx.docker.logs(debug.id);
    await Promise.all([ctx.docker.remove(debug.id), ctx.docker.remove(app.id)]);
    const uidLine = /^Uid:\s+(\d+)/m.exec(stdout);
    const uid = uidLine ? Number(uidLine[1]) : null;
    const listening = listeningPorts(stdout);
    const port = listening[0];
    if (port === undefined) return { answers, running: true, startError: null, ...none, uid };
    // Readiness as the image runs it, then with the answered variable set empty (the app's default).
    const ready = async (env: Record<string, string>): Promise<number | null> => {
      const started = await startContainer(ctx, { image: id, publish: [port], env });
      if (!started.started || !started.ports[port]) return null;
      const answer = await requestUntil({ port: started.ports[port], path: params.readyPath, deadlineMs: PROBE_MS, signal: ctx.signal, settleMs: 0 });
      await ctx.docker.remove(started.id);
      return answer.ok ? answer.answer.status : null;
    };
    const readyAsIs = await ready({});
    const breaks = 'breaks' in answers ? answers.breaks : null;
    const readyWithout = breaks && VARIABLE.test(breaks) ? await ready({ [breaks]: '' }) : null;
    return { answers, running: true, startError: null, uid, listening, readyAsIs, readyWithout };
  },
  judge: (m, params) => {
    if ('invalid' in m.answers)
      return fail(
        L(
          `${m.answers.invalid}. Write your three answers there, one a line: uid: …, port: …, breaks: …`,
          `${m.answers.invalid}。请在其中写下三个答案，每行一个：uid: …、port: …、breaks: …`,
        ),
      );
    if (!m.running)
      return fail(L(`The container did not start, so there is nothing to ask: ${m.startError ?? ''}`, `容器没有启动，无从回答：${m.startError ?? ''}`));
    const a = m.answers;
    const wrong: Localized[] = [];
    const right: Localized[] = [];
    const missing = (key: string) => L(`${key}: not answered yet in ${params.file}.`, `${key}：${params.file} 中还没有回答。`);
    if (a.uid === null) wrong.push(missing('uid'));
    else if (!/^\d+$/.test(a.uid))
      wrong.push(
        L(
          `uid: write the number alone (like 1000), not a name or user:group; you wrote ${a.uid}. USER may name a user, and the image has no shell to run id: docker top, or a debug container with --pid container:<id> reading /proc/1/status, shows the number.`,
          `uid：请只写数字（例如 1000），不要写用户名或 用户:组；你写的是 ${a.uid}。USER 可能写的是用户名，而镜像里没有 shell 可以运行 id：docker top，或者用 --pid container:<id> 的调试容器读取 /proc/1/status，可以看到这个数字。`,
        ),
      );
    else if (m.uid !== null && Number(a.uid) === m.uid) right.push(L(`uid ${m.uid}`, `uid ${m.uid}`));
    else
      wrong.push(
        L(
          `uid: the app does not run as ${a.uid}. docker top, or a debug container with --pid container:<id> reading /proc/1/status, shows the user of its process.`,
          `uid：应用并不是以 ${a.uid} 运行的。docker top，或者用 --pid container:<id> 的调试容器读取 /proc/1/status，可以看到它的进程所属的用户。`,
        ),
      );
    const port = a.port === null ? null : Number(a.port.replace(/\/tcp$/i, ''));
    if (a.port === null) wrong.push(missing('port'));
    else if (port !== null && m.listening.includes(port)) right.push(L(`port ${port}`, `端口 ${port}`));
    else
      wrong.push(
        L(
          `port: nothing listens on ${a.port} inside the container. EXPOSE only documents a port; the app listens where its configuration says: docker inspect shows the environment, and a debug container with --network container:<id> can list the listening sockets.`,
          `port：容器内没有任何程序在 ${a.port} 上监听。EXPOSE 只是记录一个端口；应用在它的配置指定的端口上监听：docker inspect 可以看到环境变量，用 --network container:<id> 的调试容器可以列出正在监听的套接字。`,
        ),
      );
    if (a.breaks === null) wrong.push(missing('breaks'));
    else if (!VARIABLE.test(a.breaks))
      wrong.push(
        L(
          `breaks: write only the variable's name, exactly as docker inspect shows it in Config.Env (like GIN_MODE); "${a.breaks}" is not one.`,
          `breaks：只写变量名，与 docker inspect 在 Config.Env 中显示的完全一致（例如 GIN_MODE）；"${a.breaks}" 不是变量名。`,
        ),
      );
    else if (m.readyAsIs !== null && m.readyAsIs !== 200 && m.readyWithout === 200)
      right.push(L(`with ${a.breaks} emptied ${params.readyPath} answers 200`, `把 ${a.breaks} 置空后 ${params.readyPath} 返回 200`));
    else
      wrong.push(
        m.readyWithout === null
          ? L(
              `breaks: with ${a.breaks} set empty, the app no longer answered on the port it listens on (it may listen elsewhere then), so ${a.breaks} is not what makes ${params.readyPath} fail. Ask ${params.readyPath} and read its reason, then find the variable in docker inspect's Config.Env (names are case-sensitive).`,
              `breaks：把 ${a.breaks} 置空后，应用不再在原来的端口上响应（它可能换了端口），所以让 ${params.readyPath} 失败的不是 ${a.breaks}。请访问 ${params.readyPath} 并阅读其中的原因，再到 docker inspect 的 Config.Env 里找出那个变量（变量名区分大小写）。`,
            )
          : L(
              `breaks: with ${a.breaks} set empty (the app's default) ${params.readyPath} still answers ${m.readyWithout}, so that is not what breaks it. Ask ${params.readyPath} and read its reason, then find the variable in docker inspect's Config.Env (names are case-sensitive).`,
              `breaks：把 ${a.breaks} 置空（使用应用的默认值）后，${params.readyPath} 仍然返回 ${m.readyWithout}，所以不是它造成的。请访问 ${params.readyPath} 并阅读其中的原因，再到 docker inspect 的 Config.Env 里找出那个变量（变量名区分大小写）。`,
            ),
      );
    // The real values stay out of the verdict's numbers: `verify --json` must not hand out the answers.
    const measured = { answered: [a.uid, a.port, a.breaks].filter((x) => x !== null).length, right: right.length };
    if (wrong.length)
      return fail(
        L(
          [`${right.length} of 3 right.`, ...wrong.map((w) => w.en)].join(' '),
          [`答对 ${right.length} 题（共 3 题）。`, ...wrong.map((w) => w['zh-CN'])].join(''),
        ),
        measured,
      );
    return pass(
      L(
        `All three match the running container: ${right.map((r) => r.en).join(', ')}; found without a shell inside it.`,
        `三个答案都与正在运行的容器一致：${right.map((r) => r['zh-CN']).join('，')}；全程无需容器里的 shell。`,
      ),
      measured,
    );
  },
});
