import { L } from '../../i18n.js';
import type { InstructionInfo } from '../../dockerfile/types.js';
import { defineCheck } from '../define.js';
import { GO_COMPILE } from '../go-commands.js';
import { atLine, outcome } from '../outcome.js';
import { noParams, runText, stageChain, withDockerfile } from './common.js';

/** `$BUILDPLATFORM` or `${BUILDPLATFORM}`: the machine that runs the build. */
const BUILDPLATFORM = /\$\{?BUILDPLATFORM\}?/;
/** GOARCH taken from the platform being built, in a RUN (`GOARCH=$TARGETARCH go build`) or an ENV. */
const GOARCH_FROM_TARGET = /(^|\s)GOARCH=["']?\$\{?TARGETARCH\}?/;
const GOARCH_SET = /(^|\s)GOARCH=(\S*)/;

/** Names an ARG instruction declares (`ARG TARGETOS TARGETARCH`, `ARG A=1`). */
const argNames = (i: InstructionInfo): string[] => i.args.split(/\s+/).map((word) => word.split('=')[0] ?? '');

export const dockerfileCrossCompile = defineCheck({
  id: 'dockerfile.cross-compile',
  kind: 'static',
  title: L('The build stage runs on the build machine and cross-compiles for the target platform', '构建阶段在构建机器上运行，并为目标平台交叉编译'),
  params: noParams,
  // TARGETARCH and BUILDPLATFORM are set by BuildKit; the classic builder leaves them empty.
  needs: ['buildkit'],
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const compile = analysis.instructions.filter((i) => i.keyword === 'RUN' && GO_COMPILE.test(runText(i))).pop();
      if (!compile) {
        return outcome(
          'fail',
          L('No RUN go build was found: the binary must be compiled in a build stage.', '没有找到 RUN go build：二进制必须在构建阶段里编译。'),
        );
      }
      const stages = stageChain(analysis, compile.stage);
      const froms = analysis.instructions.filter((i) => i.keyword === 'FROM' && stages.includes(i.stage));
      const platform = froms.flatMap((i) => i.flags.filter((f) => f.name === 'platform')).map((f) => f.value ?? '')[0];
      const from = froms.find((i) => i.stage === compile.stage) ?? froms[0];
      if (!platform || !BUILDPLATFORM.test(platform)) {
        const message = platform
          ? atLine(
              from?.line,
              `the stage that runs go build has --platform=${platform}: it runs on that platform whatever machine builds, so a build on any other machine (an arm64 Mac, an amd64 CI runner) emulates it, many times slower and only where QEMU is installed. Write FROM --platform=$BUILDPLATFORM golang:… AS build: the stage runs on the machine that builds, and Go cross-compiles.`,
              `运行 go build 的阶段写了 --platform=${platform}：无论由哪台机器构建，它都在这个平台上运行，所以在其他任何机器上（arm64 的 Mac、amd64 的 CI 运行器）构建都要模拟它，慢很多倍，而且只有装了 QEMU 的机器才行。请写 FROM --platform=$BUILDPLATFORM golang:… AS build：让这个阶段在执行构建的机器上运行，由 Go 交叉编译。`,
            )
          : atLine(
              from?.line,
              'the stage that runs go build starts FROM without --platform, so it runs on the platform being built: for linux/arm64 on an amd64 machine that means emulating arm64 (many times slower, and only where QEMU is installed) or no Go image at all. Write FROM --platform=$BUILDPLATFORM golang:… AS build, and let Go cross-compile.',
              '运行 go build 的阶段的 FROM 没有写 --platform，所以它在被构建的平台上运行：在 amd64 机器上构建 linux/arm64 时，这意味着要模拟 arm64（慢很多倍，而且只有装了 QEMU 的机器才行），或者根本找不到对应的 Go 镜像。请写 FROM --platform=$BUILDPLATFORM golang:… AS build，让 Go 去交叉编译。',
            );
        return outcome('fail', message, { line: from?.line ?? null });
      }
      const before = analysis.instructions.filter((i) => stages.includes(i.stage) && i.line < compile.line);
      const env = before.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG');
      const text = runText(compile);
      // In a RUN, GOARCH reaches go build only as a prefix of that command (GOARCH=… go build), or exported.
      const prefixed = /GOARCH=["']?\$\{?TARGETARCH\}?["']?(?:[\s\\]+[A-Za-z_][A-Za-z0-9_]*=\S*)*[\s\\]+go\s+(?:build|install)\b/.test(text);
      const exported = /\bexport\s+[^;&|\n]*\bGOARCH=["']?\$\{?TARGETARCH\}?/.test(text);
      const named = GOARCH_FROM_TARGET.test(text);
      const inRun = named && (prefixed || exported);
      const shellOnly = named && !inRun;
      const envUse = env.find((i) => i.keyword === 'ENV' && GOARCH_FROM_TARGET.test(` ${i.args}`));
      const inEnv = envUse !== undefined;
      if (shellOnly && !inEnv) {
        return outcome(
          'fail',
          atLine(
            compile.line,
            'GOARCH=$TARGETARCH is set as a shell variable of its own command (followed by && or ;), which go build never sees, so it builds for the build machine. Write it as a prefix of go build (GOOS=$TARGETOS GOARCH=$TARGETARCH go build …) or export it.',
            'GOARCH=$TARGETARCH 被设成了它自己那条命令的 shell 变量（后面跟着 && 或 ;），go build 根本看不到它，于是为构建机器编译。请把它写成 go build 的前缀（GOOS=$TARGETOS GOARCH=$TARGETARCH go build …），或者 export 它。',
          ),
          { line: compile.line },
        );
      }
      if (!inRun && !inEnv) {
        const fixed = GOARCH_SET.exec(text)?.[2] ?? env.map((i) => GOARCH_SET.exec(` ${i.args}`)?.[2]).find(Boolean);
        return outcome(
          'fail',
          atLine(
            compile.line,
            fixed
              ? `go build is told GOARCH=${fixed}: every platform would get that one architecture. Take it from the platform being built: GOARCH=$TARGETARCH (and GOOS=$TARGETOS).`
              : `the build stage runs on the build machine, and go build is not told which architecture to build for, so it builds for that machine: an arm64 image would hold an amd64 binary. Add ARG TARGETOS TARGETARCH to the stage and build with GOOS=$TARGETOS GOARCH=$TARGETARCH.`,
            fixed
              ? `go build 被指定为 GOARCH=${fixed}：每个平台都会得到同一种架构。请从被构建的平台取值：GOARCH=$TARGETARCH（以及 GOOS=$TARGETOS）。`
              : `构建阶段在构建机器上运行，而 go build 没有被告知要为哪种架构编译，于是它为这台机器编译：arm64 镜像里会装着 amd64 的二进制。请在该阶段加上 ARG TARGETOS TARGETARCH，并用 GOOS=$TARGETOS GOARCH=$TARGETARCH 构建。`,
          ),
          { line: compile.line },
        );
      }
      // BuildKit's platform args exist in a stage only once it declares them (an ARG's scope is its stage).
      // Declared before its use: the go build line, or the ENV that reads it (an ENV before the ARG expands to nothing).
      const use = inRun ? compile : (envUse ?? compile);
      const declared = analysis.instructions.some(
        (i) => i.keyword === 'ARG' && i.stage === use.stage && i.line < use.line && argNames(i).includes('TARGETARCH'),
      );
      if (!declared) {
        // An ARG before the first FROM is only for FROM lines: the stage does not see it.
        const global = analysis.instructions.some((i) => i.keyword === 'ARG' && i.stage === -1 && argNames(i).includes('TARGETARCH'));
        return outcome(
          'fail',
          atLine(
            use.line,
            `GOARCH comes from $TARGETARCH, but this stage does not declare ARG TARGETARCH before this line: inside a stage it is empty until declared, so go build builds for the build machine.${global ? ' The ARG before the first FROM only reaches FROM lines.' : ''} Add ARG TARGETOS TARGETARCH to the stage, before this line.`,
            `GOARCH 取自 $TARGETARCH，但这个阶段在这一行之前没有声明 ARG TARGETARCH：在阶段内部，它在声明之前是空的，所以 go build 会为构建机器编译。${global ? '第一个 FROM 之前的 ARG 只对 FROM 行有效。' : ''}请在这一行之前，在该阶段加上 ARG TARGETOS TARGETARCH。`,
          ),
          { line: use.line },
        );
      }
      return outcome(
        'pass',
        atLine(
          compile.line,
          'the build stage runs on the build machine (--platform=$BUILDPLATFORM) and go build targets $TARGETARCH: one native toolchain cross-compiles for every platform.',
          '构建阶段在构建机器上运行（--platform=$BUILDPLATFORM），go build 以 $TARGETARCH 为目标：同一套本机工具链为每个平台交叉编译。',
        ),
        { line: compile.line },
      );
    }),
});
