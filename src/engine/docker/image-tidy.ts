import { DISK_USE_FILE, lastCourseDiskUse } from './disk-use.js';
import { pidAlive } from './clean.js';
import { dockerExec } from './exec.js';
import { LABEL, LESSON_LABEL } from './labels.js';
import { readCache, writeCache } from './machine-cache.js';
import {
  courseImagesBytes,
  courseImagesBytesFromLayers,
  heldTagsToRemove,
  parseImageList,
  verifyImagesToRemove,
  type CourseDiskUse,
  type LessonBuilds,
} from './parse-tidy.js';

const BUILDS = 'lesson-builds.json';
/** The image each lesson's last build made on this machine. */
const IMAGES = 'lesson-images.json';

/** `docker image ls -q` output: one id a line. */
const idLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
/**
 * An image another verify may be about to run is never removed: only images whose lesson was last
 * built here more than this long ago, and dangling images at least this old.
 */
const IDLE_MS = 30 * 60_000;

/**
 * Keeps the course's images to what the next verify reuses. Called beside each lesson build, it
 * does nothing (no docker call) unless the lesson differs from the last one built on this machine;
 * then it removes the other lessons' `:verify` images (BuildKit keeps their layers in its build cache,
 * so going back is a cached build; the classic builder has no other cache, so they stay), prunes
 * the course's dangling images, and measures what the rest use on disk (for `list` and `doctor`).
 * Best effort: a failure leaves things as they were.
 */
export const tidyCourseImages = async (options: { lessonId: string; buildkit: boolean; now?: number }): Promise<void> => {
  const now = options.now ?? Date.now();
  const builds = (await readCache<LessonBuilds>(BUILDS)) ?? { last: undefined, at: {} };
  const changed = builds.last !== options.lessonId;
  await writeCache(BUILDS, { last: options.lessonId, at: { ...builds.at, [options.lessonId]: now } });
  if (!changed) return;
  const listed = await dockerExec(['image', 'ls', '--filter', `label=${LABEL}`, '--format', '{{json .}}'], { timeoutMs: 60_000 });
  if (listed.exitCode !== 0) return;
  const images = parseImageList(listed.stdout);
  const orphans = heldTagsToRemove(images, pidAlive);
  if (orphans.length) await dockerExec(['image', 'rm', ...orphans], { timeoutMs: 120_000 });
  if (options.buildkit) {
    const remove = verifyImagesToRemove(images, { keepLesson: options.lessonId, builtAt: builds.at, now, idleMs: IDLE_MS });
    // No -f: an image a container still uses stays.
    if (remove.length) await dockerExec(['image', 'rm', ...remove], { timeoutMs: 120_000 });
  }
  await dockerExec(['image', 'prune', '-f', '--filter', `label=${LABEL}`, '--filter', `until=${IDLE_MS / 60_000}m`], { timeoutMs: 120_000 });
  // `system df -v` walks every layer (seconds on a busy machine): an hourly figure is enough for `list`.
  const measured = await lastCourseDiskUse();
  if (!measured || now - measured.at > 3_600_000) await measureCourseDisk();
};

/**
 * After a lesson build (the :verify image, held by this verify's own tag): when it made another image
 * than the lesson's last build here, the earlier one lost its :verify tag and is dangling, unless a
 * verify still running holds it by its tag. The lesson's dangling images go now instead of piling up
 * until the learner changes lesson (each edit of a single-stage Dockerfile left an image of a
 * gigabyte or more behind). No Docker call when the build made the same image (a warm verify).
 */
export const pruneReplacedImage = async (lessonId: string, imageId: string): Promise<void> => {
  const last = (await readCache<Record<string, string>>(IMAGES)) ?? {};
  if (last[lessonId] === imageId) return;
  await writeCache(IMAGES, { ...last, [lessonId]: imageId });
  // prune removes untagged images only: a held image, or one a container runs, stays.
  await dockerExec(['image', 'prune', '-f', '--filter', `label=${LABEL}`, '--filter', `label=${LESSON_LABEL}=${lessonId}`], { timeoutMs: 120_000 });
};

/** What the course's images use on disk now (`docker system df -v`, else their layers), remembered for `list`. */
export const measureCourseDisk = async (): Promise<CourseDiskUse | undefined> => {
  const ids = await dockerExec(['image', 'ls', '-q', '--no-trunc', '--filter', `label=${LABEL}`], { timeoutMs: 60_000 });
  if (ids.exitCode !== 0) return undefined;
  const ours = new Set(idLines(ids.stdout));
  const df = await dockerExec(['system', 'df', '-v', '--format', '{{json .Images}}'], { timeoutMs: 120_000 });
  const measured = df.exitCode === 0 ? courseImagesBytes(df.stdout, ours) : await fromLayers(ours);
  if (!measured) return undefined;
  const use: CourseDiskUse = { at: Date.now(), ...measured };
  await writeCache(DISK_USE_FILE, use);
  return use;
};

/** The fallback measure: every local image's size and layers, in two calls. */
const fromLayers = async (ours: ReadonlySet<string>): Promise<{ bytes: number; images: number } | undefined> => {
  if (ours.size === 0) return { bytes: 0, images: 0 };
  const all = await dockerExec(['image', 'ls', '-q', '--no-trunc'], { timeoutMs: 60_000 });
  if (all.exitCode !== 0) return undefined;
  const ids = [...new Set(idLines(all.stdout))];
  const inspected = await dockerExec(['image', 'inspect', '--format', '{{.Id}} {{.Size}} {{range .RootFS.Layers}}{{.}},{{end}}', ...ids], {
    timeoutMs: 60_000,
  });
  // An image removed between the two calls makes inspect fail for it only: the others still print.
  if (!inspected.stdout.trim()) return undefined;
  return courseImagesBytesFromLayers(inspected.stdout, ours);
};
