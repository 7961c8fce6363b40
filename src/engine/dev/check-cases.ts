import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MeasurementRecord, SessionFactory } from '../checks/run.js';
import type { CheckReport, ProgressEvent } from '../checks/types.js';
import { loadCases, type ProofCase } from '../lessons/cases.js';
import type { Course, Lesson } from '../lessons/load.js';
import { digestRefs, fillForApply, type DigestLookup } from '../lessons/digest-pins.js';
import { engineDigests, openTutorial } from '../tutorial.js';
import { runInLanes } from './lanes.js';
import { createWorkspace } from '../workspace/workspace.js';

export interface CaseResult {
  readonly lesson: string;
  readonly name: string;
  readonly expect: 'pass' | 'fail';
  readonly why: string;
  /** The lesson check ids that failed, as measured, and as the case declares. */
  readonly failing: readonly string[];
  readonly expectedFailing: readonly string[];
  readonly ok: boolean;
  readonly checks: readonly CheckReport[];
  readonly seconds: number;
}

export interface CheckCasesOptions {
  readonly course: Course;
  readonly createSession: SessionFactory;
  /** This engine's digests of base images (a solution or case that pins them); `docker image inspect` when absent. */
  readonly baseDigests?: DigestLookup;
  /** Only the cases of these lessons. */
  readonly lessons?: readonly Lesson[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (lesson: string, caseName: string, event: ProgressEvent) => void;
  readonly onCase?: (result: CaseResult) => void;
  readonly onMeasured?: (lesson: string, caseName: string, record: MeasurementRecord) => void;
  /**
   * Cases run at once (default 1). Most of a case's time is waiting on a container (a health
   * interval, a stop timeout, a database), not CPU, so a few at once finish much sooner.
   */
  readonly concurrency?: number;
}

/** A lesson with a Swarm check (its cases wait on the cluster far more than they compute). */
const usesSwarm = (lesson: Lesson): boolean => lesson.checks.some((c) => c.definition.id.startsWith('swarm.'));

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');

/** Writes a case's overlay into a workspace that is at the lesson's start or solution. */
const overlay = async (workspace: string, proof: ProofCase, baseDigests: DigestLookup): Promise<void> => {
  for (const rel of proof.remove) await fs.rm(join(workspace, rel), { force: true });
  for (const rel of proof.files) {
    const from = join(proof.dir, 'files', rel);
    const to = join(workspace, rel);
    await fs.mkdir(dirname(to), { recursive: true });
    await fs.copyFile(from, to);
    await fs.chmod(to, (await fs.stat(from)).mode & 0o777);
    // A case that pins base images gets this engine's digests, as the solution does.
    const text = await fs.readFile(to, 'utf8');
    const refs = digestRefs(text);
    if (refs.length) await fs.writeFile(to, fillForApply(text, await baseDigests(refs)));
  }
};

/**
 * Runs every proof case: a fresh workspace at the lesson's start or solution, the case's overlay,
 * then the same verify learners get. A wrong answer must fail exactly the checks it declares (and
 * break none); a right one must pass. Identical build contexts reuse their images through Docker's
 * build cache, so cases that only differ at run time cost no build.
 */
export const checkCases = async (options: CheckCasesOptions): Promise<CaseResult[]> => {
  const results: CaseResult[] = [];
  await options.course.ensureChecks();
  const root = await mkdtemp(join(tmpdir(), 'learn-go-docker-cases-'));
  const queue: { lesson: Lesson; proof: ProofCase }[] = [];
  for (const lesson of options.lessons ?? options.course.lessons) for (const proof of await loadCases(lesson)) queue.push({ lesson, proof });
  const runOne = async ({ lesson, proof }: { lesson: Lesson; proof: ProofCase }): Promise<void> => {
    const started = Date.now();
    const workspace = join(root, `${lesson.meta.id}-${proof.name}`);
    await createWorkspace(workspace, options.course, new Date());
    const { api } = await openTutorial({ course: options.course, workspace, createSession: options.createSession, baseDigests: options.baseDigests });
    await api.goto(lesson.meta.id);
    if (proof.base === 'solution') await api.applySolution(lesson.meta.id);
    await overlay(workspace, proof, options.baseDigests ?? engineDigests);
    const result = await api.verify(lesson.meta.id, {
      // An author's proof run: a Swarm lesson's check may turn swarm mode on, and off after.
      swarmInit: true,
      only: proof.only,
      signal: options.signal,
      onProgress: (event) => options.onProgress?.(lesson.meta.id, proof.name, event),
      onMeasured: (record) => options.onMeasured?.(lesson.meta.id, proof.name, record),
    });
    const failing = result.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    const broke = result.checks.some((c) => c.status === 'error' || (c.status === 'skip' && c.reason !== 'not-built'));
    const ok = proof.expect === 'pass' ? result.checks.every((c) => c.status === 'pass' || c.status === 'unknown') : sameSet(failing, proof.failing) && !broke;
    const caseResult: CaseResult = {
      lesson: lesson.meta.id,
      name: proof.name,
      expect: proof.expect,
      why: proof.why,
      failing,
      expectedFailing: proof.failing,
      ok,
      checks: result.checks,
      seconds: (Date.now() - started) / 1000,
    };
    results.push(caseResult);
    options.onCase?.(caseResult);
    await rm(workspace, { recursive: true, force: true });
  };
  try {
    // A small pool in course order; the cases of Swarm lessons wait most of their time on the
    // cluster (a stack converging, an update rolling, tasks stopping) and hardly use a core, so
    // they get a lane of their own beside it (lanes.ts).
    await runInLanes(queue, {
      concurrency: options.concurrency ?? 1,
      waits: ({ lesson }) => usesSwarm(lesson),
      run: runOne,
      stopped: () => Boolean(options.signal?.aborted),
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return results;
};
