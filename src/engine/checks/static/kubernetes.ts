import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { goDurationSeconds } from '../../util/go-duration.js';
import { memLimitBand, parseGoMemLimit, percentOf } from '../docker/memlimit.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import type { CheckOutcome, StaticContext } from '../types.js';
import { unknownFields } from './kubernetes-fields.js';
import { asArray, asString, isMap, loadYaml, locateYaml, type YamlLocator, type YamlMap } from './yaml-file.js';

export const kubernetesParams = s
  .object({
    deployment: s.string().min(1).default('k8s/deployment.yaml'),
    service: s.string().min(1).default('k8s/service.yaml'),
    /** The port the app listens on. */
    port: s.number().int().positive().default(8080),
    /** The image's non-root user, as a number (runAsUser). */
    uid: s.number().int().default(65532),
    livenessPath: s.string().startsWith('/').default('/health'),
    readinessPath: s.string().startsWith('/').default('/health/ready'),
    minReplicas: s.number().int().positive().default(2),
  })
  .strict();
type KubernetesParams = Infer<typeof kubernetesParams>;

/** One thing wrong, in one file, at its line when it has one. */
interface Finding {
  readonly file: string;
  readonly line?: number;
  readonly en: string;
  readonly zh: string;
}

/** A manifest read and parsed, or why it could not be (which ends the check: nothing else can be judged). */
type Manifest =
  { readonly ok: true; readonly file: string; readonly doc: YamlMap; readonly at: YamlLocator } | { readonly ok: false; readonly outcome: CheckOutcome };

const readManifest = async (ctx: StaticContext, file: string, kind: string, apiVersion: string): Promise<Manifest> => {
  const text = await ctx.files.read(file);
  const failWith = (en: string, zh: string): Manifest => ({ ok: false, outcome: outcome('fail', L(`${file}: ${en}`, `${file}：${zh}`)) });
  if (text === undefined) return failWith(`it does not exist. Create the ${kind} there.`, `文件不存在。请在那里创建 ${kind}。`);
  const parsed = await loadYaml(text);
  if (!parsed.ok)
    return failWith(`line ${parsed.line ?? '?'}: ${parsed.reason}. Fix the YAML.`, `第 ${parsed.line ?? '?'} 行：${parsed.reason}。请修正 YAML。`);
  const doc = parsed.value;
  if (!isMap(doc) || doc.kind !== kind || doc.apiVersion !== apiVersion) {
    const got = isMap(doc) ? `${asString(doc.apiVersion) || '(no apiVersion)'} ${asString(doc.kind) || '(no kind)'}` : 'not a mapping';
    return failWith(
      `expected one ${apiVersion} ${kind} (apiVersion: ${apiVersion}, kind: ${kind}), found ${got}.`,
      `应为一个 ${apiVersion} ${kind}（apiVersion: ${apiVersion}，kind: ${kind}），实际是 ${got}。`,
    );
  }
  return { ok: true, file, doc, at: await locateYaml(text) };
};

const KIB = 1024;
/** Bytes of a Kubernetes memory quantity (128Mi, 1Gi, 500M, 134217728); undefined when it is not one. */
export const quantityBytes = (value: unknown): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(asString(value).trim());
  if (!m) return undefined;
  const unit = m[2] ?? '';
  const factor = unit.endsWith('i') ? KIB ** ('KMGTPE'.indexOf(unit[0] ?? 'K') + 1) : unit ? 1000 ** ('kMGTPE'.indexOf(unit) + 1) : 1;
  return Math.floor(Number(m[1]) * factor);
};

/** A value of the container's env list, else of the image's final stage ENV, else undefined. */
const envOf = (ctx: StaticContext, container: YamlMap, name: string): string | undefined => {
  const own = asArray(container.env).find((e) => isMap(e) && e.name === name);
  if (isMap(own) && own.value !== undefined) return asString(own.value);
  const image = ctx.dockerfile?.ok
    ? ctx.dockerfile.env.filter((e) => e.kind === 'ENV' && e.name === name && e.stage === ctx.dockerfile?.finalStage).pop()
    : undefined;
  return image?.value ?? undefined;
};

const at = (m: Extract<Manifest, { ok: true }>, ...parts: (string | number)[]) => m.at.lineOf(parts);

const render = (findings: readonly Finding[]): CheckOutcome => {
  const files = [...new Set(findings.map((f) => f.file))];
  const text = (lang: 'en' | 'zh') =>
    files
      .map((file) => {
        const lines = findings
          .filter((f) => f.file === file)
          .map((f) => (f.line === undefined ? `- ${lang === 'en' ? f.en : f.zh}` : lang === 'en' ? `- line ${f.line}: ${f.en}` : `- 第 ${f.line} 行：${f.zh}`));
        return `${file}${lang === 'en' ? ':' : '：'}\n${lines.join('\n')}`;
      })
      .join('\n');
  return outcome('fail', L(text('en'), text('zh')));
};

const judgeManifests = (
  ctx: StaticContext,
  params: KubernetesParams,
  dep: Extract<Manifest, { ok: true }>,
  svc: Extract<Manifest, { ok: true }>,
): CheckOutcome => {
  const found: Finding[] = [];
  const add = (m: Extract<Manifest, { ok: true }>, line: number | undefined, en: string, zh: string) =>
    found.push({ file: m.file, ...(line !== undefined ? { line } : {}), en, zh });

  for (const [m, type] of [
    [dep, 'Deployment'],
    [svc, 'Service'],
  ] as const) {
    for (const u of unknownFields(m.doc, type)) {
      const where = u.path.join('.');
      const meant = u.suggestion ? ` (did you mean ${u.suggestion}?)` : '';
      const meantZh = u.suggestion ? `（是不是想写 ${u.suggestion}？）` : '';
      add(
        m,
        m.at.lineOf(u.path),
        `${where}: ${u.type} has no field ${u.field}${meant}; kubectl apply would refuse it or drop it.`,
        `${where}：${u.type} 没有 ${u.field} 这个字段${meantZh}；kubectl apply 会拒绝它或把它丢掉。`,
      );
    }
  }

  const spec = isMap(dep.doc.spec) ? dep.doc.spec : {};
  const template = isMap(spec.template) ? spec.template : {};
  const labels = isMap(template.metadata) && isMap(template.metadata.labels) ? template.metadata.labels : {};
  const pod = isMap(template.spec) ? template.spec : {};
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (replicas < params.minReplicas) {
    add(
      dep,
      at(dep, 'spec', 'replicas'),
      `replicas: ${replicas}: with one pod, every rollout, node drain or crash is downtime; run at least ${params.minReplicas}.`,
      `replicas: ${replicas}：只有一个 Pod 时，每次发布、节点排空或崩溃都是停机；至少运行 ${params.minReplicas} 个。`,
    );
  }
  const matchLabels = isMap(spec.selector) && isMap(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  const labelsMatch = (selector: YamlMap) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => asString(labels[k]) === asString(v));
  if (!labelsMatch(matchLabels)) {
    add(
      dep,
      at(dep, 'spec', 'selector'),
      `spec.selector.matchLabels must name labels of the pod template (spec.template.metadata.labels); the Deployment owns the pods it selects.`,
      `spec.selector.matchLabels 必须是 Pod 模板的标签（spec.template.metadata.labels）；Deployment 管理它选中的 Pod。`,
    );
  }

  const containers = asArray(pod.containers);
  const container = containers.find(isMap);
  if (!container) {
    add(dep, at(dep, 'spec', 'template', 'spec'), 'the pod template has no containers.', 'Pod 模板里没有容器。');
    return render(found);
  }
  const c = (...parts: (string | number)[]) => at(dep, 'spec', 'template', 'spec', 'containers', containers.indexOf(container), ...parts);

  const image = asString(container.image);
  const tag = /@sha256:/.test(image) ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? '');
  if (!image || tag === '' || tag === 'latest') {
    add(
      dep,
      c('image'),
      `image: ${image || '(none)'}: name a version tag (notes:1.0.0) or a digest; :latest moves, and a node may run another image than the one you tested.`,
      `image: ${image || '（无）'}：请写明版本标签（notes:1.0.0）或摘要；:latest 会变，节点可能运行的不是你测试过的那个镜像。`,
    );
  }

  const port = asArray(container.ports).find((p) => isMap(p) && p.containerPort === params.port);
  const portName = isMap(port) ? asString(port.name) : '';
  if (!port)
    add(
      dep,
      c('ports'),
      `no containerPort: ${params.port}: declare the port the app listens on (the Service and the probes point at it).`,
      `没有 containerPort: ${params.port}：请声明应用监听的端口（Service 和探针都指向它）。`,
    );
  const toApp = (value: unknown) => value === params.port || (portName !== '' && value === portName);

  // Probes: startup holds the others back while the app starts; liveness asks "restart me?", readiness "send me traffic?".
  const probes = [
    ['startupProbe', [params.livenessPath, params.readinessPath]],
    ['livenessProbe', [params.livenessPath]],
    ['readinessProbe', [params.readinessPath]],
  ] as const;
  for (const [name, paths] of probes) {
    const probe = container[name];
    const get = isMap(probe) && isMap(probe.httpGet) ? probe.httpGet : undefined;
    if (!get) {
      add(dep, c(name) ?? c('name'), `no ${name} with httpGet on ${paths[0]}.`, `没有使用 httpGet 访问 ${paths[0]} 的 ${name}。`);
      continue;
    }
    const asked = asString(get.path) || '/';
    if (name === 'livenessProbe' && asked === params.readinessPath) {
      add(
        dep,
        c(name, 'httpGet', 'path'),
        `livenessProbe on ${asked}: readiness turns 503 while the pod drains (lesson 23), and a failing liveness probe restarts it instead of letting it finish; ask ${params.livenessPath}.`,
        `livenessProbe 访问的是 ${asked}：Pod 排空时就绪检查返回 503（第 23 课），存活探针失败会重启它，而不是让它完成收尾；请访问 ${params.livenessPath}。`,
      );
    } else if (!(paths as readonly string[]).includes(asked)) {
      add(
        dep,
        c(name, 'httpGet', 'path'),
        `${name} asks ${asked}; the app answers it on ${paths[0]}.`,
        `${name} 访问的是 ${asked}；应用在 ${paths[0]} 上回答它。`,
      );
    }
    if (!toApp(get.port)) {
      add(
        dep,
        c(name, 'httpGet', 'port'),
        `${name} asks port ${asString(get.port) || '(none)'}; the app listens on ${params.port}${portName ? ` (${portName})` : ''}.`,
        `${name} 访问的端口是 ${asString(get.port) || '（无）'}；应用监听的是 ${params.port}${portName ? `（${portName}）` : ''}。`,
      );
    }
  }

  // Resources: requests place the pod, the memory limit kills it; GOMEMLIMIT keeps the GC below that.
  const resources = isMap(container.resources) ? container.resources : {};
  const requests = isMap(resources.requests) ? resources.requests : {};
  const limits = isMap(resources.limits) ? resources.limits : {};
  if (requests.memory === undefined || requests.cpu === undefined) {
    add(
      dep,
      c('resources') ?? c('name'),
      'set resources.requests.cpu and .memory: the scheduler places pods by their requests, and a pod without them is the first evicted.',
      '请设置 resources.requests.cpu 和 .memory：调度器按请求量安排 Pod，没有请求量的 Pod 最先被驱逐。',
    );
  }
  const limitBytes = quantityBytes(limits.memory);
  const goRaw = envOf(ctx, container, 'GOMEMLIMIT');
  const goLimit = goRaw === undefined ? undefined : parseGoMemLimit(goRaw);
  const rawLimit = asString(limits.memory).trim();
  if (limitBytes === undefined && /^\d+(\.\d+)?m$/.test(rawLimit)) {
    add(
      dep,
      c('resources', 'limits', 'memory'),
      `limits.memory: ${rawLimit} means ${rawLimit.slice(0, -1)} thousandths of a byte (m is milli in Kubernetes, as in cpu: 250m): write ${rawLimit.slice(0, -1)}Mi.`,
      `limits.memory: ${rawLimit} 表示千分之 ${rawLimit.slice(0, -1)} 字节（在 Kubernetes 里 m 是“毫”，和 cpu: 250m 一样）：请写成 ${rawLimit.slice(0, -1)}Mi。`,
    );
  } else if (limitBytes === undefined) {
    add(
      dep,
      c('resources') ?? c('name'),
      `set resources.limits.memory (e.g. 128Mi): without it one pod can take the node's memory.`,
      `请设置 resources.limits.memory（例如 128Mi）：没有它，一个 Pod 就能占满节点的内存。`,
    );
  } else {
    if (!goLimit || goLimit.kind !== 'bytes') {
      add(
        dep,
        c('env') ?? c('name'),
        `GOMEMLIMIT is ${goRaw === undefined ? 'not set' : `"${goRaw}"`}: set it (in the image or env:) to about 80–90% of the ${asString(limits.memory)} limit, so the Go GC works harder before the kernel kills the pod.`,
        `GOMEMLIMIT ${goRaw === undefined ? '没有设置' : `是 "${goRaw}"`}：请（在镜像或 env: 里）把它设为 ${asString(limits.memory)} 限制的 80–90% 左右，让 Go 的 GC 在内核杀死 Pod 之前更努力地回收。`,
      );
    } else if (memLimitBand(goLimit.bytes, limitBytes, { min: 0.5, max: 0.95 }) !== 'ok') {
      add(
        dep,
        c('resources', 'limits', 'memory'),
        `GOMEMLIMIT ${goRaw} is ${percentOf(goLimit.bytes, limitBytes)} of the ${asString(limits.memory)} limit: keep it between half and 95% (80–90% is the usual advice).`,
        `GOMEMLIMIT ${goRaw} 是 ${asString(limits.memory)} 限制的 ${percentOf(goLimit.bytes, limitBytes)}：请保持在一半到 95% 之间（通常建议 80–90%）。`,
      );
    }
  }

  // Security: the same lock-down as lesson 27, in Kubernetes' words.
  const podSec = isMap(pod.securityContext) ? pod.securityContext : {};
  const sec = isMap(container.securityContext) ? container.securityContext : {};
  const runAsNonRoot = sec.runAsNonRoot ?? podSec.runAsNonRoot;
  const runAsUser = sec.runAsUser ?? podSec.runAsUser;
  const secLine = c('securityContext') ?? c('name');
  if (runAsNonRoot !== true)
    add(
      dep,
      secLine,
      'set securityContext.runAsNonRoot: true: the kubelet then refuses to start the container as root.',
      '请设置 securityContext.runAsNonRoot: true：这样 kubelet 会拒绝以 root 启动容器。',
    );
  if (runAsUser !== params.uid)
    add(
      dep,
      secLine,
      `set securityContext.runAsUser: ${params.uid} (the image's user, as a number: runAsNonRoot can only verify a numeric user).`,
      `请设置 securityContext.runAsUser: ${params.uid}（镜像的用户，写成数字：runAsNonRoot 只能验证数字形式的用户）。`,
    );
  if (sec.readOnlyRootFilesystem !== true)
    add(dep, secLine, "set the container's securityContext.readOnlyRootFilesystem: true.", '请在容器的 securityContext 里设置 readOnlyRootFilesystem: true。');
  if (sec.allowPrivilegeEscalation !== false)
    add(
      dep,
      secLine,
      "set the container's securityContext.allowPrivilegeEscalation: false (no setuid way back to root).",
      '请在容器的 securityContext 里设置 allowPrivilegeEscalation: false（不能借 setuid 变回 root）。',
    );
  const drop = isMap(sec.capabilities) ? asArray(sec.capabilities.drop).map(asString) : [];
  if (!drop.includes('ALL'))
    add(
      dep,
      secLine,
      'drop every capability: securityContext.capabilities.drop: [ALL] (the app needs none to listen on 8080).',
      '请去掉所有 capability：securityContext.capabilities.drop: [ALL]（应用监听 8080 不需要任何 capability）。',
    );

  // The app writes its notes under DATA_DIR: with a read-only root it needs a volume there.
  const dataDir = envOf(ctx, container, 'DATA_DIR') ?? '/data';
  const mount = asArray(container.volumeMounts).find((v) => isMap(v) && v.mountPath === dataDir);
  const volume = isMap(mount) ? asArray(pod.volumes).find((v) => isMap(v) && v.name === mount.name) : undefined;
  if (!isMap(mount) || !isMap(volume)) {
    add(
      dep,
      c('volumeMounts') ?? c('name'),
      `nothing is mounted at ${dataDir} (DATA_DIR): with a read-only root the app cannot write its notes and /health/ready fails. Mount a volume there (emptyDir, or a persistentVolumeClaim) and declare it under volumes:.`,
      `${dataDir}（DATA_DIR）上没有挂载任何东西：根文件系统只读时，应用无法写入笔记，/health/ready 会失败。请在那里挂载一个卷（emptyDir 或 persistentVolumeClaim），并在 volumes: 下声明它。`,
    );
  } else if (volume.persistentVolumeClaim !== undefined && podSec.fsGroup !== params.uid) {
    add(
      dep,
      at(dep, 'spec', 'template', 'spec', 'securityContext') ?? c('name'),
      `a persistentVolumeClaim at ${dataDir} belongs to root: set the pod's securityContext.fsGroup: ${params.uid} so the app's user may write it (Kubernetes, unlike a Docker named volume, does not copy the image's ownership; lesson 9).`,
      `${dataDir} 上的 persistentVolumeClaim 属于 root：请设置 Pod 的 securityContext.fsGroup: ${params.uid}，让应用的用户可以写入（和 Docker 命名卷不同，Kubernetes 不会沿用镜像里的属主；第 9 课）。`,
    );
  }

  // Stopping: the kubelet sends SIGTERM, then SIGKILL after the grace period; the app needs drain + shutdown.
  const grace = typeof pod.terminationGracePeriodSeconds === 'number' ? pod.terminationGracePeriodSeconds : 30;
  const drain = goDurationSeconds(envOf(ctx, container, 'DRAIN_DELAY') ?? '0') ?? 0;
  const shutdown = goDurationSeconds(envOf(ctx, container, 'SHUTDOWN_TIMEOUT') ?? '8s') ?? 8;
  const needs = drain + shutdown;
  if (grace <= needs) {
    add(
      dep,
      at(dep, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') ?? c('name'),
      `terminationGracePeriodSeconds is ${grace}, but the app takes up to ${needs} s to leave (DRAIN_DELAY ${drain} s + SHUTDOWN_TIMEOUT ${shutdown} s): the kubelet would kill it mid-request. Give it more than ${needs} s.`,
      `terminationGracePeriodSeconds 是 ${grace}，但应用退出最多需要 ${needs} 秒（DRAIN_DELAY ${drain} 秒 + SHUTDOWN_TIMEOUT ${shutdown} 秒）：kubelet 会在请求处理到一半时杀死它。请给它多于 ${needs} 秒。`,
    );
  }

  // The Service: it selects the pods and forwards to the app's port.
  const svcSpec = isMap(svc.doc.spec) ? svc.doc.spec : {};
  const selector = isMap(svcSpec.selector) ? svcSpec.selector : {};
  if (!labelsMatch(selector)) {
    add(
      svc,
      at(svc, 'spec', 'selector') ?? at(svc, 'spec'),
      `spec.selector selects no pod of the Deployment: use labels of its pod template (${
        Object.entries(labels)
          .map(([k, v]) => `${k}: ${asString(v)}`)
          .join(', ') || 'it has none'
      }).`,
      `spec.selector 没有选中 Deployment 的任何 Pod：请使用它的 Pod 模板上的标签（${
        Object.entries(labels)
          .map(([k, v]) => `${k}: ${asString(v)}`)
          .join('，') || '模板上没有标签'
      }）。`,
    );
  }
  const svcPorts = asArray(svcSpec.ports).filter(isMap);
  if (!svcPorts.some((p) => toApp(p.targetPort ?? p.port))) {
    add(
      svc,
      at(svc, 'spec', 'ports') ?? at(svc, 'spec'),
      `no port forwards to the app: set targetPort: ${params.port}${portName ? ` (or ${portName})` : ''}.`,
      `没有端口转发到应用：请设置 targetPort: ${params.port}${portName ? `（或 ${portName}）` : ''}。`,
    );
  }

  if (found.length || goLimit?.kind !== 'bytes' || limitBytes === undefined) return render(found);
  const share = percentOf(goLimit.bytes, limitBytes);
  return outcome(
    'pass',
    L(
      `${dep.file} and ${svc.file}: ${replicas} replicas behind the Service on port ${params.port}; startup, liveness (${params.livenessPath}) and readiness (${params.readinessPath}) probes; GOMEMLIMIT ${goRaw} is ${share} of the ${asString(limits.memory)} limit; user ${params.uid}, read-only root, no privilege escalation, no capabilities; ${dataDir} on a volume; ${grace} s to stop, more than the app's ${needs} s.`,
      `${dep.file} 和 ${svc.file}：Service 后面有 ${replicas} 个副本，端口 ${params.port}；有启动、存活（${params.livenessPath}）和就绪（${params.readinessPath}）探针；GOMEMLIMIT ${goRaw} 是 ${asString(limits.memory)} 限制的 ${share}；用户 ${params.uid}，根文件系统只读，不能提权，没有 capability；${dataDir} 在卷上；停止时有 ${grace} 秒，多于应用需要的 ${needs} 秒。`,
    ),
  );
};

export const kubernetesManifests = defineCheck({
  id: 'k8s.manifests',
  kind: 'static',
  title: L('The Kubernetes manifests run the app the way production needs', 'Kubernetes 清单按生产环境的要求运行应用'),
  params: kubernetesParams,
  run: async (ctx, params: KubernetesParams) => {
    const dep = await readManifest(ctx, params.deployment, 'Deployment', 'apps/v1');
    if (!dep.ok) return dep.outcome;
    const svc = await readManifest(ctx, params.service, 'Service', 'v1');
    if (!svc.ok) return svc.outcome;
    return judgeManifests(ctx, params, dep, svc);
  },
});
