import { readFile, writeFile } from 'node:fs/promises';
import { join as joinPath, relative } from 'node:path';
import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { endWithLines, fail, join, pass, secs, secsZh, skip } from '../outcome.js';
import { stepLine } from './explain.js';
import { findInLayers } from './layer-scan.js';
import { lessonImage } from './measure.js';
import { goFiles } from './go-sources.js';

/** The test the check adds to the learner's code: it fails on purpose. */
export const PLANTED_TEST = 'TestLearnGoDockerPlanted';
const PLANTED_FILE = 'zz_learn_go_docker_planted_test.go';

/**
 * Where a failing test goes: beside the last package under internal/ (else cmd/) that has tests
 * already, so `go test ./...` and any narrower pattern that covers the app's tests reach it, and
 * its failure is among the last lines of the output (the tail a failed build keeps).
 */
const plantFailingTest = async (dir: string): Promise<{ file: string; pkg: string } | undefined> => {
  for (const top of ['internal', 'cmd']) {
    const files = await goFiles(joinPath(dir, top));
    const test = files.filter((f) => f.endsWith('_test.go')).pop();
    if (!test) continue;
    const pkg = /^package\s+(\w+)/m.exec(await readFile(test, 'utf8'))?.[1];
    if (!pkg) continue;
    const file = joinPath(test, '..', PLANTED_FILE);
    await writeFile(
      file,
      `package ${pkg}\n\nimport "testing"\n\n// Added by learn-go-docker to a copy of your code: it fails on purpose, to see that a failing test fails the build.\nfunc ${PLANTED_TEST}(t *testing.T) {\n\tt.Fatal("this test fails on purpose")\n}\n`,
    );
    return { file: relative(dir, file), pkg };
  }
  return undefined;
};

/** A line of test source the final image must not hold: the first `func TestX(t *testing.T)` of the app. */
const testSourceLine = async (dir: string): Promise<{ file: string; line: string } | undefined> => {
  for (const top of ['internal', 'cmd']) {
    for (const file of (await goFiles(joinPath(dir, top))).filter((f) => f.endsWith('_test.go'))) {
      const line = /^func Test\w*\(t \*testing\.T\) \{$/m.exec(await readFile(file, 'utf8'))?.[0];
      if (line) return { file: relative(dir, file), line };
    }
  }
  return undefined;
};

interface TargetBuild {
  readonly ok: boolean;
  readonly seconds: number;
  readonly failedStep: string | null;
  readonly tail: readonly string[];
}

const targetMissing = (b: TargetBuild): boolean => /target stage .* could not be found|failed to reach build target|no such stage/i.test(b.tail.join('\n'));

export const buildTestTarget = defineCheck({
  id: 'build.test-target',
  kind: 'docker',
  title: L(
    'docker build --target test runs the tests, fails when one fails, and ships none of them',
    'docker build --target test 运行测试，测试失败则构建失败，且测试不会进入最终镜像',
  ),
  params: s.object({ target: s.string().min(1).default('test') }),
  measure: async (ctx, params) => {
    const dockerfile = ctx.dockerfilePath;
    const built = (b: { ok: boolean; durationMs: number; failedStep?: string; tail: readonly string[] }): TargetBuild => ({
      ok: b.ok,
      seconds: b.durationMs / 1000,
      failedStep: b.failedStep ?? null,
      tail: b.tail,
    });
    // The final image first (the lesson's image, shared with the other checks): what it ships.
    const final = await lessonImage(ctx);
    const copy = await ctx.docker.stageContext();
    const needle = await testSourceLine(copy);
    let shipped: { file: string; foundIn: string | null; layers: number; unreadable: number } | null = null;
    if (needle) {
      ctx.progress({ type: 'note', message: L('Searching the final image for test sources…', '正在最终镜像中查找测试源码…') });
      const stream = await ctx.docker.saveImage(final.id);
      const found = await findInLayers(stream, needle.line).finally(() => stream.destroy());
      shipped = { file: needle.file, foundIn: found.found?.path ?? null, layers: found.layers, unreadable: found.unreadable };
    }
    ctx.progress({ type: 'note', message: L(`Building --target ${params.target}…`, `正在构建 --target ${params.target}…`) });
    const test = built(await ctx.docker.build({ contextDir: copy, staged: true, dockerfile, target: params.target }));
    if (!test.ok) return { test, planted: null, shipped };
    // That build is done with the copy: the failing test goes into it, for the second build.
    const where = await plantFailingTest(copy);
    if (!where) return { test, planted: null, shipped };
    ctx.progress({
      type: 'note',
      message: L(`Building --target ${params.target} with a failing test added…`, `加入一个会失败的测试后构建 --target ${params.target}…`),
    });
    const planted = built(await ctx.docker.build({ contextDir: copy, staged: true, dockerfile, target: params.target }));
    return { test, planted: { ...planted, file: where.file }, shipped };
  },
  judge: (m, params, ctx) => {
    const target = params.target;
    const testStep = (b: TargetBuild) => (b.failedStep ? stepLine(ctx.dockerfile, b.failedStep) : undefined);
    if (!m.test.ok) {
      if (targetMissing(m.test)) {
        return fail(
          L(
            `The Dockerfile has no stage named ${target}, so docker build --target ${target} fails. Add one before the final stage: FROM build AS ${target}, then RUN go test ./...`,
            `Dockerfile 里没有名为 ${target} 的阶段，所以 docker build --target ${target} 失败。请在最终阶段之前加上：FROM build AS ${target}，然后 RUN go test ./...`,
          ),
        );
      }
      return fail(
        L(
          `docker build --target ${target} fails with your code at ${m.test.failedStep ?? 'an unknown step'}; with the app's tests passing it must succeed${endWithLines(m.test.tail).en}`,
          `用你的代码执行 docker build --target ${target} 失败，失败步骤 ${m.test.failedStep ?? '未知'}；应用的测试都通过时它应当成功${endWithLines(m.test.tail)['zh-CN']}`,
        ),
        { testSeconds: Number(m.test.seconds.toFixed(1)) },
        testStep(m.test),
      );
    }
    if (!m.planted)
      return skip(
        L(
          'Skipped: no Go package with tests under internal/ or cmd/ to add a failing test to.',
          '已跳过：internal/ 或 cmd/ 下没有带测试的 Go 包，无法加入会失败的测试。',
        ),
      );
    const measured = {
      testSeconds: Number(m.test.seconds.toFixed(1)),
      plantedFailed: !m.planted.ok,
      ...(m.shipped ? { testSourceShipped: m.shipped.foundIn !== null } : {}),
    };
    if (m.planted.ok) {
      return fail(
        L(
          `A failing test did not fail the build: with ${PLANTED_TEST} added (${m.planted.file}), which fails on purpose, docker build --target ${target} still succeeded. Something hides go test's exit status (|| true, ; exit 0, a script that ignores it), or the stage does not test that package; CI would ship broken code.`,
          `会失败的测试没有让构建失败：加入故意失败的 ${PLANTED_TEST}（${m.planted.file}）后，docker build --target ${target} 仍然成功。有东西掩盖了 go test 的退出状态（|| true、; exit 0、忽略它的脚本），或者这个阶段没有测试那个包；CI 会把有问题的代码发布出去。`,
        ),
        measured,
      );
    }
    if (!m.planted.tail.some((l) => l.includes(PLANTED_TEST) || l.includes(PLANTED_FILE))) {
      return fail(
        L(
          `With a failing test added (${m.planted.file}), docker build --target ${target} failed, but not at that test (${m.planted.failedStep ?? 'unknown step'}), so it cannot be told whether a failing test fails it${endWithLines(m.planted.tail).en}`,
          `加入会失败的测试（${m.planted.file}）后，docker build --target ${target} 失败了，但不是因为这个测试（${m.planted.failedStep ?? '未知步骤'}），所以无法判断测试失败是否会让构建失败${endWithLines(m.planted.tail)['zh-CN']}`,
        ),
        measured,
        testStep(m.planted),
      );
    }
    if (m.shipped?.foundIn) {
      return fail(
        L(
          `The final image holds the app's test sources (${m.shipped.file} is in a layer, at ${m.shipped.foundIn}): its last stage must start from a small base and copy only the binary, not build on the ${target} or build stage.`,
          `最终镜像里有应用的测试源码（${m.shipped.file} 出现在某一层的 ${m.shipped.foundIn}）：最后一个阶段应当从一个小的基础镜像开始，只复制二进制，而不是建立在 ${target} 阶段或构建阶段之上。`,
        ),
        measured,
      );
    }
    const searched = m.shipped
      ? L(`The final image holds no test source (searched ${m.shipped.layers} layers).`, `最终镜像中没有测试源码（检查了 ${m.shipped.layers} 层）。`)
      : undefined;
    return pass(
      join(
        L(
          `docker build --target ${target} passed with your tests (${secs(m.test.seconds)}) and failed when ${PLANTED_TEST}, which fails on purpose, was added to ${m.planted.file}.`,
          `docker build --target ${target} 在你的测试下通过（${secsZh(m.test.seconds)}），而在 ${m.planted.file} 中加入故意失败的 ${PLANTED_TEST} 后构建失败。`,
        ),
        searched,
      ),
      measured,
      testStep(m.planted),
    );
  },
});
