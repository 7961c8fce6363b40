import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { outcome } from '../outcome.js';
import { firstFileOf, renderFindings } from './common.js';
import { ECOSYSTEMS, MAX_INTERVALS, type BotVerdict } from './deps-bots.js';
import { dependabotEntry, judgeDependabot } from './deps-dependabot.js';
import { judgeRenovate } from './deps-renovate.js';

export const updateConfigParams = s
  .object({
    ecosystems: s.array(s.enum(ECOSYSTEMS)).min(1).default(['docker', 'gomod']),
    /** Where the Dockerfile and go.mod are, from the root of the repository. */
    directory: s.string().startsWith('/').default('/'),
    /** The least frequent Dependabot schedule accepted: a fixed release waits up to this long for its pull request. */
    maxInterval: s.enum(MAX_INTERVALS).default('weekly'),
  })
  .strict();
type Params = Infer<typeof updateConfigParams>;

/** Where each bot reads its configuration, in the order it looks (the first one found is the one it uses). */
const DEPENDABOT_FILES = ['.github/dependabot.yml', '.github/dependabot.yaml'];
const RENOVATE_FILES = ['renovate.json', '.github/renovate.json', '.renovaterc', '.renovaterc.json'];

export const depsUpdateConfig = defineCheck({
  id: 'deps.update-config',
  kind: 'static',
  title: L('A bot keeps the base images and modules up to date', '由机器人持续更新基础镜像和模块'),
  params: updateConfigParams,
  run: async (ctx, params: Params) => {
    const dependabot = await firstFileOf(ctx, DEPENDABOT_FILES);
    const renovate = await firstFileOf(ctx, RENOVATE_FILES);
    if (!dependabot && !renovate) {
      const example = ['version: 2', 'updates:', ...params.ecosystems.map((e) => dependabotEntry(e, params.directory, params.maxInterval))].join('\n');
      const looked = [...DEPENDABOT_FILES, ...RENOVATE_FILES].join(', ');
      return outcome(
        'fail',
        L(
          `No dependency-update configuration (looked for ${looked}), so nothing tells you when a base image or a module has a new release. Create .github/dependabot.yml:\n${example}`,
          `没有依赖更新配置（找过 ${looked}），所以基础镜像或模块发布新版本时，没有任何东西会提醒你。请创建 .github/dependabot.yml：\n${example}`,
        ),
      );
    }
    const verdicts: BotVerdict[] = [];
    // Dependabot's first: on a failure its problems lead.
    if (dependabot) verdicts.push(await judgeDependabot(dependabot.file, dependabot.text, params.ecosystems, params.directory, params.maxInterval));
    if (renovate) verdicts.push(await judgeRenovate(renovate.file, renovate.text, params.ecosystems));
    for (const verdict of verdicts) if (verdict.status === 'pass') return outcome('pass', verdict.summary);
    for (const verdict of verdicts) if (verdict.status === 'unknown') return outcome('unknown', verdict.message);
    return renderFindings(verdicts.flatMap((v) => (v.status === 'fail' ? v.findings : [])));
  },
});
