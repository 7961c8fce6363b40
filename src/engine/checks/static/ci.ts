import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { renderFindings, type FileFinding } from './common.js';
import { asArray, asString, isMap, loadYaml } from './yaml-file.js';
import { eventsOf, readWorkflow, upstreamOf, type Workflow, type WorkflowStep } from './ci-workflow.js';
import { GO_TEST_SWALLOWED } from '../go-commands.js';

export const ciParams = s
  .object({
    path: s.string().min(1).default('.github/workflows/ci.yml'),
    tags: s.array(s.enum(['semver', 'sha'])).optional(),
    /** `tags`: the image is pushed, only for git tags, and only after the tests passed. */
    push: s.enum(['tags']).optional(),
  })
  .strict();
type CiParams = Infer<typeof ciParams>;

type Step = WorkflowStep;

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
    // type=ref,event=tag and type=match tag the image with the git tag too.
    meta: /type=semver|type=ref,\s*event=tag|type=match/,
    en: 'a version tag (docker/metadata-action with type=semver,pattern={{version}} or type=ref,event=tag, or ${{ github.ref_name }} on tag pushes)',
    zh: '版本标签（docker/metadata-action 的 type=semver,pattern={{version}} 或 type=ref,event=tag，或在推送 tag 时使用 ${{ github.ref_name }}）',
  },
  sha: {
    direct: /github\.sha|GITHUB_SHA/,
    meta: /type=sha/,
    en: 'the commit SHA (docker/metadata-action with type=sha, or ${{ github.sha }})',
    zh: '提交 SHA（docker/metadata-action 的 type=sha，或 ${{ github.sha }}）',
  },
};

/**
 * The tags a build step gives the image: build-push-action's `tags:`, or the -t/--tag values and
 * `docker tag` targets of a run step. Only these name the image: the same expression in build-args
 * or labels tags nothing.
 */
export const tagsOf = (b: Step): string => {
  if (/^docker\/build-push-action@/.test(b.uses)) return asString(b.with.tags);
  // A value: quoted, or a word that may hold ${{ expressions }} with spaces inside.
  const value = String.raw`("[^"]*"|'[^']*'|(?:\$\{\{[^}]*\}\}|[^\s])+)`;
  const flags = [...b.run.matchAll(new RegExp(String.raw`(?:^|\s)(?:-t|--tag)(?:=|\s+)${value}`, 'g'))].map((m) => m[1] ?? '');
  const retags = [...b.run.matchAll(new RegExp(String.raw`docker\s+(?:image\s+)?tag\s+${value}\s+${value}`, 'g'))].map((m) => m[2] ?? '');
  return [...flags, ...retags].join('\n');
};

const hasTag = (steps: Step[], builds: Step[], kind: 'semver' | 'sha'): boolean => {
  const source = TAG_SOURCES[kind];
  if (builds.some((b) => source.direct.test(tagsOf(b)))) return true;
  const meta = steps.filter((s) => /^docker\/metadata-action@/.test(s.uses) && source.meta.test(asString(s.with.tags)));
  return meta.length > 0 && builds.some((b) => /outputs\.tags/.test(tagsOf(b)));
};

/** One thing wrong with the workflow, at its line when it has one. */
type Finding = Omit<FileFinding, 'file'>;

const GO_TEST = /\bgo\s+test\b/;

/** Steps that run the tests: `go test`, or a build of a target whose stages run it. */
const testStepsOf = (workflow: Workflow, analysis: DockerfileAnalysis | undefined): Step[] =>
  workflow.jobs.flatMap((job) => job.steps).filter((s) => GO_TEST.test(s.run) || (isBuild(s) && buildRunsTests(analysis, targetOf(s))));

/** Why failing tests would not fail the run: `|| true`, or continue-on-error on the step or its job. */
const ignoredTests = (workflow: Workflow, tests: readonly Step[]): Finding[] =>
  tests.flatMap((s): Finding[] => {
    const job = workflow.jobs.find((j) => j.name === s.job);
    const found: Finding[] = [];
    const swallowed = GO_TEST_SWALLOWED.exec(s.run);
    if (swallowed) {
      const tail = swallowed[0].slice(swallowed[0].lastIndexOf('||')).trim();
      found.push({
        line: s.runLineOf(/\|\|/),
        en: `\`${tail}\` after go test makes the step succeed when tests fail: remove it`,
        zh: `go test 后面的 \`${tail}\` 让测试失败时步骤仍然成功：请删掉它`,
      });
    }
    if (s.continueOnError)
      found.push({
        line: workflow.lineOf(['jobs', s.job, 'steps', s.index, 'continue-on-error']),
        en: `continue-on-error: true on the test step lets the workflow go on when tests fail: remove it`,
        zh: `测试步骤上的 continue-on-error: true 让测试失败时工作流继续运行：请删掉它`,
      });
    if (job?.continueOnError)
      found.push({
        line: workflow.lineOf(['jobs', s.job, 'continue-on-error']),
        en: `continue-on-error: true on job "${s.job}" makes its failing tests count as a success: remove it`,
        zh: `任务 "${s.job}" 上的 continue-on-error: true 让失败的测试被当作成功：请删掉它`,
      });
    return found;
  });

/** Steps that push the image: build-push-action with push: (true or an expression), docker push, buildx --push. */
const pushStepsOf = (workflow: Workflow): Step[] =>
  workflow.jobs
    .flatMap((job) => job.steps)
    .filter((s) => {
      if (/^docker\/build-push-action@/.test(s.uses)) {
        const push = asString(s.with.push).trim();
        return push !== '' && push.toLowerCase() !== 'false';
      }
      return /\bdocker\s+(?:image\s+)?push\b/.test(s.run) || /\bdocker\s+buildx\s+(?:build|bake)\b[^\n]*--push\b/.test(s.run);
    });

/** A condition that only holds for tag refs: each `||` branch has a positive tag test among its `&&` parts. */
const TAG_TEST = [
  /(?:^|[^!\w])startsWith\(\s*github\.ref\s*,\s*['"]refs\/tags\//,
  /github\.ref\s*==\s*['"]refs\/tags\//,
  /github\.ref_type\s*==\s*['"]tag['"]/,
  /github\.event_name\s*==\s*['"]release['"]/,
];
export const onlyOnTags = (condition: string): boolean => {
  const text = condition.replace(/\$\{\{|\}\}/g, ' ').trim();
  if (!text) return false;
  return text.split('||').every((branch) => branch.split('&&').some((part) => TAG_TEST.some((test) => test.test(part))));
};

/** Runs that start the workflow for something else than a tag (pushes to branches, pull requests, schedules...). */
const nonTagEvents = (workflow: Workflow): string[] =>
  Object.entries(eventsOf(workflow.on)).flatMap(([event, filter]) => {
    if (event === 'release' || event === 'workflow_dispatch') return [];
    if (event === 'push' && isMap(filter) && filter.tags !== undefined && filter.branches === undefined && filter['branches-ignore'] === undefined) return [];
    return [
      event === 'push' && isMap(filter) && filter.branches !== undefined
        ? `push to ${asString(asArray(filter.branches).join(', ') || filter.branches)}`
        : event,
    ];
  });

const hasTagTrigger = (workflow: Workflow): boolean => {
  const events = eventsOf(workflow.on);
  if ('release' in events) return true;
  if (!('push' in events)) return false;
  const push = events.push;
  // GitHub: a push filter on branches only leaves tag pushes out; no ref filter at all runs for tags too.
  if (!isMap(push)) return true;
  const has = (key: string) => push[key] !== undefined;
  return has('tags') || has('tags-ignore') || (!has('branches') && !has('branches-ignore'));
};

/** A job condition that runs it even when a job it needs failed. */
const RUNS_ANYWAY = /\b(?:always|failure|cancelled)\(\)/;

const pushFindings = (workflow: Workflow, tests: readonly Step[], ignored: ReadonlySet<Step>): Finding[] => {
  const pushes = pushStepsOf(workflow);
  const findings: Finding[] = [];
  const onLine = workflow.lineOf(['on']);
  if (!hasTagTrigger(workflow))
    findings.push({
      line: onLine,
      en: 'on: has no push: tags: trigger, so a release (git tag v1.4.2) never runs the workflow: add push: tags: ["v*.*.*"]',
      zh: 'on: 中没有 push: tags: 触发条件，发布版本（git tag v1.4.2）时工作流不会运行：请添加 push: tags: ["v*.*.*"]',
    });
  if (pushes.length === 0) {
    findings.push({
      line: workflow.jobs.flatMap((j) => j.steps).find(isBuild)?.line,
      en: "no step pushes the image, so nothing reaches the registry: use docker/build-push-action with push: ${{ startsWith(github.ref, 'refs/tags/v') }} (after docker/login-action), or docker push",
      zh: "没有步骤推送镜像，镜像不会进入镜像仓库：请使用 docker/build-push-action 并设置 push: ${{ startsWith(github.ref, 'refs/tags/v') }}（在 docker/login-action 之后），或使用 docker push",
    });
    return findings;
  }
  const others = nonTagEvents(workflow);
  for (const push of pushes) {
    const job = workflow.jobs.find((j) => j.name === push.job);
    const upstream = upstreamOf(workflow, push.job);
    const gatedBy = (t: Step): boolean => (t.job === push.job && t.index <= push.index) || (upstream.has(t.job) && !RUNS_ANYWAY.test(job?.if ?? ''));
    // Gated only by tests whose failures are ignored: that finding is already there and says what to change.
    if (!tests.some(gatedBy)) {
      const testJob = tests.find((t) => !ignored.has(t))?.job ?? tests[0]?.job ?? 'test';
      findings.push({
        line: workflow.lineOf(['jobs', push.job]),
        en: RUNS_ANYWAY.test(job?.if ?? '')
          ? `job "${push.job}" pushes with if: ${job?.if ?? ''}, which runs it even when the tests failed: drop always()/failure()/cancelled() from its if:`
          : `job "${push.job}" pushes the image without waiting for the tests: add needs: ${testJob} to it (or run the tests before the push in the same job)`,
        zh: RUNS_ANYWAY.test(job?.if ?? '')
          ? `任务 "${push.job}" 带有 if: ${job?.if ?? ''}，测试失败时它照样推送：请从 if: 中去掉 always()/failure()/cancelled()`
          : `任务 "${push.job}" 不等测试通过就推送镜像：请给它加上 needs: ${testJob}（或在同一任务中先运行测试再推送）`,
      });
    }
    const pushValue = /^docker\/build-push-action@/.test(push.uses) ? asString(push.with.push) : '';
    const conditions = [job?.if ?? '', push.if, pushValue];
    if (others.length > 0 && !conditions.some(onlyOnTags)) {
      findings.push({
        line: push.line,
        en: `this push also runs on ${others.join(', ')}, not only for version tags: push only on tags (push: \${{ startsWith(github.ref, 'refs/tags/v') }}, or if: startsWith(github.ref, 'refs/tags/') on the step)`,
        zh: `这个推送在 ${others.join('、')} 时也会运行，而不只是在版本标签时：请只在标签时推送（push: \${{ startsWith(github.ref, 'refs/tags/v') }}，或在该步骤上写 if: startsWith(github.ref, 'refs/tags/')）`,
      });
    }
  }
  return findings;
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
    const parsed = await loadYaml(text);
    if (!parsed.ok)
      return outcome(
        'fail',
        L(`${file} line ${parsed.line ?? '?'}: ${parsed.reason}. Fix the YAML.`, `${file} 第 ${parsed.line ?? '?'} 行：${parsed.reason}。请修正 YAML。`),
      );
    const root = parsed.value;
    if (!isMap(root) || root.on === undefined || !isMap(root.jobs) || Object.keys(root.jobs).length === 0) {
      return outcome('fail', L(`${file} needs an on: trigger and at least one job under jobs:.`, `${file} 需要 on: 触发条件，并且 jobs: 下至少有一个任务。`));
    }
    const workflow = await readWorkflow(text, root);
    const steps = workflow.jobs.flatMap((j) => [...j.steps]);
    const builds = steps.filter(isBuild);
    const tests = testStepsOf(workflow, ctx.dockerfile);
    const findings: Finding[] = [];
    if (builds.length === 0)
      findings.push({
        en: 'no step builds the image (uses: docker/build-push-action or run: docker build)',
        zh: '没有步骤构建镜像（uses: docker/build-push-action 或 run: docker build）',
      });
    if (tests.length === 0)
      findings.push({
        en: 'no step runs the Go tests (run: go test ./..., or a build target whose stage runs go test)',
        zh: '没有步骤运行 Go 测试（run: go test ./...，或构建一个运行 go test 的阶段）',
      });
    const ignored = ignoredTests(workflow, tests);
    findings.push(...ignored);
    const ignoredSteps = new Set(tests.filter((s) => ignoredTests(workflow, [s]).length > 0));
    for (const kind of params.tags ?? []) {
      if (builds.length > 0 && !hasTag(steps, builds, kind))
        findings.push({ line: builds[0]?.line, en: `the image tags do not include ${TAG_SOURCES[kind].en}`, zh: `镜像标签中没有${TAG_SOURCES[kind].zh}` });
    }
    if (params.push === 'tags' && builds.length > 0 && tests.length > 0) findings.push(...pushFindings(workflow, tests, ignoredSteps));
    if (findings.length > 0) return renderFindings(findings.map((f) => ({ ...f, file })));
    const kinds = { semver: L('a version tag', '版本标签'), sha: L('the commit SHA', '提交 SHA') } as const;
    const tagged = params.tags && params.tags.length > 0 ? ` and tags it with ${params.tags.map((k) => kinds[k].en).join(' and ')}` : '';
    const taggedZh = params.tags && params.tags.length > 0 ? `，并打上${params.tags.map((k) => kinds[k]['zh-CN']).join('和')}` : '';
    const pushed = params.push === 'tags' ? '; it pushes only for git tags, after the tests passed' : '';
    const pushedZh = params.push === 'tags' ? '；只在 git 标签时、测试通过之后推送' : '';
    return outcome('pass', L(`${file} runs the Go tests, builds the image${tagged}${pushed}.`, `${file} 运行 Go 测试、构建镜像${taggedZh}${pushedZh}。`));
  },
});
