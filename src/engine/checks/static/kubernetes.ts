import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { goDurationSeconds } from '../../util/go-duration.js';
import { memLimitBand, parseGoMemLimit, percentOf } from '../docker/memlimit.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import type { CheckOutcome, StaticContext } from '../types.js';
import { imageEnv, renderFindings, type FileFinding } from './common.js';
import { unknownFields } from './kubernetes-fields.js';
import { asArray, asString, isMap, loadYamlDocuments, locateYaml, type YamlLocator, type YamlMap } from './yaml-file.js';

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

/** One object of a manifest file, with where it is. */
interface Manifest {
  readonly file: string;
  readonly doc: YamlMap;
  readonly at: YamlLocator;
}

const fileFail = (file: string, en: string, zh: string): CheckOutcome => outcome('fail', L(`${file}: ${en}`, `${file}：${zh}`));

/**
 * The Deployment and the Service, each looked for in both files (`kubectl apply -f k8s/` reads
 * every document of every file, so either may hold both); or why they could not be read.
 */
const readManifests = async (ctx: StaticContext, params: KubernetesParams): Promise<{ deployment: Manifest; service: Manifest } | CheckOutcome> => {
  const found: { file: string; text: string; index: number; value: unknown }[] = [];
  const texts = new Map<string, string | undefined>();
  for (const file of [params.deployment, params.service]) {
    const text = await ctx.files.read(file);
    texts.set(file, text);
    if (text === undefined) continue;
    // YAML 1.1, as kubectl reads it: `readOnlyRootFilesystem: yes` is true there, not the string "yes".
    const parsed = await loadYamlDocuments(text, { version: '1.1' });
    if (!parsed.ok)
      return fileFail(
        file,
        // The indentation advice only where the parser speaks of indentation or tabs (not for a key written twice).
        `line ${parsed.line ?? '?'}: ${parsed.reason}. Fix the YAML${/indent|tab/i.test(parsed.reason) ? ' (indent with spaces, never tabs)' : ''}.`,
        `第 ${parsed.line ?? '?'} 行：${parsed.reason}。请修正 YAML${/indent|tab/i.test(parsed.reason) ? '（用空格缩进，不要用制表符）' : ''}。`,
      );
    for (const { index, value } of parsed.values) found.push({ file, text, index, value });
  }
  const pick = async (file: string, kind: string, apiVersion: string): Promise<Manifest | CheckOutcome> => {
    const match = found.find((d) => isMap(d.value) && d.value.kind === kind);
    if (!match) {
      if (texts.get(file) === undefined) return fileFail(file, `it does not exist. Create the ${kind} there.`, `文件不存在。请在那里创建 ${kind}。`);
      const here = found
        .filter((d) => d.file === file && isMap(d.value))
        .map((d) => `${asString((d.value as YamlMap).apiVersion) || '(no apiVersion)'} ${asString((d.value as YamlMap).kind) || '(no kind)'}`);
      const got = here.length ? here.join(', ') : 'nothing (the file is empty)';
      const gotZh = here.length ? here.join('、') : '没有内容（文件是空的）';
      // The line of the first document's kind (a misspelt "kind: Servce" is found at once).
      const first = found.find((d) => d.file === file && isMap(d.value));
      const line = first ? (await locateYaml(first.text, first.index)).lineOf(['kind']) : undefined;
      return fileFail(
        file,
        `${line ? `line ${line}: ` : ''}expected ${/^[aeiou]/i.test(apiVersion) ? 'an' : 'a'} ${apiVersion} ${kind} (apiVersion: ${apiVersion}, kind: ${kind}), found ${got}.`,
        `${line ? `第 ${line} 行：` : ''}应为一个 ${apiVersion} ${kind}（apiVersion: ${apiVersion}，kind: ${kind}），实际是${/^[\x21-\x7e]/.test(gotZh) ? ' ' : ''}${gotZh}。`,
      );
    }
    const doc = match.value as YamlMap;
    if (doc.apiVersion !== apiVersion) {
      return fileFail(
        match.file,
        `the ${kind} has apiVersion ${asString(doc.apiVersion) || '(none)'}; today's is ${apiVersion}, and the API server refuses the old ones.`,
        `${kind} 的 apiVersion 是 ${asString(doc.apiVersion) || '（无）'}；现在的版本是 ${apiVersion}，API 服务器会拒绝旧版本。`,
      );
    }
    return { file: match.file, doc, at: await locateYaml(match.text, match.index) };
  };
  const deployment = await pick(params.deployment, 'Deployment', 'apps/v1');
  if ('status' in deployment) return deployment;
  const service = await pick(params.service, 'Service', 'v1');
  if ('status' in service) return service;
  return { deployment, service };
};

const KIB = 1024;
/** Bytes of a Kubernetes memory quantity (128Mi, 1Gi, 500M, 134217728); undefined when it is not one. */
export const quantityBytes = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(asString(value).trim());
  if (!m) return undefined;
  const unit = m[2] ?? '';
  const factor = unit.endsWith('i') ? KIB ** ('KMGTPE'.indexOf(unit[0] ?? 'K') + 1) : unit ? 1000 ** ('kMGTPE'.indexOf(unit) + 1) : 1;
  return Math.floor(Number(m[1]) * factor);
};

/** A CPU quantity (250m, 0.5, 1); undefined when the API server would refuse it. */
const cpuQuantity = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(asString(value).trim());
  return m ? Number(m[1]) / (m[2] ? 1000 : 1) : undefined;
};

/** Where a variable of the container's env comes from when these files cannot say its value. */
interface Elsewhere {
  readonly elsewhere: string;
}

/** Index of the container's env entry of that name, the last one as the kubelet takes it; -1 when none. */
const envIndex = (container: YamlMap, name: string): number =>
  asArray(container.env).reduce<number>((last, e, i) => (isMap(e) && e.name === name ? i : last), -1);

/** The container's env entry of that name (the one in effect), or undefined. */
const envEntry = (container: YamlMap, name: string): unknown => asArray(container.env)[envIndex(container, name)];

/**
 * A value of the container's env list (the last entry of that name, as the kubelet takes it), else
 * of the image's final stage ENV, else undefined. `valueFrom.resourceFieldRef` of the container's own
 * resources resolves as the kubelet resolves it (GOMEMLIMIT from limits.memory is the whole limit, in
 * units of the divisor); a ConfigMap, a Secret or a field of the pod is not in these files.
 */
const envOf = (ctx: StaticContext, container: YamlMap, name: string): string | undefined | Elsewhere => {
  const own = envEntry(container, name);
  if (isMap(own) && isMap(own.valueFrom)) {
    const from = own.valueFrom;
    const ref = isMap(from.resourceFieldRef) ? from.resourceFieldRef : undefined;
    const [kind, resource] = asString(ref?.resource).split('.');
    const resources = isMap(container.resources) ? container.resources : {};
    const set = kind === 'limits' || kind === 'requests' ? (isMap(resources[kind]) ? (resources[kind] as YamlMap) : {}) : {};
    if (ref && resource === 'memory' && set.memory !== undefined) {
      const bytes = quantityBytes(set.memory);
      const divisor = ref.divisor === undefined ? 1 : quantityBytes(ref.divisor);
      if (bytes !== undefined && divisor) return String(Math.ceil(bytes / divisor));
    }
    return { elsewhere: `valueFrom.${Object.keys(from)[0] ?? '(empty)'}${ref ? ` ${asString(ref.resource)}` : ''}` };
  }
  if (isMap(own) && own.value !== undefined) return asString(own.value);
  return imageEnv(ctx.dockerfile, name)?.value ?? undefined;
};
/** "resourceFieldRef limits.memory, divisor 1Mi" when the variable comes from the container's resources. */
const resourceRef = (container: YamlMap, name: string): string | undefined => {
  const own = envEntry(container, name);
  const ref = isMap(own) && isMap(own.valueFrom) && isMap(own.valueFrom.resourceFieldRef) ? own.valueFrom.resourceFieldRef : undefined;
  return ref ? `resourceFieldRef ${asString(ref.resource)}${ref.divisor === undefined ? '' : `, divisor ${asString(ref.divisor)}`}` : undefined;
};
const isElsewhere = (value: unknown): value is Elsewhere => typeof value === 'object' && value !== null && 'elsewhere' in value;

/** Seconds a container's preStop hook waits: `sleep.seconds`, or an exec `sleep N`; 0 without one. */
const preStopSeconds = (container: YamlMap): number => {
  const lifecycle = isMap(container.lifecycle) ? container.lifecycle : {};
  const hook = isMap(lifecycle.preStop) ? lifecycle.preStop : {};
  if (isMap(hook.sleep) && typeof hook.sleep.seconds === 'number' && hook.sleep.seconds > 0) return hook.sleep.seconds;
  const command = isMap(hook.exec) ? asArray(hook.exec.command).map(asString).join(' ') : '';
  const slept = /\bsleep\s+(\d+(?:\.\d+)?)\b/.exec(command);
  return slept ? Number(slept[1]) : 0;
};

/** The name rules of Kubernetes objects (k8s.io/apimachinery/pkg/util/validation). */
const NAME_RULES = {
  subdomain: {
    max: 253,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    en: 'lower-case letters, digits, - and ., beginning and ending with a letter or digit (a DNS subdomain)',
    zh: '小写字母、数字、- 和 .，并以字母或数字开头和结尾（DNS 子域名）',
  },
  label1123: {
    max: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    en: 'lower-case letters, digits and -, beginning and ending with a letter or digit (a DNS label)',
    zh: '小写字母、数字和 -，并以字母或数字开头和结尾（DNS 标签）',
  },
  label1035: {
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    en: 'lower-case letters, digits and -, beginning with a letter and ending with a letter or digit (a DNS label)',
    zh: '小写字母、数字和 -，以字母开头、以字母或数字结尾（DNS 标签）',
  },
} as const;

/** Why the API server would refuse this name, or undefined when it takes it. */
export const nameProblem = (name: unknown, rule: (typeof NAME_RULES)[keyof typeof NAME_RULES]): { en: string; zh: string } | undefined => {
  if (name === undefined || name === null || name === '')
    return {
      en: 'is missing: every object needs a name (kubectl apply refuses it without one).',
      zh: '缺失：每个对象都需要名字（没有名字 kubectl apply 会拒绝）。',
    };
  if (typeof name !== 'string') return { en: `is ${String(name)}, not a string: write it in quotes.`, zh: `是 ${String(name)}，不是字符串：请加上引号。` };
  if (name.length > rule.max)
    return { en: `"${name}" is longer than ${rule.max} characters: the API server refuses it.`, zh: `"${name}" 超过 ${rule.max} 个字符：API 服务器会拒绝。` };
  if (!rule.pattern.test(name))
    return {
      en: `"${name}" is not a valid name: use ${rule.en}. The API server refuses it.`,
      zh: `"${name}" 不是合法的名字：只能用${rule.zh}。API 服务器会拒绝它。`,
    };
  return undefined;
};

const svcSpecOf = (svc: Manifest): YamlMap => (isMap(svc.doc.spec) ? svc.doc.spec : {});

/** Why a port name would be refused (an IANA service name: 1-15 of a-z, 0-9 and -, a letter among them, no -- nor - at an end). */
const portNameProblem = (name: unknown): { en: string; zh: string } | undefined => {
  const text = typeof name === 'string' ? name : String(name);
  const ok = typeof name === 'string' && text.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--');
  return ok
    ? undefined
    : {
        en: `"${text}" is not a valid port name: at most 15 lower-case letters, digits and -, with a letter among them. The API server refuses it.`,
        zh: `"${text}" 不是合法的端口名：最多 15 个小写字母、数字和 -，其中至少有一个字母。API 服务器会拒绝它。`,
      };
};

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Why a label (key: value) would be refused: a value of at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit; a key likewise, with an optional DNS prefix/. */
const labelProblem = (key: string, value: unknown): { en: string; zh: string } | undefined => {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (name === '' || name.length > 63 || !LABEL_VALUE.test(name) || (prefix !== undefined && nameProblem(prefix, NAME_RULES.subdomain)))
    return {
      en: `the label key "${key}" is not valid: at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (and an optional prefix like example.com/). The API server refuses it.`,
      zh: `标签键 "${key}" 不合法：最多 63 个字母、数字、-、_ 和 .，以字母或数字开头和结尾（可以带 example.com/ 这样的前缀）。API 服务器会拒绝它。`,
    };
  if (typeof value !== 'string')
    return {
      en: `the value of label ${key} is ${String(value)}, not a string: write it in quotes ("${String(value)}").`,
      zh: `标签 ${key} 的值是 ${String(value)}，不是字符串：请加上引号（"${String(value)}"）。`,
    };
  if (value.length > 63 || !LABEL_VALUE.test(value))
    return {
      en: `the value of label ${key}, "${value}", is not valid: at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit. The API server refuses it.`,
      zh: `标签 ${key} 的值 "${value}" 不合法：最多 63 个字母、数字、-、_ 和 .，以字母或数字开头和结尾。API 服务器会拒绝它。`,
    };
  return undefined;
};

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const quoted = (value: unknown): boolean => typeof value === 'string' && /^\d+$/.test(value.trim());
const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

const judgeManifests = (ctx: StaticContext, params: KubernetesParams, dep: Manifest, svc: Manifest): CheckOutcome => {
  const found: FileFinding[] = [];
  const add = (m: Manifest, line: number | undefined, en: string, zh: string) => found.push({ file: m.file, ...(line !== undefined ? { line } : {}), en, zh });
  const at = (m: Manifest, ...parts: (string | number)[]) => m.at.lineOf(parts);

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
  // Names the API server checks before anything else (apimachinery's validation): a Deployment's is
  // a DNS subdomain, a Service's a DNS label that starts with a letter (it becomes a DNS name).
  for (const [m, kind, rule] of [
    [dep, 'Deployment', NAME_RULES.subdomain],
    [svc, 'Service', NAME_RULES.label1035],
  ] as const) {
    const name = isMap(m.doc.metadata) ? m.doc.metadata.name : undefined;
    const problem = nameProblem(name, rule);
    if (problem) add(m, at(m, 'metadata', 'name') ?? at(m, 'metadata'), `metadata.name of the ${kind} ${problem.en}`, `${kind} 的 metadata.name ${problem.zh}`);
  }
  const namespaceOf = (m: Manifest) => (isMap(m.doc.metadata) ? asString(m.doc.metadata.namespace) || 'default' : 'default');
  if (namespaceOf(dep) !== namespaceOf(svc)) {
    add(
      svc,
      at(svc, 'metadata', 'namespace') ?? at(svc, 'metadata'),
      `the Service is in namespace ${namespaceOf(svc)} and the Deployment in ${namespaceOf(dep)}: a Service only selects pods of its own namespace.`,
      `Service 在命名空间 ${namespaceOf(svc)}，Deployment 在 ${namespaceOf(dep)}：Service 只会选中同一命名空间里的 Pod。`,
    );
  }

  const spec = isMap(dep.doc.spec) ? dep.doc.spec : {};
  const template = isMap(spec.template) ? spec.template : {};
  const labels = isMap(template.metadata) && isMap(template.metadata.labels) ? template.metadata.labels : {};
  const pod = isMap(template.spec) ? template.spec : {};
  const podLine = (...parts: (string | number)[]) => at(dep, 'spec', 'template', 'spec', ...parts);
  const replicas = spec.replicas === undefined ? 1 : spec.replicas;
  if (!isWhole(replicas)) {
    add(
      dep,
      at(dep, 'spec', 'replicas'),
      `replicas: ${JSON.stringify(replicas)} must be a whole number${quoted(replicas) ? ' without quotes' : ''}.`,
      `replicas: ${JSON.stringify(replicas)} 必须是整数${quoted(replicas) ? '，不要加引号' : ''}。`,
    );
  } else if (replicas < params.minReplicas) {
    const said = spec.replicas === undefined ? 'no replicas (so 1)' : `replicas: ${replicas}`;
    const saidZh = spec.replicas === undefined ? '没有写 replicas（所以是 1）' : `replicas: ${replicas}`;
    add(
      dep,
      at(dep, 'spec', 'replicas') ?? at(dep, 'spec'),
      `${said}: with one pod, every rollout, node drain or crash is downtime; run at least ${params.minReplicas}.`,
      `${saidZh}：只有一个 Pod 时，每次发布、节点排空或崩溃都是停机；至少运行 ${params.minReplicas} 个。`,
    );
  }
  const matchLabels = isMap(spec.selector) && isMap(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  const labelsMatch = (selector: YamlMap) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => asString(labels[k]) === asString(v));
  if (!labelsMatch(matchLabels)) {
    add(
      dep,
      at(dep, 'spec', 'selector') ?? at(dep, 'spec'),
      `spec.selector.matchLabels must name labels of the pod template (spec.template.metadata.labels); the Deployment owns the pods it selects.`,
      `spec.selector.matchLabels 必须是 Pod 模板的标签（spec.template.metadata.labels）；Deployment 管理它选中的 Pod。`,
    );
  }

  const containers = asArray(pod.containers).filter(isMap);
  asArray(pod.containers).forEach((x, i) => {
    const problem = nameProblem(isMap(x) ? x.name : undefined, NAME_RULES.label1123);
    if (problem)
      add(
        dep,
        podLine('containers', i, 'name') ?? podLine('containers', i),
        `the name of container ${i + 1} ${problem.en}`,
        `第 ${i + 1} 个容器的名字${problem.zh}`,
      );
    // A container port's name is what probes and the Service's targetPort use: an IANA service name.
    asArray(isMap(x) ? x.ports : undefined).forEach((p, j) => {
      const portName = isMap(p) ? p.name : undefined;
      const bad = portName === undefined ? undefined : portNameProblem(portName);
      if (bad) add(dep, podLine('containers', i, 'ports', j, 'name'), `ports[${j}].name ${bad.en}`, `ports[${j}].name ${bad.zh}`);
    });
  });
  asArray(pod.volumes).forEach((v, i) => {
    const problem = nameProblem(isMap(v) ? v.name : undefined, NAME_RULES.label1123);
    if (problem)
      add(dep, podLine('volumes', i, 'name') ?? podLine('volumes', i), `the name of volume ${i + 1} ${problem.en}`, `第 ${i + 1} 个卷的名字${problem.zh}`);
  });
  // A Service port's name is a DNS label (a container port's is the shorter IANA service name).
  asArray(svcSpecOf(svc).ports).forEach((p, j) => {
    const portName = isMap(p) ? p.name : undefined;
    const bad = portName === undefined ? undefined : nameProblem(portName, NAME_RULES.label1123);
    if (bad) add(svc, at(svc, 'spec', 'ports', j, 'name'), `spec.ports[${j}].name ${bad.en}`, `spec.ports[${j}].name ${bad.zh}`);
  });
  for (const [m, path] of [
    [dep, ['metadata', 'labels']],
    [dep, ['spec', 'selector', 'matchLabels']],
    [dep, ['spec', 'template', 'metadata', 'labels']],
    [svc, ['metadata', 'labels']],
    [svc, ['spec', 'selector']],
  ] as const) {
    let map: unknown = m.doc;
    for (const key of path) map = isMap(map) ? map[key] : undefined;
    if (!isMap(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const bad = labelProblem(key, value);
      if (bad) add(m, m.at.lineOf([...path, key]), `${path.join('.')}: ${bad.en}`, `${path.join('.')}：${bad.zh}`);
    }
  }
  if (!containers.length) {
    add(dep, podLine() ?? at(dep, 'spec'), 'the pod template has no containers.', 'Pod 模板里没有容器。');
    return renderFindings(found);
  }
  // The app: the container that declares its port (a sidecar may come first), else the first one.
  const container = containers.find((c) => asArray(c.ports).some((p) => isMap(p) && p.containerPort === params.port)) ?? containers[0]!;
  const index = (c: YamlMap) => asArray(pod.containers).indexOf(c);
  const cLine = (c: YamlMap, ...parts: (string | number)[]) => podLine('containers', index(c), ...parts) ?? podLine('containers', index(c), 'name');
  const c = (...parts: (string | number)[]) => cLine(container, ...parts);
  // With several containers, each message names the one it is about.
  const who = (x: YamlMap) => (containers.length > 1 ? L(`container ${asString(x.name) || index(x)}: `, `容器 ${asString(x.name) || index(x)}：`) : L('', ''));
  const app = who(container);
  const saidElsewhere = new Set<string>();
  const unreadable = (name: string, value: Elsewhere): void => {
    if (saidElsewhere.has(name)) return;
    saidElsewhere.add(name);
    add(
      dep,
      c('env'),
      `${app.en}${name} comes from ${value.elsewhere}, which these manifests do not hold, so nothing here shows its value: write it as value: in env.`,
      `${app['zh-CN']}${name} 来自 ${value.elsewhere}，而这些清单里没有它，所以看不出它的值：请在 env 里用 value: 写出来。`,
    );
  };

  const image = asString(container.image);
  const tag = /@sha256:/.test(image) ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? '');
  if (!image || tag === '' || tag === 'latest') {
    add(
      dep,
      c('image'),
      `${app.en}image: ${image || '(none)'}: name a version tag (notes:1.0.0) or a digest; :latest moves, and a node may run another image than the one you tested.`,
      `${app['zh-CN']}image: ${image || '（无）'}：请写明版本标签（notes:1.0.0）或摘要；:latest 会变，节点可能运行的不是你测试过的那个镜像。`,
    );
  }

  const ports = asArray(container.ports).filter(isMap);
  const asText = ports.find((p) => quoted(p.containerPort) && Number(p.containerPort) === params.port);
  const port = ports.find((p) => p.containerPort === params.port);
  // A port written in quotes is still the one its name stands for: the probes are not blamed for it.
  const portName = asString((port ?? asText)?.name);
  if (!port) {
    add(
      dep,
      c('ports'),
      asText
        ? `${app.en}containerPort: "${params.port}" is a string: write the number without quotes.`
        : `${app.en}no containerPort: ${params.port}: declare the port the app listens on (the Service and the probes point at it).`,
      asText
        ? `${app['zh-CN']}containerPort: "${params.port}" 是字符串：请写成不带引号的数字。`
        : `${app['zh-CN']}没有 containerPort: ${params.port}：请声明应用监听的端口（Service 和探针都指向它）。`,
    );
  }
  const toApp = (value: unknown) => value === params.port || (portName !== '' && value === portName);
  const portWords = (value: unknown): { en: string; zh: string } =>
    quoted(value)
      ? {
          en: `port "${asString(value)}" is a string, which Kubernetes reads as a port name: write the number without quotes`,
          zh: `端口 "${asString(value)}" 是字符串，Kubernetes 会把它当作端口名：请写成不带引号的数字`,
        }
      : {
          en: `asks port ${asString(value) || '(none)'}; the app listens on ${params.port}${portName ? ` (${portName})` : ''}`,
          zh: `访问的端口是 ${asString(value) || '（无）'}；应用监听的是 ${params.port}${portName ? `（${portName}）` : ''}`,
        };

  // Probes: startup holds the others back while the app starts; liveness asks "restart me?", readiness "send me traffic?".
  const probes = [
    ['startupProbe', [params.livenessPath, params.readinessPath]],
    ['livenessProbe', [params.livenessPath]],
    ['readinessProbe', [params.readinessPath]],
  ] as const;
  for (const [name, paths] of probes) {
    const probe = container[name];
    // The image's own health check (`/server healthcheck` asks /health) is a liveness or startup probe too.
    const execHealth = isMap(probe) && isMap(probe.exec) && /\bhealthcheck\b/.test(asArray(probe.exec.command).map(asString).join(' '));
    if (execHealth && name !== 'readinessProbe') continue;
    const get = isMap(probe) && isMap(probe.httpGet) ? probe.httpGet : undefined;
    if (!get) {
      const has = isMap(probe) ? ' (this one does not use httpGet)' : '';
      const hasZh = isMap(probe) ? '（现有的这个没有使用 httpGet）' : '';
      add(dep, c(name), `${app.en}no ${name} with httpGet on ${paths[0]}${has}.`, `${app['zh-CN']}没有使用 httpGet 访问 ${paths[0]} 的 ${name}${hasZh}。`);
      continue;
    }
    const asked = asString(get.path) || '/';
    if (name === 'livenessProbe' && asked === params.readinessPath) {
      add(
        dep,
        c(name, 'httpGet', 'path'),
        `${app.en}livenessProbe on ${asked}: readiness turns 503 while the pod drains (lesson 24), and a failing liveness probe restarts it instead of letting it finish; ask ${params.livenessPath}.`,
        `${app['zh-CN']}livenessProbe 访问的是 ${asked}：Pod 排空时就绪检查返回 503（第 24 课），存活探针失败会重启它，而不是让它完成收尾；请访问 ${params.livenessPath}。`,
      );
    } else if (!(paths as readonly string[]).includes(asked)) {
      add(
        dep,
        c(name, 'httpGet', 'path'),
        `${app.en}${name} asks ${asked}; the app answers it on ${paths[0]}.`,
        `${app['zh-CN']}${name} 访问的是 ${asked}；应用在 ${paths[0]} 上回答它。`,
      );
    }
    if (!toApp(get.port)) {
      const words = portWords(get.port);
      add(dep, c(name, 'httpGet', 'port'), `${app.en}${name} ${words.en}.`, `${app['zh-CN']}${name} ${words.zh}。`);
    }
    if (get.scheme !== undefined && asString(get.scheme).toUpperCase() !== 'HTTP') {
      add(
        dep,
        c(name, 'httpGet', 'scheme'),
        `${app.en}${name} uses scheme ${asString(get.scheme)}; the app speaks plain HTTP: leave scheme out (HTTP).`,
        `${app['zh-CN']}${name} 使用的 scheme 是 ${asString(get.scheme)}；应用使用普通 HTTP：请去掉 scheme（默认 HTTP）。`,
      );
    }
  }

  // Resources: requests place the pod, the memory limit kills it; GOMEMLIMIT keeps the GC below that.
  // A resource with a limit and no request gets the limit as its request.
  const resources = isMap(container.resources) ? container.resources : {};
  const requests = isMap(resources.requests) ? resources.requests : {};
  const limits = isMap(resources.limits) ? resources.limits : {};
  const resLine = c('resources');
  if (pod.resources !== undefined && container.resources === undefined) {
    add(
      dep,
      podLine('resources'),
      `resources is under the pod spec; put it under the container (spec.template.spec.containers[].resources).`,
      `resources 写在了 Pod 的 spec 下；请把它放到容器下（spec.template.spec.containers[].resources）。`,
    );
  }
  for (const [kind, value] of [
    ['requests', requests.memory],
    ['limits', limits.memory],
  ] as const) {
    if (value === undefined || quantityBytes(value) !== undefined) continue;
    const raw = asString(value).trim();
    const line = c('resources', kind, 'memory');
    if (/^\d+(\.\d+)?m$/.test(raw)) {
      add(
        dep,
        line,
        `${app.en}${kind}.memory: ${raw} means ${raw.slice(0, -1)} thousandths of a byte (m is milli in Kubernetes, as in cpu: 250m): write ${raw.slice(0, -1)}Mi.`,
        `${app['zh-CN']}${kind}.memory: ${raw} 表示千分之 ${raw.slice(0, -1)} 字节（在 Kubernetes 里 m 是“毫”，和 cpu: 250m 一样）：请写成 ${raw.slice(0, -1)}Mi。`,
      );
    } else {
      add(
        dep,
        line,
        `${app.en}${kind}.memory: ${raw} is not a quantity Kubernetes reads: write it like 128Mi or 1Gi.`,
        `${app['zh-CN']}${kind}.memory: ${raw} 不是 Kubernetes 能识别的数量：请写成 128Mi 或 1Gi 这样的形式。`,
      );
    }
  }
  for (const [kind, value] of [
    ['requests', requests.cpu],
    ['limits', limits.cpu],
  ] as const) {
    if (value !== undefined && cpuQuantity(value) === undefined) {
      add(
        dep,
        c('resources', kind, 'cpu'),
        `${app.en}${kind}.cpu: ${asString(value)} is not a CPU quantity: write it like 250m or 0.5.`,
        `${app['zh-CN']}${kind}.cpu: ${asString(value)} 不是 CPU 数量：请写成 250m 或 0.5 这样的形式。`,
      );
    }
  }
  if ((requests.memory === undefined && limits.memory === undefined) || (requests.cpu === undefined && limits.cpu === undefined)) {
    add(
      dep,
      resLine,
      `${app.en}set resources.requests.cpu and .memory: the scheduler places pods by their requests, and a pod without them is the first evicted.`,
      `${app['zh-CN']}请设置 resources.requests.cpu 和 .memory：调度器按请求量安排 Pod，没有请求量的 Pod 最先被驱逐。`,
    );
  }
  const limitBytes = quantityBytes(limits.memory);
  const requestBytes = quantityBytes(requests.memory);
  const goEnv = envOf(ctx, container, 'GOMEMLIMIT');
  if (isElsewhere(goEnv)) unreadable('GOMEMLIMIT', goEnv);
  // A value from resourceFieldRef is shown with where it comes from: "128" alone would puzzle.
  const goRef = resourceRef(container, 'GOMEMLIMIT');
  const goRaw = isElsewhere(goEnv) ? undefined : goEnv === undefined || !goRef ? goEnv : `${goEnv} (${goRef})`;
  const goRawZh = goRaw && goRef ? `${goEnv as string}（${goRef}）` : goRaw;
  // Where GOMEMLIMIT is set: the container's env entry, else (the image's ENV) the limit it is measured against.
  const goIndex = envIndex(container, 'GOMEMLIMIT');
  const goLimit = goEnv === undefined || isElsewhere(goEnv) ? undefined : parseGoMemLimit(goEnv);
  if (limits.memory === undefined) {
    add(
      dep,
      resLine,
      `${app.en}set resources.limits.memory (e.g. 128Mi): without it one pod can take the node's memory.`,
      `${app['zh-CN']}请设置 resources.limits.memory（例如 128Mi）：没有它，一个 Pod 就能占满节点的内存。`,
    );
  } else if (limitBytes !== undefined) {
    if (requestBytes !== undefined && requestBytes > limitBytes) {
      add(
        dep,
        c('resources', 'requests', 'memory'),
        `${app.en}requests.memory ${asString(requests.memory)} is more than limits.memory ${asString(limits.memory)}: the API server refuses it; a request is at most the limit.`,
        `${app['zh-CN']}requests.memory ${asString(requests.memory)} 大于 limits.memory ${asString(limits.memory)}：API 服务器会拒绝；请求量最多等于限制。`,
      );
    }
    if (isElsewhere(goEnv)) {
      // Said once, by unreadable().
    } else if (!goLimit || goLimit.kind !== 'bytes') {
      add(
        dep,
        c('env'),
        `${app.en}GOMEMLIMIT is ${goRaw === undefined ? 'not set' : `"${goRaw}"`}: set it (in the image or env:) to about 80–90% of the ${asString(limits.memory)} limit, so the Go GC works harder before the kernel kills the pod.`,
        `${app['zh-CN']}GOMEMLIMIT ${goRaw === undefined ? '没有设置' : `是 "${goRaw}"`}：请（在镜像或 env: 里）把它设为 ${asString(limits.memory)} 限制的 80–90% 左右，让 Go 的 GC 在内核杀死 Pod 之前更努力地回收。`,
      );
    } else if (memLimitBand(goLimit.bytes, limitBytes, { min: 0.5, max: 0.95 }) !== 'ok') {
      // A resourceFieldRef gives the whole limit (a bare number, in bytes to Go): no percentage can come from it.
      const fromRef = goRef
        ? L(
            ' A resourceFieldRef gives the whole limit, in units of its divisor (a bare number is bytes to Go): write value: 100MiB instead, or leave GOMEMLIMIT to the image.',
            'resourceFieldRef 给出的是整个限制值，单位是它的 divisor（对 Go 来说，不带单位的数字就是字节）：请改写成 value: 100MiB，或者让镜像来设置 GOMEMLIMIT。',
          )
        : L('', '');
      add(
        dep,
        goIndex >= 0 ? c('env', goIndex) : c('resources', 'limits', 'memory'),
        `${app.en}GOMEMLIMIT ${goRaw} is ${percentOf(goLimit.bytes, limitBytes)} of the ${asString(limits.memory)} limit: keep it between half and 95% (80–90% is the usual advice).${fromRef.en}`,
        `${app['zh-CN']}GOMEMLIMIT ${goRawZh}${goRawZh?.endsWith('）') ? '' : ' '}是 ${asString(limits.memory)} 限制的 ${percentOf(goLimit.bytes, limitBytes)}：请保持在一半到 95% 之间（通常建议 80–90%）。${fromRef['zh-CN']}`,
      );
    }
  }

  // Security: the same lock-down as lesson 28, in Kubernetes' words, for every container of the pod.
  const podSec = isMap(pod.securityContext) ? pod.securityContext : {};
  for (const x of containers) {
    const sec = isMap(x.securityContext) ? x.securityContext : {};
    const w = who(x);
    const secLine = cLine(x, 'securityContext');
    const runAsNonRoot = sec.runAsNonRoot ?? podSec.runAsNonRoot;
    const runAsUser = sec.runAsUser ?? podSec.runAsUser;
    // Where the setting in effect is written: the container's, else the pod's.
    const userLine = sec.runAsUser !== undefined ? cLine(x, 'securityContext', 'runAsUser') : (podLine('securityContext', 'runAsUser') ?? secLine);
    const nonRootLine = sec.runAsNonRoot !== undefined ? cLine(x, 'securityContext', 'runAsNonRoot') : (podLine('securityContext', 'runAsNonRoot') ?? secLine);
    if (runAsNonRoot !== true)
      add(
        dep,
        nonRootLine,
        `${w.en}set securityContext.runAsNonRoot: true: the kubelet then refuses to start the container as root.`,
        `${w['zh-CN']}请设置 securityContext.runAsNonRoot: true：这样 kubelet 会拒绝以 root 启动容器。`,
      );
    if (runAsUser !== params.uid) {
      const asText = quoted(runAsUser) ? ` ("${asString(runAsUser)}" is a string: write the number without quotes)` : '';
      const asTextZh = quoted(runAsUser) ? `（"${asString(runAsUser)}" 是字符串：请写成不带引号的数字）` : '';
      add(
        dep,
        userLine,
        `${w.en}set securityContext.runAsUser: ${params.uid}${asText} (the image's user, as a number: runAsNonRoot can only verify a numeric user).`,
        `${w['zh-CN']}请设置 securityContext.runAsUser: ${params.uid}${asTextZh}（镜像的用户，写成数字：runAsNonRoot 只能验证数字形式的用户）。`,
      );
    }
    if (sec.privileged === true)
      add(
        dep,
        cLine(x, 'securityContext', 'privileged'),
        `${w.en}privileged: true gives the container every power of the node: remove it.`,
        `${w['zh-CN']}privileged: true 让容器拥有节点的全部权限：请删掉它。`,
      );
    if (sec.readOnlyRootFilesystem !== true)
      add(
        dep,
        secLine,
        `${w.en}set the container's securityContext.readOnlyRootFilesystem: true.`,
        `${w['zh-CN']}请在容器的 securityContext 里设置 readOnlyRootFilesystem: true。`,
      );
    if (sec.allowPrivilegeEscalation !== false)
      add(
        dep,
        secLine,
        `${w.en}set the container's securityContext.allowPrivilegeEscalation: false (no setuid way back to root).`,
        `${w['zh-CN']}请在容器的 securityContext 里设置 allowPrivilegeEscalation: false（不能借 setuid 变回 root）。`,
      );
    const caps = isMap(sec.capabilities) ? sec.capabilities : {};
    const drop = asArray(caps.drop).map(asString);
    const added = asArray(caps.add).map(asString);
    if (!drop.includes('ALL')) {
      const lower = drop.some((d) => d.toUpperCase() === 'ALL') ? ' (in capitals: ALL)' : '';
      const lowerZh = drop.some((d) => d.toUpperCase() === 'ALL') ? '（要大写：ALL）' : '';
      add(
        dep,
        secLine,
        `${w.en}drop every capability: securityContext.capabilities.drop: [ALL]${lower} (the app needs none to listen on ${params.port}).`,
        `${w['zh-CN']}请去掉所有 capability：securityContext.capabilities.drop: [ALL]${lowerZh}（应用监听 ${params.port} 不需要任何 capability）。`,
      );
    }
    if (added.length)
      add(
        dep,
        cLine(x, 'securityContext', 'capabilities', 'add'),
        `${w.en}capabilities.add: [${added.join(', ')}] gives back what drop: [ALL] took: the app needs none; remove add.`,
        `${w['zh-CN']}capabilities.add: [${added.join(', ')}] 又加回了 drop: [ALL] 去掉的权限：应用一个都不需要；请删掉 add。`,
      );
  }

  // The app writes its notes under DATA_DIR: with a read-only root it needs a writable volume there.
  const dataEnv = envOf(ctx, container, 'DATA_DIR');
  if (isElsewhere(dataEnv)) unreadable('DATA_DIR', dataEnv);
  const dataDir = trimSlash((isElsewhere(dataEnv) ? undefined : dataEnv) ?? '/data');
  const mountIndex = asArray(container.volumeMounts).findIndex((v) => isMap(v) && trimSlash(asString(v.mountPath)) === dataDir);
  const mount = asArray(container.volumeMounts)[mountIndex];
  const volume = isMap(mount) ? asArray(pod.volumes).find((v) => isMap(v) && v.name === mount.name) : undefined;
  if (!isMap(mount)) {
    add(
      dep,
      c('volumeMounts'),
      `${app.en}nothing is mounted at ${dataDir} (DATA_DIR): with a read-only root the app cannot write its notes and /health/ready fails. Mount a volume there (emptyDir, or a persistentVolumeClaim) and declare it under volumes:.`,
      `${app['zh-CN']}${dataDir}（DATA_DIR）上没有挂载任何东西：根文件系统只读时，应用无法写入笔记，/health/ready 会失败。请在那里挂载一个卷（emptyDir 或 persistentVolumeClaim），并在 volumes: 下声明它。`,
    );
  } else if (!isMap(volume)) {
    add(
      dep,
      c('volumeMounts', mountIndex, 'name'),
      `${app.en}the mount at ${dataDir} names volume ${asString(mount.name)}, which the pod's volumes: does not declare: the API server refuses it.`,
      `${app['zh-CN']}${dataDir} 上的挂载引用了卷 ${asString(mount.name)}，但 Pod 的 volumes: 里没有声明它：API 服务器会拒绝。`,
    );
  } else if (mount.readOnly === true) {
    add(
      dep,
      c('volumeMounts', mountIndex, 'readOnly'),
      `${app.en}the volume at ${dataDir} is mounted readOnly: the app writes its notes there, and /health/ready fails when it cannot.`,
      `${app['zh-CN']}${dataDir} 上的卷以 readOnly 方式挂载：应用要在那里写入笔记，写不了时 /health/ready 会失败。`,
    );
  } else if (volume.persistentVolumeClaim !== undefined && podSec.fsGroup !== params.uid) {
    add(
      dep,
      podLine('securityContext') ?? c(),
      `a persistentVolumeClaim at ${dataDir} belongs to root: set the pod's securityContext.fsGroup: ${params.uid} so the app's user may write it (Kubernetes, unlike a Docker named volume, does not copy the image's ownership; lesson 9).`,
      `${dataDir} 上的 persistentVolumeClaim 属于 root：请设置 Pod 的 securityContext.fsGroup: ${params.uid}，让应用的用户可以写入（和 Docker 命名卷不同，Kubernetes 不会沿用镜像里的属主；第 9 课）。`,
    );
  }

  // Stopping: the kubelet sends SIGTERM, then SIGKILL after the grace period; the app needs drain + shutdown.
  const graceValue = pod.terminationGracePeriodSeconds;
  const seconds = (name: string, fallback: string): number => {
    const value = envOf(ctx, container, name);
    if (isElsewhere(value)) unreadable(name, value);
    return goDurationSeconds((isElsewhere(value) ? undefined : value) ?? fallback) ?? goDurationSeconds(fallback) ?? 0;
  };
  const drain = seconds('DRAIN_DELAY', '0s');
  const shutdown = seconds('SHUTDOWN_TIMEOUT', '8s');
  // The grace period counts from the moment the pod is deleted: a preStop hook spends it first.
  const preStop = preStopSeconds(container);
  const needs = preStop + drain + shutdown;
  const parts = L(
    `${preStop ? `preStop ${preStop} s + ` : ''}DRAIN_DELAY ${drain} s + SHUTDOWN_TIMEOUT ${shutdown} s`,
    `${preStop ? `preStop ${preStop} 秒 + ` : ''}DRAIN_DELAY ${drain} 秒 + SHUTDOWN_TIMEOUT ${shutdown} 秒`,
  );
  const grace = graceValue === undefined ? 30 : graceValue;
  if (!isWhole(grace)) {
    add(
      dep,
      podLine('terminationGracePeriodSeconds'),
      `terminationGracePeriodSeconds: ${JSON.stringify(grace)} must be a whole number of seconds${quoted(grace) ? ' without quotes' : ''}.`,
      `terminationGracePeriodSeconds: ${JSON.stringify(grace)} 必须是整数秒${quoted(grace) ? '，不要加引号' : ''}。`,
    );
  } else if (grace <= needs) {
    add(
      dep,
      podLine('terminationGracePeriodSeconds') ?? c(),
      `terminationGracePeriodSeconds is ${grace}, but the app takes up to ${needs} s to leave (${parts.en}): the kubelet would kill it mid-request. Give it more than ${needs} s.`,
      `terminationGracePeriodSeconds 是 ${grace}，但应用退出最多需要 ${needs} 秒（${parts['zh-CN']}）：kubelet 会在请求处理到一半时杀死它。请给它多于 ${needs} 秒。`,
    );
  }

  // The Service: it selects the pods and forwards TCP to the app's port.
  const svcSpec = svcSpecOf(svc);
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
  const forward = svcPorts.find((p) => toApp(p.targetPort ?? p.port));
  if (!forward) {
    const asText = svcPorts.find((p) => quoted(p.targetPort));
    // A name (targetPort: web) that no port of the container has: say which names it has.
    const named = asText ? undefined : svcPorts.find((p) => typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort.trim()));
    if (named) {
      const name = asString(named.targetPort);
      const has = portName
        ? L(`its port ${params.port} is named ${portName}`, `它的 ${params.port} 端口名为 ${portName}`)
        : L(`its port ${params.port} has no name`, `它的 ${params.port} 端口没有名字`);
      add(
        svc,
        at(svc, 'spec', 'ports', svcPorts.indexOf(named), 'targetPort') ?? at(svc, 'spec', 'ports'),
        `targetPort: ${name} names no port of the container (${has.en}): set targetPort: ${portName || params.port}.`,
        `targetPort: ${name} 不是容器的任何端口名（${has['zh-CN']}）：请设置 targetPort: ${portName || params.port}。`,
      );
    } else
      add(
        svc,
        at(svc, 'spec', 'ports') ?? at(svc, 'spec'),
        asText
          ? `targetPort: "${asString(asText.targetPort)}" is a string, which Kubernetes reads as a port name: write the number without quotes.`
          : `no port forwards to the app: set targetPort: ${params.port}${portName ? ` (or ${portName})` : ''}.`,
        asText
          ? `targetPort: "${asString(asText.targetPort)}" 是字符串，Kubernetes 会把它当作端口名：请写成不带引号的数字。`
          : `没有端口转发到应用：请设置 targetPort: ${params.port}${portName ? `（或 ${portName}）` : ''}。`,
      );
  } else if (forward.protocol !== undefined && asString(forward.protocol).toUpperCase() !== 'TCP') {
    const i = svcPorts.indexOf(forward);
    add(
      svc,
      at(svc, 'spec', 'ports', i, 'protocol'),
      `the port to the app uses protocol ${asString(forward.protocol)}; HTTP runs over TCP: leave protocol out (TCP).`,
      `转发到应用的端口使用的协议是 ${asString(forward.protocol)}；HTTP 走的是 TCP：请去掉 protocol（默认 TCP）。`,
    );
  }

  if (found.length || goLimit?.kind !== 'bytes' || limitBytes === undefined || !forward || !isWhole(replicas) || !isWhole(grace)) return renderFindings(found);
  const share = percentOf(goLimit.bytes, limitBytes);
  const servicePort = asString(forward.port);
  // Both objects may be in one file (--- between them): name it once.
  const files = dep.file === svc.file ? { en: dep.file, zh: dep.file } : { en: `${dep.file} and ${svc.file}`, zh: `${dep.file} 和 ${svc.file}` };
  return outcome(
    'pass',
    L(
      `${files.en}: ${replicas} replicas behind the Service (port ${servicePort} to ${params.port}); startup, liveness (${params.livenessPath}) and readiness (${params.readinessPath}) probes; GOMEMLIMIT ${goRaw} is ${share} of the ${asString(limits.memory)} limit; user ${params.uid}, read-only root, no privilege escalation, no capabilities; ${dataDir} on a writable volume; ${grace} s to stop, more than the app's ${needs} s.`,
      `${files.zh}：Service 后面有 ${replicas} 个副本（端口 ${servicePort} 转发到 ${params.port}）；有启动、存活（${params.livenessPath}）和就绪（${params.readinessPath}）探针；GOMEMLIMIT ${goRaw} 是 ${asString(limits.memory)} 限制的 ${share}；用户 ${params.uid}，根文件系统只读，不能提权，没有 capability；${dataDir} 在可写的卷上；停止时有 ${grace} 秒，多于应用需要的 ${needs} 秒。`,
    ),
  );
};

export const kubernetesManifests = defineCheck({
  id: 'k8s.manifests',
  kind: 'static',
  title: L('The Kubernetes manifests run the app the way production needs', 'Kubernetes 清单按生产环境的要求运行应用'),
  params: kubernetesParams,
  run: async (ctx, params: KubernetesParams) => {
    const read = await readManifests(ctx, params);
    if ('status' in read) return read;
    return judgeManifests(ctx, params, read.deployment, read.service);
  },
});
