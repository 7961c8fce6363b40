import { appendFile, readdir } from 'node:fs/promises';
import { join as joinPath, relative } from 'node:path';
import { z } from 'zod';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import type { JudgeContext } from '../types.js';
import { fail, join, pass, quoteLines, secs, skip } from '../outcome.js';
import { appPort, diagnoseNoAnswer, notStarted, stepLine } from './explain.js';
import { lessonImage, probe } from './measure.js';

/** The first .go file under cmd/ or internal/ (sorted, so the choice is stable). */
const findGoSource = async (dir: string): Promise<string | undefined> => {
  for (const top of ['cmd', 'internal']) {
    const root = joinPath(dir, top);
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries
      .filter((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go'))
      .map((e) => joinPath(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
      .sort();
    if (files[0]) return files[0];
  }
  return undefined;
};

/** Options of each `--mount=...` in a build step's name ("[build 4/6] RUN --mount=type=cache,target=/go/pkg/mod go build ..."). */
const stepMounts = (name: string): Record<string, string>[] =>
  [...name.matchAll(/--mount=(\S+)/g)].map((m) =>
    Object.fromEntries(
      (m[1] ?? '').split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
      }),
    ),
  );

/** Where Go keeps modules in the build: GOMODCACHE or GOPATH of the Dockerfile, else the defaults. */
const moduleCacheDirs = (analysis: JudgeContext['dockerfile']): string[] => {
  const env = analysis?.ok ? analysis.env : [];
  const modcache = env.filter((e) => e.name === 'GOMODCACHE' && e.value).pop()?.value;
  const gopath = env
    .filter((e) => e.name === 'GOPATH' && e.value)
    .pop()
    ?.value?.split(':')[0];
  return modcache ? [modcache] : gopath ? [`${gopath}/pkg/mod`] : ['/go/pkg/mod', '/root/go/pkg/mod'];
};

/** The target of the step's cache mount that holds Go's module cache, if it has one. */
const moduleMount = (stepName: string, analysis: JudgeContext['dockerfile']): string | undefined => {
  const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const dirs = moduleCacheDirs(analysis).map(trim);
  return stepMounts(stepName)
    .filter((m) => m.type === 'cache')
    .map((m) => trim(m.target ?? m.dst ?? m.destination ?? ''))
    .find((t) => t !== '' && dirs.some((d) => d === t || d.startsWith(`${t === '/' ? '' : t}/`)));
};

/** A build step's name as one line (BuildKit keeps the continuation lines' indentation). */
const oneLine = (name: string): string => name.replace(/\s+/g, ' ');

const GO_BUILD_STEP = /(^|[\s;&|(])go\s+(build|install)\b/;

export const buildCacheReuse = defineCheck({
  id: 'build.cache-reuse',
  kind: 'docker',
  title: L('A source change reuses the downloaded Go modules', '只改源码时复用已下载的 Go 模块'),
  params: z.object({ step: z.string().min(1).default('go mod download') }),
  measure: async (ctx) => {
    await lessonImage(ctx);
    const copy = await ctx.docker.stageContext();
    const source = await findGoSource(copy);
    if (!source) return { changed: null };
    const changed = relative(copy, source);
    await appendFile(source, `\n// learn-go-docker cache check ${Date.now()}\n`);
    ctx.progress({ type: 'note', message: L(`Rebuilding after changing ${changed}…`, `修改 ${changed} 后重新构建…`) });
    const rebuild = await ctx.docker.build({ contextDir: copy, staged: true, dockerfile: ctx.dockerfilePath });
    return { changed, ok: rebuild.ok, failedStep: rebuild.failedStep ?? null, tail: rebuild.tail, seconds: rebuild.durationMs / 1000, steps: rebuild.steps };
  },
  judge: (m, params, ctx) => {
    if (m.changed === null || !('steps' in m))
      return skip(L('Skipped: no .go file under cmd/ or internal/ to change.', '已跳过：cmd/ 或 internal/ 下没有可修改的 .go 文件。'));
    const { changed } = m;
    if (!m.ok) {
      return fail(
        L(
          `The rebuild after changing only ${changed} failed at ${m.failedStep ?? 'an unknown step'}:${quoteLines(m.tail)}`,
          `只修改 ${changed} 后重新构建失败，失败步骤 ${m.failedStep ?? '未知'}：${quoteLines(m.tail)}`,
        ),
      );
    }
    const index = m.steps.findIndex((s) => s.name.includes(params.step));
    const step = m.steps[index];
    // What the rebuild measured: Go prints "go: downloading <module>" for every module it fetches.
    const downloader = m.steps.find((s) => (s.goDownloads ?? 0) > 0);
    const downloads = m.steps.reduce((n, s) => n + (s.goDownloads ?? 0), 0);
    const measured = {
      ...(step ? { cached: step.cached, stepSeconds: Number(((step.durationMs ?? 0) / 1000).toFixed(1)) } : {}),
      downloads,
      rebuildSeconds: Number(m.seconds.toFixed(1)),
    };
    if (downloader) {
      const line = stepLine(ctx.dockerfile, downloader.name);
      const mountedDownload = step && step.cached && step !== downloader && moduleMount(step.name, ctx.dockerfile);
      const why = mountedDownload
        ? L(
            `\`${oneLine(step.name)}\` was reused, but it downloads into a cache mount (${mountedDownload}), which is not in the image, and this step does not mount it. Add the same --mount=type=cache,target=${mountedDownload} to it.`,
            `\`${oneLine(step.name)}\` 命中了缓存，但它把模块下载到缓存挂载（${mountedDownload}）里，缓存挂载不在镜像中，而这一步没有挂载它。请给这一步加上同样的 --mount=type=cache,target=${mountedDownload}。`,
          )
        : L(
            'COPY go.mod go.sum first and RUN go mod download, then COPY the rest; or mount the module cache on that step (--mount=type=cache,target=/go/pkg/mod).',
            '请先 COPY go.mod go.sum 并 RUN go mod download，再 COPY 其余文件；或者给这一步挂载模块缓存（--mount=type=cache,target=/go/pkg/mod）。',
          );
      return fail(
        join(
          L(
            `After changing only ${changed}, \`${oneLine(downloader.name)}\` downloaded ${downloads} Go module(s) again ("go: downloading ...").`,
            `只修改 ${changed} 后，\`${oneLine(downloader.name)}\` 又下载了 ${downloads} 个 Go 模块（"go: downloading ..."）。`,
          ),
          why,
        ),
        measured,
        line,
      );
    }
    if (!step) {
      // No separate download step: right when go build re-ran on the module cache mount and fetched nothing.
      const build = m.steps.find((s) => GO_BUILD_STEP.test(s.name) && !s.cached);
      const mount = build ? moduleMount(build.name, ctx.dockerfile) : undefined;
      if (build && mount) {
        return pass(
          L(
            `No separate download step: after changing ${changed}, \`${oneLine(build.name)}\` re-ran with the module cache mounted at ${mount} and downloaded no module.`,
            `没有单独的下载步骤：修改 ${changed} 后，\`${oneLine(build.name)}\` 重新执行，挂载了位于 ${mount} 的模块缓存，没有下载任何模块。`,
          ),
          measured,
          stepLine(ctx.dockerfile, build.name),
        );
      }
      return fail(
        L(
          `No build step runs \`${params.step}\`${build ? ` and \`${oneLine(build.name)}\` has no module cache mount` : ''}: copy go.mod and go.sum, RUN ${params.step}, then copy the rest of the source (or mount the module cache on go build: --mount=type=cache,target=/go/pkg/mod).`,
          `没有任何构建步骤执行 \`${params.step}\`${build ? `，\`${oneLine(build.name)}\` 也没有挂载模块缓存` : ''}：请先复制 go.mod 和 go.sum，RUN ${params.step}，再复制其余源码（或者给 go build 挂载模块缓存：--mount=type=cache,target=/go/pkg/mod）。`,
        ),
        measured,
      );
    }
    const seconds = (step.durationMs ?? 0) / 1000;
    const line = stepLine(ctx.dockerfile, step.name);
    if (step.cached) {
      const rerun = m.steps.find((s, i) => i > index && !s.cached);
      const after = rerun ? L(`The change re-ran \`${oneLine(rerun.name)}\`.`, `这次修改重新执行了 \`${oneLine(rerun.name)}\`。`) : undefined;
      return pass(
        join(
          L(
            `After changing ${changed}, the dependency step was reused from cache (${secs(seconds)}) and no step downloaded a module.`,
            `修改 ${changed} 后，依赖步骤命中了缓存（${secs(seconds)}），没有任何步骤下载模块。`,
          ),
          after,
        ),
        measured,
        line,
      );
    }
    // go mod download prints nothing: when it re-ran, only a module cache mount spared the downloads.
    const mount = moduleMount(step.name, ctx.dockerfile);
    if (mount) {
      return pass(
        L(
          `After changing ${changed}, \`${oneLine(step.name)}\` re-ran in ${secs(seconds)} but found the modules in the cache mount at ${mount}.`,
          `修改 ${changed} 后，\`${oneLine(step.name)}\` 重新执行（${secs(seconds)}），但从位于 ${mount} 的缓存挂载中找到了模块。`,
        ),
        measured,
        line,
      );
    }
    const otherMount = stepMounts(step.name).find((o) => o.type === 'cache');
    const buster = m.steps.slice(0, index).find((s) => !s.cached && !/\bFROM\b/.test(s.name));
    const busterLine = buster ? stepLine(ctx.dockerfile, buster.name) : undefined;
    const because = buster
      ? L(
          `It re-ran because \`${oneLine(buster.name)}\`${busterLine ? ` (line ${busterLine})` : ''} comes before it and copies the changed file.`,
          `它重新执行是因为 \`${oneLine(buster.name)}\`${busterLine ? `（第 ${busterLine} 行）` : ''} 在它之前，并且复制了被修改的文件。`,
        )
      : undefined;
    const mountNote = otherMount
      ? L(
          `Its cache mount (${otherMount.target ?? otherMount.dst ?? '?'}) is not the module cache (/go/pkg/mod), so the modules were downloaded again.`,
          `它的缓存挂载（${otherMount.target ?? otherMount.dst ?? '?'}）不是模块缓存（/go/pkg/mod），所以模块又被重新下载了。`,
        )
      : undefined;
    return fail(
      join(
        L(
          `After changing only ${changed}, \`${oneLine(step.name)}\` re-ran (${secs(seconds)}).`,
          `只修改 ${changed} 后，\`${oneLine(step.name)}\` 重新执行了（${secs(seconds)}）。`,
        ),
        because,
        mountNote,
        L('COPY go.mod go.sum first, RUN go mod download, then COPY the rest.', '请先 COPY go.mod go.sum，RUN go mod download，再 COPY 其余文件。'),
      ),
      measured,
      busterLine ?? line,
    );
  },
});

export const buildVersionArg = defineCheck({
  id: 'build.version-arg',
  kind: 'docker',
  title: L('The version build arg reaches the binary', '版本构建参数传到了二进制'),
  params: z.object({ arg: z.string().min(1).default('VERSION'), value: z.string().min(1), path: z.string().startsWith('/').default('/version') }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx, { [params.arg]: params.value });
    const { start, attempt, container } = await probe(ctx, {
      image: id,
      port: appPort(image),
      path: params.path,
      deadlineMs: 20_000,
      accept: (status) => status === 200,
    });
    return { start, attempt, container };
  },
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    const arg = `--build-arg ${params.arg}=${params.value}`;
    if (!attempt.ok)
      return fail(
        join(
          L(`Built with ${arg}; GET ${params.path}: no answer (${attempt.error}).`, `使用 ${arg} 构建；GET ${params.path}：没有响应（${attempt.error}）。`),
          diagnoseNoAnswer(m.container),
        ),
      );
    const body = attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    if (attempt.answer.status === 200 && attempt.answer.body.includes(params.value)) {
      return pass(L(`Built with ${arg}; GET ${params.path} answered ${body}`, `使用 ${arg} 构建；GET ${params.path} 返回 ${body}`), { status: 200 });
    }
    return fail(
      L(
        `Built with ${arg}; GET ${params.path} answered ${attempt.answer.status} ${body}, without "${params.value}". Declare ARG ${params.arg} in the build stage (after its FROM) and pass it to go build: -ldflags "-X main.version=\${${params.arg}}".`,
        `使用 ${arg} 构建；GET ${params.path} 返回 ${attempt.answer.status} ${body}，其中没有 "${params.value}"。请在构建阶段（FROM 之后）声明 ARG ${params.arg}，并传给 go build：-ldflags "-X main.version=\${${params.arg}}"。`,
      ),
      { status: attempt.answer.status },
    );
  },
});
