import { L } from '../../i18n.js';
import { s } from '../../util/schema.js';
import { failWith, findingOf, mounts, noParams, runText, shellWordsAt, withDockerfile, type Mount } from './common.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { GO_COMPILE, GO_TEST, goTestSwallowedInRun } from '../go-commands.js';

/** `go mod download` in a RUN's text. */
const GO_MOD_DOWNLOAD = /\bgo\s+mod\s+download\b/;

export const dockerfileDepsBeforeSource = defineCheck({
  id: 'dockerfile.deps-before-source',
  kind: 'static',
  title: L('Go modules are downloaded before the source is copied', '先下载 Go 模块，再复制源代码'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, async (analysis) => {
      const value = analysis.facts.depsBeforeSource;
      if (value === null) {
        return outcome(
          'unknown',
          L(
            'No RUN go build was found (a script may build); the build-cache check decides.',
            '没有找到 RUN go build（可能由脚本构建）；由构建缓存检查来判断。',
          ),
        );
      }
      const fault = findingOf(analysis, ['deps-after-source']);
      if (fault) {
        // A module that requires nothing has nothing to download again: the order costs nothing yet.
        const goMod = await ctx.files.read('go.mod');
        if (goMod !== undefined && !/^\s*require\b/m.test(goMod)) {
          return outcome(
            'pass',
            L(
              'go.mod requires no module, so a source change has nothing to download again. Once it requires one, copy go.mod and go.sum and download before the rest of the source.',
              'go.mod 没有依赖任何模块，所以改源码后没有需要重新下载的内容。一旦有了依赖，请先复制 go.mod 和 go.sum 并下载，再复制其余源码。',
            ),
            { line: fault.line ?? undefined },
          );
        }
        return failWith(fault);
      }
      const goBuilds = new Set(analysis.instructions.filter((i) => i.keyword === 'RUN' && GO_COMPILE.test(runText(i))).map((i) => i.line));
      // The download step the check is named for comes first; the module mount is the other way.
      const download = analysis.instructions.find((i) => i.keyword === 'RUN' && GO_MOD_DOWNLOAD.test(runText(i)) && [...goBuilds].some((b) => i.line < b));
      if (download) {
        return outcome(
          'pass',
          atLine(
            download.line,
            'the modules are downloaded here, after copying only go.mod and go.sum and before the rest of the source: a source change reuses this layer.',
            '在这里下载模块：此前只复制了 go.mod 和 go.sum，其余源码在它之后复制，所以改源码会复用这一层。',
          ),
          { line: download.line },
        );
      }
      const modMount = mounts(analysis, 'cache').find((m) => goBuilds.has(m.line) && /pkg\/mod|mod$/.test(m.options.target ?? m.options.dst ?? ''));
      if (modMount) {
        const target = modMount.options.target ?? modMount.options.dst ?? '';
        return outcome(
          'pass',
          atLine(
            modMount.line,
            `go build mounts the Go module cache (--mount=type=cache,target=${target}): after a source change it finds the modules there instead of downloading them.`,
            `go build 挂载了 Go 模块缓存（--mount=type=cache,target=${target}）：改了源码之后，它直接从缓存里取模块，不会重新下载。`,
          ),
          { line: modMount.line },
        );
      }
      return outcome(
        'pass',
        L(
          'The module files (go.mod, go.sum) are copied and the modules downloaded before the rest of the source.',
          '在复制其余源代码之前，已复制模块文件（go.mod、go.sum）并下载了模块。',
        ),
      );
    }),
});

export const dockerfileCacheMount = defineCheck({
  id: 'dockerfile.cache-mount',
  kind: 'static',
  title: L('go build mounts the Go build cache, so a source change recompiles only what changed', 'go build 挂载了 Go 构建缓存，改源码后只重新编译改动的部分'),
  params: noParams,
  // A cache mount is BuildKit syntax: on a classic-only engine this advice cannot be followed.
  needs: ['buildkit'],
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const caches = mounts(analysis, 'cache');
      const envOf = (name: string): string[] => analysis.env.filter((e) => e.name === name && e.value).map((e) => e.value ?? '');
      const target = (m: Mount): string => m.options.target ?? m.options.dst ?? m.options.destination ?? '';
      // Go's build cache is GOCACHE, else $HOME/.cache/go-build: a mount there or on a folder above it keeps it.
      const cacheDir = (envOf('GOCACHE').pop() ?? '/root/.cache/go-build').replace(/\/+$/, '');
      const covers = (t: string): boolean => {
        const dir = t.replace(/\/+$/, '');
        return dir.length > 0 && (dir === cacheDir || cacheDir.startsWith(`${dir}/`));
      };
      const isBuildCache = (m: Mount): boolean => /go-build/.test(target(m)) || covers(target(m));
      const isModCache = (m: Mount): boolean => /pkg\/mod/.test(target(m)) || envOf('GOMODCACHE').includes(target(m));
      const compiles = analysis.instructions.filter((i) => i.keyword === 'RUN' && GO_COMPILE.test(runText(i))).map((i) => i.line);
      const onCompile = (m: Mount): boolean => compiles.includes(m.line);
      const good = caches.find((m) => onCompile(m) && isBuildCache(m));
      if (good) {
        // Works, but wastes a download on a cold cache: the mount hides the modules the download
        // step left in its layer, so go build fetches them all again into the mount.
        const modOnBuild = caches.find((m) => m.line === good.line && isModCache(m));
        const download = analysis.instructions.find((i) => i.keyword === 'RUN' && GO_MOD_DOWNLOAD.test(runText(i)));
        const twice =
          modOnBuild && download && !caches.some((m) => m.line === download.line && isModCache(m))
            ? L(
                ` Mount ${target(modOnBuild)} on go mod download (line ${download.line}) too: without it the modules it downloads stay in its layer, which go build's mount hides, so a build on an empty cache downloads them twice.`,
                `也请在 go mod download（第 ${download.line} 行）上挂载 ${target(modOnBuild)}：否则它下载的模块留在自己的层里，而 go build 的挂载会把这一层的目录遮住，缓存为空时模块要下载两遍。`,
              )
            : L('', '');
        return outcome(
          'pass',
          atLine(
            good.line,
            `go build mounts the Go build cache (--mount=type=cache,target=${target(good)}): after a source change it recompiles only the packages that changed.${twice.en}`,
            `go build 挂载了 Go 构建缓存（--mount=type=cache,target=${target(good)}）：改了源码之后，只重新编译改动过的包。${twice['zh-CN']}`,
          ),
          { line: good.line },
        );
      }
      if (caches.some((m) => target(m).includes('$'))) {
        return outcome(
          'unknown',
          L('A cache mount target uses a variable; the build-cache check decides.', '缓存挂载的 target 使用了变量；由构建缓存检查来判断。'),
        );
      }
      const compileLine = compiles[0];
      if (compileLine === undefined) {
        return outcome(
          'unknown',
          L(
            'No RUN go build was found (a script may build), so it cannot be told whether the build cache is mounted where Go compiles.',
            '没有找到 RUN go build（可能由脚本构建），因此无法判断构建缓存是否挂载在 Go 编译的那一步。',
          ),
        );
      }
      const elsewhere = caches.find(isBuildCache);
      const modOnly = caches.find((m) => onCompile(m) && isModCache(m));
      const other = caches.find((m) => !isBuildCache(m) && !isModCache(m));
      const ADD = '--mount=type=cache,target=/root/.cache/go-build';
      const why = elsewhere
        ? atLine(
            elsewhere.line,
            `the Go build cache is mounted on a RUN that does not compile; a mount exists only while its own RUN runs. Add ${ADD} to the RUN go build (line ${compileLine}).`,
            `Go 构建缓存挂载在一条不做编译的 RUN 上；挂载只在它自己的 RUN 运行期间存在。请把 ${ADD} 加到 RUN go build（第 ${compileLine} 行）上。`,
          )
        : modOnly
          ? atLine(
              compileLine,
              `go build mounts only the module cache (${target(modOnly)}): the modules stay, but every package, gin and all its dependencies, is compiled again after a source change. Add ${ADD} to the same RUN.`,
              `go build 只挂载了模块缓存（${target(modOnly)}）：模块保留了，但改了源码之后，所有包（gin 及其全部依赖）都要重新编译。请在同一条 RUN 上加上 ${ADD}。`,
            )
          : other
            ? atLine(
                other.line,
                `the cache mount targets ${target(other)}, not the Go caches. Mount /root/.cache/go-build (build cache) and /go/pkg/mod (modules) on the RUN go build (line ${compileLine}).`,
                `缓存挂载的目标是 ${target(other)}，不是 Go 的缓存目录。请在 RUN go build（第 ${compileLine} 行）上挂载 /root/.cache/go-build（构建缓存）和 /go/pkg/mod（模块）。`,
              )
            : atLine(
                compileLine,
                `go build mounts no build cache, so after a source change it compiles every package again, gin and all its dependencies. Write RUN --mount=type=cache,target=/go/pkg/mod ${ADD} go build ..., and mount /go/pkg/mod on go mod download too.`,
                `go build 没有挂载构建缓存，所以改了源码之后，所有包（gin 及其全部依赖）都要重新编译。请写成 RUN --mount=type=cache,target=/go/pkg/mod ${ADD} go build ...，并在 go mod download 上同样挂载 /go/pkg/mod。`,
              );
      return outcome('fail', why, { line: elsewhere?.line ?? other?.line ?? compileLine });
    }),
});

export const dockerfileCgoDisabled = defineCheck({
  id: 'dockerfile.cgo-disabled',
  kind: 'static',
  title: L('Go builds a static binary (CGO_ENABLED=0)', 'Go 构建静态二进制（CGO_ENABLED=0）'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const value = analysis.facts.cgoDisabled;
      const line = analysis.details.cgoLine;
      if (value === true)
        return outcome(
          'pass',
          L('CGO_ENABLED=0 is set for go build, so the binary is statically linked.', 'go build 设置了 CGO_ENABLED=0，二进制是静态链接的。'),
        );
      const fault = findingOf(analysis, ['cgo-enabled']);
      if (fault) return failWith(fault);
      const unset = findingOf(analysis, ['cgo-unset']);
      if (unset) return outcome('unknown', unset.message, { line: unset.line });
      return outcome(
        'unknown',
        atLine(
          line,
          value === false
            ? 'CGO_ENABLED=1 is set; whether the binary runs depends on the final base. The static-binary check decides.'
            : 'the Dockerfile does not set CGO_ENABLED=0 (Go turns cgo off by itself when no C compiler is present, e.g. on golang:*-alpine). The static-binary check decides; write CGO_ENABLED=0 go build to be explicit.',
          value === false
            ? '设置了 CGO_ENABLED=1；二进制能否运行取决于最终基础镜像。由静态二进制检查来判断。'
            : 'Dockerfile 没有设置 CGO_ENABLED=0（没有 C 编译器时 Go 会自动关闭 cgo，例如 golang:*-alpine）。由静态二进制检查来判断；建议显式写 CGO_ENABLED=0 go build。',
        ),
        { line },
      );
    }),
});

export const dockerfileTestStage = defineCheck({
  id: 'dockerfile.test-stage',
  kind: 'static',
  title: L('A test stage runs go test, apart from the final image', '一个独立于最终镜像的测试阶段运行 go test'),
  params: s.object({ target: s.string().min(1).default('test') }),
  run: (ctx, params) =>
    withDockerfile(ctx, (analysis) => {
      const target = params.target.toLowerCase();
      const stage = analysis.stages.find((st) => st.name === target);
      if (!stage) {
        return outcome(
          'fail',
          L(
            `No stage is named ${params.target}, so docker build --target ${params.target} has nothing to build. Add one before the final stage: FROM build AS ${params.target}, then RUN go test ./...`,
            `没有名为 ${params.target} 的阶段，所以 docker build --target ${params.target} 无从构建。请在最终阶段之前加上：FROM build AS ${params.target}，然后 RUN go test ./...`,
          ),
        );
      }
      if (stage.index === analysis.finalStage) {
        return outcome(
          'fail',
          atLine(
            stage.line,
            `the ${params.target} stage is the last one, and docker build without --target builds the last stage: the image would be the tests, not the app. Move it before the final stage.`,
            `${params.target} 阶段是最后一个阶段，而不带 --target 的 docker build 构建的正是最后一个阶段：得到的镜像是测试，而不是应用。请把它移到最终阶段之前。`,
          ),
          { line: stage.line },
        );
      }
      const run = analysis.instructions.find((i) => i.stage === stage.index && i.keyword === 'RUN' && GO_TEST.test(runText(i)));
      if (!run) {
        return outcome(
          'fail',
          atLine(
            stage.line,
            `the ${params.target} stage runs no go test. Add RUN go test ./... to it.`,
            `${params.target} 阶段没有运行 go test。请在其中加上 RUN go test ./...。`,
          ),
          { line: stage.line },
        );
      }
      const tail = goTestSwallowedInRun(runText(run), shellWordsAt(analysis, run));
      if (tail) {
        return outcome(
          'fail',
          atLine(
            run.line,
            `\`${tail}\` after go test throws its exit status away: the stage succeeds whatever the tests say, so a failing test never fails the build. Remove it${tail.startsWith('|') ? ', or make the pipe fail with it (SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN)' : ''}.`,
            `go test 后面的 \`${tail}\` 丢掉了它的退出状态：无论测试结果如何，这个阶段都会成功，失败的测试永远不会让构建失败。请去掉它${tail.startsWith('|') ? '，或者让管道随它一起失败（在这个 RUN 之前写 SHELL ["/bin/bash", "-o", "pipefail", "-c"]）' : ''}。`,
          ),
          { line: run.line },
        );
      }
      return outcome(
        'pass',
        atLine(
          run.line,
          `the ${params.target} stage runs go test before the final stage; docker build --target ${params.target} builds it, and the default build skips it.`,
          `${params.target} 阶段在最终阶段之前运行 go test；docker build --target ${params.target} 会构建它，默认构建则会跳过它。`,
        ),
        { line: run.line },
      );
    }),
});
