import { cgoDisabled, depsBeforeSource, isGoBuild, runText, type DepsVerdict } from '../go-build.js';
import { hasNoLibc } from '../image-ref.js';
import type { EvalInstruction } from '../model.js';
import { rootImage } from '../stages.js';
import type { Finding } from '../types.js';
import { parseProperties } from '../words.js';
import { finding, type FindingContext } from './finding-context.js';

const ALLOWED_FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'unpack'],
  RUN: ['mount', 'network', 'security', 'device'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

const flagFindings = (instr: EvalInstruction): Finding[] => {
  const allowed = ALLOWED_FLAGS[instr.keyword];
  if (!allowed) return [];
  return instr.flags
    .filter((flag) => !allowed.includes(flag.name))
    .map((flag) =>
      finding(
        'unknown-flag',
        'error',
        instr.line,
        `${instr.keyword} has no --${flag.name} flag, so the build stops with "unknown flag". Known flags: ${allowed.map((f) => `--${f}`).join(', ')}.`,
        `${instr.keyword} 没有 --${flag.name} 选项，构建会因 "unknown flag" 而失败。可用选项：${allowed.map((f) => `--${f}`).join('、')}。`,
      ),
    );
};

const exposeFindings = (instr: EvalInstruction): Finding[] =>
  (instr.expanded ?? [])
    .filter((word) => word.known && !/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(word.text.trim()))
    .map((word) =>
      finding(
        'expose-invalid',
        'error',
        instr.line,
        `EXPOSE ${word.text} is not a port; write a number with an optional protocol, e.g. EXPOSE 8080 or EXPOSE 8080/tcp.`,
        `EXPOSE ${word.text} 不是端口；请写数字并可选协议，例如 EXPOSE 8080 或 EXPOSE 8080/tcp。`,
      ),
    );

const packageFindings = (instr: EvalInstruction): Finding[] => {
  const text = runText(instr);
  const mounts = instr.flags
    .filter((f) => f.name === 'mount')
    .map((f) => f.value ?? '')
    .join(' ');
  if (/apt-get\s+(-\S+\s+)*install/.test(text) && !/\/var\/lib\/apt\/lists/.test(text) && !/type=cache[^ ]*\/var\/(lib|cache)\/apt/.test(mounts)) {
    return [
      finding(
        'apt-no-clean',
        'info',
        instr.line,
        'apt-get install leaves the package lists in the layer. End the same RUN with && rm -rf /var/lib/apt/lists/* (or use a cache mount).',
        'apt-get install 会把软件包列表留在镜像层里。请在同一个 RUN 末尾加上 && rm -rf /var/lib/apt/lists/*（或使用缓存挂载）。',
      ),
    ];
  }
  if (/apk\s+add\b/.test(text) && !/--no-cache/.test(text) && !/type=cache/.test(mounts)) {
    return [
      finding(
        'apk-no-cache',
        'info',
        instr.line,
        'apk add keeps its index in the layer. Use apk add --no-cache.',
        'apk add 会把索引留在镜像层里。请使用 apk add --no-cache。',
      ),
    ];
  }
  return [];
};

const legacyFindings = (instr: EvalInstruction, escape: string): Finding[] => {
  if (instr.keyword !== 'ENV' && instr.keyword !== 'LABEL') return [];
  const parsed = parseProperties(instr.args, escape, instr.keyword);
  if ('problem' in parsed || !parsed.props[0]?.legacy) return [];
  const name = parsed.props[0].name;
  return [
    finding(
      'legacy-key-value',
      'info',
      instr.line,
      `${instr.keyword} ${name} <value> is the legacy form (the value is everything after the name). Write ${instr.keyword} ${name}=<value>.`,
      `${instr.keyword} ${name} <值> 是旧写法（名称后面的全部内容都是值）。请写成 ${instr.keyword} ${name}=<值>。`,
    ),
  ];
};

const MOUNT_ON_BUILD = 'RUN --mount=type=cache,target=/go/pkg/mod go build ...';

/** Why a source change downloads the Go modules again, and the two ways out. */
const depsFinding = (deps: DepsVerdict): Finding => {
  const fix = `First COPY go.mod go.sum ./ and RUN go mod download, then COPY the rest; or, with BuildKit, mount the module cache on the go build (${MOUNT_ON_BUILD}).`;
  const fixZh = `请先 COPY go.mod go.sum ./ 并 RUN go mod download，再 COPY 其余文件；或者在 BuildKit 下给 go build 挂载模块缓存（${MOUNT_ON_BUILD}）。`;
  if (deps.reason === 'mount-not-on-build') {
    return finding(
      'deps-after-source',
      'warning',
      deps.line,
      `go mod download (line ${deps.downloadLine ?? '?'}) puts the modules into a cache mount, which is not part of the image, and this go build does not mount it: go build downloads every module again on each build. Add the same --mount=type=cache,target=/go/pkg/mod to the go build RUN (or drop the mount from go mod download).`,
      `go mod download（第 ${deps.downloadLine ?? '?'} 行）把模块下载到了缓存挂载里，而缓存挂载不属于镜像；这条 go build 没有挂载它，所以每次构建 go build 都会重新下载全部模块。请给 go build 的 RUN 加上同样的 --mount=type=cache,target=/go/pkg/mod（或者去掉 go mod download 上的挂载）。`,
    );
  }
  return deps.reason === 'source-first'
    ? finding(
        'deps-after-source',
        'warning',
        deps.line,
        `the source is copied before the Go modules are downloaded, so every code change downloads all dependencies again. ${fix}`,
        `源代码在下载 Go 模块之前就被复制了，因此每次改代码都会重新下载全部依赖。${fixZh}`,
      )
    : finding(
        'deps-after-source',
        'warning',
        deps.line,
        `go build runs without a separate, cached module download, so every build fetches all dependencies again. ${fix}`,
        `go build 之前没有单独的、可缓存的模块下载步骤，因此每次构建都会重新获取全部依赖。${fixZh}`,
      );
};

/** Findings about how the Go binary is built and about instruction syntax. */
export const buildFindings = ({ model, final }: FindingContext): Finding[] => {
  const out: Finding[] = [];
  for (const instr of model.all) {
    out.push(...flagFindings(instr), ...legacyFindings(instr, model.escape));
    if (instr.keyword === 'EXPOSE') out.push(...exposeFindings(instr));
    if (instr.keyword === 'RUN') out.push(...packageFindings(instr));
  }
  const deps = depsBeforeSource(model);
  if (deps.value === false) out.push(depsFinding(deps));
  const base = rootImage(model, final);
  const cgo = cgoDisabled(model);
  const build = model.all.find(isGoBuild);
  if (build && cgo.value === false && base.known && hasNoLibc(base.text)) {
    out.push(
      finding(
        'cgo-enabled',
        'error',
        cgo.line ?? build.line,
        `CGO_ENABLED=1 links the binary against the C library, but the final image (${base.text}) has none, so it cannot start ("no such file or directory"). Build with CGO_ENABLED=0.`,
        `CGO_ENABLED=1 会让二进制链接 C 库，但最终镜像（${base.text}）里没有 C 库，程序无法启动（"no such file or directory"）。请使用 CGO_ENABLED=0 构建。`,
      ),
    );
  } else if (build && cgo.value === null && base.known && hasNoLibc(base.text)) {
    out.push(
      finding(
        'cgo-unset',
        'info',
        cgo.line ?? build.line,
        `the final image (${base.text}) has no C library, but go build does not set CGO_ENABLED=0: when a C compiler is present the binary may be dynamically linked and fail to start. Build with CGO_ENABLED=0 go build ...`,
        `最终镜像（${base.text}）里没有 C 库，但 go build 没有设置 CGO_ENABLED=0：如果构建环境有 C 编译器，二进制可能是动态链接的，启动会失败。请使用 CGO_ENABLED=0 go build ...`,
      ),
    );
  }
  return out;
};
