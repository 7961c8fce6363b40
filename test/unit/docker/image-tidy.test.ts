import { describe, expect, it } from 'vitest';
import {
  courseImagesBytes,
  courseImagesBytesFromLayers,
  heldTag,
  heldTagsToRemove,
  parseDockerTime,
  parseImageList,
  verifyImagesToRemove,
} from '../../../src/engine/docker/parse-tidy.js';
import { diskUseLine } from '../../../src/engine/docker/disk-use.js';

// Lines as docker 20.10 prints them for `image ls --format '{{json .}}'` (fields trimmed to those read).
const LISTED = [
  '{"CreatedAt":"2026-11-28 09:06:14 +0000 UTC","ID":"5da32a466c82","Repository":"learn-go-docker/reusable-dockerfiles","Tag":"verify"}',
  '{"CreatedAt":"2026-11-28 08:10:00 +0000 UTC","ID":"821b6873a707","Repository":"learn-go-docker/multi-stage","Tag":"verify"}',
  '{"CreatedAt":"2026-11-28 08:00:00 +0000 UTC","ID":"cbb0bd150292","Repository":"learn-go-docker/capstone","Tag":"verify"}',
  '{"CreatedAt":"2026-11-28 08:00:00 +0000 UTC","ID":"9e333f70963d","Repository":"learn-go-docker/capstone","Tag":"s-d92641fcf14b-1"}',
  '{"CreatedAt":"2026-11-28 08:00:00 +0000 UTC","ID":"3daf7005d7a3","Repository":"\u003cnone\u003e","Tag":"\u003cnone\u003e"}',
  '{"CreatedAt":"garbled","ID":"76675998613a","Repository":"learn-go-docker/layers-and-cache","Tag":"verify"}',
].join('\n');

const NOW = Date.parse('2026-11-28T09:10:00Z');
const IDLE = 30 * 60_000;

describe('keeping the course images to what the next verify reuses', () => {
  it('reads docker times with their offset', () => {
    expect(parseDockerTime('2026-11-28 09:06:14 +0000 UTC')).toBe(Date.parse('2026-11-28T09:06:14Z'));
    expect(parseDockerTime('2026-11-28 17:06:14 +0800 CST')).toBe(Date.parse('2026-11-28T09:06:14Z'));
    expect(parseDockerTime('yesterday')).toBeNaN();
  });

  it("removes other lessons' :verify images idle for 30 minutes, never the current lesson's, a session image or an untagged one", () => {
    const images = parseImageList(LISTED);
    const remove = verifyImagesToRemove(images, { keepLesson: 'capstone', builtAt: {}, now: NOW, idleMs: IDLE });
    expect(remove).toEqual(['learn-go-docker/multi-stage:verify']);
  });

  it('trusts our record of the last build over the image date (a cached build keeps an old date)', () => {
    const images = parseImageList(LISTED);
    const builtAt = { 'multi-stage': NOW - 60_000, 'reusable-dockerfiles': NOW - 2 * IDLE };
    expect(verifyImagesToRemove(images, { keepLesson: 'capstone', builtAt, now: NOW, idleMs: IDLE })).toEqual(['learn-go-docker/reusable-dockerfiles:verify']);
  });

  it('keeps an image whose time it cannot read', () => {
    const images = parseImageList(LISTED);
    expect(verifyImagesToRemove(images, { keepLesson: 'capstone', builtAt: {}, now: NOW, idleMs: IDLE })).not.toContain(
      'learn-go-docker/layers-and-cache:verify',
    );
  });

  it('estimates disk use from system df: unique bytes of our images plus the shared part once', () => {
    const df = JSON.stringify([
      { ID: 'sha256:aaa', SharedSize: '1.5MB', UniqueSize: '21.5MB', Size: '23MB' },
      { ID: 'sha256:bbb', SharedSize: '600MB', UniqueSize: '7MB', Size: '607MB' },
      { ID: 'sha256:ccc', SharedSize: '600MB', UniqueSize: '400MB', Size: '1GB' },
    ]);
    expect(courseImagesBytes(df, new Set(['sha256:aaa', 'sha256:bbb']))).toEqual({ bytes: 21.5e6 + 7e6 + 600e6, images: 2 });
    expect(courseImagesBytes('not json', new Set(['sha256:aaa']))).toEqual({ bytes: 0, images: 0 });
  });

  it('estimates the same from layers when system df fails: own bytes above the longest local prefix, bases once', () => {
    const inspected = [
      'sha256:golang 800000000 l1,l2',
      'sha256:distroless 20000000 d1',
      'sha256:lesson3 850000000 l1,l2,a,b', // 50 MB above golang
      'sha256:lesson3b 860000000 l1,l2,a,b,c', // 10 MB above lesson3
      'sha256:lesson5 25000000 d1,x', // 5 MB above distroless
      'sha256:orphan 7000000 z1', // no local base: all its own
      '',
      'Error: No such image: sha256:gone',
    ].join('\n');
    const ours = new Set(['sha256:lesson3', 'sha256:lesson3b', 'sha256:lesson5', 'sha256:orphan']);
    expect(courseImagesBytesFromLayers(inspected, ours)).toEqual({ bytes: 50e6 + 10e6 + 5e6 + 7e6 + 800e6, images: 4 });
    expect(courseImagesBytesFromLayers('', ours)).toEqual({ bytes: 0, images: 0 });
  });

  it('untags the held tags of verifies whose process is gone, never a live one or another repository', () => {
    const image = (repository: string, tag: string) => ({ id: 'sha256:x', repository, tag, created: NOW });
    const images = [
      image('learn-go-docker/multi-stage', heldTag(111, 'a1b2c3')),
      image('learn-go-docker/multi-stage', heldTag(222, 'd4e5f6')),
      image('learn-go-docker/multi-stage', 'verify'),
      image('someone/else', heldTag(111, 'a1b2c3')),
    ];
    expect(heldTagsToRemove(images, (pid) => pid === 222)).toEqual([`learn-go-docker/multi-stage:${heldTag(111, 'a1b2c3')}`]);
  });

  it('says the figure in words with its age and the way to free it', () => {
    const line = diskUseLine({ at: NOW - 3 * 3_600_000, bytes: 640e6, images: 1 }, NOW);
    expect(line.en).toBe(
      'Docker images of this course: about 640 MB with the base images they are built on (1 image, measured 3 h ago). Remove them: npx learn-go-docker clean',
    );
    expect(line['zh-CN']).toBe('本课程的 Docker 镜像：约 640 MB，含它们所基于的基础镜像（1 个镜像，3 小时前测量）。删除它们：npx learn-go-docker clean');
  });
});
