import type { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { isUserError } from '../../errors.js';
import { DockerAbortedError, DockerCommandError } from '../../docker/exec.js';
import type { BuildResult, Container, ImageInspect, RunOptions } from '../../docker/session.js';
import { portNumber } from '../../docker/parse-inspect.js';
import type { CheckOutcome, DockerCheckDefinition, DockerContext } from '../types.js';

type Measured = CheckOutcome['measured'];

export const outcome = (status: CheckOutcome['status'], message: Localized, extra: { measured?: Measured; line?: number } = {}): CheckOutcome => ({
  status,
  message,
  ...(extra.line !== undefined ? { line: extra.line } : {}),
  ...(extra.measured ? { measured: extra.measured } : {}),
});

export const pass = (message: Localized, measured?: Measured, line?: number) => outcome('pass', message, { measured, line });
export const fail = (message: Localized, measured?: Measured, line?: number) => outcome('fail', message, { measured, line });
export const skip = (message: Localized, measured?: Measured) => outcome('skip', message, { measured });

/** Joins localized pieces with a space (empty pieces dropped). */
export const join = (...parts: (Localized | undefined | false)[]): Localized => {
  const kept = parts.filter((p): p is Localized => Boolean(p && p.en));
  // After quoted log lines, start the explanation on its own line.
  const glue = (texts: string[], sep: string) => texts.reduce((all, text, i) => (i === 0 ? text : `${all}${/\n {2}\| [^\n]*$/.test(all) ? '\n' : sep}${text}`), '');
  return L(glue(kept.map((p) => p.en), ' '), glue(kept.map((p) => p['zh-CN']), ''));
};

export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
export const secs = (seconds: number): string => `${seconds.toFixed(1)} s`;

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const CANCELLED = L('Cancelled.', '已取消。');
export const NOT_BUILT = L('Skipped: the image did not build; see image.builds.', '已跳过：镜像没有构建成功；请看 image.builds。');

/** Wraps a Docker check: Docker missing or lacking a feature -> skip; Ctrl-C -> skip; a broken Docker call -> error. */
export const dockerCheck = <S extends z.ZodType<Record<string, unknown>>>(def: {
  id: string;
  title: Localized;
  params: S;
  needs?: readonly ('buildkit' | 'compose')[];
  run: (ctx: DockerContext, params: z.output<S>) => Promise<CheckOutcome>;
}): DockerCheckDefinition<z.output<S>> => ({
  id: def.id,
  kind: 'docker',
  title: def.title,
  params: def.params as unknown as z.ZodType<z.output<S>>,
  needs: def.needs,
  run: async (ctx, params) => {
    try {
      const caps = await ctx.docker.capabilities();
      if (!caps.available) {
        const problem = caps.problem;
        return skip(
          problem
            ? L(`Skipped: Docker is not usable. ${problem.message.en} ${problem.next.en}`, `已跳过：Docker 不可用。${problem.message['zh-CN']}${problem.next['zh-CN']}`)
            : L('Skipped: Docker is not usable.', '已跳过：Docker 不可用。'),
        );
      }
      if (def.needs?.includes('buildkit') && caps.builder !== 'buildx' && caps.builder !== 'buildkit-env') return skip(NEEDS_BUILDKIT);
      if (def.needs?.includes('compose') && caps.compose === 'none') return skip(NEEDS_COMPOSE);
      return await def.run(ctx, params);
    } catch (error) {
      if (error instanceof DockerAbortedError || ctx.signal.aborted) return skip(CANCELLED);
      if (isUserError(error)) return outcome('error', join(error.localized, error.next));
      if (error instanceof DockerCommandError) {
        const detail = lastLine(error.result.stderr || error.result.stdout);
        return outcome('error', L(`A Docker command failed (not your work): docker ${error.result.args.slice(0, 2).join(' ')}: ${detail}`, `一条 Docker 命令出错（不是你的问题）：docker ${error.result.args.slice(0, 2).join(' ')}：${detail}`));
      }
      throw error;
    }
  },
});

export const NEEDS_BUILDKIT = L(
  'Skipped: this needs BuildKit, and your Docker only has the classic builder. Install the buildx plugin (Docker Desktop and docker-ce include it; on Debian/Ubuntu `apt install docker-buildx`), then verify again.',
  '已跳过：这需要 BuildKit，而你的 Docker 只有旧版构建器。请安装 buildx 插件（Docker Desktop 和 docker-ce 自带；Debian/Ubuntu 上 `apt install docker-buildx`），然后重新校验。',
);
export const NEEDS_COMPOSE = L(
  'Skipped: this needs Docker Compose (the `docker compose` plugin, or `docker-compose`), which was not found. Install it (Docker Desktop includes it; on Linux the docker-compose-plugin package), then verify again.',
  '已跳过：这需要 Docker Compose（`docker compose` 插件或 `docker-compose`），但没有找到。请安装（Docker Desktop 自带；Linux 上安装 docker-compose-plugin 软件包），然后重新校验。',
);

export const lastLine = (text: string): string => text.trim().split('\n').filter(Boolean).pop() ?? '';

/** Skip outcome for a build that needs BuildKit the learner's Docker lacks. */
export const needsBuildkitOutcome = (build: BuildResult): CheckOutcome => {
  const feature = build.buildkitFeatures?.[0];
  const where = feature ? L(` (line ${feature.line}: ${feature.feature})`, `（第 ${feature.line} 行：${feature.feature}）`) : L('', '');
  return skip(join(L(`Skipped: your Dockerfile uses BuildKit-only syntax${where.en}.`, `已跳过：你的 Dockerfile 使用了只有 BuildKit 支持的语法${where['zh-CN']}。`), NEEDS_BUILDKIT), {
    needsBuildkit: true,
  });
};

export type ImageOrOutcome = { readonly ok: true; readonly build: BuildResult; readonly image: string } | { readonly ok: false; readonly outcome: CheckOutcome };

/** The lesson image, or the skip outcome other checks return when it did not build. */
export const lessonImage = async (ctx: DockerContext, buildArgs?: Record<string, string>): Promise<ImageOrOutcome> => {
  const build = await ctx.docker.lessonImage(buildArgs);
  if (build.needsBuildkit) return { ok: false, outcome: needsBuildkitOutcome(build) };
  if (!build.ok || !build.imageId) return { ok: false, outcome: skip(notBuilt(ctx, build)) };
  return { ok: true, build, image: build.imageId };
};

/** Failed lesson builds whose output a skip message already showed (a session memoizes its build results). */
const shownFailures = new WeakSet<BuildResult>();

/** image.builds reports the failure in full; later skips then only name the step. */
export const markBuildFailureShown = (build: BuildResult): void => {
  shownFailures.add(build);
};

/**
 * Why the checks after a failed build skip. A lesson may have no image.builds check, so the first
 * skip of a verify quotes the failing step and the end of the build output; later ones name the step.
 */
export const notBuilt = (ctx: DockerContext, build: BuildResult): Localized => {
  const step = build.failedStep;
  const line = step ? stepLine(ctx, step) : undefined;
  const where = step ? L(` at \`${step}\`${line ? ` (line ${line})` : ''}`, `，失败的步骤是 \`${step}\`${line ? `（第 ${line} 行）` : ''}`) : L('', '');
  if (shownFailures.has(build)) {
    return L(`Skipped: the image did not build${where.en}; the build output is shown above.`, `已跳过：镜像没有构建成功${where['zh-CN']}；构建输出见上文。`);
  }
  shownFailures.add(build);
  const tail = quoteLines(build.tail.slice(-8));
  return L(`Skipped: the image did not build${where.en}.${tail}`, `已跳过：镜像没有构建成功${where['zh-CN']}。${tail}`);
};

/** The port the app should answer on: explicit, else the first EXPOSEd TCP port, else 8080. */
export const appPort = (image: ImageInspect, explicit?: number): number => {
  if (explicit) return explicit;
  for (const exposed of image.exposedPorts) {
    const port = portNumber(exposed);
    if (port) return port;
  }
  return 8080;
};

export const logLines = (logs: { stdout: string; stderr: string }): string[] =>
  `${logs.stdout}\n${logs.stderr}`.split('\n').map((line) => line.trimEnd()).filter((line) => line.trim());

export const lastLogLines = (logs: { stdout: string; stderr: string }, n = 8): string[] => logLines(logs).slice(-n);

/** Quotes log lines for a message. */
export const quoteLines = (lines: readonly string[]): string => (lines.length ? `\n  | ${lines.join('\n  | ')}` : '');

/** Explanations for common reasons a container cannot start, from Docker's error or the logs. */
export const explainStartFailure = (text: string): Localized | undefined => {
  if (/exec \S+: no such file or directory/.test(text) && !/stat /.test(text)) {
    return L(
      'The binary exists but cannot be executed: a dynamically linked (cgo) binary on a base without the C library (scratch, distroless/static) fails like this. Build with CGO_ENABLED=0 so the binary is static.',
      '二进制文件存在但无法执行：在没有 C 库的基础镜像（scratch、distroless/static）上运行动态链接（cgo）的二进制就会这样。请用 CGO_ENABLED=0 构建静态二进制。',
    );
  }
  if (/stat \S+: no such file or directory|executable file not found/.test(text)) {
    return L(
      'The ENTRYPOINT/CMD names a file that is not in the final image: check the path your COPY --from puts the binary at.',
      'ENTRYPOINT/CMD 指向的文件不在最终镜像里：请检查 COPY --from 把二进制复制到了哪个路径。',
    );
  }
  if (/exec format error/.test(text)) {
    return L(
      'exec format error: the binary was built for another CPU architecture (GOARCH) than this Docker runs, or it is a script without a #! line.',
      'exec format error：二进制是为另一种 CPU 架构（GOARCH）构建的，或者它是一个没有 #! 行的脚本。',
    );
  }
  if (/unable to find user|no matching entries in passwd/.test(text)) {
    return L(
      'The USER name does not exist in the image (scratch has no /etc/passwd): use a numeric uid such as USER 65532:65532.',
      '镜像里不存在这个 USER 用户名（scratch 没有 /etc/passwd）：请使用数字 uid，例如 USER 65532:65532。',
    );
  }
  if (/permission denied/i.test(text)) {
    return L(
      'Permission denied: the binary is not executable for the container user (COPY --chmod=755, or chmod in the build stage), or the app cannot write where it tries to.',
      '权限不足：容器用户无法执行该二进制（用 COPY --chmod=755，或在构建阶段 chmod），或应用无法写入它尝试写的位置。',
    );
  }
  return undefined;
};

/** When the logs say the app listens on loopback only, explain why Docker cannot reach it. */
export const bindHint = (lines: readonly string[]): Localized | undefined => {
  const line = lines.find((l) => /(127\.0\.0\.1|localhost|\[::1\]):\d+/.test(l) && /listen|serv|addr|start|running/i.test(l));
  if (!line) return undefined;
  const addr = /(127\.0\.0\.1|localhost|\[::1\]):\d+/.exec(line)?.[0] ?? '127.0.0.1';
  return L(
    `The app listens on ${addr}: inside a container that is the container's own loopback, so the published port cannot reach it. Listen on all interfaces (":8080" or "0.0.0.0:8080").`,
    `应用监听的是 ${addr}：在容器里这只是容器自己的回环地址，发布的端口无法到达它。请监听所有网卡（":8080" 或 "0.0.0.0:8080"）。`,
  );
};

/** Runs the image; when Docker cannot even start it, returns the fail outcome that says why. */
export const startContainer = async (
  ctx: DockerContext,
  options: RunOptions,
): Promise<{ ok: true; container: Container } | { ok: false; outcome: CheckOutcome }> => {
  const container = await ctx.docker.run(options);
  if (container.started) return { ok: true, container };
  const error = container.startError ?? '';
  return {
    ok: false,
    outcome: fail(join(L(`The container did not start: ${error}.`, `容器没有启动：${error}。`), explainStartFailure(error)), { started: false }),
  };
};

/** A line of the final stage with this keyword (last one), for pointing messages at the Dockerfile. */
export const finalStageLine = (ctx: DockerContext, keyword: string): { line: number; args: string } | undefined => {
  const analysis = ctx.dockerfile;
  if (!analysis?.ok) return undefined;
  const found = analysis.instructions.filter((i) => i.stage === analysis.finalStage && i.keyword.toUpperCase() === keyword.toUpperCase()).pop();
  return found ? { line: found.line, args: found.args } : undefined;
};

/** The Dockerfile line of a build step ("[builder 3/7] RUN go mod download"), by matching its text. */
export const stepLine = (ctx: DockerContext, stepName: string): number | undefined => {
  const analysis = ctx.dockerfile;
  if (!analysis?.ok) return undefined;
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const text = norm(stepName.replace(/^\[[^\]]*\]\s*/, ''));
  const match = analysis.instructions.find((i) => {
    const flags = i.flags.map((f) => `--${f.name}${f.value !== null ? `=${f.value}` : ''}`).join(' ');
    const full = norm(`${i.keyword} ${flags} ${i.args}`);
    const bare = norm(`${i.keyword} ${i.args}`);
    return text === full || text === bare || (text.length > 8 && (full.startsWith(text) || text.startsWith(bare)));
  });
  return match?.line;
};

/** Masks a secret for display: "s3cr3t-value" -> "s3…(12 chars)". */
export const mask = (value: string): string => `${value.slice(0, 2)}…(${value.length} chars)`;
