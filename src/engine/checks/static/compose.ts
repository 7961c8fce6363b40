import { s, type Infer } from '../../util/schema.js';
import { COMPOSE_FILES, composeRefusals, formatRefusals } from '../../docker/compose-guard.js';
import { L, type Localized } from '../../i18n.js';
import type { CheckOutcome, StaticContext } from '../types.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { asArray, asString, isMap, loadYaml, locateYaml, type YamlMap } from './yaml-file.js';
import { inlineSecrets, type InlineSecret } from './compose-secrets.js';
import { firstFileOf } from './common.js';

/** The names `docker compose` looks for, in its order. */

export const composeParams = s
  .object({
    services: s.array(s.string().min(1)).default([]),
    /** A depends_on with condition: service_healthy on a service that has a health check. */
    healthGated: s.boolean().optional(),
    /** A top-level named volume mounted by a service. */
    namedVolume: s.boolean().optional(),
    /** A service reads an env_file (that exists). */
    envFile: s.boolean().optional(),
  })
  .strict();
type ComposeParams = Infer<typeof composeParams>;

const fail = (file: string, en: string, zh: string): CheckOutcome => outcome('fail', L(`${file}: ${en}`, `${file}：${zh}`));

const dependsOn = (service: YamlMap): Record<string, string | null> => {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [asString(d), null]));
  if (!isMap(deps)) return {};
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, isMap(spec) ? asString(spec.condition) || null : null]));
};

/** Has a health check: its own in compose, or (built from the lesson's Dockerfile) the image's HEALTHCHECK. */
const healthOf = (service: YamlMap, ctx: StaticContext): 'yes' | 'no' | 'unknown' => {
  const hc = service.healthcheck;
  if (isMap(hc)) {
    const test = asArray(hc.test);
    if (hc.disable === true || (test.length > 0 && asString(test[0]).toUpperCase() === 'NONE')) return 'no';
    if (hc.test !== undefined) return 'yes';
  }
  if (service.build !== undefined) {
    const build = service.build;
    const dockerfile = isMap(build) ? asString(build.dockerfile) || 'Dockerfile' : 'Dockerfile';
    if (dockerfile !== ctx.dockerfilePath || !ctx.dockerfile?.ok) return 'unknown';
    return ctx.dockerfile.facts.healthcheck ? 'yes' : 'no';
  }
  // An image's own HEALTHCHECK is not visible from here.
  return 'unknown';
};

const volumeSources = (service: YamlMap): string[] =>
  asArray(service.volumes).map((v) =>
    isMap(v) ? (asString(v.type) === 'volume' || v.type === undefined ? asString(v.source) : '') : (asString(v).split(':')[0] ?? ''),
  );

const envFiles = (service: YamlMap): { path: string; required: boolean }[] => {
  const value = service.env_file;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => (isMap(item) ? { path: asString(item.path), required: item.required !== false } : { path: asString(item), required: true }));
};

const checkCompose = async (ctx: StaticContext, params: ComposeParams, file: string, text: string): Promise<CheckOutcome> => {
  const parsed = await loadYaml(text, { merge: true });
  if (!parsed.ok)
    return fail(
      file,
      `line ${parsed.line ?? '?'}: ${parsed.reason}. Fix the YAML (indentation uses spaces).`,
      `第 ${parsed.line ?? '?'} 行：${parsed.reason}。请修正 YAML（缩进只能用空格）。`,
    );
  const root = parsed.value;
  if (!isMap(root) || !isMap(root.services) || Object.keys(root.services).length === 0) {
    return fail(file, 'there is no services: section with at least one service.', '没有包含至少一个服务的 services: 部分。');
  }
  // Refused before anything else: compose.up would run the file on the learner's machine as written.
  const refusals = composeRefusals(root, { projectDir: ctx.files.dir });
  if (refusals.length > 0) return outcome('fail', formatRefusals(file, refusals));
  const services = root.services;
  for (const [name, service] of Object.entries(services)) {
    if (!isMap(service) || (service.image === undefined && service.build === undefined)) {
      return fail(file, `service "${name}" needs image: or build:.`, `服务 "${name}" 需要 image: 或 build:。`);
    }
    for (const dep of Object.keys(dependsOn(service))) {
      if (!(dep in services)) return fail(file, `service "${name}" depends on "${dep}", which is not defined.`, `服务 "${name}" 依赖 "${dep}"，但它没有定义。`);
    }
  }
  const missing = params.services.filter((s) => !(s in services));
  if (missing.length > 0) return fail(file, `service(s) ${missing.join(', ')} missing under services:.`, `services: 下缺少服务 ${missing.join('、')}。`);
  const found: Localized[] = [L(`services ${Object.keys(services).join(', ')}`, `服务 ${Object.keys(services).join('、')}`)];
  if (params.healthGated) {
    const gates = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(dependsOn(s as YamlMap))
        .filter(([, c]) => c === 'service_healthy')
        .map(([dep]) => ({ name, dep })),
    );
    if (gates.length === 0) {
      return fail(
        file,
        'no depends_on uses condition: service_healthy, so a service may start before the one it needs is ready. Add depends_on: {<service>: {condition: service_healthy}}.',
        '没有任何 depends_on 使用 condition: service_healthy，服务可能在依赖就绪之前启动。请添加 depends_on: {<服务>: {condition: service_healthy}}。',
      );
    }
    const verdicts = gates.map((g) => ({ ...g, health: healthOf(services[g.dep] as YamlMap, ctx) }));
    const without = verdicts.find((v) => v.health === 'no');
    if (without)
      return fail(
        file,
        `"${without.name}" waits for "${without.dep}" to be healthy, but "${without.dep}" has no health check, so it never becomes healthy. Add a healthcheck: to "${without.dep}".`,
        `"${without.name}" 等待 "${without.dep}" 变为 healthy，但 "${without.dep}" 没有健康检查，永远不会 healthy。请给 "${without.dep}" 添加 healthcheck:。`,
      );
    const unsure = verdicts.find((v) => v.health === 'unknown');
    if (unsure && !verdicts.some((v) => v.health === 'yes')) {
      return outcome(
        'unknown',
        L(
          `${file}: "${unsure.dep}" has no healthcheck: in compose; whether its image has one is decided by compose up.`,
          `${file}："${unsure.dep}" 在 compose 中没有 healthcheck:；它的镜像是否自带健康检查由 compose up 来判断。`,
        ),
      );
    }
    found.push(L('a health-gated depends_on', '基于健康状态的 depends_on'));
  }
  if (params.namedVolume) {
    const named = isMap(root.volumes) ? Object.keys(root.volumes) : [];
    const used = named.find((v) => Object.values(services).some((s) => volumeSources(s as YamlMap).includes(v)));
    if (!used) {
      return fail(
        file,
        named.length === 0
          ? 'there is no top-level volumes: section. Declare a named volume (volumes: {data: {}}) and mount it (volumes: ["data:/data"]).'
          : `the named volume(s) ${named.join(', ')} are not mounted by any service. Mount one, e.g. volumes: ["${named[0] ?? 'data'}:/data"].`,
        named.length === 0
          ? '没有顶层 volumes: 部分。请声明命名卷（volumes: {data: {}}）并挂载它（volumes: ["data:/data"]）。'
          : `命名卷 ${named.join('、')} 没有被任何服务挂载。请挂载，例如 volumes: ["${named[0] ?? 'data'}:/data"]。`,
      );
    }
    found.push(L(`named volume ${used}`, `命名卷 ${used}`));
  }
  if (params.envFile) {
    const files = Object.values(services).flatMap((s) => envFiles(s as YamlMap));
    if (files.length === 0)
      return fail(file, 'no service uses env_file:. Add env_file: .env to the app service.', '没有服务使用 env_file:。请给应用服务添加 env_file: .env。');
    for (const f of files.filter((f) => f.required)) {
      if ((await ctx.files.read(f.path.replace(/^\.\//, ''))) === undefined) {
        return fail(
          file,
          `env_file ${f.path} does not exist, so docker compose up stops. Create it (and keep it out of git).`,
          `env_file ${f.path} 不存在，docker compose up 会失败。请创建它（并且不要提交到 git）。`,
        );
      }
    }
    const paths = [...new Set(files.map((f) => f.path))];
    found.push(L(`env_file ${paths.join(', ')}`, `env_file ${paths.join('、')}`));
  }
  const secrets = inlineSecrets(services, await locateYaml(text));
  if (secrets.length > 0) return inlineSecretsFail(file, secrets);
  found.push(L('no password written in it', '文件中没有写入密码'));
  return outcome('pass', L(`${file} is valid: ${found.map((f) => f.en).join('; ')}.`, `${file} 有效：${found.map((f) => f['zh-CN']).join('；')}。`));
};

const inlineSecretsFail = (file: string, secrets: readonly InlineSecret[]): CheckOutcome => {
  const at = (s: InlineSecret, lang: 'en' | 'zh') => (s.line === undefined ? '' : lang === 'en' ? `line ${s.line}: ` : `第 ${s.line} 行：`);
  const en = secrets.map((s) => {
    const what =
      s.kind === 'url'
        ? `${s.name} of "${s.service}" has a password written in its URL`
        : s.kind === 'default'
          ? `${s.name} of "${s.service}" defaults to a value written in the file (\${...:-value})`
          : `${s.name} of "${s.service}" is written in the file`;
    return `- ${at(s, 'en')}${what}`;
  });
  const zh = secrets.map((s) => {
    const what =
      s.kind === 'url'
        ? `"${s.service}" 的 ${s.name} 的 URL 中直接写了密码`
        : s.kind === 'default'
          ? `"${s.service}" 的 ${s.name} 的默认值直接写在文件里（\${...:-值}）`
          : `"${s.service}" 的 ${s.name} 直接写在文件里`;
    return `- ${at(s, 'zh')}${what}`;
  });
  return outcome(
    'fail',
    L(
      `${file} is committed, so these passwords would be in git:\n${en.join('\n')}\nMove them to .env (read with env_file: .env, or referenced as \${POSTGRES_PASSWORD}), keep .env out of git and commit .env.example with placeholders.`,
      `${file} 会被提交，这些密码会进入 git：\n${zh.join('\n')}\n请把它们移到 .env（通过 env_file: .env 读取，或写成 \${POSTGRES_PASSWORD} 引用），不要提交 .env，并提交带占位值的 .env.example。`,
    ),
  );
};

export const composeValid = defineCheck({
  id: 'compose.valid',
  kind: 'static',
  title: L('The compose file is valid and has what the lesson asks', 'compose 文件有效并包含本课要求的内容'),
  params: composeParams,
  run: async (ctx, params: ComposeParams) => {
    const found = await firstFileOf(ctx, COMPOSE_FILES);
    if (found) return checkCompose(ctx, params, found.file, found.text);
    return outcome(
      'fail',
      L(
        'There is no compose.yaml in the workspace. Create compose.yaml next to the Dockerfile.',
        '工作区中没有 compose.yaml。请在 Dockerfile 旁边创建 compose.yaml。',
      ),
    );
  },
});
