import { L, type Localized } from '../../i18n.js';
import type { ImageInspect } from '../../docker/session.js';
import { portNumber } from '../../docker/parse-inspect.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { fail, join, quoteLines, secs, secsZh } from '../outcome.js';
import type { CheckOutcome } from '../types.js';
import type { ContainerSnapshot, Started } from './measure.js';
import { finalChain } from '../static/common.js';
import { normalizeImage, parseImageRef, repoDigestCommand, repositoryName, type ImageRef } from '../../dockerfile/image-ref.js';

// Pure explanations shared by the judges of Docker checks: what a measurement means, in words.

/** The port the app should answer on: explicit, else the first EXPOSEd TCP port, else 8080. */
export const appPort = (image: Pick<ImageInspect, 'exposedPorts'>, explicit?: number): number => {
  if (explicit) return explicit;
  for (const exposed of image.exposedPorts) {
    const port = portNumber(exposed);
    if (port) return port;
  }
  return 8080;
};

/** Explanations for common reasons a container cannot start, from Docker's error or the logs. */
export const explainStartFailure = (text: string): Localized | undefined => {
  if (/exec \S+: no such file or directory/.test(text) && !/stat /.test(text)) {
    return L(
      'The binary exists but cannot be executed: a dynamically linked (cgo) binary on a base without the C library (scratch, distroless/static) fails like this. Build with CGO_ENABLED=0 so the binary is static.',
      '二进制文件存在但无法执行：在没有 C 库的基础镜像（scratch、distroless/static）上运行动态链接（cgo）的二进制就会这样。请用 CGO_ENABLED=0 构建静态二进制。',
    );
  }
  // `exec: "server": executable file not found in $PATH`: a name without a slash is looked up on PATH.
  const bare = /exec: "([^"/]+)": executable file not found/.exec(text)?.[1];
  if (bare) {
    return L(
      `The ENTRYPOINT/CMD names "${bare}" without a path, so Docker looked for it on the image's PATH and it is not there. Give the path the binary has in the image, e.g. CMD ["/${bare}"].`,
      `ENTRYPOINT/CMD 写的是不带路径的 "${bare}"，所以 Docker 在镜像的 PATH 里找它，但那里没有。请写出二进制在镜像里的路径，例如 CMD ["/${bare}"]。`,
    );
  }
  const missing = /stat (\S+): no such file or directory/.exec(text)?.[1] ?? /exec: "([^"]+)": executable file not found/.exec(text)?.[1];
  if (missing) {
    return L(
      `The ENTRYPOINT/CMD names ${missing}, which is not in the final image: check where the binary is written (go build -o) and copied to (COPY, COPY --from).`,
      `ENTRYPOINT/CMD 指向的 ${missing} 不在最终镜像里：请检查二进制写到了哪里（go build -o），又复制到了哪里（COPY、COPY --from）。`,
    );
  }
  if (/no command specified/i.test(text)) {
    return L(
      'The image has neither ENTRYPOINT nor CMD: the final stage does not inherit them from the build stage (each FROM starts a new config), and distroless and scratch have none. Add ENTRYPOINT ["/server"] to the final stage.',
      '镜像既没有 ENTRYPOINT 也没有 CMD：最终阶段不会从构建阶段继承它们（每个 FROM 都从新的配置开始），而 distroless 和 scratch 也没有默认命令。请在最终阶段加上 ENTRYPOINT ["/server"]。',
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

/** The verdict when Docker could not even start the container. */
export const notStarted = (start: Extract<Started, { started: false }>): CheckOutcome =>
  fail(
    join(
      L(`The container did not start: ${start.startError.replace(/\.$/, '')}.`, `容器没有启动：${start.startError.replace(/\.$/, '')}。`),
      explainStartFailure(start.startError),
    ),
    {
      started: false,
    },
  );

/** What a container says about itself when it did not answer: exit code, log tail, bind address. */
export const diagnoseNoAnswer = (container: ContainerSnapshot | undefined): Localized | undefined => {
  if (!container) return undefined;
  const tail = container.logLines.slice(-8);
  const exited = container.running
    ? undefined
    : L(
        `The container exited (exit ${container.exitCode}). Last log lines:${quoteLines(tail) || ' (none)'}`,
        `容器已退出（退出码 ${container.exitCode}）。最后的日志：${quoteLines(tail) || '（无）'}`,
      );
  return join(exited, bindHint(container.logLines), container.running ? undefined : explainStartFailure(tail.join('\n')));
};

/** Seconds a container ran, from its inspect times, when both are known. */
export const runSeconds = (c: Pick<ContainerSnapshot, 'startedAt' | 'finishedAt'>): number | undefined => {
  const a = Date.parse(c.startedAt);
  const b = Date.parse(c.finishedAt);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
};

/** "exited after 0.3 s with exit code 1" in both languages. */
export const exitedAfter = (c: ContainerSnapshot): Localized => {
  const ran = runSeconds(c);
  return ran === undefined
    ? L(`exit code ${c.exitCode}`, `退出码 ${c.exitCode}`)
    : L(`after ${secs(ran)} with exit code ${c.exitCode}`, `在 ${secsZh(ran)} 后退出，退出码 ${c.exitCode}`);
};

/** A line of the final stage with this keyword (last one), for pointing messages at the Dockerfile. */
export const finalStageLine = (analysis: DockerfileAnalysis | undefined, keyword: string): { line: number; args: string } | undefined => {
  if (!analysis?.ok) return undefined;
  const found = analysis.instructions.filter((i) => i.stage === analysis.finalStage && i.keyword.toUpperCase() === keyword.toUpperCase()).pop();
  return found ? { line: found.line, args: found.args } : undefined;
};

/** The Dockerfile line of a build step ("[builder 3/7] RUN go mod download"), by matching its text. */
export const stepLine = (analysis: DockerfileAnalysis | undefined, stepName: string): number | undefined => {
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

/** A response body on one line, cut to 160 characters. */
export const shortBody = (body: string): string => {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 160)}…` : oneLine;
};

/** The probe errors the runner itself words (http-client, measure), in both languages; others as measured. */
const PROBE_ERRORS: Readonly<Record<string, string>> = {
  'connection refused': '连接被拒绝',
  'connection reset (nothing listening on the container address: not up yet, another port, or only 127.0.0.1 inside)':
    '连接被重置（容器地址上没有程序在监听：尚未启动、监听的是别的端口，或只监听容器内的 127.0.0.1）',
  'no answer within the timeout': '超时内没有响应',
  'no attempt made': '没有发出请求',
  'the container exited before its port was published': '容器在端口发布之前就退出了',
  'not published': '端口没有发布',
};
export const probeError = (error: string): Localized => L(error, PROBE_ERRORS[error] ?? error);

/**
 * When the Dockerfile gives the image no command of its own (no CMD or ENTRYPOINT in the final stage
 * or the stages it builds on), the container ran the base image's default: say so, since "exited
 * with code 0, no logs" does not tell a learner that their server never started.
 */
export const noCommandOfItsOwn = (analysis: DockerfileAnalysis | undefined): Localized | undefined => {
  if (!analysis?.ok) return undefined;
  const chain = new Set(finalChain(analysis));
  const sets = analysis.instructions.some((i) => chain.has(i.stage) && /^(CMD|ENTRYPOINT)$/i.test(i.keyword));
  if (sets) return undefined;
  return L(
    'The Dockerfile has no CMD or ENTRYPOINT, so the container ran the base image\'s own command (bash for golang, which exits at once without a terminal): your server never started. Add CMD ["/server"] (the path go build wrote) as the last line.',
    'Dockerfile 里没有 CMD 或 ENTRYPOINT，所以容器运行的是基础镜像自己的命令（golang 镜像的是 bash，没有终端时会立即退出）：你的服务器根本没有启动。请在最后一行加上 CMD ["/server"]（go build 输出的路径）。',
  );
};

/** What the registry's error says: it could not be reached, or it has no such image. */
const REGISTRY_SILENT =
  /no such host|server misbehaving|name resolution|i\/o timeout|deadline exceeded|connection refused|connection reset|network is unreachable|TLS handshake timeout|unexpected EOF/i;
const IMAGE_UNKNOWN = /manifest unknown|not found|pull access denied|repository does not exist|name unknown/i;

/**
 * A base pinned by a digest neither this engine nor the registry gave: the tag's digest here says
 * whether the pin is mistyped (another digest is here) or the image was never pulled (none is).
 */
const digestNotHere = (ref: ImageRef, on: Localized, registry: string, here: string | null | undefined): Localized => {
  const tagged = `${repositoryName(ref)}:${ref.tag ?? ''}`;
  const inspect = repoDigestCommand(tagged);
  if (here) {
    return L(
      `The FROM${on.en} pins ${tagged} to ${ref.digest}, which this machine does not have and ${registry} did not give; ${tagged} here is ${here}. Check the digest, all 64 hex digits: ${inspect} prints the one here.`,
      `FROM 行${on['zh-CN']}把 ${tagged} 固定为 ${ref.digest}，本机没有这个摘要，${registry} 也没有提供；本机的 ${tagged} 是 ${here}。请核对摘要的全部 64 位十六进制：${inspect} 会打印本机的那个。`,
    );
  }
  return L(
    `The FROM${on.en} pins ${tagged} by digest, and ${registry} did not give it. ${tagged} is on this machine without a digest: Docker records one only when it pulls an image, so an image built here, loaded from an archive (prepare --import) or pulled under a mirror's name has none. docker pull ${tagged} where ${registry} answers (a mirror set in Docker's daemon.json registry-mirrors counts), then ${inspect}.`,
    `FROM 行${on['zh-CN']}用摘要固定了 ${tagged}，而 ${registry} 没有提供它。本机有 ${tagged}，但没有摘要：Docker 只在拉取镜像时记录摘要，所以本机构建的、从归档导入的（prepare --import）或以镜像站名字拉取的镜像都没有摘要。请在能访问 ${registry} 的地方 docker pull ${tagged}（在 Docker 的 daemon.json 里配置的 registry-mirrors 镜像站也可以），然后运行 ${inspect}。`,
  );
};

/** The base image a failed step was fetching: BuildKit's `[internal] load metadata for <image>`, or a FROM step. */
export const failedBase = (step: string | null | undefined): string | undefined =>
  step
    ? (/load metadata for (\S+)/i.exec(step)?.[1] ?? /^(?:\[[^\]]*\]\s*|Step \d+\/\d+ : )?FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(step.trim())?.[1])
    : undefined;

/**
 * A base image the build could not fetch, from the failed step (BuildKit's `[internal] load
 * metadata for <image>`, or the FROM step) and the builder's last lines: whether the registry did
 * not answer (the network, and the way around it) or has no such image (the name on the FROM line).
 * Undefined for any other failure.
 */
export const baseNotFetched = (
  analysis: DockerfileAnalysis | undefined,
  step: string | null,
  tail: readonly string[],
  /** Tags of the image's repository on this machine (measured when the build failed there). */
  here: readonly string[] = [],
  /** For a base pinned by tag and digest: the digest this engine has for that tag (null: none recorded). */
  digestHere?: string | null,
): Localized | undefined => {
  const image = failedBase(step);
  if (!image) return undefined;
  const text = tail.join('\n');
  const ref = parseImageRef(image);
  const shown = normalizeImage(image);
  const registry = ref.registry ?? 'Docker Hub';
  const stage = analysis?.ok ? analysis.stages.find((s) => s.fromStage === null && normalizeImage(s.image) === shown) : undefined;
  const on = stage ? L(` (line ${stage.line})`, `（第 ${stage.line} 行）`) : L('', '');
  // Pinned by digest, and its tag is here: the digest is mistyped, or this copy was never pulled.
  const tagHere = here.map(normalizeImage).includes(normalizeImage(`${repositoryName(ref)}:${ref.tag ?? ''}`));
  if (ref.digest && ref.tag && (digestHere || (digestHere === null && tagHere)) && (REGISTRY_SILENT.test(text) || IMAGE_UNKNOWN.test(text))) {
    return digestNotHere(ref, on, registry, digestHere);
  }
  // Another tag of it is here: most likely the tag is mistyped, whatever the network says.
  const others = here.map(normalizeImage).filter((tag) => tag !== shown);
  if (!ref.digest && others.length && (REGISTRY_SILENT.test(text) || IMAGE_UNKNOWN.test(text))) {
    return L(
      `${shown}${on.en} is not on this machine and ${registry} did not give it; this machine has ${others.slice(0, 3).join(', ')}. Check the tag on the FROM line: did you mean one of those?`,
      `本机没有 ${shown}${on['zh-CN']}，${registry} 也没有提供它；本机有 ${others.slice(0, 3).join('、')}。请核对 FROM 那一行的标签：是不是想写其中一个？`,
    );
  }
  if (REGISTRY_SILENT.test(text)) {
    return L(
      `Docker could not reach ${registry} to fetch ${shown}${on.en}: that is the network, not your Dockerfile, unless the name is new to you (then check it too). A base image already on this machine is used without asking a registry: npx learn-go-docker prepare --mirror <mirror> pulls the course's images once through a mirror (mainland China, a company network), and npx learn-go-docker doctor says which registries answer.`,
      `Docker 无法访问 ${registry} 来获取 ${shown}${on['zh-CN']}：这是网络的问题，不是你的 Dockerfile 的问题（除非这个名字是你新写的，那也请核对一下）。本机已有的基础镜像不需要访问镜像仓库：npx learn-go-docker prepare --mirror <镜像站> 会通过镜像站把课程的镜像拉取一次（中国大陆、公司内网），npx learn-go-docker doctor 会告诉你哪些镜像仓库能访问。`,
    );
  }
  if (IMAGE_UNKNOWN.test(text)) {
    return L(
      `${registry} has no image ${shown}${on.en}: check the name and the tag on the FROM line (docker image ls lists what this machine has).`,
      `${registry} 上没有镜像 ${shown}${on['zh-CN']}：请核对 FROM 那一行的名字和标签（docker image ls 会列出本机已有的镜像）。`,
    );
  }
  return undefined;
};
