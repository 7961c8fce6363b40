import { L, type Localized } from './i18n.js';

/**
 * "[build 3/7] RUN go mod download" -> "build · RUN go mod download": BuildKit numbers steps per
 * stage, so the counters of two stages ("[7/11]", then "[6/14]") read as going backwards.
 * The tutorial and `verify` name steps the same way.
 */
export const stepLabel = (step: string): string =>
  step
    .replace(/\s+/g, ' ')
    .replace(/^\[(?:([^\]\s]+) )?\d+\/\d+\] ?/, (_, stage: string | undefined) => (stage ? `${stage} · ` : ''))
    .trim();

/** A step that has run this long without finishing gets a word on what it is doing. */
export const SLOW_STEP_MS = 15_000;

/** The lesson that makes rebuilds cheap (layer order, .dockerignore, cache mounts). */
const CACHE_LESSON = 3;

/**
 * What a long, silent build step is doing, in words, so a learner does not think it hangs: Go prints
 * nothing while it compiles Gin's dependencies. Before the lesson on caching, it says why every
 * change rebuilds everything and that lesson 3 fixes it. Undefined for a step that is quick or not Go's.
 */
export const slowStepNote = (step: string, elapsedMs: number, lessonNumber?: number): Localized | undefined => {
  if (elapsedMs < SLOW_STEP_MS) return undefined;
  const label = stepLabel(step);
  const early =
    lessonNumber !== undefined && lessonNumber < CACHE_LESSON
      ? L(
          ` Every change rebuilds it here because the source is copied before the build; lesson ${CACHE_LESSON} makes rebuilds take seconds.`,
          `这里每次改动都会重新构建，因为源码在构建之前就被复制进来了；第 ${CACHE_LESSON} 课会让重新构建只需几秒。`,
        )
      : L('', '');
  if (/\bgo mod download\b/.test(label))
    return L(`Downloading Go modules: a minute or two the first time.${early.en}`, `正在下载 Go 模块：第一次需要一两分钟。${early['zh-CN']}`);
  if (/\bgo (build|install|test|vet)\b/.test(label))
    return L(
      `Compiling Gin and its dependencies: Go prints nothing meanwhile; 1–3 minutes the first time on a laptop.${early.en}`,
      `正在编译 Gin 及其依赖：编译期间 Go 不输出任何内容；笔记本上第一次需要 1–3 分钟。${early['zh-CN']}`,
    );
  if (/\b(apt-get|apt|apk|dnf|yum)\b/.test(label)) return L('Installing packages from the distribution.', '正在从发行版安装软件包。');
  return undefined;
};
