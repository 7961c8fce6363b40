import { appendFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import type { JudgeContext } from '../types.js';
import { endWithLines, fail, join, pass, secs, secsZh, skip, unknown } from '../outcome.js';
import { appPort, diagnoseNoAnswer, notStarted, probeError, stepLine } from './explain.js';
import { lessonImage, probe } from './measure.js';
import { findGoSource } from './go-sources.js';
import { GO_COMPILE } from '../go-commands.js';
import { probeValues } from './probe-values.js';
import { jsonObject } from '../../util/json-object.js';

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

/** A build step as the rebuild reports it (the fields the judge reads). */
interface RebuildStep {
  readonly name: string;
  readonly cached: boolean;
}

/** The instruction of a step's name ("[build 2/6] WORKDIR /src" gives WORKDIR). */
const instruction = (name: string): string => /^\[[^\]]*\]\s+(\S+)/.exec(name)?.[1]?.toUpperCase() ?? '';

/**
 * The first step before `stepName` that re-ran (FROM aside), and whether it reads the build
 * context. Only a COPY, an ADD or a RUN with a bind mount can see the changed file; when the first
 * step to re-run is another one (WORKDIR, ENV, a plain RUN before any COPY), the cache was not
 * there for a reason outside the Dockerfile: a cache prune, a new base image, a build beside it.
 */
export const firstRerun = (steps: readonly RebuildStep[], stepName: string): { step: RebuildStep; readsContext: boolean } | undefined => {
  const index = steps.findIndex((s) => s.name.includes(stepName));
  if (index < 0) return undefined;
  const step = steps.slice(0, index).find((s) => !s.cached && instruction(s.name) !== 'FROM');
  if (!step) return undefined;
  const reads = ['COPY', 'ADD'].includes(instruction(step.name)) || stepMounts(step.name).some((m) => m.type === 'bind');
  return { step, readsContext: reads };
};

export const buildCacheReuse = defineCheck({
  id: 'build.cache-reuse',
  kind: 'docker',
  title: L('A source change reuses the downloaded Go modules', '只改源码时复用已下载的 Go 模块'),
  params: s.object({ step: s.string().min(1).default('go mod download') }),
  measure: async (ctx, params) => {
    await lessonImage(ctx);
    const copy = await ctx.docker.stageContext();
    const source = await findGoSource(copy);
    if (!source) return { changed: null };
    const changed = relative(copy, source);
    const rebuildAfterChange = async () => {
      await appendFile(source, `\n// learn-go-docker cache check ${Date.now()}\n`);
      ctx.progress({ type: 'note', message: L(`Rebuilding after changing ${changed}…`, `修改 ${changed} 后重新构建…`) });
      return ctx.docker.build({ contextDir: copy, staged: true, dockerfile: ctx.dockerfilePath });
    };
    let rebuild = await rebuildAfterChange();
    // The cache lost before any step read the change (pruned, or a build beside this one): that
    // rebuild measured the engine, not the Dockerfile. One more change and rebuild, on the cache
    // the first rebuild just filled.
    const lost = rebuild.ok && firstRerun(rebuild.steps, params.step)?.readsContext === false;
    if (lost) rebuild = await rebuildAfterChange();
    return {
      changed,
      ok: rebuild.ok,
      failedStep: rebuild.failedStep ?? null,
      tail: rebuild.tail,
      seconds: rebuild.durationMs / 1000,
      steps: rebuild.steps,
      ...(lost ? { retried: true } : {}),
    };
  },
  judge: (m, params, ctx) => {
    if (m.changed === null || !('steps' in m))
      return skip(L('Skipped: no .go file in the build context to change.', '已跳过：构建上下文中没有可修改的 .go 文件。'));
    const { changed } = m;
    if (!m.ok) {
      return fail(
        L(
          `The rebuild after changing only ${changed} failed at ${m.failedStep ?? 'an unknown step'}${endWithLines(m.tail).en}`,
          `只修改 ${changed} 后重新构建失败，失败步骤 ${m.failedStep ?? '未知'}${endWithLines(m.tail)['zh-CN']}`,
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
      const build = m.steps.find((s) => GO_COMPILE.test(s.name) && !s.cached);
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
      // Nothing downloaded and no step to download: the module needs no dependency (or vendors
      // them). Go prints "go: downloading" for every module it fetches; it printed none.
      return pass(
        L(
          `No step downloaded a Go module after changing ${changed} (none printed "go: downloading"): there was nothing to download again.`,
          `修改 ${changed} 后，没有任何步骤下载 Go 模块（没有输出 "go: downloading"）：没有需要重新下载的内容。`,
        ),
        measured,
      );
    }
    const seconds = (step.durationMs ?? 0) / 1000;
    const line = stepLine(ctx.dockerfile, step.name);
    if (step.cached) {
      // What the learner waits for after a code change: the compile (fast with Go's build cache
      // mounted, a minute or more without it on a small machine) and the whole rebuild.
      const rerun = m.steps.find((s, i) => i > index && !s.cached && GO_COMPILE.test(s.name)) ?? m.steps.find((s, i) => i > index && !s.cached);
      const took = rerun?.durationMs !== undefined ? ` (${secs(rerun.durationMs / 1000)})` : '';
      const after = rerun
        ? L(
            `The change re-ran \`${oneLine(rerun.name)}\`${took}; the whole rebuild took ${secs(m.seconds)}.`,
            `这次修改重新执行了 \`${oneLine(rerun.name)}\`${took}；整个重新构建用了 ${secsZh(m.seconds)}。`,
          )
        : undefined;
      return pass(
        join(
          L(
            `After changing ${changed}, the dependency step was reused from cache (${secs(seconds)}) and no step downloaded a module.`,
            `修改 ${changed} 后，依赖步骤命中了缓存（${secsZh(seconds)}），没有任何步骤下载模块。`,
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
          `修改 ${changed} 后，\`${oneLine(step.name)}\` 重新执行（${secsZh(seconds)}），但从位于 ${mount} 的缓存挂载中找到了模块。`,
        ),
        measured,
        line,
      );
    }
    const otherMount = stepMounts(step.name).find((o) => o.type === 'cache');
    const rerun = firstRerun(m.steps, params.step);
    if (rerun && !rerun.readsContext) {
      // Twice in a row the cache was gone before any step could see the change: not the Dockerfile's doing.
      return unknown(
        L(
          `After changing only ${changed}, the build cache was not used from \`${oneLine(rerun.step.name)}\` on, a step that does not read your files, in two rebuilds one after the other. Something outside the Dockerfile emptied the cache (a cache prune, a new base image, another build at the same time), so whether \`${oneLine(step.name)}\` would be reused is unknown. Verify again.`,
          `只修改 ${changed} 后，连续两次重新构建都从 \`${oneLine(rerun.step.name)}\` 起就没有用上构建缓存，而这一步并不读取你的文件。是 Dockerfile 之外的原因清空了缓存（清理了缓存、换了基础镜像、同时有别的构建），所以无法判断 \`${oneLine(step.name)}\` 是否会被复用。请再验证一次。`,
        ),
      );
    }
    const buster = rerun?.step;
    const busterLine = buster ? stepLine(ctx.dockerfile, buster.name) : undefined;
    const because = buster
      ? L(
          `It re-ran because \`${oneLine(buster.name)}\`${busterLine ? ` (line ${busterLine})` : ''} comes before it and copies the changed file.`,
          `它重新执行是因为 \`${oneLine(buster.name)}\`${busterLine ? `（第 ${busterLine} 行）` : ' '}在它之前，并且复制了被修改的文件。`,
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
          `只修改 ${changed} 后，\`${oneLine(step.name)}\` 重新执行了（${secsZh(seconds)}）。`,
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

/** The reported version: the JSON field of the answer, or undefined when the body is not JSON with that string field. */
const reportedField = (body: string, field: string): string | undefined => {
  const value = jsonObject(body)?.[field];
  return typeof value === 'string' ? value : undefined;
};

export const buildVersionArg = defineCheck({
  id: 'build.version-arg',
  kind: 'docker',
  buildsLessonImage: false,
  title: L('The version build arg reaches the binary', '版本构建参数传到了二进制'),
  params: s.object({
    arg: s.string().min(1).default('VERSION'),
    path: s.string().startsWith('/').default('/version'),
    /** The field of the JSON answer that must equal the build arg (without JSON, the body must contain it). */
    field: s.string().min(1).default('version'),
  }),
  measure: async (ctx, params) => {
    // Two builds with two values no one could have typed into the Dockerfile: a hard-coded version
    // matches neither, a version that really comes from the build arg matches both.
    const text = (await ctx.files.read(ctx.dockerfilePath)) ?? '';
    const builds = [];
    for (const value of probeValues(text, params.arg, 2)) {
      ctx.progress({ type: 'note', message: L(`Building with --build-arg ${params.arg}=${value}…`, `使用 --build-arg ${params.arg}=${value} 构建…`) });
      const { id, image } = await lessonImage(ctx, { [params.arg]: value });
      const { start, attempt, container } = await probe(ctx, {
        image: id,
        port: appPort(image, ctx.port),
        path: params.path,
        deadlineMs: 20_000,
        accept: (status) => status === 200,
      });
      builds.push({ value, start, attempt, container });
    }
    return { builds };
  },
  judge: (m, params) => {
    const { arg, path, field } = params;
    const answers: { value: string; reported: string | undefined; body: string; matches: boolean }[] = [];
    for (const b of m.builds) {
      const flag = `--build-arg ${arg}=${b.value}`;
      if (!b.start.started) return notStarted(b.start);
      const attempt = b.attempt ?? { ok: false as const, error: 'no attempt made' };
      if (!attempt.ok)
        return fail(
          join(
            L(
              `Built with ${flag}; GET ${path}: no answer (${attempt.error}).`,
              `使用 ${flag} 构建；GET ${path}：没有响应（${probeError(attempt.error)['zh-CN']}）。`,
            ),
            diagnoseNoAnswer(b.container),
          ),
        );
      const body = attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200);
      if (attempt.answer.status !== 200)
        return fail(
          L(
            `Built with ${flag}; GET ${path} answered ${attempt.answer.status} ${body}.`,
            `使用 ${flag} 构建；GET ${path} 返回 ${attempt.answer.status} ${body}。`,
          ),
          { status: attempt.answer.status },
        );
      const reported = reportedField(attempt.answer.body, field);
      answers.push({ value: b.value, reported, body, matches: reported === undefined ? attempt.answer.body.includes(b.value) : reported === b.value });
    }
    const built = answers.map((a) => `${arg}=${a.value}`).join(' / ');
    const times = L(answers.length === 2 ? 'twice' : `${answers.length} times`, `${answers.length} 次`);
    const said = answers.map((a) => (a.reported === undefined ? a.body : `"${a.reported}"`)).join(' / ');
    const measured = { status: 200, builds: answers.length, matched: answers.filter((a) => a.matches).length };
    if (answers.every((a) => a.matches)) {
      return pass(
        L(
          `Built ${times.en} with --build-arg ${built}: GET ${path} answered ${field} ${said}, the value of each build.`,
          `用 --build-arg ${built} 分别构建了 ${times['zh-CN']}：GET ${path} 返回的 ${field} 为 ${said}，与每次构建的值一致。`,
        ),
        measured,
      );
    }
    const head = L(
      `Built ${times.en} with --build-arg ${built}; GET ${path} answered ${field} ${said}.`,
      `用 --build-arg ${built} 分别构建了 ${times['zh-CN']}；GET ${path} 返回的 ${field} 为 ${said}。`,
    );
    const fix = L(
      `Declare ARG ${arg} in the build stage (after its FROM) and pass it to go build: -ldflags "-X main.version=\${${arg}}".`,
      `请在构建阶段（FROM 之后）声明 ARG ${arg}，并传给 go build：-ldflags "-X main.version=\${${arg}}"。`,
    );
    const reported = answers.map((a) => a.reported);
    const same = reported.every((r) => r !== undefined && r === reported[0]);
    let why: ReturnType<typeof L>;
    let changed = false;
    if (same && reported[0] === '') {
      why = L(
        `The version is empty: \${${arg}} expanded to nothing where go build ran, so ARG ${arg} is not declared in that stage (an ARG before the first FROM is visible to FROM lines only).`,
        `版本是空的：在运行 go build 的地方 \${${arg}} 展开为空，说明那个阶段没有声明 ARG ${arg}（第一个 FROM 之前的 ARG 只对 FROM 行可见）。`,
      );
    } else if (same) {
      why = L(
        `The same "${reported[0] ?? ''}" both times: the build arg never reaches the binary (go build has no -X main.version=\${${arg}}, the version is typed into -ldflags or the code, or -X names a variable that does not exist, which Go ignores silently).`,
        `两次都是 "${reported[0] ?? ''}"：构建参数没有传到二进制（go build 没有 -X main.version=\${${arg}}，版本被直接写在 -ldflags 或代码里，或者 -X 指向了一个不存在的变量，Go 会悄悄忽略）。`,
      );
    } else if (answers.every((a) => a.reported !== undefined && a.reported !== a.value && a.reported.includes(a.value))) {
      changed = true;
      why = L(
        `The build arg reaches the binary, but changed (${answers[0]?.reported ?? ''} for ${answers[0]?.value ?? ''}): pass it unchanged, so the image reports exactly the version it was built as.`,
        `构建参数传到了二进制，但被改动了（${answers[0]?.value ?? ''} 变成了 ${answers[0]?.reported ?? ''}）：请原样传入，让镜像报告的正是构建时的版本。`,
      );
    } else {
      why = L(`${field} is not the value of --build-arg ${arg} in every build.`, `并非每次构建的 ${field} 都等于 --build-arg ${arg} 的值。`);
    }
    return fail(join(head, why, changed ? undefined : fix), measured);
  },
});
