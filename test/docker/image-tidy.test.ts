import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneReplacedImage, tidyCourseImages } from '../../src/engine/docker/image-tidy.js';
import { parseImageList } from '../../src/engine/docker/parse-tidy.js';
import { dockerForTests } from './helpers.js';

// Other lessons' images go when the learner moves on; the current lesson's stays for the next verify.
const caps = await dockerForTests();
const bin = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const exists = async (ref: string) => (await execa(bin(), ['image', 'inspect', ref], { reject: false })).exitCode === 0;
const tag = (lesson: string) => `learn-go-docker/${lesson}:verify`;
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const OLD = `tidy-old-${suffix}`;
const NEW = `tidy-new-${suffix}`;
const LATER = `tidy-later-${suffix}`;

/** A tiny labelled lesson image, unique by its label (no Go build). */
const lessonImage = async (lesson: string) => {
  await execa(
    bin(),
    ['build', '-q', '--label', 'learn-go-docker=1', '--label', `learn-go-docker.lesson=${lesson}`, '--label', `tidy-test=${lesson}`, '-t', tag(lesson), '-'],
    {
      input: 'FROM debian:trixie-slim\n',
      env: { DOCKER_BUILDKIT: caps?.builder === 'classic' ? '0' : '1' },
    },
  );
};

describe.skipIf(!caps)('tidyCourseImages on a real engine', () => {
  const saved = process.env.LEARN_GO_DOCKER_CACHE_DIR;
  let cacheDir = '';
  afterAll(async () => {
    await execa(bin(), ['image', 'rm', '-f', tag(OLD), tag(NEW), tag(LATER)], { reject: false });
    if (saved === undefined) delete process.env.LEARN_GO_DOCKER_CACHE_DIR;
    else process.env.LEARN_GO_DOCKER_CACHE_DIR = saved;
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it("removes another lesson's idle image when the learner moves on, keeps the current one, and measures what is left", async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'lgd-tidy-'));
    process.env.LEARN_GO_DOCKER_CACHE_DIR = cacheDir;
    await lessonImage(OLD);
    await lessonImage(NEW);
    // Every other lesson image on this engine counts as just built (other tests may be about to run them).
    const listed = parseImageList((await execa(bin(), ['image', 'ls', '--filter', 'label=learn-go-docker', '--format', '{{json .}}'])).stdout);
    const now = Date.now();
    const at: Record<string, number> = Object.fromEntries(listed.map((i) => [i.repository.replace('learn-go-docker/', ''), now]));
    at[OLD] = now - 2 * 3_600_000;
    await writeFile(join(cacheDir, 'lesson-builds.json'), JSON.stringify({ last: OLD, at }));

    await tidyCourseImages({ lessonId: NEW, buildkit: caps?.builder !== 'classic' });
    expect(await exists(tag(OLD))).toBe(caps?.builder === 'classic');
    expect(await exists(tag(NEW))).toBe(true);
    const disk = JSON.parse(await readFile(join(cacheDir, 'disk-use.json'), 'utf8')) as { bytes: number; images: number };
    expect(disk.images).toBeGreaterThan(0);
    expect(disk.bytes).toBeGreaterThan(0);
    const builds = JSON.parse(await readFile(join(cacheDir, 'lesson-builds.json'), 'utf8')) as { last: string };
    expect(builds.last).toBe(NEW);
  });

  it('does nothing while the learner stays on the same lesson', async () => {
    await lessonImage(LATER);
    const builds = JSON.parse(await readFile(join(cacheDir, 'lesson-builds.json'), 'utf8')) as { last: string; at: Record<string, number> };
    await writeFile(join(cacheDir, 'lesson-builds.json'), JSON.stringify({ ...builds, at: { ...builds.at, [LATER]: 0 } }));
    await tidyCourseImages({ lessonId: NEW, buildkit: true });
    expect(await exists(tag(LATER))).toBe(true);
  });

  it("removes the lesson's image a new build replaced (dangling now), never one a verify still holds by its tag", async () => {
    const lesson = `tidy-replaced-${suffix}`;
    const build = async (n: number, tags: string[]) =>
      (
        await execa(
          bin(),
          [
            'build',
            '-q',
            '--label',
            'learn-go-docker=1',
            '--label',
            `learn-go-docker.lesson=${lesson}`,
            '--label',
            `n=${n}`,
            ...tags.flatMap((t) => ['-t', t]),
            '-',
          ],
          { input: 'FROM debian:trixie-slim\n', env: { DOCKER_BUILDKIT: caps?.builder === 'classic' ? '0' : '1' } },
        )
      ).stdout.trim();
    const held = `learn-go-docker/${lesson}:held-1-test`;
    const first = await build(1, [tag(lesson), held]);
    await pruneReplacedImage(lesson, first);
    // Another verify's build re-tags :verify; the first image is still held by its verify's tag.
    const second = await build(2, [tag(lesson)]);
    await pruneReplacedImage(lesson, second);
    expect(await exists(first)).toBe(true);
    // That verify ends (its tag goes): the next replacement removes it.
    await execa(bin(), ['image', 'rm', held]);
    const third = await build(3, [tag(lesson)]);
    await pruneReplacedImage(lesson, third);
    expect(await exists(first)).toBe(false);
    expect(await exists(second)).toBe(false);
    expect(await exists(third)).toBe(true);
    await execa(bin(), ['image', 'rm', '-f', tag(lesson)], { reject: false });
  });
});
