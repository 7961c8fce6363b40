import type { CheckReport, ProgressEvent } from '../../src/engine/checks/types.js';
import { L, type Lang } from '../../src/engine/i18n.js';
import { LessonMovedError } from '../../src/engine/errors.js';
import type {
  BackupResult,
  CourseDiskUse,
  GotoResult,
  HintView,
  LessonSummary,
  SolutionView,
  TutorialApi,
  VerifyResult,
} from '../../src/engine/tutorial-api.js';
import type { WatchFn } from '../../src/ui/hooks/use-watch.js';

const LESSONS = [
  { id: '01-first-image', number: 1, chapter: 'basics', chapterTitle: L('Basics', '基础'), title: L('Your first image', '你的第一个镜像') },
  { id: '02-multi-stage', number: 2, chapter: 'basics', chapterTitle: L('Basics', '基础'), title: L('Multi-stage builds', '多阶段构建') },
  { id: '03-non-root', number: 3, chapter: 'security', chapterTitle: L('Security', '安全'), title: L('Run as non-root', '以非 root 用户运行') },
] as const;

const paragraphs = (lang: Lang, n: number): string =>
  Array.from({ length: n }, (_, i) =>
    lang === 'en'
      ? `Paragraph ${i + 1}: build the Go binary in a builder stage and copy only the binary into a small final image, so the image ships without the compiler.`
      : `第 ${i + 1} 段：在构建阶段编译 Go 程序，只把二进制文件复制到精简的最终镜像中，这样镜像里就没有编译器了。`,
  ).join('\n\n');

const lessonText = (id: string, lang: Lang): string => {
  const lesson = LESSONS.find((l) => l.id === id) ?? LESSONS[0];
  return lang === 'en'
    ? `# ${lesson.title.en}\n\nThis lesson teaches **multi-stage** builds with \`COPY --from\`.\n\n- keep the **final** image small\n- run as \`USER 10001\`\n\n${paragraphs('en', 12)}\n\nEND-OF-LESSON-EN`
    : `# ${lesson.title['zh-CN']}\n\n本课讲解使用 \`COPY --from\` 的**多阶段**构建。\n\n- 让**最终**镜像保持精简\n- 以 \`USER 10001\` 运行\n\n${paragraphs('zh-CN', 12)}\n\n课程结束-ZH`;
};

const check = (
  id: string,
  status: CheckReport['status'],
  title: [string, string],
  message: [string, string],
  extra: Partial<CheckReport> = {},
): CheckReport => ({
  id,
  kind: id.startsWith('dockerfile.') ? 'static' : 'docker',
  status,
  title: L(...title),
  message: L(...message),
  ...extra,
});

export const FAILING: readonly CheckReport[] = [
  check(
    'dockerfile.multi-stage',
    'fail',
    ['Multi-stage build', '多阶段构建'],
    ['Only one stage: add a build stage and COPY --from it.', '只有一个阶段：添加构建阶段并用 COPY --from 复制。'],
    { line: 1 },
  ),
  check('image.builds', 'pass', ['Image builds', '镜像可以构建'], ['Built in 12.3 s.', '构建用时 12.3 秒。'], { measured: { buildMs: 12300 } }),
  check('image.size', 'fail', ['Image size', '镜像大小'], ['Image is 912.4 MB, budget 30 MB.', '镜像为 912.4 MB，预算 30 MB。'], {
    measured: { sizeBytes: 912_400_000 },
  }),
];

export const PASSING: readonly CheckReport[] = [
  check(
    'dockerfile.multi-stage',
    'pass',
    ['Multi-stage build', '多阶段构建'],
    ['2 stages; the final stage copies from "build".', '2 个阶段；最终阶段从 "build" 复制。'],
  ),
  check('image.builds', 'pass', ['Image builds', '镜像可以构建'], ['Built in 9.8 s.', '构建用时 9.8 秒。'], { measured: { buildMs: 9800 } }),
  check('image.size', 'pass', ['Image size', '镜像大小'], ['Image is 14.2 MB, budget 30 MB.', '镜像为 14.2 MB，预算 30 MB。'], {
    measured: { sizeBytes: 14_200_000 },
  }),
];

const HINTS = [
  L('Start with FROM golang AS build.', '先写 FROM golang AS build。'),
  L('Use COPY --from=build.', '使用 COPY --from=build。'),
  L('Final base: gcr.io/distroless/static.', '最终基础镜像：gcr.io/distroless/static。'),
];

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A TutorialApi that behaves like the engine without Docker: verify fails until `fix()` (the
 * learner "edits the Dockerfile"), emits build progress, honours AbortSignal, unlocks the solution
 * after two failures or a pass, and records every call.
 */
/** A failure whose message needs many rows, as a real build failure's does. */
const lengthen = (check: CheckReport): CheckReport =>
  check.status === 'pass'
    ? check
    : {
        ...check,
        message: L(
          `${check.message.en} ${'The build output follows. '.repeat(12)}\n  | step 1\n  | step 2\n  | step 3\nThis is the end of a long message.`,
          `${check.message['zh-CN']}${'以下是构建输出。'.repeat(12)}\n  | 第 1 步\n  | 第 2 步\n  | 第 3 步\n这是长消息的结尾。`,
        ),
      };

export class FakeApi implements TutorialApi {
  readonly workspaceDir = '/home/ada/go-docker-lab';
  readonly calls: string[] = [];
  current: string = LESSONS[1].id;
  fixed = false;
  /** When true, verify waits until aborted (to test Ctrl-C). */
  hang = false;
  hangAfterBuildVerdict = false;
  /** When true, failing checks carry messages of many lines (a real build failure, a long explanation). */
  longMessages = false;
  /** Set: another terminal moved the workspace there, so verify and reset refuse as the engine does. */
  movedTo?: string;
  aborted = 0;
  savedLang?: Lang;
  private readonly done = new Set<string>([LESSONS[0].id]);
  private failures = 0;
  private attempts = 0;
  private hintLevel = 0;
  private last = new Map<string, VerifyResult>();

  fix(): void {
    this.fixed = true;
  }

  private refuseIfMoved(id: string): void {
    if (!this.movedTo || this.movedTo === id) return;
    const to = this.movedTo;
    this.current = to;
    throw new LessonMovedError(to, LESSONS.find((l) => l.id === to)?.number ?? 0, LESSONS.find((l) => l.id === id)?.number ?? 0);
  }

  lessons(): readonly LessonSummary[] {
    return LESSONS.map((l) => ({ ...l, part: 1, status: this.done.has(l.id) ? 'done' : l.id === this.current ? 'current' : 'pending' }));
  }
  currentLessonId(): string {
    return this.current;
  }
  get lang(): Lang | undefined {
    return this.savedLang;
  }
  findLesson(idOrNumber: string): LessonSummary {
    const found = this.lessons().find((l) => l.id === idOrNumber || String(l.number) === idOrNumber);
    if (!found) throw new Error(`no lesson ${idOrNumber}`);
    return found;
  }
  doneCount(): { done: number; total: number } {
    return { done: this.done.size, total: LESSONS.length };
  }
  /** What `dockerDiskUse` answers (the last measured figure), when a test sets one. */
  diskUse?: CourseDiskUse;
  dockerDiskUse(): Promise<CourseDiskUse | undefined> {
    return Promise.resolve(this.diskUse);
  }
  async lessonText(id: string, lang: Lang): Promise<string> {
    this.calls.push(`lessonText:${id}:${lang}`);
    return lessonText(id, lang);
  }
  watchedFiles(): readonly string[] {
    return [`${this.workspaceDir}/Dockerfile`, `${this.workspaceDir}/.dockerignore`];
  }
  swarmInitAllowed = false;
  allowSwarmInit(): void {
    this.swarmInitAllowed = true;
  }

  async goto(id: string): Promise<GotoResult> {
    this.calls.push(`goto:${id}`);
    const left = this.current;
    this.current = id;
    return {
      lesson: id,
      changes: [
        { path: 'Dockerfile', action: 'written' },
        { path: '.dockerignore', action: 'kept' },
      ],
      savedTo: `.learn-go-docker/lessons/${left}`,
    };
  }
  async settled(): Promise<void> {}

  async verify(
    id: string,
    options: { signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void; onReport?: (report: CheckReport) => void } = {},
  ): Promise<VerifyResult> {
    this.calls.push(`verify:${id}`);
    this.refuseIfMoved(id);
    const progress = options.onProgress ?? (() => undefined);
    // The static verdict comes first, as the engine sends it, before the build.
    options.onReport?.((this.fixed ? PASSING : FAILING)[0] as CheckReport);
    progress({ type: 'check-start', id: 'image.builds', title: L('Image builds', '镜像可以构建') });
    progress({ type: 'build-step', step: '[build 1/3] FROM golang:1.22', elapsedMs: 0 });
    progress({ type: 'build-output', line: '#5 resolve docker.io/library/golang:1.22 done' });
    await delay(30);
    progress({ type: 'build-step', step: '[build 2/3] RUN go mod download', elapsedMs: 1500 });
    progress({ type: 'build-output', line: '#6 go: downloading github.com/gin-gonic/gin v1.10.0' });
    // The build's verdict, then the clean-up takes its time (a test sets it to see the screen meanwhile).
    if (this.hangAfterBuildVerdict) {
      options.onReport?.((this.fixed ? PASSING : FAILING).find((c) => c.id === 'image.builds') as CheckReport);
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
    }
    if (this.hang) {
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      this.aborted += 1;
      await delay(20); // the engine removing containers
      return {
        lesson: id,
        passed: false,
        checks: FAILING.map((c) => ({ ...c, status: 'skip', reason: 'cancelled' })),
        blocking: [],
        cancelled: true,
        solutionOffered: false,
        attempts: this.attempts,
      };
    }
    await delay(60);
    this.attempts += 1;
    const passed = this.fixed;
    if (!passed) this.failures += 1;
    else this.done.add(id);
    const result: VerifyResult = {
      lesson: id,
      passed,
      checks: passed ? PASSING : this.longMessages ? FAILING.map(lengthen) : FAILING,
      blocking: [],
      solutionOffered: passed || this.failures >= 2,
      attempts: this.attempts,
      ...(passed ? { learned: L('A multi-stage build keeps compilers out of the image.', '多阶段构建让编译器留在镜像之外。') } : {}),
    };
    this.last.set(id, result);
    return result;
  }
  lastVerify(id: string): VerifyResult | undefined {
    return this.last.get(id);
  }
  /** What lastVerifyCurrent answers (a test sets false: files changed while the tutorial was closed). */
  filesCurrent: boolean | undefined = undefined;
  async lastVerifyCurrent(): Promise<boolean | undefined> {
    return this.filesCurrent;
  }
  async hint(id: string): Promise<HintView | undefined> {
    this.calls.push(`hint:${id}`);
    this.hintLevel = Math.min(this.hintLevel + 1, HINTS.length);
    return { checkId: 'image.size', title: L('Image size', '镜像大小'), level: this.hintLevel, of: HINTS.length, text: HINTS[this.hintLevel - 1]! };
  }
  async reset(id: string): Promise<BackupResult> {
    this.calls.push(`reset:${id}`);
    this.refuseIfMoved(id);
    return { backupDir: '.learn-go-docker/backups/2026-11-25T12-00-00Z', files: ['Dockerfile'] };
  }
  async solution(id: string): Promise<SolutionView> {
    this.calls.push(`solution:${id}`);
    if (!(this.fixed || this.failures >= 2)) {
      return {
        available: false,
        reason: L('The solution opens after you pass, or after 2 more failed verifies.', '通过本课后即可查看答案，或再失败 2 次校验后开放。'),
        files: [],
      };
    }
    return {
      available: true,
      files: [
        {
          path: 'Dockerfile',
          content: 'FROM golang:1.22 AS build\nRUN go build -o /server ./cmd/server\nFROM gcr.io/distroless/static\nCOPY --from=build /server /server\n',
        },
      ],
    };
  }
  async applySolution(id: string): Promise<BackupResult> {
    this.calls.push(`applySolution:${id}`);
    return { backupDir: '.learn-go-docker/backups/2026-11-25T12-05-00Z', files: ['Dockerfile', '.dockerignore'] };
  }
  async setLang(lang: Lang): Promise<void> {
    this.calls.push(`setLang:${lang}`);
    this.savedLang = lang;
  }
}

/** A watcher the test drives: `change()` is a save, `fail()` an inotify error. */
export class FakeWatcher {
  onChange?: (path: string) => void;
  onError?: (error: Error) => void;
  paths: readonly string[] = [];
  closed = 0;
  started = 0;

  readonly watch: WatchFn = (paths, onChange, options) => {
    this.started += 1;
    this.paths = paths;
    this.onChange = onChange;
    this.onError = options.onError;
    return { mode: 'events', close: async () => void (this.closed += 1) };
  };

  change(path = this.paths[0] ?? 'Dockerfile'): void {
    this.onChange?.(path);
  }

  fail(code: string): void {
    this.onError?.(Object.assign(new Error(`watch failed: ${code}`), { code }));
  }
}
