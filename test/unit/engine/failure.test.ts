import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CourseError, EnvironmentError, UserError } from '../../../src/engine/errors.js';
import { describeFailure } from '../../../src/engine/failure.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { copyCourse, fakeRegistry } from './fakes.js';

// Errors by kind, through the one formatter the CLI and the Ink UI share.
describe('describeFailure', () => {
  it('a learner-fixable error: exit 2, its own words', () => {
    const f = describeFailure(new UserError({ en: 'no workspace', 'zh-CN': '没有工作区' }, { next: { en: 'run init', 'zh-CN': '运行 init' } }));
    expect(f).toEqual({ kind: 'user', message: { en: 'no workspace', 'zh-CN': '没有工作区' }, next: { en: 'run init', 'zh-CN': '运行 init' }, exitCode: 2 });
  });

  it('the machine needs something: exit 2 and the doctor hint after the next step', () => {
    const f = describeFailure(
      new EnvironmentError({ en: 'Docker did not answer', 'zh-CN': 'Docker 没有响应' }, { next: { en: 'restart Docker', 'zh-CN': '重启 Docker' } }),
    );
    expect(f.kind).toBe('environment');
    expect(f.exitCode).toBe(2);
    expect(f.next?.en).toBe('restart Docker\nTo see what this machine lacks: npx learn-go-docker doctor');
    expect(f.next?.['zh-CN']).toContain('npx learn-go-docker doctor');
  });

  it('a broken course: exit 3, asks for a report; the loader raises it for a malformed lesson', async () => {
    const copy = await copyCourse();
    try {
      await writeFile(join(copy.root, 'lessons', '01-one', 'lesson.yaml'), 'format: 1\nid: one\n');
      const error = await loadCourse(copy.root, fakeRegistry()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CourseError);
      const f = describeFailure(error);
      expect(f.kind).toBe('course');
      expect(f.exitCode).toBe(3);
      expect(f.message.en).toContain('lessons/01-one/lesson.yaml');
      expect(f.next?.en).toContain('please report');
    } finally {
      await copy.done();
    }
  });

  it('a file-system error is mapped; anything else is a bug with its stack, exit 70', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: '/tmp/x' });
    expect(describeFailure(full)).toMatchObject({ kind: 'environment', exitCode: 2 });
    const bug = describeFailure(new TypeError('x is undefined'));
    expect(bug.kind).toBe('bug');
    expect(bug.exitCode).toBe(70);
    expect(bug.detail).toContain('TypeError: x is undefined');
  });
});
