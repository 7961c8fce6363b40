import { L } from '../../i18n.js';
import type { FileFinding } from './common.js';
import { ECOSYSTEM_FILES, type BotVerdict, type Ecosystem } from './deps-bots.js';
import { asArray, asString, isMap, locateYaml } from './yaml-file.js';

/** The Renovate manager that updates each ecosystem. */
const MANAGERS: Record<Ecosystem, string> = { docker: 'dockerfile', gomod: 'gomod', 'github-actions': 'github-actions' };

/** Names learners write in enabledManagers that are no Renovate manager (Renovate ignores the entry). */
const MISNAMED: Record<Ecosystem, readonly string[]> = {
  docker: ['docker', 'docker-image', 'container'],
  gomod: ['go', 'golang', 'go-modules', 'gomodules'],
  'github-actions': ['actions', 'github_actions', 'github-action', 'gha'],
};

/** Base presets that turn every manager on with Renovate's recommended settings. */
const BASE_PRESETS = ['config:recommended', 'config:best-practices'];
/** The old name of config:recommended: still works (Renovate migrates it), but says so. */
const OLD_BASE = 'config:base';

/** The 1-based line of a JSON.parse error: Node names the position ("at position 42"), or the line itself. */
const jsonErrorLine = (text: string, message: string): number | undefined => {
  const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
  if (line) return Number(line);
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position) return text.slice(0, Number(position)).split('\n').length;
  // "Unexpected end of JSON input": the file stops before the value closes.
  return /end of JSON input/.test(message) ? text.trimEnd().split('\n').length : undefined;
};

/**
 * Judges a Renovate file (JSON) for the ecosystems asked: it parses, is not turned off, and
 * either extends a base preset (every manager on) or lists each ecosystem's manager in
 * `enabledManagers` (which turns every other manager off). Every problem with its line.
 */
export const judgeRenovate = async (file: string, text: string, ecosystems: readonly Ecosystem[]): Promise<BotVerdict> => {
  const findings: FileFinding[] = [];
  const add = (line: number | undefined, en: string, zh: string): void => {
    findings.push({ file, ...(line === undefined ? {} : { line }), en, zh });
  };
  let config: unknown;
  try {
    config = JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
    add(jsonErrorLine(text, message), `${reason}: Renovate cannot read the file. Fix the JSON`, `${reason}：Renovate 读不了这个文件。请修正 JSON`);
    return { status: 'fail', findings };
  }
  if (!isMap(config)) {
    add(undefined, 'the file is not a JSON object: write {"extends": ["config:recommended"]}', '文件不是 JSON 对象：请写 {"extends": ["config:recommended"]}');
    return { status: 'fail', findings };
  }
  // JSON is YAML: the YAML locator names the line of a key.
  const { lineOf } = await locateYaml(text);
  if (config.enabled === false) {
    add(lineOf(['enabled']), '"enabled": false turns Renovate off for this repository: remove it', '"enabled": false 关闭了这个仓库的 Renovate：请删掉它');
  }
  const extendsList = asArray(config.extends).map(asString);
  if (Array.isArray(config.enabledManagers)) {
    const enabled = config.enabledManagers.map(asString);
    for (const ecosystem of ecosystems) {
      const manager = MANAGERS[ecosystem];
      if (enabled.includes(manager)) continue;
      const index = enabled.findIndex((name) => MISNAMED[ecosystem].includes(name.toLowerCase()));
      const misnamed = enabled[index];
      if (misnamed !== undefined) {
        add(
          lineOf(['enabledManagers', index]),
          `"${misnamed}" is not a Renovate manager, so nothing updates ${ECOSYSTEM_FILES[ecosystem].en}: the manager is called "${manager}"`,
          `"${misnamed}" 不是 Renovate 的 manager，所以没有东西会更新${ECOSYSTEM_FILES[ecosystem].zh}：这个 manager 叫 "${manager}"`,
        );
      } else {
        add(
          lineOf(['enabledManagers']),
          `enabledManagers turns off every manager it does not list, and it leaves out "${manager}", so nothing updates ${ECOSYSTEM_FILES[ecosystem].en}: add "${manager}"`,
          `enabledManagers 会关闭所有没列出的 manager，而它没有列出 "${manager}"，所以没有东西会更新${ECOSYSTEM_FILES[ecosystem].zh}：请加上 "${manager}"`,
        );
      }
    }
    if (findings.length > 0) return { status: 'fail', findings };
    const list = ecosystems.map((e) => MANAGERS[e]).join(', ');
    return { status: 'pass', summary: L(`Renovate (${file}) runs the managers ${list}.`, `Renovate（${file}）启用了这些 manager：${list}。`) };
  }
  if (findings.length > 0) return { status: 'fail', findings };
  const base = BASE_PRESETS.find((preset) => extendsList.includes(preset));
  if (base)
    return {
      status: 'pass',
      summary: L(
        `Renovate (${file}) extends ${base}, which updates every ecosystem it finds.`,
        `Renovate（${file}）继承了 ${base}，它会更新找到的每一种依赖。`,
      ),
    };
  if (extendsList.includes(OLD_BASE)) {
    return {
      status: 'pass',
      summary: L(
        `Renovate (${file}) extends ${OLD_BASE}, which updates every ecosystem it finds. ${OLD_BASE} is the old name of config:recommended: write that one.`,
        `Renovate（${file}）继承了 ${OLD_BASE}，它会更新找到的每一种依赖。${OLD_BASE} 是 config:recommended 的旧名字：请改用新名字。`,
      ),
    };
  }
  if (extendsList.length > 0) {
    // A shared preset (github>org/renovate-config) may extend the base one: only Renovate reads it.
    return {
      status: 'unknown',
      message: L(
        `Renovate (${file}) extends ${extendsList.join(', ')}, which the course cannot read. Add config:recommended to extends, or list the managers in enabledManagers.`,
        `Renovate（${file}）继承了 ${extendsList.join('、')}，课程读不到它们的内容。请在 extends 中加上 config:recommended，或者在 enabledManagers 中列出这些 manager。`,
      ),
    };
  }
  // No preset and no enabledManagers: Renovate's own defaults still run every manager, so the
  // ecosystems are kept fresh; only the recommended settings (grouping, schedules) are missing.
  return {
    status: 'pass',
    summary: L(
      `Renovate (${file}) extends no preset, so its defaults run every manager, these ecosystems included; "extends": ["config:recommended"] adds the settings its onboarding recommends.`,
      `Renovate（${file}）没有继承任何预设，所以它的默认设置会运行每一个 manager，包括这些生态；"extends": ["config:recommended"] 会加上它初始化时推荐的设置。`,
    ),
  };
};
