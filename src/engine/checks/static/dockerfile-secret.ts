import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { referencedNames } from '../../dockerfile/expand.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { stageChain, withDockerfile } from './common.js';
import { runText } from './common.js';
import { secretMounts, type SecretMount } from './secret-mounts.js';

export const secretMountParams = s
  .object({
    /** The id the secret is passed with (`docker build --secret id=...`). */
    id: s.string().min(1).optional(),
    /** Where the tool that needs the secret reads it (go reads /root/.netrc); a mount elsewhere must be pointed at. */
    target: s.string().startsWith('/').optional(),
    /** A variable that points the tool at another file (NETRC for go); setting it to the mount path counts. */
    targetEnv: s.string().min(1).optional(),
  })
  .strict();

type Params = Infer<typeof secretMountParams>;

/** The value a stage's ENV gives `name` before `line` (the stages it builds on included). */
const envBefore = (analysis: DockerfileAnalysis, stage: number, line: number, name: string): string | undefined => {
  const chain = stageChain(analysis, stage);
  return analysis.env.filter((e) => e.kind === 'ENV' && e.name === name && chain.includes(e.stage) && e.line < line).pop()?.value ?? undefined;
};

/**
 * Does the RUN hand the secret to the tool: mounted where it reads, pointed at, or read from the
 * mount in the command? An env-only secret the command never names may still be read by the tool
 * itself from its environment: only the tool knows (unknown).
 */
const reaches = (analysis: DockerfileAnalysis, m: SecretMount, params: Params): 'yes' | 'no' | 'unknown' => {
  const text = runText(m.instruction);
  if (m.env && referencedNames(text).has(m.env)) return 'yes';
  if (params.target === undefined) return 'yes';
  if (!m.path) return 'unknown';
  if (m.path === params.target) return 'yes';
  // `NETRC=/run/secrets/netrc go mod download`, `cp /run/secrets/netrc ~/.netrc && ...`: the command names the mount.
  if (text.includes(m.path)) return 'yes';
  if (params.targetEnv !== undefined && envBefore(analysis, m.instruction.stage, m.instruction.line, params.targetEnv) === m.path) return 'yes';
  return m.env ? 'unknown' : 'no';
};

const form = (m: SecretMount): string => `--mount=${m.raw}`;

const judge = (analysis: DockerfileAnalysis, params: Params) => {
  const all = secretMounts(analysis);
  const wanted = params.id ?? 'mysecret';
  if (all.length === 0) {
    return outcome(
      'fail',
      L(
        `No RUN uses --mount=type=secret. Read the secret with RUN --mount=type=secret,id=${wanted}${params.target ? `,target=${params.target}` : ''} ... (without target= it appears as /run/secrets/${wanted}).`,
        `没有任何 RUN 使用 --mount=type=secret。请用 RUN --mount=type=secret,id=${wanted}${params.target ? `,target=${params.target}` : ''} ... 读取机密（不写 target= 时它出现在 /run/secrets/${wanted}）。`,
      ),
    );
  }
  const misordered = all.find((m) => m.beforeType);
  if (misordered) {
    const line = misordered.instruction.line;
    return outcome(
      'fail',
      atLine(
        line,
        `${form(misordered)}: BuildKit reads the options left to right, and at "${misordered.beforeType ?? ''}" the mount is still a bind mount, so the build fails ("unexpected key 'required' for mount type 'bind'"). Put type=secret first.`,
        `${form(misordered)}：BuildKit 从左到右读取选项，读到 "${misordered.beforeType ?? ''}" 时挂载仍然是 bind 类型，所以构建会失败（"unexpected key 'required' for mount type 'bind'"）。请把 type=secret 放在最前面。`,
      ),
      { line },
    );
  }
  const needed = new Set(analysis.details.neededStages);
  const withId = all.filter((m) => params.id === undefined || m.id === params.id);
  if (withId.length === 0) {
    const m = all.find((s) => s.idFrom === 'target') ?? all[0];
    const line = m?.instruction.line;
    const ids = [...new Set(all.map((s) => s.id ?? '?'))].join(', ');
    const fromTarget =
      m?.idFrom === 'target'
        ? L(
            ` Without id=, BuildKit names the secret after the target's file name, "${m.id ?? ''}", so docker build --secret id=${wanted} never reaches it.`,
            `不写 id= 时，BuildKit 用 target 的文件名 "${m.id ?? ''}" 作为机密的 id，所以 docker build --secret id=${wanted} 永远传不到它。`,
          )
        : L('', '');
    return outcome(
      'fail',
      atLine(
        line,
        `The secret mounts use id ${ids}, but this lesson passes the secret as id=${wanted}.${fromTarget.en} Write --mount=type=secret,id=${wanted},...`,
        `机密挂载使用的 id 是 ${ids}，但本课传入的机密 id 是 ${wanted}。${fromTarget['zh-CN']}请写 --mount=type=secret,id=${wanted},...`,
      ),
      { line },
    );
  }
  const built = withId.filter((m) => needed.has(m.instruction.stage));
  if (built.length === 0) {
    const m = withId[0];
    const line = m?.instruction.line;
    return outcome(
      'fail',
      atLine(
        line,
        `This secret mount is in a stage the image never builds (nothing the final stage needs comes from it). Mount the secret on the RUN that downloads the modules.`,
        `这个机密挂载所在的阶段根本不会被构建（最终阶段不依赖它）。请把机密挂载在下载模块的那条 RUN 上。`,
      ),
      { line },
    );
  }
  const good = built.find((m) => reaches(analysis, m, params) === 'yes');
  const maybe = good ? undefined : built.find((m) => reaches(analysis, m, params) === 'unknown');
  if (maybe) {
    const line = maybe.instruction.line;
    return outcome(
      'unknown',
      atLine(
        line,
        `${form(maybe)} gives the command the secret as $${maybe.env ?? ''}, which it never names; whether the tool reads that variable by itself only the tool knows (it reads ${params.target ?? ''}${params.targetEnv ? ` or the file $${params.targetEnv} names` : ''}). The image checks decide whether it leaks.`,
        `${form(maybe)} 把机密作为 $${maybe.env ?? ''} 交给命令，但命令里从未使用它；工具会不会自己读取这个变量，只有工具知道（它读取的是 ${params.target ?? ''}${params.targetEnv ? ` 或 $${params.targetEnv} 指向的文件` : ''}）。是否泄露由镜像检查来判断。`,
      ),
      { line },
    );
  }
  if (!good) {
    const m = built[0] as SecretMount;
    const line = m.instruction.line;
    const pointer = params.targetEnv ? L(` (or to the file $${params.targetEnv} names)`, `（或 $${params.targetEnv} 指向的文件）`) : L('', '');
    const fix = params.targetEnv
      ? L(
          `Add target=${params.target ?? ''}, or set ${params.targetEnv}=${m.path ?? ''} for that RUN.`,
          `请加上 target=${params.target ?? ''}，或在那条 RUN 中设置 ${params.targetEnv}=${m.path ?? ''}。`,
        )
      : L(`Add target=${params.target ?? ''}.`, `请加上 target=${params.target ?? ''}。`);
    const where = m.path
      ? L(
          `${form(m)} mounts the secret at ${m.path}, but the tool reads ${params.target ?? ''}${pointer.en} and nothing in that RUN reads ${m.path}: the download runs without the token.`,
          `${form(m)} 把机密挂载在 ${m.path}，但工具读取的是 ${params.target ?? ''}${pointer['zh-CN']}，而那条 RUN 里没有任何命令读取 ${m.path}：下载时拿不到令牌。`,
        )
      : L(
          `${form(m)} puts the secret in $${m.env ?? ''} only, and the command never uses $${m.env ?? ''}: the download runs without the token.`,
          `${form(m)} 只把机密放进 $${m.env ?? ''}，而命令从未使用 $${m.env ?? ''}：下载时拿不到令牌。`,
        );
    return outcome('fail', atLine(line, `${where.en} ${fix.en}`, `${where['zh-CN']}${fix['zh-CN']}`), { line });
  }
  const line = good.instruction.line;
  const at = good.path ? L(` at ${good.path}`, `，挂载在 ${good.path}`) : L('', '');
  const env = good.env
    ? L(
        ` env=${good.env} needs Dockerfile syntax 1.10 or later (BuildKit 0.16+); older engines refuse the option.`,
        `env=${good.env} 需要 Dockerfile 语法 1.10 及以上（BuildKit 0.16+）；更旧的引擎不认识这个选项。`,
      )
    : L('', '');
  const required = good.required
    ? L(
        ' required=true: a build without --secret id=... fails, which also stops colleagues without the token.',
        'required=true：不带 --secret id=... 的构建会失败，没有令牌的同事也就无法构建。',
      )
    : L('', '');
  return outcome(
    'pass',
    atLine(
      line,
      `RUN --mount=type=secret,id=${good.id ?? ''} gives this RUN the secret${at.en} without storing it in the image.${env.en}${required.en}`,
      `RUN --mount=type=secret,id=${good.id ?? ''} 把机密交给这条 RUN${at['zh-CN']}，且不会把它存进镜像。${env['zh-CN']}${required['zh-CN']}`,
    ),
    { line },
  );
};

export const dockerfileSecretMount = defineCheck({
  id: 'dockerfile.secret-mount',
  kind: 'static',
  title: L('A build secret is mounted, not passed as ARG', '构建机密通过挂载传入，而不是 ARG'),
  params: secretMountParams,
  run: (ctx, params: Params) => withDockerfile(ctx, (analysis) => judge(analysis, params)),
});
