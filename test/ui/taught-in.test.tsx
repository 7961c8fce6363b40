import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/engine/index.js';
import { L } from '../../src/engine/i18n.js';
import { checkLines, partialLines } from '../../src/ui/check-lines.js';
import { iconsFor } from '../../src/ui/theme.js';

const icons = iconsFor({ color: false, unicode: true });
const report = (over: Partial<CheckReport>): CheckReport => ({
  id: 'image.user',
  title: L('The image does not run as root', '镜像不以 root 运行'),
  kind: 'docker',
  status: 'pass',
  message: L('The image runs as user 65532:65532.', '镜像以用户 65532:65532 运行。'),
  ...over,
});

describe('the lesson that teaches a check', () => {
  it('is shown after the title in both languages, and only when known', () => {
    const lines = (lang: 'en' | 'zh-CN', checks: CheckReport[]) => partialLines(checks, { lang, width: 80, icons, maxLines: 5 }).map((l) => l.text);
    expect(lines('en', [report({ lesson: 8 })])[0]).toContain('The image does not run as root (lesson 8)');
    expect(lines('zh-CN', [report({ lesson: 8 })])[0]).toContain('镜像不以 root 运行（第 8 课）');
    expect(lines('en', [report({})])[0]).not.toContain('lesson');
  });
  it('stays on the line of a check the results panel shrinks to its title', () => {
    const checks = [
      report({ lesson: 8 }),
      report({ id: 'image.size', status: 'fail', lesson: 4, title: L('Image size', '镜像大小'), message: L('Too big.', '太大。') }),
    ];
    const full = checkLines(checks, { lang: 'en', width: 80, icons, maxLines: 20 }).map((l) => l.text);
    expect(full.some((t) => t.startsWith('The image does not run as root (lesson 8)'))).toBe(true);
    expect(full.some((t) => t.startsWith('Image size (lesson 4)'))).toBe(true);
    const zh = checkLines(checks, { lang: 'zh-CN', width: 80, icons, maxLines: 4 }).map((l) => l.text);
    expect(zh.join('\n')).toContain('（第 4 课）');
  });
});

describe('verdicts known while a verify runs', () => {
  const failing = report({
    id: 'dockerfile.multi-stage',
    status: 'fail',
    title: L('Multi-stage build', '多阶段构建'),
    message: L(
      'There is only one stage, so the compiler and the source end up in the image. Build in a first stage and COPY --from=build only the binary.',
      '只有一个阶段，编译器和源代码都会进入镜像。请在第一个阶段构建，再用 COPY --from=build 只把二进制复制到最终阶段。',
    ),
  });
  it('show a failure in full when the rows allow, so it can be read while Docker builds', () => {
    const lines = partialLines([failing, report({})], { lang: 'en', width: 60, icons, maxLines: 6 }).map((l) => l.text);
    expect(lines.join(' ')).toContain('COPY --from=build only the binary.');
    expect(lines.some((l) => l.endsWith('…'))).toBe(false);
    expect(lines.at(-1)).toBe('The image does not run as root');
  });
  it('cut each to one line, and say so, when they do not fit', () => {
    const lines = partialLines([failing, report({})], { lang: 'en', width: 60, icons, maxLines: 2 }).map((l) => l.text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/…$/);
  });
});
