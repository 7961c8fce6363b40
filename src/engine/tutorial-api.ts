import type { Lang, Localized } from './i18n.js';
import type { BlockingProblem, CheckReport, ProgressEvent } from './checks/types.js';
import type { CourseDiskUse } from './docker/parse-tidy.js';

export type { CourseDiskUse };

/** A lesson as the list and lesson views show it. */
export interface LessonSummary {
  readonly id: string;
  /** 1-based position in the course. */
  readonly number: number;
  readonly chapter: string;
  readonly chapterTitle: Localized;
  /** The course's part (1-based) and its title, when the course has parts. */
  readonly part: number;
  readonly partTitle?: Localized;
  readonly title: Localized;
  readonly summary?: Localized;
  readonly status: 'done' | 'current' | 'pending';
}

export interface VerifyResult {
  readonly lesson: string;
  readonly passed: boolean;
  readonly checks: readonly CheckReport[];
  /** Problems that kept several checks from running (Docker missing, the image did not build), each once. */
  readonly blocking: readonly BlockingProblem[];
  /** Only the static checks ran, on purpose (--static-only, or watch mode's first pass). */
  readonly staticOnly?: boolean;
  /** The verify was cancelled (Ctrl-C): nothing was recorded. */
  readonly cancelled?: boolean;
  /** true when the solution is now offered (after a pass or enough failed attempts). */
  readonly solutionOffered: boolean;
  readonly attempts: number;
  /** Shown after a pass. */
  readonly learned?: Localized;
}

export interface FileChange {
  /** Workspace-relative path. */
  readonly path: string;
  /** written: the lesson's start (or the sample app's) version; restored: your own version from when you left the lesson; removed: not part of this lesson (saved with the lesson you left). */
  readonly action: 'written' | 'kept' | 'restored' | 'removed';
}

export interface GotoResult {
  readonly lesson: string;
  readonly changes: readonly FileChange[];
  /** Where the learner's files of the lesson they left were saved, workspace-relative. */
  readonly savedTo?: string;
  /** Where an earlier saved copy of the lesson left went, when it held other content (workspace-relative). */
  readonly keptEarlier?: string;
  /** Where files were backed up when they could not be saved with a lesson (workspace-relative). */
  readonly backupDir?: string;
}

export interface BackupResult {
  /** Workspace-relative backup folder, when anything was backed up. */
  readonly backupDir?: string;
  readonly files: readonly string[];
  /** Where the copy saved when the learner last left the lesson went (reset), workspace-relative. */
  readonly keptEarlier?: string;
}

export interface HintView {
  readonly checkId: string;
  /** The check's title, as the results show it. */
  readonly title: Localized;
  /** The files changed since the verify this hint is about. */
  readonly stale?: boolean;
  /** 1-based tier and how many exist. */
  readonly level: number;
  readonly of: number;
  readonly text: Localized;
}

export interface SolutionView {
  readonly available: boolean;
  /** Why not yet, when not available. */
  readonly reason?: Localized;
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

/**
 * What the UI needs from the engine. The Ink app only talks to this; tests give it a fake.
 * Long calls take an AbortSignal (Ctrl-C) and report progress through a callback.
 */
export interface TutorialApi {
  readonly workspaceDir: string;
  /** The language saved in the workspace, if the learner chose one. */
  readonly lang: Lang | undefined;
  lessons(): readonly LessonSummary[];
  /** A lesson by id, number ("4") or folder name ("04-multi-stage"); a UserError naming `list` when none. */
  findLesson(idOrNumber: string): LessonSummary;
  currentLessonId(): string;
  /** Lessons passed and in all. */
  doneCount(): { done: number; total: number };
  /** The lesson's markdown text in a language. */
  lessonText(id: string, lang: Lang): Promise<string>;
  /** Absolute paths of the files watch mode re-verifies on. */
  watchedFiles(id: string): readonly string[];
  goto(id: string): Promise<GotoResult>;
  /** From now on every verify may turn swarm mode on for a check and off after (`--swarm`: the learner agreed). */
  allowSwarmInit(): void;
  verify(
    id: string,
    options?: {
      readonly signal?: AbortSignal;
      readonly onProgress?: (event: ProgressEvent) => void;
      readonly staticOnly?: boolean;
      /** Swarm mode may be turned on for a check and off again after (`verify --swarm`); see allowSwarmInit. */
      readonly swarmInit?: boolean;
      /** Each check's report as soon as it is known: static verdicts come first, in milliseconds. */
      readonly onReport?: (report: CheckReport) => void;
      /** Return once the verdict is saved, while Docker still removes the containers; then await settled(). */
      readonly settleLater?: boolean;
    },
  ): Promise<VerifyResult>;
  /** Resolves when the Docker clean-up of every verify has ended (see settleLater). */
  settled(): Promise<void>;
  /** The last verify result of a lesson, if any (kept in progress). */
  lastVerify(id: string): VerifyResult | undefined;
  /** Whether the files are still those the last verify checked (undefined: no verify, or made before this was recorded). */
  lastVerifyCurrent(id: string): Promise<boolean | undefined>;
  /** Next hint for the first failing check of the last verify (tiers advance on each call). */
  hint(id: string): Promise<HintView | undefined>;
  reset(id: string): Promise<BackupResult>;
  /**
   * The lesson's solution once it is unlocked (passed, or enough failed verifies); `openedByInstructor`
   * (workshop mode, the instructor's server allowed it) shows it whatever the learner's count.
   */
  /** `lang`: the language of the notes added to what is shown (a digest this machine lacks); the learner's by default. */
  solution(id: string, options?: { readonly openedByInstructor?: boolean; readonly lang?: Lang }): Promise<SolutionView>;
  applySolution(id: string): Promise<BackupResult>;
  /** Persists the learner's language choice. */
  setLang(lang: Lang): Promise<void>;
  /** What the course's Docker images used on disk when last measured (beside a build or by `doctor`); no Docker call. */
  dockerDiskUse(): Promise<CourseDiskUse | undefined>;
}
