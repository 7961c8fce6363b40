import { dockerExec, dockerOut } from './exec.js';

/**
 * A Swarm stack of the runner: the learner's stack file deployed under the runner's name, with the
 * image, labels and limits of a second file (`-c` twice: services merge field by field, so the
 * learner's file stays as written). Networks are left out of that file: a network given twice is
 * replaced, not merged, and would lose the learner's settings; the stack's namespace label
 * (com.docker.stack.namespace) names them, and `docker stack rm` removes them with the services.
 */

export interface StackOverride {
  readonly service: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Docker's memory syntax ("512m") and a CPU count ("1"), or undefined to leave it out. */
  readonly memory: string;
  readonly cpus?: string;
}

const quote = (value: string): string => JSON.stringify(value);

/** The runner's second stack file (YAML is a superset of JSON strings, so values are quoted as JSON). */
export const stackOverride = (o: StackOverride): string => {
  const labels = Object.entries(o.labels).map(([k, v]) => `        ${quote(k)}: ${quote(v)}`);
  return [
    'version: "3.8"',
    'services:',
    `  ${quote(o.service)}:`,
    `    image: ${quote(o.image)}`,
    '    deploy:',
    '      labels:',
    ...labels,
    '      resources:',
    '        limits:',
    `          memory: ${quote(o.memory.replace(/([kmg])$/i, (u) => `${u.toUpperCase()}`))}`,
    ...(o.cpus ? [`          cpus: ${quote(o.cpus)}`] : []),
    '',
  ].join('\n');
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

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

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

export const stackDeploy = async (options: { stack: string; dir: string; files: readonly string[] } & Signal) => {
  const args = ['stack', 'deploy', ...options.files.flatMap((f) => ['-c', f]), '--resolve-image', 'never', options.stack];
  return dockerExec(args, { cwd: options.dir, timeoutMs: 120_000, ...(options.signal ? { signal: options.signal } : {}) });
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

/** Removes a stack and waits (up to a minute) until its networks are gone: `stack rm` returns before they are. */
export const stackRemove = async (stack: string): Promise<void> => {
  await dockerExec(['stack', 'rm', stack], { timeoutMs: 60_000 });
  for (let i = 0; i < 60; i += 1) {
    const left = await dockerExec(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs: 20_000 });
    if (left.exitCode !== 0 || !left.stdout.trim()) return;
    // A network still attached to an exiting task cannot go yet; stack rm does not try again.
    await dockerExec(['network', 'rm', ...left.stdout.trim().split('\n')], { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};

/** A stack the runner deployed, found by the label on its services (any node state: [] when this is no manager). */
export interface RunnerStack {
  readonly stack: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
}

export const parseRunnerStacks = (stdout: string): RunnerStack[] => {
  const found = new Map<string, RunnerStack>();
  for (const item of JSON.parse(stdout || '[]') as unknown[]) {
    const spec = obj(obj(item).Spec);
    const labels = Object.fromEntries(Object.entries(obj(spec.Labels)).map(([k, v]) => [k, String(v)]));
    const stack = labels['com.docker.stack.namespace'];
    if (stack && !found.has(stack)) found.set(stack, { stack, labels, created: str(obj(item).CreatedAt) });
  }
  return [...found.values()];
};

export const runnerStacks = async (labelFilter: string): Promise<RunnerStack[]> => {
  const listed = await dockerExec(['service', 'ls', '-q', '--filter', `label=${labelFilter}`], { timeoutMs: 30_000 });
  const ids = listed.exitCode === 0 ? listed.stdout.split('\n').filter((l) => l.trim()) : [];
  if (!ids.length) return [];
  const result = await dockerExec(['service', 'inspect', ...ids], { timeoutMs: 30_000 });
  return result.stdout.trim().startsWith('[') ? parseRunnerStacks(result.stdout) : [];
};
