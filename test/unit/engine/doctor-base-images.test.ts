import { describe, expect, it } from 'vitest';
import { enginePlatformOf, judgeBaseImages, parseImagePlatform, type BaseImagesMeasurement } from '../../../src/engine/doctor/env-items.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// doctor's base-images item judged on measurements as `measureBaseImages` returns them: each image
// here with the platform `docker image inspect --format '{{.Os}}/{{.Architecture}}'` printed.
const GO = 'golang:1.26-trixie';
const DEBIAN = 'debian:trixie-slim';
const DISTROLESS = 'gcr.io/distroless/static-debian13:nonroot';
const m = (present: [string, string][], more: Partial<BaseImagesMeasurement> = {}): BaseImagesMeasurement => ({
  wanted: [...present.map(([image]) => image), ...(more.pullable ?? []), ...(more.missing ?? [])],
  present: present.map(([image, platform]) => ({ image, platform })),
  pullable: [],
  missing: [],
  ...more,
});

describe('the platform base-images compares', () => {
  it('reads the inspect output and the engine platform', () => {
    expect(parseImagePlatform('linux/amd64\n')).toBe('linux/amd64');
    expect(parseImagePlatform('/arm64')).toBe('linux/arm64');
    expect(parseImagePlatform('')).toBe('');
    expect(enginePlatformOf({ serverOs: 'linux', arch: 'arm64' })).toBe('linux/arm64');
    expect(enginePlatformOf({ arch: 'amd64' })).toBe('linux/amd64');
    expect(enginePlatformOf({})).toBeUndefined();
  });
});

describe('judgeBaseImages', () => {
  it('present and for the engine platform: ok, with the same words as before', () => {
    const item = judgeBaseImages(
      m(
        [
          [GO, 'linux/arm64'],
          [DEBIAN, 'linux/arm64'],
        ],
        { pullable: [DISTROLESS] },
      ),
      false,
      'linux/arm64',
    );
    expect(item).toMatchObject({ id: 'base-images', status: 'ok', details: { present: 2, pullable: 1, missing: 0 } });
    expect(item.fix).toBeUndefined();
    expect(item.message.en).toBe(`2 of 3 present locally, 1 pullable (${DISTROLESS}).`);
    expect(item.message['zh-CN']).toBe(`本地已有 3 个中的 2 个，1 个可以拉取（${DISTROLESS}）。`);
    // An engine that did not say its architecture, or an image that did not say, compares nothing.
    expect(judgeBaseImages(m([[GO, 'linux/amd64']]), false, undefined).status).toBe('ok');
    expect(judgeBaseImages(m([[GO, '']]), false, 'linux/arm64').status).toBe('ok');
  });

  it('amd64 images on an arm64 engine (Apple silicon): warns with each image, both platforms, and the fix', () => {
    const item = judgeBaseImages(
      m([
        [GO, 'linux/amd64'],
        [DEBIAN, 'linux/amd64'],
        [DISTROLESS, 'linux/arm64'],
      ]),
      false,
      'linux/arm64',
    );
    expect(item).toMatchObject({
      id: 'base-images',
      status: 'warn',
      details: { present: 3, missing: 0, pullable: 0, otherPlatform: 2, otherPlatformImages: `${GO}=linux/amd64,${DEBIAN}=linux/amd64` },
    });
    expect(item.blocking).toBeUndefined();
    expect(item.message.en).toBe(
      `3 of 3 present locally. Not for this Docker's platform (linux/arm64): ${GO} (linux/amd64), ${DEBIAN} (linux/amd64). Containers and builds from them run under emulation, slowly, or fail with exec format error.`,
    );
    expect(item.message['zh-CN']).toBe(
      `本地已有 3 个中的 3 个。不是这个 Docker 的平台（linux/arm64）：${GO}（linux/amd64）、${DEBIAN}（linux/amd64）。用它们运行的容器和构建会在模拟下进行，很慢，或者报 exec format error 失败。`,
    );
    expect(item.fix?.en).toBe(
      `Get the linux/arm64 copy: docker pull --platform linux/arm64 ${GO} && docker pull --platform linux/arm64 ${DEBIAN}, or npx learn-go-docker prepare --import an archive made with --platform linux/arm64.`,
    );
    expect(cjkSpacingProblems(item.message['zh-CN'])).toEqual([]);
    expect(cjkSpacingProblems(item.fix?.['zh-CN'] ?? '')).toEqual([]);
  });

  it('a missing image still fails, and the other-platform one is named in the same item', () => {
    const item = judgeBaseImages(m([[GO, 'linux/amd64']], { missing: [DISTROLESS] }), false, 'linux/arm64');
    expect(item).toMatchObject({ status: 'fail', blocking: true, details: { missing: 1, otherPlatform: 1, missingImages: DISTROLESS } });
    expect(item.message.en).toBe(
      `Not present and not pullable: ${DISTROLESS}. Not for this Docker's platform (linux/arm64): ${GO} (linux/amd64). Containers and builds from them run under emulation, slowly, or fail with exec format error.`,
    );
    expect(item.fix?.en).toContain(`docker pull --platform linux/arm64 ${GO}`);
    // Offline: a warning, as before.
    expect(judgeBaseImages(m([], { missing: [DISTROLESS] }), true, 'linux/arm64')).toMatchObject({ status: 'warn', blocking: false });
  });
});
