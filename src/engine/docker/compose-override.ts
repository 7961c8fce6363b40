import { isMap, isScalar, isSeq, parse, parseDocument, stringify, visit } from 'yaml';
import { NO_NEW_PRIVILEGES, serviceLimits, turnsOnNoNewPrivileges, type ServiceLimits } from './limits.js';

/**
 * What the runner adds to the learner's compose file before `compose up` (pure): labels on every
 * object so cleanup finds them, limits on every service, and ports bound to 127.0.0.1.
 */

type Doc = Record<string, unknown>;

export interface ComposeFileFacts {
  readonly services: readonly string[];
  /** Fixed host ports ("8080:8080", {published: 8080}). */
  readonly fixedHostPorts: readonly number[];
  readonly volumes: readonly string[];
  readonly networks: readonly string[];
  /**
   * Per service: the limits to apply, whether it has a deploy: or build: section, and whether its
   * security_opt already turns no-new-privileges on (compose refuses the same item twice).
   */
  readonly limits: Readonly<Record<string, ServiceLimits & { readonly deploy: boolean; readonly build: boolean; readonly noNewPrivileges?: boolean }>>;
}

/** Reads what the override and the busy-port explanation need from a compose file. */
export const composeFacts = (text: string): ComposeFileFacts => {
  const doc = (parse(text, { merge: true }) ?? {}) as Doc;
  const services = (doc.services ?? {}) as Record<string, Doc | null>;
  const fixedHostPorts: number[] = [];
  const limits: Record<string, ServiceLimits & { deploy: boolean; build: boolean; noNewPrivileges: boolean }> = {};
  for (const [name, service] of Object.entries(services)) {
    const securityOpt = Array.isArray(service?.security_opt) ? (service.security_opt as unknown[]).map((o) => String(o).trim()) : [];
    limits[name] = {
      ...serviceLimits(service ?? {}),
      deploy: service?.deploy !== undefined,
      build: service?.build !== undefined,
      noNewPrivileges: securityOpt.some(turnsOnNoNewPrivileges),
    };
    for (const port of (service?.ports ?? []) as unknown[]) {
      if (typeof port === 'string' || typeof port === 'number') {
        // [ip:]host:container[/proto]; a lone container port is published on a random host port.
        const parts = String(port)
          .replace(/\/\w+$/, '')
          .split(':');
        if (parts.length >= 2) {
          const host = Number(parts[parts.length - 2]);
          if (Number.isInteger(host) && host > 0) fixedHostPorts.push(host);
        }
      } else if (port && typeof port === 'object') {
        const published = Number((port as Doc).published);
        if (Number.isInteger(published) && published > 0) fixedHostPorts.push(published);
      }
    }
  }
  const notExternal = (section: unknown) =>
    Object.entries((section ?? {}) as Record<string, Doc | null>)
      .filter(([, value]) => !value?.external)
      .map(([name]) => name);
  return { services: Object.keys(services), fixedHostPorts, volumes: notExternal(doc.volumes), networks: notExternal(doc.networks), limits };
};

/**
 * The override: labels on every service container, built image, named volume and network of the
 * project; memory, CPU (where the daemon has quotas) and pids limits and no-new-privileges on every service. Compose refuses a
 * mem_limit that differs from deploy.resources.limits.memory, so a service with deploy: gets both.
 */
export const runnerOverride = (facts: ComposeFileFacts, labels: Readonly<Record<string, string>>, cpuQuota = false): string => {
  const services = Object.fromEntries(
    facts.services.map((name) => {
      const own = facts.limits[name] ?? { ...serviceLimits({}), deploy: false, build: false };
      // Without CPU quotas the daemon refuses any cpus: the file's own then fails as it would by hand.
      const cpus = cpuQuota ? { cpus: own.cpus } : {};
      // The file's own no-new-privileges stands: compose refuses a security_opt item given twice.
      const noNewPrivileges = own.noNewPrivileges ? {} : { security_opt: [`${NO_NEW_PRIVILEGES}:true`] };
      const service: Doc = { labels: { ...labels }, mem_limit: own.memoryBytes, ...cpus, pids_limit: own.pids, ...noNewPrivileges };
      if (own.deploy)
        service.deploy = { resources: { limits: { memory: String(own.memoryBytes), ...(cpuQuota ? { cpus: String(own.cpus) } : {}), pids: own.pids } } };
      if (own.build) service.build = { labels: { ...labels } };
      return [name, service];
    }),
  );
  const volumes = Object.fromEntries(facts.volumes.map((name) => [name, { labels: { ...labels } }]));
  const networks = Object.fromEntries(['default', ...facts.networks].map((name) => [name, { labels: { ...labels } }]));
  const doc: Doc = { services, networks };
  if (facts.volumes.length) doc.volumes = volumes;
  return stringify(doc);
};

/** A short port spec with its address bound to 127.0.0.1 when it has none ("8080" -> "127.0.0.1::8080"). */
export const loopbackPort = (spec: string): string => {
  // ${VAR:-default} may hold colons of its own: count the separators outside of it.
  const separators =
    spec
      .replace(/\$\{[^}]*\}/g, 'X')
      .replace(/\/\w+$/, '')
      .split(':').length - 1;
  if (spec.startsWith('[') || separators >= 2) return spec;
  return separators === 1 ? `127.0.0.1:${spec}` : `127.0.0.1::${spec}`;
};

/**
 * The learner's compose file with every published port that names no address bound to 127.0.0.1,
 * as the runner's own containers are (compose merges ports from an override instead of replacing
 * them, so the file itself is rewritten: a copy outside the context). The rest is kept as written.
 */
export const loopbackCompose = (text: string): string => {
  const doc = parseDocument(text);
  if (doc.errors.length) return text;
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'ports' || !isSeq(pair.value)) return;
      for (const item of pair.value.items) {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
          const rewritten = loopbackPort(String(item.value));
          if (rewritten !== String(item.value)) {
            item.value = rewritten;
            item.type = 'QUOTE_DOUBLE';
          }
        } else if (isMap(item) && !item.has('host_ip')) item.set('host_ip', '127.0.0.1');
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
};
