import { L } from '../../i18n.js';
import { jsonForm } from '../../dockerfile/instruction.js';
import type { DockerfileAnalysis, InstructionInfo } from '../../dockerfile/types.js';
import { defineCheck } from '../define.js';
import { swallowedInRun } from '../go-commands.js';
import { atLine, outcome } from '../outcome.js';
import type { CheckOutcome } from '../types.js';
import { noParams, runText, shellWordsAt, stageChain, valueAt, withDockerfile } from './common.js';

/** The scanner's package path, as `go install` and `go run` take it. */
const TOOL = 'golang.org/x/vuln/cmd/govulncheck';
/** A version to show in advice. */
const EXAMPLE = 'v1.9.0';
const INSTALL_EXAMPLE = `go install ${TOOL}@${EXAMPLE}`;
/** `go install` or `go run` of the scanner, with what follows the `@` (group 2) when there is one. */
const INSTALL = /\bgo\s+(install|run)\s+(?:-\S+\s+)*golang\.org\/x\/vuln\/cmd\/govulncheck(?:@(\S*))?/;
/**
 * The scanner run as a command (`govulncheck`, `/go/bin/govulncheck`, `$(go env GOPATH)/bin/govulncheck`),
 * at the start or after a separator; its package path in `go install golang.org/...` is not a run.
 */
const RUN_COMMAND = String.raw`(?:^|[\s;&|(])(?:[/$~.]\S*/)?govulncheck(?=\s|$)`;
/** The scanner run through `go run golang.org/x/vuln/cmd/govulncheck@v...`, which installs it too. */
const GO_RUN = String.raw`\bgo\s+run\s+(?:-\S+\s+)*golang\.org/x/vuln/cmd/govulncheck\S*`;
/** Flags of govulncheck that take the next word as their value (`-C dir`, `-format json`). */
const VALUE_FLAGS = new Set(['-C', '-tags', '-format', '-mode', '-scan', '-show', '-db']);
/** A version that names one release for good: a semantic version or a commit. A branch (`@main`) moves. */
const PINNED = /^(v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?|[0-9a-f]{12,40})$/;

/** What a RUN runs as words, JSON (exec) form or shell form. */
const commandText = (run: InstructionInfo): string => {
  const form = jsonForm(run.args);
  return form.kind === 'exec' ? [form.values.join(' '), ...run.heredocs.map((d) => d.content)].join('\n') : runText(run);
};

/** The words after a govulncheck command, up to the end of that command: its flags and patterns. */
const argumentsOf = (text: string): string[] | undefined => {
  const at = new RegExp(RUN_COMMAND).exec(text) ?? new RegExp(GO_RUN).exec(text);
  if (!at) return undefined;
  const rest = text.slice(at.index + at[0].length).replace(/\\\n/g, ' ');
  return (/^[^;&|\n]*/.exec(rest)?.[0] ?? '').trim().split(/\s+/).filter(Boolean);
};

/** A flag as Go's flag package reads it: `--format` is `-format`; `-format=json` carries its value. */
const flagName = (word: string): string => word.replace(/^--?/, '-').replace(/=.*$/s, '');

/** Package patterns among govulncheck's arguments (flags and their values left out). */
const patternsOf = (args: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i] ?? '';
    if (word.startsWith('-')) {
      if (!word.includes('=') && VALUE_FLAGS.has(flagName(word))) i += 1;
      continue;
    }
    out.push(word);
  }
  return out;
};

/**
 * The output govulncheck is asked for when it is not the default text, as written (`-format json`,
 * `--format=sarif`, `-json`); undefined for text. Only text output exits non-zero on a finding.
 */
const machineFormatOf = (args: readonly string[]): string | undefined => {
  let found: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i] ?? '';
    if (!word.startsWith('-')) continue;
    const name = flagName(word);
    const inline = word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined;
    if (name === '-json') {
      found = inline === undefined || /^(1|t|true)$/i.test(inline) ? word : undefined;
    } else if (name === '-format') {
      const value = (inline ?? args[i + 1] ?? '').replace(/^["']|["']$/g, '');
      found = value === '' || value === 'text' ? undefined : inline === undefined ? `${word} ${value}` : word;
    }
    if (!word.includes('=') && VALUE_FLAGS.has(name)) i += 1;
  }
  return found;
};

/** A RUN that installs the scanner, and the version it asks for. */
interface Install {
  readonly run: InstructionInfo;
  /** As written after the `@`; null without one. */
  readonly written: string | null;
}

/** The install a scan relies on: in its own RUN (`go run ...@v`), else the last one before it in its stage or the stages it is FROM. */
const installFor = (analysis: DockerfileAnalysis, scan: InstructionInfo): Install | undefined => {
  const chain = stageChain(analysis, scan.stage);
  const install = analysis.instructions
    .filter((i) => i.keyword === 'RUN' && chain.includes(i.stage) && i.line <= scan.line && INSTALL.test(commandText(i)))
    .pop();
  if (!install) return undefined;
  const written = INSTALL.exec(commandText(install))?.[2];
  return { run: install, written: written === undefined || written === '' ? null : written };
};

type Verdict = { readonly ok: true; readonly version: string; readonly install: Install } | { readonly ok: false; readonly outcome: CheckOutcome };

const failAt = (line: number, en: string, zh: string): Verdict => ({ ok: false, outcome: outcome('fail', atLine(line, en, zh), { line }) });

/** The version an install asks for, its `$VARIABLE` read from the ARG or ENV in effect there. */
const versionOf = (analysis: DockerfileAnalysis, install: Install): Verdict => {
  const { run, written } = install;
  const pin = `Pin the version: ${INSTALL_EXAMPLE} (or @\${GOVULNCHECK_VERSION} with ARG GOVULNCHECK_VERSION=${EXAMPLE}).`;
  const pinZh = `请固定版本：${INSTALL_EXAMPLE}（或者写 @\${GOVULNCHECK_VERSION}，并声明 ARG GOVULNCHECK_VERSION=${EXAMPLE}）。`;
  if (written === null) {
    return failAt(
      run.line,
      `govulncheck is installed without a version, so this line does not say which scanner runs: go takes whatever go.mod requires (and stops when the module does not require golang.org/x/vuln), and the scanner changes whenever that does. ${pin}`,
      `安装 govulncheck 时没有写版本，所以这一行没有说明运行的是哪个扫描工具：go 会使用 go.mod 里要求的版本（模块没有依赖 golang.org/x/vuln 时直接失败），它一变，扫描工具也跟着变。${pinZh}`,
    );
  }
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(written)?.[1];
  let version = written;
  if (variable) {
    const value = valueAt(analysis, run.stage, run.line, variable);
    if (value.kind === 'unset') {
      return failAt(
        run.line,
        `$${variable} is not declared in this stage, so it is empty here and govulncheck is installed without a version. Declare it in the stage: ARG ${variable}=${EXAMPLE}.`,
        `这个阶段没有声明 $${variable}，所以它在这里为空，govulncheck 安装时就没有版本。请在这个阶段里声明：ARG ${variable}=${EXAMPLE}。`,
      );
    }
    if (value.kind === 'unknown') {
      return {
        ok: false,
        outcome: outcome(
          'unknown',
          atLine(
            value.line,
            `the govulncheck version comes from ${variable}, which has no default, so only the build knows it. Give it a pinned default: ARG ${variable}=${EXAMPLE}.`,
            `govulncheck 的版本来自没有默认值的 ${variable}，只有构建时才知道。请给它一个固定的默认值：ARG ${variable}=${EXAMPLE}。`,
          ),
          { line: value.line },
        ),
      };
    }
    version = value.value;
  }
  const from = variable ? ` (from ${variable})` : '';
  const fromZh = variable ? `（来自 ${variable}）` : '';
  if (version === 'latest' || version === '') {
    return failAt(
      run.line,
      `govulncheck is installed @${version || '(empty)'}${from}: each build would fetch whatever version is newest, so the scanner itself would change under you. ${pin}`,
      `govulncheck 安装的是 @${version || '（空）'}${fromZh}：每次构建都会取当时最新的版本，扫描工具本身会在你不知情时变化。${pinZh}`,
    );
  }
  if (!PINNED.test(version)) {
    return failAt(
      run.line,
      `govulncheck is installed @${version}${from}, which is not a release: a branch or a partial version moves. ${pin}`,
      `govulncheck 安装的是 @${version}${fromZh}，这不是一个发布版本：分支名或不完整的版本号都会变。${pinZh}`,
    );
  }
  return { ok: true, version, install };
};

/** The verdict on one RUN that runs the scanner in a stage other than the final one. */
const judgeScan = (analysis: DockerfileAnalysis, scan: InstructionInfo): Verdict => {
  const text = commandText(scan);
  const install = installFor(analysis, scan);
  if (!install) {
    return failAt(
      scan.line,
      `govulncheck runs here, but no RUN of this stage or a stage it is built FROM installs it. Install a pinned version before it: RUN ${INSTALL_EXAMPLE}.`,
      `这里运行了 govulncheck，但这个阶段以及它所基于（FROM）的阶段里都没有 RUN 安装它。请在它之前安装固定的版本：RUN ${INSTALL_EXAMPLE}。`,
    );
  }
  const version = versionOf(analysis, install);
  if (!version.ok) return version;
  const args = argumentsOf(text) ?? [];
  if (patternsOf(args).length === 0) {
    return failAt(
      scan.line,
      "govulncheck is run without a package pattern, so it scans nothing of yours. Name the module's packages: govulncheck ./...",
      'govulncheck 运行时没有指定包模式，扫描不到你的任何代码。请指定模块的包：govulncheck ./...',
    );
  }
  const format = machineFormatOf(args);
  if (format) {
    return failAt(
      scan.line,
      `\`govulncheck ${format}\` writes a report for a program to read and exits 0 whatever it finds: only the default text output fails when a vulnerability affects the code, so this stage succeeds and a known vulnerability never fails the build. Remove ${format} (or write -format text); -show verbose still adds detail.`,
      `\`govulncheck ${format}\` 输出的是给程序读的报告，无论发现什么都以 0 退出：只有默认的文本输出会在漏洞影响到代码时返回失败，所以这个阶段总会成功，已知漏洞永远不会让构建失败。请去掉 ${format}（或者写 -format text）；想看更多细节可以加 -show verbose。`,
    );
  }
  const tail = swallowedInRun(text, new RegExp(RUN_COMMAND).test(text) ? RUN_COMMAND : GO_RUN, shellWordsAt(analysis, scan));
  if (tail) {
    return failAt(
      scan.line,
      `\`${tail}\` after govulncheck throws its exit status away: the stage succeeds whatever it finds, so a known vulnerability never fails the build. Remove it.`,
      `govulncheck 后面的 \`${tail}\` 丢掉了它的退出状态：无论发现什么，这个阶段都会成功，已知漏洞永远不会让构建失败。请去掉它。`,
    );
  }
  return version;
};

export const dockerfileGovulncheck = defineCheck({
  id: 'dockerfile.govulncheck',
  kind: 'static',
  title: L('A stage before the final one scans the code with a pinned govulncheck', '最终阶段之前的一个阶段用固定版本的 govulncheck 扫描代码'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const scans = analysis.instructions.filter((i) => i.keyword === 'RUN' && argumentsOf(commandText(i)) !== undefined);
      const earlier = scans.filter((i) => i.stage !== analysis.finalStage);
      if (earlier.length === 0) {
        const inFinal = scans[0];
        if (inFinal) {
          return outcome(
            'fail',
            atLine(
              inFinal.line,
              'govulncheck runs only in the final stage, so the image you ship would need the Go toolchain and the scanner inside it. Run it in the test stage instead (FROM build AS test, before the final stage), which CI builds with --target test.',
              'govulncheck 只在最终阶段运行，这样你发布的镜像里就得带着 Go 工具链和扫描工具。请改为在测试阶段运行它（FROM build AS test，放在最终阶段之前），CI 会用 --target test 构建这个阶段。',
            ),
            { line: inFinal.line },
          );
        }
        return outcome(
          'fail',
          L(
            `No RUN runs govulncheck, so nothing tells you when a module the app uses has a known vulnerability. Add it to the test stage, which CI builds with --target test: RUN ${INSTALL_EXAMPLE} && govulncheck ./...`,
            `没有任何 RUN 运行 govulncheck，所以应用用到的模块出现已知漏洞时，没有任何东西会提醒你。请把它加到测试阶段，CI 会用 --target test 构建这个阶段：RUN ${INSTALL_EXAMPLE} && govulncheck ./...`,
          ),
        );
      }
      const verdicts = earlier.map((scan) => ({ scan, verdict: judgeScan(analysis, scan) }));
      const good = verdicts.find((v) => v.verdict.ok);
      if (good?.verdict.ok) {
        const { scan, verdict } = good;
        const stage = analysis.stages[scan.stage];
        const name = stage?.name ? `the ${stage.name} stage` : `stage ${scan.stage}`;
        const nameZh = stage?.name ? `${stage.name} 阶段` : `第 ${scan.stage} 个阶段`;
        const installed = verdict.install.run.line === scan.line ? 'installed by the same RUN' : `installed on line ${verdict.install.run.line}`;
        const installedZh = verdict.install.run.line === scan.line ? '由同一个 RUN 安装' : `第 ${verdict.install.run.line} 行安装`;
        return outcome(
          'pass',
          atLine(
            scan.line,
            `${name} runs govulncheck ${verdict.version} (${installed}) on the module's packages before the final stage; a vulnerability it finds fails that build, and the final image carries neither Go nor the scanner.`,
            `${nameZh}在最终阶段之前用 govulncheck ${verdict.version}（${installedZh}）扫描模块的包；它发现漏洞时这次构建会失败，而最终镜像里既没有 Go 也没有扫描工具。`,
          ),
          { line: scan.line },
        );
      }
      // Nothing passed: a scan whose version only the build knows may still pass, so it comes first.
      const failed = verdicts.flatMap((v) => (v.verdict.ok ? [] : [v.verdict.outcome]));
      return failed.find((o) => o.status === 'unknown') ?? failed[0]!;
    }),
});
