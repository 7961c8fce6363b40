import { appendFile, readdir } from 'node:fs/promises';
import { join as joinPath, relative } from 'node:path';
import { z } from 'zod';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
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

export const buildCacheReuse = defineCheck({
  id: 'build.cache-reuse',
  kind: 'docker',
  title: L('A source change reuses the dependency layer', '只改源码时依赖层命中缓存'),
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
    if (!step) {
      return fail(
        L(
          `No build step runs \`${params.step}\`: copy go.mod and go.sum, RUN ${params.step}, then copy the rest of the source.`,
          `没有任何构建步骤执行 \`${params.step}\`：请先复制 go.mod 和 go.sum，RUN ${params.step}，再复制其余源码。`,
        ),
      );
    }
    const seconds = (step.durationMs ?? 0) / 1000;
    const measured = { cached: step.cached, stepSeconds: Number(seconds.toFixed(1)), rebuildSeconds: Number(m.seconds.toFixed(1)) };
    const line = stepLine(ctx.dockerfile, step.name);
    if (step.cached) {
      const rerun = m.steps.find((s, i) => i > index && !s.cached);
      const after = rerun ? L(`The change re-ran \`${rerun.name}\`.`, `这次修改重新执行了 \`${rerun.name}\`。`) : undefined;
      return pass(
        join(
          L(
            `After changing ${changed}, the dependency step was reused from cache (${secs(seconds)}).`,
            `修改 ${changed} 后，依赖步骤命中了缓存（${secs(seconds)}）。`,
          ),
          after,
        ),
        measured,
        line,
      );
    }
    if (/--mount=type=cache/.test(step.name)) {
      return pass(
        L(
          `After changing ${changed}, \`${step.name}\` re-ran in ${secs(seconds)} but reused the module cache mount.`,
          `修改 ${changed} 后，\`${step.name}\` 重新执行（${secs(seconds)}），但复用了模块缓存挂载。`,
        ),
        measured,
        line,
      );
    }
    const buster = m.steps.slice(0, index).find((s) => !s.cached && !/\bFROM\b/.test(s.name));
    const busterLine = buster ? stepLine(ctx.dockerfile, buster.name) : undefined;
    const because = buster
      ? L(
          `It re-ran because \`${buster.name}\`${busterLine ? ` (line ${busterLine})` : ''} comes before it and copies the changed file.`,
          `它重新执行是因为 \`${buster.name}\`${busterLine ? `（第 ${busterLine} 行）` : ''} 在它之前，并且复制了被修改的文件。`,
        )
      : undefined;
    return fail(
      join(
        L(
          `After changing only ${changed}, \`${step.name}\` re-ran (${secs(seconds)}).`,
          `只修改 ${changed} 后，\`${step.name}\` 重新执行了（${secs(seconds)}）。`,
        ),
        because,
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
