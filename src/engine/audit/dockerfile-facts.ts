import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';

/**
 * The Dockerfile up to the end of stage `target` (its name, or its index as docker build takes it):
 * the later stages' lines are cut, so the line numbers stay and the last stage is the one built.
 */
export const dockerfileUpTo = (text: string, analysis: DockerfileAnalysis, target: string): string => {
  const wanted = target.toLowerCase();
  const stage = analysis.stages.find((s) => s.name === wanted) ?? (/^\d+$/.test(target) ? analysis.stages[Number(target)] : undefined);
  if (!stage) {
    const names = analysis.stages.map((s) => s.name ?? String(s.index));
    throw new UserError(L(`No stage "${target}" in the Dockerfile.`, `Dockerfile 中没有名为 "${target}" 的阶段。`), {
      next: L(`Its stages: ${names.join(', ') || '(none)'}.`, `它的阶段：${names.join('、') || '（没有）'}。`),
    });
  }
  const next = analysis.stages[stage.index + 1];
  if (!next) return text;
  return (
    text
      .split('\n')
      .slice(0, next.line - 1)
      .join('\n') + '\n'
  );
};

/** The URL a HEALTHCHECK of the final stage requests (curl, wget or the app itself with a URL), when it names one. */
export const healthcheckUrl = (analysis: DockerfileAnalysis): { path: string; port?: number } | undefined => {
  if (!analysis.ok) return undefined;
  const check = analysis.instructions.filter((i) => i.keyword === 'HEALTHCHECK' && i.stage === analysis.finalStage).pop();
  const url = check && /https?:\/\/(?:\[[^\]]+\]|[^\s"'/:,\]]+)(?::(\d+))?(\/[^\s"',\]]*)?/.exec(check.args);
  if (!url) return undefined;
  const port = url[1] ? Number(url[1]) : undefined;
  return { path: url[2] || '/', ...(port ? { port } : {}) };
};
