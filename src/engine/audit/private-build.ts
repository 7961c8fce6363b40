import { L, type Localized } from '../i18n.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';

/** What Go, git and BuildKit print when a build needs credentials or a network it does not have. */
const PRIVATE_SIGNS = [
  /terminal prompts disabled/i,
  /could not read (Username|Password)/i,
  /Authentication failed/i,
  /\b(401|403) (Unauthorized|Forbidden)\b/,
  /\b410 Gone\b/,
  /secret [\w.-]+ (not found|is required)|no such secret/i,
  /GOPRIVATE|GONOSUMDB|GONOSUMCHECK|GOAUTH/,
  /unrecognized import path/i,
  /dial tcp: lookup \S+.*(no such host|server misbehaving)/i,
  /Could not resolve host/i,
  /reading https?:\/\/\S+: (404|410)/,
  /invalid version: .*(git|fetch)/i,
];

/** A registry the build could not reach (a base image, the `# syntax=` frontend): not a private module. */
const REGISTRY =
  /resolve image config|docker\/dockerfile|failed to load metadata|pull access denied|manifest unknown|registry-1\.docker\.io|auth\.docker\.io|failed to do request: Head/i;
/** The failure came from fetching Go modules (go or the git it runs). */
const GO_FETCH = /go: |go mod download|git ls-remote|fatal: (could not read|unable to access)/;

/** The Dockerfile itself says the build expects a secret or private modules. */
const declaresPrivate = (analysis: DockerfileAnalysis): boolean =>
  analysis.ok &&
  (analysis.instructions.some((i) => i.flags.some((f) => f.name === 'mount' && /type=secret/.test(f.value ?? ''))) ||
    analysis.env.some((e) => /^(GOPRIVATE|GONOSUMDB|GOAUTH|GOFLAGS)$/.test(e.name) || /^(GITHUB|GITLAB|GIT)_(TOKEN|PAT)$/.test(e.name)));

/**
 * When the image did not build because it needs private modules or a secret audit does not have,
 * the sentence that says so: the rest of the scorecard is then what the files say, not a list of
 * skips. Any other build failure is the image.builds verdict itself.
 */
export const privateBuildProblem = (message: Localized, analysis: DockerfileAnalysis): Localized | undefined => {
  const said = message.en;
  if (REGISTRY.test(said) || !GO_FETCH.test(said)) return undefined;
  if (!PRIVATE_SIGNS.some((re) => re.test(said)) && !declaresPrivate(analysis)) return undefined;
  return L(
    'The image did not build: it needs private Go modules or a build secret audit does not have (the build output is in the image.builds line below). Audit passes no credentials to a build. Below is the static part of the scorecard; build the image yourself with its secrets, then audit again with --target if a stage needs none.',
    '镜像没有构建成功：它需要私有 Go 模块或 audit 没有的构建机密（构建输出见下面 image.builds 一行）。audit 不会把任何凭据交给构建。下面是评分卡的静态部分；请自行带上机密构建镜像，如果某个阶段不需要机密，可以用 --target 再审计一次。',
  );
};

/** When the build could not pull what it builds FROM (or its `# syntax=` frontend): what to do. */
export const registryProblem = (message: Localized): Localized | undefined =>
  REGISTRY.test(message.en)
    ? L(
        'The build could not pull an image it needs (a base image, or the Dockerfile frontend of a "# syntax=" line) from its registry: the network or the registry is not reachable from Docker. Pull it once (docker pull), then audit again; the items that need the image are unknown until then.',
        '构建无法从镜像仓库拉取它需要的镜像（基础镜像，或 "# syntax=" 行指定的 Dockerfile 前端）：Docker 访问不到网络或镜像仓库。请先拉取一次（docker pull），再运行 audit；在那之前，需要该镜像的各项都是未知。',
      )
    : undefined;
