import { hasNoShell } from '../image-ref.js';
import type { JsonHint } from '../instruction.js';
import type { EvalInstruction } from '../model.js';
import { isHealthcheckNone, runtimeConfig } from '../runtime.js';
import { rootImage } from '../stages.js';
import type { Finding } from '../types.js';
import { finding, type FindingContext } from './finding-context.js';

const HINTS: Record<JsonHint, [string, string]> = {
  'trailing-comma': ['the comma before "]" is not allowed in JSON', '"]" 前面的逗号在 JSON 中是不允许的'],
  'single-quotes': ['JSON strings need double quotes, not single quotes', 'JSON 字符串必须用双引号，不能用单引号'],
  'trailing-text': ['there is text after "]" (a comment must be on its own line)', '"]" 后面还有文字（注释必须单独占一行）'],
  other: ['it is not a valid JSON array of strings', '它不是有效的 JSON 字符串数组'],
};

const invalidJson = (instr: EvalInstruction): Finding | null => {
  const form = instr.form;
  if (!form || form.kind !== 'shell' || !form.looksLikeJson || !form.hint) return null;
  const [en, zh] = HINTS[form.hint];
  return finding(
    'invalid-exec-form',
    'error',
    instr.line,
    `${instr.keyword} looks like exec form but ${en}, so Docker runs the whole text with /bin/sh -c as a shell command, which fails (and images without a shell cannot run it at all). Write a valid JSON array, e.g. ["/server"].`,
    `${instr.keyword} 看起来是 exec 形式，但${zh}，所以 Docker 会把整段文字交给 /bin/sh -c 当作 shell 命令执行，结果会失败（没有 shell 的镜像根本无法运行）。请写成有效的 JSON 数组，例如 ["/server"]。`,
  );
};

const shellForm = (instr: EvalInstruction, noShell: boolean, execEntrypoint: boolean): Finding | null => {
  const form = instr.form;
  if (!form || form.kind !== 'shell' || form.looksLikeJson) return null;
  const id = instr.keyword === 'CMD' ? 'shell-form-cmd' : 'shell-form-entrypoint';
  const example = `${instr.keyword} ["${instr.args.trim().split(/\s+/).join('", "')}"]`;
  if (execEntrypoint) {
    return finding(
      id,
      'warning',
      instr.line,
      `with an exec-form ENTRYPOINT, this shell-form CMD is passed to it as the arguments "/bin/sh", "-c", "${instr.args.trim()}". Write the arguments as a JSON array: ${example}.`,
      `ENTRYPOINT 是 exec 形式时，这条 shell 形式的 CMD 会以 "/bin/sh"、"-c"、"${instr.args.trim()}" 作为参数传给它。请把参数写成 JSON 数组：${example}。`,
    );
  }
  if (noShell) {
    return finding(
      id,
      'error',
      instr.line,
      `${instr.keyword} is in shell form, which runs /bin/sh -c "${instr.args.trim()}", but the final image has no /bin/sh: the container cannot start. Use exec form: ${example}.`,
      `${instr.keyword} 是 shell 形式，会执行 /bin/sh -c "${instr.args.trim()}"，但最终镜像里没有 /bin/sh：容器无法启动。请使用 exec 形式：${example}。`,
    );
  }
  if (/^exec\s/.test(instr.args.trim())) return null;
  return finding(
    id,
    'warning',
    instr.line,
    `${instr.keyword} is in shell form: /bin/sh -c becomes PID 1 and your app is its child, so the app never sees SIGTERM and docker stop waits 10 s before killing it. Use exec form: ${example}.`,
    `${instr.keyword} 是 shell 形式：/bin/sh -c 成为 PID 1，你的应用只是它的子进程，因此收不到 SIGTERM，docker stop 要等 10 秒才强制结束它。请使用 exec 形式：${example}。`,
  );
};

/** Findings about how the container starts and is checked. */
export const runtimeFindings = ({ model, final }: FindingContext): Finding[] => {
  const out: Finding[] = [];
  for (const instr of model.all) {
    const bad = invalidJson(instr);
    if (bad) out.push(bad);
  }
  for (const stage of model.stages) {
    for (const keyword of ['CMD', 'ENTRYPOINT']) {
      const all = stage.instructions.filter((i) => i.keyword === keyword);
      const last = all[all.length - 1];
      if (all.length > 1 && last) {
        out.push(
          finding(
            keyword === 'CMD' ? 'multiple-cmd' : 'multiple-entrypoint',
            'warning',
            last.line,
            `this stage has ${all.length} ${keyword} lines (lines ${all.map((i) => i.line).join(', ')}); only the last one takes effect. Keep one.`,
            `这个阶段有 ${all.length} 条 ${keyword}（第 ${all.map((i) => i.line).join('、')} 行）；只有最后一条生效。请只保留一条。`,
          ),
        );
      }
    }
  }
  const config = runtimeConfig(model, final);
  const base = rootImage(model, final);
  const noShell = base.known && hasNoShell(base.text);
  const execEntrypoint = config.entrypoint?.form?.kind === 'exec';
  for (const instr of [config.entrypoint, config.cmd]) {
    const found = instr ? shellForm(instr, noShell, instr.keyword === 'CMD' && execEntrypoint) : null;
    if (found) out.push(found);
  }
  const finalLine = model.stages[final]?.line ?? null;
  if (!config.entrypoint && !config.cmd) {
    out.push(
      noShell
        ? finding(
            'no-command',
            'error',
            finalLine,
            `the final image has no CMD or ENTRYPOINT and ${base.text} has no default command, so the container cannot start. Add ENTRYPOINT ["/server"].`,
            `最终镜像没有 CMD 或 ENTRYPOINT，而 ${base.text} 没有默认命令，容器无法启动。请添加 ENTRYPOINT ["/server"]。`,
          )
        : finding(
            'base-default-command',
            'warning',
            finalLine,
            `the final stage sets no CMD or ENTRYPOINT, so the container runs the base image's default command (${base.known ? base.text : 'the base'}'s, often a shell), not your app. Add ENTRYPOINT ["/server"].`,
            `最终阶段没有设置 CMD 或 ENTRYPOINT，容器会运行基础镜像（${base.known ? base.text : '基础镜像'}）的默认命令（通常是 shell），而不是你的应用。请添加 ENTRYPOINT ["/server"]。`,
          ),
    );
  }
  const health = config.healthcheck;
  if (!health || isHealthcheckNone(health)) {
    out.push(
      finding(
        'no-healthcheck',
        'info',
        health ? health.line : finalLine,
        `${health ? 'HEALTHCHECK NONE disables' : 'the final image has no'} health check, so Docker (and compose's depends_on: service_healthy) cannot tell when the app is ready. Add one that asks the app: HEALTHCHECK CMD ["/server", "healthcheck"] when the binary can probe itself (the course's app can), or CMD curl -fsS http://localhost:8080/health on a base that has curl.`,
        `${health ? 'HEALTHCHECK NONE 关闭了' : '最终镜像没有'}健康检查，Docker（以及 compose 的 depends_on: service_healthy）无法知道应用何时就绪。请添加一个真正询问应用的健康检查：二进制能探测自己时（课程的应用可以）用 HEALTHCHECK CMD ["/server", "healthcheck"]，基础镜像带 curl 时用 CMD curl -fsS http://localhost:8080/health。`,
      ),
    );
  } else if (health.form?.kind === 'shell' && !health.form.looksLikeJson && noShell) {
    out.push(
      finding(
        'healthcheck-shell-form',
        'error',
        health.line,
        'HEALTHCHECK CMD is in shell form but the final image has no /bin/sh, so every check fails and the container becomes unhealthy. Use exec form, e.g. HEALTHCHECK CMD ["/server", "healthcheck"].',
        'HEALTHCHECK CMD 是 shell 形式，但最终镜像里没有 /bin/sh，每次检查都会失败，容器会变成 unhealthy。请使用 exec 形式，例如 HEALTHCHECK CMD ["/server", "healthcheck"]。',
      ),
    );
  }
  return out;
};
