import { L, type Localized } from './i18n.js';

/**
 * Something the learner can fix (bad arguments, no workspace, a refused file). The CLI prints the
 * message and the next step and exits 2; never a stack trace.
 */
export class UserError extends Error {
  readonly localized: Localized;
  readonly next?: Localized;
  readonly exitCode: number;
  readonly kind: 'user' | 'environment' | 'course' = 'user';

  constructor(message: Localized, options: { next?: Localized; exitCode?: number; cause?: unknown } = {}) {
    super(message.en, { cause: options.cause });
    this.name = 'UserError';
    this.localized = message;
    this.next = options.next;
    this.exitCode = options.exitCode ?? 2;
  }
}

/**
 * The workspace is on another lesson than the one a command or a screen acted on: another
 * terminal ran `goto` meanwhile. The files are that lesson's, so nothing is recorded or written;
 * `movedTo` is the lesson to follow.
 */
export class LessonMovedError extends UserError {
  constructor(
    readonly movedTo: string,
    readonly movedToNumber: number,
    from: number,
  ) {
    super(
      L(
        `The workspace is on lesson ${movedToNumber} now (another command moved it), not on lesson ${from}: its files are lesson ${movedToNumber}'s, so nothing was recorded or written.`,
        `工作区现在在第 ${movedToNumber} 课（另一个命令切换了它），不在第 ${from} 课：里面是第 ${movedToNumber} 课的文件，所以没有记录也没有写入任何东西。`,
      ),
    );
    this.name = 'LessonMovedError';
  }
}

/** A LessonMovedError by its name (the UI's bundle and the core are separate files). */
export const lessonMovedTo = (error: unknown): { movedTo: string; message: Localized } | undefined =>
  error instanceof Error && error.name === 'LessonMovedError' && 'movedTo' in error && typeof error.movedTo === 'string'
    ? { movedTo: error.movedTo, message: (error as unknown as UserError).localized }
    : undefined;

const DOCTOR = L('To see what this machine lacks: npx learn-go-docker doctor', '查看这台机器缺少什么：npx learn-go-docker doctor');

/**
 * The machine needs something (Docker missing or hung, a full disk): the next step, then `doctor`
 * where it can tell more (Docker), not where the message already says all (a full disk).
 */
export class EnvironmentError extends UserError {
  override readonly kind = 'environment';

  constructor(message: Localized, options: { next?: Localized; cause?: unknown; doctor?: boolean } = {}) {
    const doctor = options.doctor ?? true;
    const next =
      options.next && doctor
        ? L(`${options.next.en}\n${DOCTOR.en}`, `${options.next['zh-CN']}\n${DOCTOR['zh-CN']}`)
        : (options.next ?? (doctor ? DOCTOR : undefined));
    super(message, { cause: options.cause, next, exitCode: 2 });
    this.name = 'EnvironmentError';
  }
}

const REPORT = L('The course itself is broken, not your work: please report this message.', '出问题的是课程本身，不是你的作业：请报告这条信息。');

/** The course content is broken (a malformed lesson): exit 3, "please report". */
export class CourseError extends UserError {
  override readonly kind = 'course';

  constructor(message: Localized, options: { cause?: unknown } = {}) {
    super(message, { ...options, next: REPORT, exitCode: 3 });
    this.name = 'CourseError';
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
