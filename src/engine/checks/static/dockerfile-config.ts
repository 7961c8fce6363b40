import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { referencedNames } from '../../dockerfile/expand.js';
import type { InstructionInfo } from '../../dockerfile/types.js';
import { failWith, findingOf, imageEnv, noParams, withDockerfile } from './common.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';

export const dockerfileNoSecrets = defineCheck({
  id: 'dockerfile.no-secrets',
  kind: 'static',
  title: L('No secret is baked into ENV or ARG', '没有把机密写进 ENV 或 ARG'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const fault = findingOf(analysis, ['secret-in-env', 'secret-arg-default', 'secret-in-value']);
      if (fault) return failWith(fault);
      const declared = findingOf(analysis, ['secret-in-arg']);
      if (declared) return outcome('unknown', declared.message, { line: declared.line });
      return outcome(
        'pass',
        L(
          'No ENV or ARG with a secret-looking name has a value, and none holds a URL with a password.',
          '没有任何名称像机密的 ENV 或 ARG 带有值，也没有哪个值是带密码的 URL。',
        ),
      );
    }),
});

export const envParams = s.object({ name: s.string().min(1), value: s.string().optional() }).strict();

export const dockerfileEnv = defineCheck({
  id: 'dockerfile.env',
  kind: 'static',
  title: L('The final image sets an environment default', '最终镜像设置了环境变量默认值'),
  params: envParams,
  run: (ctx, params: Infer<typeof envParams>) =>
    withDockerfile(ctx, (analysis) => {
      const entry = imageEnv(analysis, params.name);
      const want = params.value === undefined ? params.name : `${params.name}=${params.value}`;
      if (!entry) {
        const elsewhere = analysis.env.find((e) => e.kind === 'ENV' && e.name === params.name);
        return outcome(
          'fail',
          elsewhere
            ? atLine(
                elsewhere.line,
                `ENV ${params.name} is set in a build stage, not in the final one; ENV does not travel through COPY --from. Put ENV ${want} in the final stage.`,
                `ENV ${params.name} 设置在构建阶段，而不是最终阶段；ENV 不会随 COPY --from 带过去。请在最终阶段写 ENV ${want}。`,
              )
            : L(`The final stage does not set ${params.name}. Add ENV ${want}.`, `最终阶段没有设置 ${params.name}。请添加 ENV ${want}。`),
          { line: elsewhere?.line },
        );
      }
      const value = entry.value ?? '';
      if (params.value === undefined || (entry.known && value === params.value)) {
        return outcome('pass', atLine(entry.line, `ENV ${params.name}=${value} is set in the final image.`, `最终镜像设置了 ENV ${params.name}=${value}。`), {
          line: entry.line,
          measured: { value },
        });
      }
      if (!entry.known) {
        return outcome(
          'unknown',
          atLine(
            entry.line,
            `ENV ${params.name}=${value} depends on an ARG whose value only the build knows; the image checks decide.`,
            `ENV ${params.name}=${value} 依赖只有构建时才知道值的 ARG；由镜像检查来判断。`,
          ),
          { line: entry.line },
        );
      }
      return outcome(
        'fail',
        atLine(
          entry.line,
          `ENV ${params.name} is "${value}", expected "${params.value}". Write ENV ${want}.`,
          `ENV ${params.name} 的值是 "${value}"，应为 "${params.value}"。请写 ENV ${want}。`,
        ),
        { line: entry.line, measured: { value } },
      );
    }),
});

const uses = (instr: InstructionInfo, name: string): boolean => {
  const text = [instr.args, ...instr.flags.map((f) => f.value ?? ''), ...instr.heredocs.map((h) => h.content)].join('\n');
  return referencedNames(text).has(name);
};

export const argParams = s.object({ name: s.string().min(1) }).strict();

export const dockerfileArg = defineCheck({
  id: 'dockerfile.arg',
  kind: 'static',
  title: L('A build argument is declared and used', '声明并使用了构建参数'),
  params: argParams,
  run: (ctx, params: Infer<typeof argParams>) =>
    withDockerfile(ctx, (analysis) => {
      const { name } = params;
      const declarations = analysis.env.filter((e) => e.kind === 'ARG' && e.name === name);
      if (declarations.length === 0) {
        return outcome(
          'fail',
          L(`No ARG ${name} is declared. Add ARG ${name} in the stage that uses it.`, `没有声明 ARG ${name}。请在使用它的阶段中添加 ARG ${name}。`),
        );
      }
      for (const decl of declarations) {
        const after = analysis.instructions.filter((i) => i.line > decl.line);
        const used = decl.stage === -1 ? after.find((i) => i.keyword === 'FROM' && uses(i, name)) : after.find((i) => i.stage === decl.stage && uses(i, name));
        if (used) {
          return outcome('pass', atLine(used.line, `ARG ${name} (line ${decl.line}) is used here.`, `ARG ${name}（第 ${decl.line} 行）在这里被使用。`), {
            line: used.line,
          });
        }
      }
      const global = declarations.find((d) => d.stage === -1);
      const outOfScope = analysis.instructions.find((i) => i.stage >= 0 && i.keyword !== 'FROM' && uses(i, name));
      if (global && outOfScope) {
        return outcome(
          'fail',
          atLine(
            outOfScope.line,
            `$${name} is used here, but ARG ${name} is declared only before the first FROM (line ${global.line}), where it is visible to FROM lines only, so it expands to "" here. Add ARG ${name} inside this stage.`,
            `这里使用了 $${name}，但 ARG ${name} 只在第一个 FROM 之前声明（第 ${global.line} 行），只对 FROM 行可见，所以这里会展开为空。请在这个阶段内添加 ARG ${name}。`,
          ),
          { line: outOfScope.line },
        );
      }
      const first = declarations[0];
      return outcome(
        'fail',
        atLine(
          first?.line,
          `ARG ${name} is declared but never used after it in its stage. Use it, e.g. go build -ldflags "-X main.version=\${${name}}".`,
          `声明了 ARG ${name}，但在所在阶段中之后从未使用。请使用它，例如 go build -ldflags "-X main.version=\${${name}}"。`,
        ),
        { line: first?.line },
      );
    }),
});

export const labelsParams = s.object({ keys: s.array(s.string().min(1)).min(1) }).strict();

export const dockerfileLabels = defineCheck({
  id: 'dockerfile.labels',
  kind: 'static',
  title: L('The final image carries the required labels', '最终镜像带有要求的 LABEL'),
  params: labelsParams,
  run: (ctx, params: Infer<typeof labelsParams>) =>
    withDockerfile(ctx, (analysis) => {
      const missing = params.keys.filter((key) => !(key in analysis.labels));
      if (missing.length === 0) {
        const shown = params.keys.map((k) => `${k}=${analysis.labels[k] ?? ''}`).join(', ');
        return outcome('pass', L(`The final image sets ${shown}.`, `最终镜像设置了 ${shown}。`));
      }
      const example = missing.map((k) => `${k}="..."`).join(' ');
      return outcome(
        'fail',
        L(
          `The final stage does not set LABEL ${missing.join(', ')}. Add LABEL ${example} to the final stage.`,
          `最终阶段没有设置 LABEL ${missing.join('、')}。请在最终阶段添加 LABEL ${example}。`,
        ),
      );
    }),
});
