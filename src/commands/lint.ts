import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { L, UserError, analyzeDockerfileText, isWorkspace, readTextFile, tr, type Finding } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { bold, paint } from './format.js';

const SEVERITY_COLOR: Record<Finding['severity'], number> = { error: 31, warning: 33, info: 36 };

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Missing, a loop, no permission: reading it below says which.
    return false;
  }
};

/** The workspace holding `dir`, if any: there lint reads nothing outside it, as verify does. */
const enclosingWorkspace = (dir: string): string | undefined => {
  for (let d = dir; ; d = dirname(d)) {
    if (isWorkspace(d)) return d;
    if (dirname(d) === d) return undefined;
  }
};

/**
 * `lint [PATH] [--json]`: the course's static analysis on any Dockerfile. Exit 1 when a finding is
 * an error (something that breaks or leaks), 0 otherwise, 2 when the file cannot be read.
 */
export const lintCommand = async (ctx: CommandContext, options: { path?: string; json: boolean }): Promise<number> => {
  let file = resolve(ctx.cwd, options.path ?? 'Dockerfile');
  if (isFolder(file)) file = join(file, 'Dockerfile');
  const shown = relative(ctx.cwd, file) || file;
  const root = enclosingWorkspace(dirname(file));
  const text = await readTextFile(file, { root, shown });
  if (text === undefined) {
    throw new UserError(L(`No Dockerfile at ${file}.`, `${file} 处没有 Dockerfile。`), {
      next: L('Give the path: npx learn-go-docker lint path/to/Dockerfile', '请指定路径：npx learn-go-docker lint path/to/Dockerfile'),
    });
  }
  const ignorePath = join(dirname(file), '.dockerignore');
  const dockerignore = (await readTextFile(ignorePath, { root, shown: relative(ctx.cwd, ignorePath) || ignorePath })) ?? null;
  const analysis = await analyzeDockerfileText(text, { dockerignore });
  const findings = [...analysis.findings];
  if (!analysis.ok && analysis.parseError) {
    findings.unshift({ id: 'parse-error', severity: 'error', line: analysis.parseError.line, message: analysis.parseError.message });
  }
  const exit = findings.some((f) => f.severity === 'error') ? 1 : 0;
  if (options.json) {
    const out = {
      file: shown,
      facts: analysis.facts,
      findings: findings.map((f) => ({ id: f.id, severity: f.severity, line: f.line, message: tr(f.message, ctx.lang) })),
    };
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return exit;
  }
  const f = analysis.facts;
  const yesNo = (v: boolean | null | string): string => (v === null ? '–' : String(v));
  say(ctx, bold(shown, ctx.color));
  // Facts of a file that does not parse would be empty defaults, not facts: only the error is shown.
  if (analysis.ok) {
    say(
      ctx,
      L(
        `  stages ${f.stages} · final base ${f.finalBase} (pinned: ${yesNo(f.finalBasePinned)}) · user ${f.finalUser ?? '(inherited)'} (root: ${f.finalUserIsRoot})`,
        `  阶段 ${f.stages} · 最终基础镜像 ${f.finalBase}（固定版本：${yesNo(f.finalBasePinned)}）· 用户 ${f.finalUser ?? '（继承）'}（root：${f.finalUserIsRoot}）`,
      ),
    );
    say(
      ctx,
      L(
        `  exec form ${yesNo(f.execForm)} · healthcheck ${f.healthcheck} · deps before source ${yesNo(f.depsBeforeSource)} · CGO disabled ${yesNo(f.cgoDisabled)} · cache mounts ${f.cacheMounts}`,
        `  exec 形式 ${yesNo(f.execForm)} · 健康检查 ${f.healthcheck} · 依赖先于源码 ${yesNo(f.depsBeforeSource)} · 禁用 CGO ${yesNo(f.cgoDisabled)} · 缓存挂载 ${f.cacheMounts}`,
      ),
    );
  }
  if (findings.length === 0) say(ctx, paint(tr(L('  No findings.', '  没有发现问题。'), ctx.lang), 32, ctx.color));
  for (const finding of findings) {
    const where = finding.line === null ? '' : `${shown}:${finding.line} `;
    say(ctx, `  ${where}${paint(finding.severity, SEVERITY_COLOR[finding.severity], ctx.color)} ${paint(finding.id, 90, ctx.color)}`);
    say(ctx, `      ${tr(finding.message, ctx.lang)}`);
  }
  return exit;
};
