import type { CheckOutcome } from '../../../src/engine/checks/types.js';

/**
 * A verdict of renderFindings in the list form whatever its count: a file with one finding is said
 * on one line (`file, line 6: …`, which a one-line summary shows whole), a file with several as
 * `file: N problems:` and a `- line N: …` list. Tests that look for a finding read it as `file:`
 * followed by `- line N: …` either way.
 */
export const asList = <T extends CheckOutcome>(outcome: T): T => {
  const en = (line: string): string => {
    if (line.startsWith('- ')) return line;
    const withLine = /^(\S+), line (\d+): (.*)$/.exec(line);
    if (withLine) return `${withLine[1]}:\n- line ${withLine[2]}: ${withLine[3]}`;
    const header = /^(\S+): \d+ problems:$/.exec(line);
    if (header) return `${header[1]}:`;
    const noLine = /^(\S*[./]\S*): (?!line \d)(.*)$/.exec(line);
    return noLine ? `${noLine[1]}:\n- ${noLine[2]}` : line;
  };
  const zh = (line: string): string => {
    if (line.startsWith('- ')) return line;
    const withLine = /^(\S+) 第 (\d+) 行：(.*)$/.exec(line);
    if (withLine) return `${withLine[1]}：\n- 第 ${withLine[2]} 行：${withLine[3]}`;
    const header = /^(\S+)：\d+ 个问题：$/.exec(line);
    if (header) return `${header[1]}：`;
    const noLine = /^(\S*[./]\S*)：(.*)$/.exec(line);
    return noLine ? `${noLine[1]}：\n- ${noLine[2]}` : line;
  };
  if (outcome.status !== 'fail') return outcome;
  const each = (text: string, form: (line: string) => string) => text.split('\n').map(form).join('\n');
  return { ...outcome, message: { en: each(outcome.message.en, en), 'zh-CN': each(outcome.message['zh-CN'], zh) } };
};
