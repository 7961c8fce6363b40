import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { L, UserError, analyzeDockerfileText, isWorkspace, readTextFile, tr, type DockerfileFacts, type Finding, type Localized } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { bold, paint } from './format.js';

const SEVERITY_COLOR: Record<Finding['severity'], number> = { error: 31, warning: 33, info: 36 };
/** The severity in the reader's language (JSON keeps the English keyword, for scripts). */
const SEVERITY_WORD: Record<Finding['severity'], Localized> = { error: L('error', '错误'), warning: L('warning', '警告'), info: L('info', '提示') };

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
  say(ctx, bold(shown, ctx.color));
  // Facts of a file that does not parse would be empty defaults, not facts: only the error is shown.
  if (analysis.ok) for (const line of factLines(analysis.facts)) say(ctx, line);
  if (findings.length === 0) say(ctx, paint(tr(L('  No findings.', '  没有发现问题。'), ctx.lang), 32, ctx.color));
  for (const finding of findings) {
    const where = finding.line === null ? '' : `${shown}:${finding.line} `;
    say(
      ctx,
      `  ${where}${paint(tr(SEVERITY_WORD[finding.severity], ctx.lang), SEVERITY_COLOR[finding.severity], ctx.color)} ${paint(finding.id, 90, ctx.color)}`,
    );
    say(ctx, `      ${tr(finding.message, ctx.lang)}`);
  }
  return exit;
};

/** The analysis' facts as two lines of words (not field names and booleans). */
export const factLines = (f: DockerfileFacts): Localized[] => {
  const pinned = {
    true: L('version pinned', '已固定版本'),
    false: L('version not pinned', '未固定版本'),
    arg: L('version from a build arg', '版本来自构建参数'),
  }[String(f.finalBasePinned)];
  const user =
    f.finalUser === null
      ? {
          yes: L('runs as root (no USER)', '以 root 运行（没有 USER）'),
          no: L('runs as the base image user (no USER)', '以基础镜像的用户运行（没有 USER）'),
          unknown: L('user of the base image (no USER)', '使用基础镜像的用户（没有 USER）'),
        }[f.finalUserIsRoot]
      : {
          yes: L(`USER ${f.finalUser} (root)`, `USER ${f.finalUser}（root）`),
          no: L(`USER ${f.finalUser} (not root)`, `USER ${f.finalUser}（非 root）`),
          unknown: L(`USER ${f.finalUser}`, `USER ${f.finalUser}`),
        }[f.finalUserIsRoot];
  const stages = L(`${f.stages} ${f.stages === 1 ? 'stage' : 'stages'}`, `${f.stages} 个阶段`);
  const first = [stages, L(`final base ${f.finalBase} (${pinned?.en ?? ''})`, `最终基础镜像 ${f.finalBase}（${pinned?.['zh-CN'] ?? ''}）`), user];
  const pick = (value: boolean | null, yes: Localized, no: Localized, none?: Localized): Localized | undefined => (value === null ? none : value ? yes : no);
  const second = [
    pick(
      f.execForm,
      L('command in exec form', '命令为 exec 形式'),
      L('command in shell form', '命令为 shell 形式'),
      L('no CMD or ENTRYPOINT', '没有 CMD 或 ENTRYPOINT'),
    ),
    f.healthcheck ? L('has a health check', '有健康检查') : L('no health check', '没有健康检查'),
    pick(
      f.depsBeforeSource,
      L('Go modules downloaded before the source', 'Go 模块先于源码下载'),
      L('Go modules downloaded after the source', 'Go 模块在源码之后下载'),
    ),
    pick(f.cgoDisabled, L('CGO_ENABLED=0', 'CGO_ENABLED=0'), L('CGO on', 'CGO 开启'), L('CGO not set', '未设置 CGO')),
    f.cacheMounts ? L('uses cache mounts', '使用缓存挂载') : L('no cache mounts', '没有缓存挂载'),
  ].filter((x): x is Localized => x !== undefined);
  const joined = (parts: Localized[]): Localized => L(`  ${parts.map((p) => p.en).join(' · ')}`, `  ${parts.map((p) => p['zh-CN']).join(' · ')}`);
  return [joined(first), joined(second)];
};
