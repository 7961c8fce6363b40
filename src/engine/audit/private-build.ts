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
  if (!PRIVATE_SIGNS.some((re) => re.test(said)) && !(declaresPrivate(analysis) && /go mod download|go build|go: /.test(said))) return undefined;
  return L(
    'The image did not build: it needs private Go modules or a build secret audit does not have (the build output is in the image.builds line below). Audit passes no credentials to a build. Below is the static part of the scorecard; build the image yourself with its secrets, then audit again with --target if a stage needs none.',
    '镜像没有构建成功：它需要私有 Go 模块或 audit 没有的构建机密（构建输出见下面 image.builds 一行）。audit 不会把任何凭据交给构建。下面是评分卡的静态部分；请自行带上机密构建镜像，如果某个阶段不需要机密，可以用 --target 再审计一次。',
  );
};
