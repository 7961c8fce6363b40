/**
 * `prepare`, `prepare --export`, `prepare --import` for the shipped course: its base images (the
 * list doctor's base-images item checks) and the sample app's go.mod/go.sum, with the real driver.
 */
import { resolve } from 'node:path';
import { CourseError } from '../errors.js';
import { L } from '../i18n.js';
import { courseBaseImages } from '../lessons/base-images.js';
import type { Course } from '../lessons/load.js';
import { realPrepareDriver } from './driver.js';
import type { MirrorRule } from './mirror.js';
import { exportArchive, importArchive, runPrepare, type ExportProblem } from './prepare.js';
import type { ExportResult, ImportResult, PrepareEvent, PrepareResult } from './types.js';

export type { ExportResult, ImageOutcome, ImportResult, ModulesOutcome, PrepareEvent, PrepareResult } from './types.js';
export type { ExportProblem } from './prepare.js';
export type { ImageCheck } from './manifest.js';
export { PLATFORMS } from './prepare.js';

const sampleModules = async (course: Course): Promise<{ goMod: Uint8Array; goSum: Uint8Array }> => {
  const [goMod, goSum] = await Promise.all([course.files.read('sample-app/go.mod'), course.files.read('sample-app/go.sum')]);
  if (!goMod || !goSum) throw new CourseError(L('The course has no sample-app/go.mod or go.sum.', '课程中没有 sample-app/go.mod 或 go.sum。'));
  return { goMod: goMod.bytes, goSum: goSum.bytes };
};

export interface CoursePrepareOptions {
  readonly course: Course;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: PrepareEvent) => void;
}

export const prepareCourse = async (options: CoursePrepareOptions & { platform?: string; mirrors?: readonly MirrorRule[] }): Promise<PrepareResult> => {
  const [images, modules] = await Promise.all([courseBaseImages(options.course), sampleModules(options.course)]);
  return runPrepare({
    driver: realPrepareDriver(options.signal),
    images,
    ...modules,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.mirrors?.length ? { mirrors: options.mirrors } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
};

export const exportCourseArchive = async (
  options: CoursePrepareOptions & { file: string; cwd: string; platform?: string; tool: string },
): Promise<{ result?: ExportResult; problems: ExportProblem[] }> => {
  const [images, modules] = await Promise.all([courseBaseImages(options.course), sampleModules(options.course)]);
  return exportArchive({
    driver: realPrepareDriver(options.signal),
    images,
    ...modules,
    file: resolve(options.cwd, options.file),
    tool: options.tool,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
};

export const importCourseArchive = async (options: CoursePrepareOptions & { file: string; cwd: string }): Promise<ImportResult> => {
  const { goSum } = await sampleModules(options.course);
  return importArchive({
    driver: realPrepareDriver(options.signal),
    file: resolve(options.cwd, options.file),
    goSum,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
};
