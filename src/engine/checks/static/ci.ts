import { z } from 'zod';
import { L } from '../../i18n.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { asArray, asString, isMap, loadYaml, type YamlMap } from './yaml-file.js';

export const ciParams = z
  .object({
    path: z.string().min(1).default('.github/workflows/ci.yml'),
    tags: z.array(z.enum(['semver', 'sha'])).optional(),
  })
  .strict();
type CiParams = z.infer<typeof ciParams>;

interface Step {
  readonly uses: string;
  readonly run: string;
  readonly with: YamlMap;
  readonly text: string;
}

const stepsOf = (workflow: YamlMap): Step[] =>
  Object.values(isMap(workflow.jobs) ? workflow.jobs : {}).flatMap((job) =>
    asArray(isMap(job) ? job.steps : [])
      .filter(isMap)
      .map((s) => {
        const withMap = isMap(s.with) ? s.with : {};
        return { uses: asString(s.uses), run: asString(s.run), with: withMap, text: JSON.stringify(s) };
      }),
  );

const isBuild = (s: Step): boolean => /^docker\/build-push-action@/.test(s.uses) || /docker\s+(buildx\s+)?(build|bake)\b/.test(s.run);

/** Build target of a step: `target:` of build-push-action or `--target X`; null for the default (last) stage. */
const targetOf = (s: Step): string | null => asString(s.with.target) || /--target[= ](\S+)/.exec(s.run)?.[1] || null;

/** Stages BuildKit builds for a target (FROM chain and COPY/RUN --from), from the analysis. */
const neededFor = (analysis: DockerfileAnalysis, target: number): Set<number> => {
  const needed = new Set<number>();
  const visit = (index: number): void => {
    if (needed.has(index) || !analysis.stages[index]) return;
    needed.add(index);
    const from = analysis.stages[index]?.fromStage;
    if (from !== null && from !== undefined) visit(from);
    for (const instr of analysis.instructions.filter((i) => i.stage === index)) {
      const values = instr.flags.flatMap((f) =>
        f.name === 'from' ? [f.value ?? ''] : f.name === 'mount' ? [/(?:^|,)from=([^,]+)/.exec(f.value ?? '')?.[1] ?? ''] : [],
      );
      for (const value of values.filter((v) => v !== '')) {
        const byName = analysis.stages.find((s) => s.name === value.toLowerCase());
        visit(/^\d+$/.test(value) ? Number(value) : byName ? byName.index : -1);
      }
    }
  };
  visit(target);
  return needed;
};

/** Does building this target run `go test` in the Dockerfile? */
const buildRunsTests = (analysis: DockerfileAnalysis | undefined, target: string | null): boolean => {
  if (!analysis?.ok) return false;
  const index = target === null ? analysis.finalStage : analysis.stages.find((s) => s.name === target.toLowerCase())?.index;
  if (index === undefined) return false;
  const needed = neededFor(analysis, index);
  return analysis.details.goTestStages.some((s) => needed.has(s));
};

const TAG_SOURCES: Record<'semver' | 'sha', { direct: RegExp; meta: RegExp; en: string; zh: string }> = {
  semver: {
    direct: /github\.ref_name|GITHUB_REF_NAME/,
    meta: /type=semver/,
    en: 'a version tag (docker/metadata-action with type=semver,pattern={{version}}, or ${{ github.ref_name }} on tag pushes)',
    zh: '版本标签（docker/metadata-action 的 type=semver,pattern={{version}}，或在推送 tag 时使用 ${{ github.ref_name }}）',
  },
  sha: {
    direct: /github\.sha|GITHUB_SHA/,
    meta: /type=sha/,
    en: 'the commit SHA (docker/metadata-action with type=sha, or ${{ github.sha }})',
    zh: '提交 SHA（docker/metadata-action 的 type=sha，或 ${{ github.sha }}）',
  },
};

const hasTag = (steps: Step[], builds: Step[], kind: 'semver' | 'sha'): boolean => {
  const source = TAG_SOURCES[kind];
  if (builds.some((b) => source.direct.test(b.text))) return true;
  const meta = steps.filter((s) => /^docker\/metadata-action@/.test(s.uses) && source.meta.test(asString(s.with.tags)));
  return meta.length > 0 && builds.some((b) => /outputs\.tags/.test(b.text));
};

export const ciWorkflow = defineCheck({
  id: 'ci.workflow',
  kind: 'static',
  title: L('CI builds the image and runs the tests', 'CI 构建镜像并运行测试'),
  params: ciParams,
  run: async (ctx, params: CiParams) => {
    const file = params.path;
    const text = await ctx.files.read(file);
    if (text === undefined) return outcome('fail', L(`${file} does not exist. Create the workflow file there.`, `${file} 不存在。请在该位置创建工作流文件。`));
    const parsed = loadYaml(text);
    if (!parsed.ok)
      return outcome(
        'fail',
        L(`${file} line ${parsed.line ?? '?'}: ${parsed.reason}. Fix the YAML.`, `${file} 第 ${parsed.line ?? '?'} 行：${parsed.reason}。请修正 YAML。`),
      );
    const workflow = parsed.value;
    if (!isMap(workflow) || workflow.on === undefined || !isMap(workflow.jobs) || Object.keys(workflow.jobs).length === 0) {
      return outcome('fail', L(`${file} needs an on: trigger and at least one job under jobs:.`, `${file} 需要 on: 触发条件，并且 jobs: 下至少有一个任务。`));
    }
    const steps = stepsOf(workflow);
    const builds = steps.filter(isBuild);
    const tests = steps.some((s) => /\bgo\s+test\b/.test(s.run)) || builds.some((b) => buildRunsTests(ctx.dockerfile, targetOf(b)));
    const missing: { en: string; zh: string }[] = [];
    if (builds.length === 0)
      missing.push({
        en: 'no step builds the image (uses: docker/build-push-action or run: docker build)',
        zh: '没有步骤构建镜像（uses: docker/build-push-action 或 run: docker build）',
      });
    if (!tests)
      missing.push({
        en: 'no step runs the Go tests (run: go test ./..., or a build target whose stage runs go test)',
        zh: '没有步骤运行 Go 测试（run: go test ./...，或构建一个运行 go test 的阶段）',
      });
    for (const kind of params.tags ?? []) {
      if (builds.length > 0 && !hasTag(steps, builds, kind))
        missing.push({ en: `the image tags do not include ${TAG_SOURCES[kind].en}`, zh: `镜像标签中没有${TAG_SOURCES[kind].zh}` });
    }
    if (missing.length > 0) {
      return outcome('fail', L(`${file}: ${missing.map((m) => m.en).join('; ')}.`, `${file}：${missing.map((m) => m.zh).join('；')}。`));
    }
    const tagged = params.tags && params.tags.length > 0 ? ` and tags it with ${params.tags.join(' + ')}` : '';
    const taggedZh = params.tags && params.tags.length > 0 ? `，并打上 ${params.tags.join(' + ')} 标签` : '';
    return outcome('pass', L(`${file} builds the image, runs the Go tests${tagged}.`, `${file} 构建镜像、运行 Go 测试${taggedZh}。`));
  },
});
