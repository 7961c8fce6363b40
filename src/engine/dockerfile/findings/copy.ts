import { copySources } from '../go-build.js';
import type { EvalInstruction, Model } from '../model.js';
import { resolveFrom } from '../stages.js';
import type { Finding } from '../types.js';
import { finding, type FindingContext } from './finding-context.js';

const stageList = (model: Model, before: number): string =>
  model.stages
    .filter((s) => s.index < before)
    .map((s) => (s.name ? `${s.name} (${s.index})` : String(s.index)))
    .join(', ') || '-';

const fromFinding = (model: Model, instr: EvalInstruction): Finding | null => {
  if (!instr.from) return null;
  const value = instr.from.text;
  const target = resolveFrom(model, instr.stage, instr.from);
  const known = stageList(model, instr.stage);
  switch (target.kind) {
    case 'unknown':
      return finding(
        'copy-from-unknown-stage',
        'error',
        instr.line,
        target.reason === 'index-out-of-range'
          ? `--from=${value} refers to stage ${value}, but stages are numbered from 0 and only ${known} exist before this line. Use an earlier stage's name or index.`
          : `--from=${value} is not the name of an earlier stage (${known}), so Docker would try to pull an image called "${value}". Probably a typo: use the stage's AS name (case does not matter).`,
        target.reason === 'index-out-of-range'
          ? `--from=${value} 指向第 ${value} 个阶段，但阶段从 0 开始编号，这一行之前只有 ${known}。请使用前面某个阶段的名称或序号。`
          : `--from=${value} 不是前面任何阶段的名称（${known}），Docker 会尝试拉取名为 "${value}" 的镜像。可能是拼写错误：请使用阶段的 AS 名称（不区分大小写）。`,
      );
    case 'self':
      return finding(
        'copy-from-current-stage',
        'error',
        instr.line,
        `--from=${value} refers to the stage this line is in; a stage cannot copy from itself. Copy from an earlier stage.`,
        `--from=${value} 指向这一行所在的阶段本身；阶段不能从自己复制。请从前面的阶段复制。`,
      );
    case 'later':
      return finding(
        'copy-from-later-stage',
        'warning',
        instr.line,
        `--from=${value} refers to a stage defined later in the file (line ${model.stages[target.index]?.line ?? '?'}). Move that stage above this one so the build reads top to bottom.`,
        `--from=${value} 指向文件后面定义的阶段（第 ${model.stages[target.index]?.line ?? '?'} 行）。请把那个阶段移到这个阶段之前，让构建从上到下顺序可读。`,
      );
    default:
      return null;
  }
};

/** Findings about COPY --from references and ADD. */
export const copyFindings = ({ model }: FindingContext): Finding[] => {
  const out: Finding[] = [];
  for (const instr of model.all) {
    if (instr.keyword === 'COPY' || (instr.keyword === 'RUN' && instr.from)) {
      const found = fromFinding(model, instr);
      if (found) out.push(found);
    }
    if (instr.keyword === 'ADD' && instr.heredocs.length === 0) {
      const sources = copySources(instr, model.escape);
      const remote = sources.some((s) => /^(https?|git):\/\//.test(s) || /^git@/.test(s) || /\.(tar|tgz|tar\.\w+)$/.test(s));
      if (!remote && sources.length > 0) {
        out.push(
          finding(
            'add-instead-of-copy',
            'info',
            instr.line,
            'ADD of local files also unpacks archives and fetches URLs, which can surprise you. Use COPY to copy files.',
            'ADD 复制本地文件时还会自动解压归档、下载 URL，容易出乎意料。复制文件请用 COPY。',
          ),
        );
      }
    }
  }
  return out;
};
