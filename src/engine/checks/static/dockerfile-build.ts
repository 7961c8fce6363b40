import { L } from '../../i18n.js';
import { failWith, findingOf, mounts, noParams, withDockerfile, type Mount } from './common.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';

export const dockerfileDepsBeforeSource = defineCheck({
  id: 'dockerfile.deps-before-source',
  kind: 'static',
  title: L('Go modules are downloaded before the source is copied', '先下载 Go 模块，再复制源代码'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
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
      if (fault) return failWith(fault);
      const goBuilds = new Set(
        analysis.instructions.filter((i) => i.keyword === 'RUN' && /(^|[\s;&|(])go\s+(build|install)\b/.test(i.args)).map((i) => i.line),
      );
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
          'go.mod and go.sum are copied and the modules downloaded before the rest of the source.',
          '在复制其余源代码之前，已复制 go.mod 和 go.sum 并下载了模块。',
        ),
      );
    }),
});

export const dockerfileCacheMount = defineCheck({
  id: 'dockerfile.cache-mount',
  kind: 'static',
  title: L('A cache mount keeps the Go module/build cache between builds', '使用缓存挂载在多次构建之间保留 Go 模块/构建缓存'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const caches = mounts(analysis, 'cache');
      const goDirs = analysis.env.filter((e) => (e.name === 'GOMODCACHE' || e.name === 'GOCACHE') && e.value).map((e) => e.value ?? '');
      const target = (m: Mount): string => m.options.target ?? m.options.dst ?? m.options.destination ?? '';
      const isGo = (m: Mount): boolean => /pkg\/mod|go-build|\.cache\/go/.test(target(m)) || goDirs.includes(target(m));
      const good = caches.find(isGo);
      if (good) {
        return outcome(
          'pass',
          atLine(
            good.line,
            `RUN --mount=type=cache,target=${target(good)} keeps the Go cache between builds.`,
            `RUN --mount=type=cache,target=${target(good)} 在多次构建之间保留 Go 缓存。`,
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
      const other = caches[0];
      return outcome(
        'fail',
        other
          ? atLine(
              other.line,
              `the cache mount targets ${target(other)}, not the Go caches. Mount /go/pkg/mod (modules) and /root/.cache/go-build (build cache).`,
              `缓存挂载的目标是 ${target(other)}，不是 Go 的缓存目录。请挂载 /go/pkg/mod（模块）和 /root/.cache/go-build（构建缓存）。`,
            )
          : L(
              'No RUN uses --mount=type=cache. Add it to go mod download and go build: RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ...',
              '没有任何 RUN 使用 --mount=type=cache。请在 go mod download 和 go build 上加上：RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ...',
            ),
        { line: other?.line },
      );
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
