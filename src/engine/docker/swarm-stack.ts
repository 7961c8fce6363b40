import { parse, stringify } from 'yaml';
import { dockerExec, dockerOut } from './exec.js';
import { serviceLimits } from './limits.js';

/**
 * A Swarm stack of the runner: a copy of the learner's stack file, written beside it in the staged
 * context (relative paths resolve the same), deployed under the runner's stack name. The copy
 * gives the measured service the runner's image tag, every service the runner's labels and limits
 * (the learner's own limits when tighter), and publishes no port: Swarm would publish on every
 * interface, and the runner reaches the service from inside its network. Everything else, networks
 * included, is the learner's as written. `docker stack rm` removes it all by the stack's namespace.
 */

export interface RunnerStackOptions {
  readonly service: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Whether the daemon has CPU quotas (limits.ts): without them the cpus limit is left out. */
  readonly cpuQuota: boolean;
}

export type RunnerStack =
  | { readonly ok: true; readonly text: string; readonly unpublished: readonly string[] }
  | { readonly ok: false; readonly missingService?: boolean; readonly error?: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** deploy.labels as a map, whether written as a map or as a list of "key=value". */
const labelMap = (labels: unknown): Json =>
  Array.isArray(labels)
    ? Object.fromEntries(
        labels.map((l) => {
          const [k = '', ...v] = String(l).split('=');
          return [k, v.join('=')];
        }),
      )
    : obj(labels);

/** The runner's copy of a stack file (pure); refuses a file that does not parse or lacks the service. */
export const runnerStackFile = (text: string, o: RunnerStackOptions): RunnerStack => {
  let doc: Json;
  try {
    doc = obj(parse(text, { merge: true }));
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0] ?? 'not YAML' };
  }
  const services = obj(doc.services);
  if (!(o.service in services)) return { ok: false, missingService: true };
  const unpublished: string[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const service = { ...obj(raw) };
    // What Swarm itself refuses, the copy must not hide by leaving the ports out.
    const ingress = Array.isArray(service.ports) && service.ports.some((p) => obj(p).mode !== 'host');
    if (ingress && obj(service.deploy).endpoint_mode === 'dnsrr')
      return {
        ok: false,
        error: `service ${name}: port published with ingress mode can't be used with dnsrr mode (publish with mode: host, or drop endpoint_mode: dnsrr)`,
      };
    if (service.ports !== undefined) {
      delete service.ports;
      unpublished.push(name);
    }
    if (name === o.service) service.image = o.image;
    const deploy = { ...obj(service.deploy) };
    deploy.labels = { ...labelMap(deploy.labels), ...o.labels };
    const limits = serviceLimits(service);
    const resources = { ...obj(deploy.resources) };
    resources.limits = { ...obj(resources.limits), memory: String(limits.memoryBytes), ...(o.cpuQuota ? { cpus: String(limits.cpus) } : {}) };
    deploy.resources = resources;
    service.deploy = deploy;
    services[name] = service;
  }
  return { ok: true, text: stringify({ ...doc, services }, { lineWidth: 0 }), unpublished };
};

/** What `docker service inspect` says about a service, the parts the rolling-update check reads. */
export interface ServiceState {
  readonly replicas: number | null;
  readonly update: {
    readonly parallelism: number;
    readonly order: string;
    readonly failureAction: string;
    readonly monitorSeconds: number;
    readonly delaySeconds: number;
  };
  readonly healthcheck: readonly string[] | null;
  readonly image: string;
  readonly networks: readonly string[];
  /** updating, paused, completed, rollback_started, rollback_paused, rollback_completed; "" before any update. */
  readonly updateState: string;
  readonly updateMessage: string;
  /** When the last update (or rollback) began, in ms since the epoch; 0 before any. */
  readonly updateStartedAt: number;
}

/** Parses `docker service inspect` output (an array of one). Swarm's defaults fill what the spec leaves out. */
export const parseServiceInspect = (stdout: string): ServiceState => {
  const [item] = JSON.parse(stdout) as unknown[];
  const spec = obj(obj(item).Spec);
  const mode = obj(spec.Mode);
  const update = obj(spec.UpdateConfig);
  const container = obj(obj(spec.TaskTemplate).ContainerSpec);
  const health = obj(container.Healthcheck);
  const test = Array.isArray(health.Test) ? (health.Test as unknown[]).map(String) : null;
  const status = obj(obj(item).UpdateStatus);
  return {
    replicas: 'Replicated' in mode ? num(obj(mode.Replicated).Replicas, 1) : null,
    update: {
      parallelism: num(update.Parallelism, 1),
      order: str(update.Order, 'stop-first'),
      failureAction: str(update.FailureAction, 'pause'),
      monitorSeconds: num(update.Monitor, 5e9) / 1e9,
      delaySeconds: num(update.Delay, 0) / 1e9,
    },
    healthcheck: test,
    image: str(container.Image).replace(/@sha256:[0-9a-f]+$/, ''),
    networks: (Array.isArray(obj(spec.TaskTemplate).Networks) ? (obj(spec.TaskTemplate).Networks as unknown[]) : []).map((n) => str(obj(n).Target)),
    updateState: str(status.State),
    updateMessage: str(status.Message),
    updateStartedAt: Date.parse(str(status.StartedAt)) || 0,
  };
};

/** One task of a service, from `docker service ps --format '{{json .}}'`. */
export interface ServiceTask {
  /** "stack_app.1": the replica's slot. */
  readonly name: string;
  readonly image: string;
  readonly desired: string;
  readonly current: string;
  readonly error: string;
}

export const parseServiceTasks = (stdout: string): ServiceTask[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => {
      const t = JSON.parse(line) as Json;
      return {
        // A task replaced in its slot is listed as " \_ stack_app.1".
        name: str(t.Name).replace(/^[\s\\_]+/, ''),
        image: str(t.Image).replace(/@sha256:[0-9a-f]+$/, ''),
        desired: str(t.DesiredState),
        current: str(t.CurrentState),
        error: str(t.Error),
      };
    });

type Signal = { readonly signal?: AbortSignal };

/** `docker stack deploy` of a file in `dir`; IMAGE is set too, for a file that reads it without a default (${IMAGE:?}). */
export const stackDeploy = async (options: { stack: string; dir: string; file: string; image: string } & Signal) =>
  dockerExec(['stack', 'deploy', '-c', options.file, '--resolve-image', 'never', options.stack], {
    cwd: options.dir,
    env: { IMAGE: options.image },
    timeoutMs: 120_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });

/** The first of a service's networks a one-off container may join (attachable, not internal), and the names of all. */
export const joinableNetwork = async (ids: readonly string[], options: Signal = {}): Promise<{ id?: string; names: string[] }> => {
  if (!ids.length) return { names: [] };
  const result = await dockerExec(['network', 'inspect', ...ids], { timeoutMs: 30_000, ...options });
  const nets = result.stdout.trim().startsWith('[') ? (JSON.parse(result.stdout) as unknown[]).map(obj) : [];
  const joinable = nets.find((n) => n.Attachable === true && n.Internal !== true);
  return { ...(joinable ? { id: str(joinable.Id) } : {}), names: nets.map((n) => str(n.Name)).filter(Boolean) };
};

export const serviceInspect = async (service: string, options: Signal = {}): Promise<ServiceState | null> => {
  const result = await dockerExec(['service', 'inspect', service], { timeoutMs: 30_000, ...options });
  return result.exitCode === 0 ? parseServiceInspect(result.stdout) : null;
};

export const serviceTasks = async (service: string, options: Signal = {}): Promise<ServiceTask[]> =>
  parseServiceTasks(await dockerOut(['service', 'ps', '--no-trunc', '--format', '{{json .}}', service], { timeoutMs: 30_000, ...options }));

/** A release: the service's image (and environment) changed; Swarm applies the service's update_config. */
export const serviceUpdate = async (service: string, change: { image: string; envAdd?: readonly string[] }, options: Signal = {}) =>
  dockerOut(
    ['service', 'update', '--detach', '--no-resolve-image', '--image', change.image, ...(change.envAdd ?? []).flatMap((e) => ['--env-add', e]), service],
    { timeoutMs: 60_000, ...options },
  );

/**
 * Removes a stack and waits (up to a minute) until its task containers and networks are gone:
 * `stack rm` returns before they are, and a learner who looks right after would see them.
 */
export const stackRemove = async (stack: string): Promise<void> => {
  await dockerExec(['stack', 'rm', stack], { timeoutMs: 60_000 });
  for (let i = 0; i < 60; i += 1) {
    const tasks = await dockerExec(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs: 20_000 });
    if (tasks.exitCode !== 0 || !tasks.stdout.trim()) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (let i = 0; i < 60; i += 1) {
    const left = await dockerExec(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs: 20_000 });
    if (left.exitCode !== 0 || !left.stdout.trim()) return;
    // A network still attached to an exiting task cannot go yet; stack rm does not try again.
    await dockerExec(['network', 'rm', ...left.stdout.trim().split('\n')], { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};

/** A stack the runner deployed, found by the label on its services (any node state: [] when this is no manager). */
export interface FoundStack {
  readonly stack: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
}

export const parseRunnerStacks = (stdout: string): FoundStack[] => {
  const found = new Map<string, FoundStack>();
  for (const item of JSON.parse(stdout || '[]') as unknown[]) {
    const spec = obj(obj(item).Spec);
    const labels = Object.fromEntries(Object.entries(obj(spec.Labels)).map(([k, v]) => [k, String(v)]));
    const stack = labels['com.docker.stack.namespace'];
    if (stack && !found.has(stack)) found.set(stack, { stack, labels, created: str(obj(item).CreatedAt) });
  }
  return [...found.values()];
};

export const runnerStacks = async (labelFilter: string): Promise<FoundStack[]> => {
  const listed = await dockerExec(['service', 'ls', '-q', '--filter', `label=${labelFilter}`], { timeoutMs: 30_000 });
  const ids = listed.exitCode === 0 ? listed.stdout.split('\n').filter((l) => l.trim()) : [];
  if (!ids.length) return [];
  const result = await dockerExec(['service', 'inspect', ...ids], { timeoutMs: 30_000 });
  return result.stdout.trim().startsWith('[') ? parseRunnerStacks(result.stdout) : [];
};
