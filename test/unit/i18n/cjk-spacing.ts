/**
 * The one spacing rule for Simplified Chinese text (as in most Chinese technical writing): a space
 * between Chinese and Latin letters or digits ("构建 Go 镜像", "第 3 课"), and none next to
 * full-width punctuation ("镜像：Go", never "镜像： Go" or "Go （"). Code spans and fenced blocks
 * in markdown are left alone, as are table pipes and indentation.
 */
const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const TOUCHING = new RegExp(`[${CJK}][A-Za-z0-9]|[A-Za-z0-9][${CJK}]`, 'g');
const SPACED_PUNCTUATION = /[，。：；！？、（）](?=[ \t][^|\s])|(?<=[^|\s])[ \t][，。：；！？、（）]/g;

export const cjkSpacingProblems = (text: string): string[] => {
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    for (const m of line.matchAll(TOUCHING)) problems.push(`no space in "${m[0]}": ${line}`);
    for (const m of line.matchAll(SPACED_PUNCTUATION)) problems.push(`space next to "${m[0]}": ${line}`);
  }
  return problems;
};

/** Markdown prose only: fenced blocks, code spans and link targets are not prose. */
export const markdownProse = (md: string): string => {
  let fence = false;
  return md
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fence = !fence;
        return '';
      }
      return fence ? '' : line.replace(/`[^`]*`/g, 'C').replace(/\]\([^)]*\)/g, ']');
    })
    .join('\n');
};
