import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { failWith, finalChain, findingOf, noParams, withDockerfile } from './common.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';

export const dockerfileExecForm = defineCheck({
  id: 'dockerfile.exec-form',
  kind: 'static',
  title: L('The command starts in exec form (as PID 1)', '启动命令以 exec 形式运行（作为 PID 1）'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const { execForm } = analysis.facts;
      const line = analysis.details.execFormLine ?? analysis.stages[analysis.finalStage]?.line;
      if (execForm === true) {
        return outcome(
          'pass',
          atLine(
            line,
            'the command is a JSON array (exec form): Docker starts it directly as PID 1, so it receives SIGTERM. If it is a script, the script must `exec` the app.',
            '启动命令是 JSON 数组（exec 形式）：Docker 直接把它作为 PID 1 启动，它能收到 SIGTERM。如果它是脚本，脚本必须用 `exec` 启动应用。',
          ),
          { line },
        );
      }
      const fault =
        findingOf(analysis, ['invalid-exec-form', 'shell-form-entrypoint', 'shell-form-cmd'], analysis.details.execFormLine) ??
        findingOf(analysis, ['no-command']);
      if (fault) return failWith(fault);
      if (execForm === false) {
        // Shell form that starts with exec: the shell replaces itself with the app, which is then PID 1.
        return outcome(
          'unknown',
          atLine(
            line,
            'the command is in shell form but starts with exec, so the shell hands PID 1 to the app; the stop check decides. The JSON array form is clearer: ENTRYPOINT ["/server"].',
            '启动命令是 shell 形式，但以 exec 开头，shell 会把 PID 1 交给应用；由停止检查来判断。JSON 数组形式更清楚：ENTRYPOINT ["/server"]。',
          ),
          { line },
        );
      }
      return outcome(
        'unknown',
        atLine(
          line,
          'the final stage sets no CMD or ENTRYPOINT, so it runs the base image\'s command; the container checks decide. Add ENTRYPOINT ["/server"].',
          '最终阶段没有设置 CMD 或 ENTRYPOINT，会运行基础镜像的默认命令；由容器检查来判断。请添加 ENTRYPOINT ["/server"]。',
        ),
        { line },
      );
    }),
});

export const dockerfileUser = defineCheck({
  id: 'dockerfile.user',
  kind: 'static',
  title: L('The app does not run as root', '应用不以 root 身份运行'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const { finalUser, finalUserIsRoot, finalBase } = analysis.facts;
      const line = analysis.details.userLine ?? analysis.stages[analysis.finalStage]?.line;
      const measured = { user: finalUser };
      if (finalUserIsRoot === 'no') {
        return outcome(
          'pass',
          finalUser === null
            ? atLine(
                line,
                `no USER line, but ${finalBase} runs as the non-root user 65532 by default.`,
                `没有 USER 行，但 ${finalBase} 默认以非 root 用户 65532 运行。`,
              )
            : atLine(line, `USER ${finalUser} is not root.`, `USER ${finalUser} 不是 root。`),
          { line, measured },
        );
      }
      const fault = findingOf(analysis, ['user-root', 'user-missing']);
      if (fault) return outcome('fail', fault.message, { line: fault.line, measured });
      return outcome(
        'unknown',
        finalUser === null
          ? atLine(
              line,
              `there is no USER and the default user of ${finalBase} is not known here; the image checks decide. Add an explicit USER to be sure.`,
              `没有 USER，这里无法得知 ${finalBase} 的默认用户；由镜像检查来判断。建议显式添加 USER。`,
            )
          : atLine(
              line,
              `USER ${finalUser} depends on an ARG or ENV whose value only the build knows; the image checks decide.`,
              `USER ${finalUser} 依赖只有构建时才知道值的 ARG 或 ENV；由镜像检查来判断。`,
            ),
        { line, measured },
      );
    }),
});

export const exposeParams = s.object({ port: s.number().int().min(1).max(65535).default(8080) }).strict();

export const dockerfileExpose = defineCheck({
  id: 'dockerfile.expose',
  kind: 'static',
  title: L('The final image documents its port with EXPOSE', '最终镜像用 EXPOSE 声明端口'),
  params: exposeParams,
  run: (ctx, params: Infer<typeof exposeParams>) =>
    withDockerfile(ctx, (analysis) => {
      const ports = analysis.exposedPorts;
      const chain = finalChain(analysis);
      const line = analysis.instructions.filter((i) => i.keyword === 'EXPOSE' && chain.includes(i.stage)).pop()?.line;
      if (ports.includes(params.port)) {
        return outcome('pass', atLine(line, `EXPOSE ${params.port} is set.`, `已设置 EXPOSE ${params.port}。`), { line, measured: { port: params.port } });
      }
      if (analysis.details.exposeUnknown) {
        return outcome(
          'unknown',
          atLine(
            line,
            'EXPOSE uses a variable whose value only the build knows; the image checks decide.',
            'EXPOSE 使用了只有构建时才知道值的变量；由镜像检查来判断。',
          ),
          { line },
        );
      }
      const found = ports.length > 0 ? ports.join(', ') : null;
      return outcome(
        'fail',
        found
          ? atLine(
              line,
              `the final image exposes ${found}, but the app listens on ${params.port}. Write EXPOSE ${params.port}.`,
              `最终镜像声明的端口是 ${found}，但应用监听 ${params.port}。请写 EXPOSE ${params.port}。`,
            )
          : L(
              `The final stage has no EXPOSE. Add EXPOSE ${params.port} (the port the app listens on).`,
              `最终阶段没有 EXPOSE。请添加 EXPOSE ${params.port}（应用监听的端口）。`,
            ),
        { line },
      );
    }),
});

export const dockerfileHealthcheck = defineCheck({
  id: 'dockerfile.healthcheck',
  kind: 'static',
  title: L('The image has a HEALTHCHECK in exec form', '镜像有 exec 形式的 HEALTHCHECK'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const health = analysis.details.healthcheck;
      if (health && !health.none && health.execForm) {
        return outcome('pass', atLine(health.line, 'HEALTHCHECK CMD is a JSON array (exec form).', 'HEALTHCHECK CMD 是 JSON 数组（exec 形式）。'), {
          line: health.line,
        });
      }
      // No HEALTHCHECK (or NONE), shell form without a shell, broken JSON: the rules' findings say which.
      const fault =
        findingOf(analysis, ['no-healthcheck', 'healthcheck-shell-form']) ?? (health ? findingOf(analysis, ['invalid-exec-form'], health.line) : undefined);
      if (fault) return failWith(fault);
      if (!health)
        return outcome(
          'unknown',
          L('The health check of the final image could not be read; the container checks decide.', '无法读取最终镜像的健康检查；由容器检查来判断。'),
        );
      return outcome(
        'unknown',
        atLine(
          health.line,
          'HEALTHCHECK CMD is in shell form; it only works if the image has /bin/sh and the command. The container health check decides; exec form (CMD ["/server", "healthcheck"]) is safer.',
          'HEALTHCHECK CMD 是 shell 形式；只有镜像里有 /bin/sh 和该命令时才能工作。由容器健康检查来判断；exec 形式（CMD ["/server", "healthcheck"]）更可靠。',
        ),
        { line: health.line },
      );
    }),
});
