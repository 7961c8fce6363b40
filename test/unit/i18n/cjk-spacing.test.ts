import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { checkLessons } from '../../../src/engine/dev/check-lessons.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { M } from '../../../src/ui/messages.js';
import { madeUpDigests, noDockerSession } from '../engine/fakes.js';
import { cjkSpacingProblems, markdownProse } from './cjk-spacing.js';

// Issue 17: spaces between Chinese and Latin text follow one rule everywhere a learner reads Chinese.
const root = packageRoot();
const course = await loadCourse(root, checkRegistry());

const zhOf = (node: unknown, out: string[] = []): string[] => {
  if (node && typeof node === 'object') {
    const zh = (node as Record<string, unknown>)['zh-CN'];
    if (typeof zh === 'string') out.push(zh);
    else for (const value of Object.values(node)) zhOf(value, out);
  }
  return out;
};

describe('Chinese text spacing', () => {
  it('the rule itself: spaces between Chinese and Latin, none beside full-width punctuation', () => {
    expect(cjkSpacingProblems('构建 Go 镜像，第 3 课：`docker build`')).toEqual([]);
    expect(cjkSpacingProblems('构建Go镜像')).toHaveLength(2);
    expect(cjkSpacingProblems('镜像： Go')).toHaveLength(1);
    expect(cjkSpacingProblems('运行 docker （见第 3 课）')).toHaveLength(1);
    expect(cjkSpacingProblems('| 存活：进程还活着吗？ | 完全无法响应 |')).toEqual([]);
  });

  it('in every lesson text (zh-CN.md prose)', () => {
    const problems = readdirSync(join(root, 'lessons'))
      .filter((d) => /^\d\d-/.test(d))
      .flatMap((d) => cjkSpacingProblems(markdownProse(readFileSync(join(root, 'lessons', d, 'zh-CN.md'), 'utf8'))).map((p) => `${d}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("in every lesson's titles, hints and learned lines", () => {
    const problems = course.lessons.flatMap((l) =>
      zhOf({ meta: l.meta, chapter: l.chapterTitle }).flatMap((zh) => cjkSpacingProblems(zh).map((p) => `${l.meta.id}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  it("in the UI's messages and every check title", () => {
    const titles = [...checkRegistry().values()].map((c) => c.title);
    expect(zhOf({ M, titles }).flatMap(cjkSpacingProblems)).toEqual([]);
  });

  it('in the static verdicts of every lesson start and solution', async () => {
    const results = await checkLessons({ course, createSession: () => noDockerSession(), baseDigests: madeUpDigests, staticOnly: true });
    const messages = results.flatMap((r) => [...r.start, ...r.solution].filter((c) => c.kind === 'static').map((c) => c.message['zh-CN']));
    expect(messages.length).toBeGreaterThan(50);
    expect(messages.flatMap(cjkSpacingProblems)).toEqual([]);
  });
});
