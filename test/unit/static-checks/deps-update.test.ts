import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { contextFor, runCheck } from './helpers.js';
import { asList } from './findings-list.js';

const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: docker
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: gomod
    directory: /
    schedule:
      interval: weekly
`;
const run = async (files: Record<string, string>, params: Record<string, unknown> = {}) =>
  asList(await runCheck('deps.update-config', contextFor(files), params));
const dependabot = (text: string, params: Record<string, unknown> = {}) => run({ '.github/dependabot.yml': text }, params);
/** The 1-based line of the first line of `text` that contains `part`. */
const lineOf = (text: string, part: string) => text.split('\n').findIndex((l) => l.includes(part)) + 1;

describe('deps.update-config words', () => {
  it('says one finding on one line (a summary shows it whole), and several as a count and a list', async () => {
    const one = await runCheck('deps.update-config', contextFor({ '.github/dependabot.yml': 'version: 2\nupdates: []\n' }), {});
    expect(one.message.en).toMatch(/^\.github\/dependabot\.yml, line 2: updates: is empty, so Dependabot updates nothing/);
    expect(one.message['zh-CN']).toMatch(/^\.github\/dependabot\.yml 第 2 行：/);
    const two = await runCheck('deps.update-config', contextFor({ '.github/dependabot.yml': 'version: 3\nupdates: []\n' }), {});
    expect(two.message.en.split('\n')[0]).toBe('.github/dependabot.yml: 2 problems:');
    expect(two.message['zh-CN'].split('\n')[0]).toBe('.github/dependabot.yml：2 个问题：');
    expect(
      two.message.en
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith('- line ')),
    ).toBe(true);
  });
});

describe('deps.update-config params', () => {
  it('defaults to docker and gomod in /, and refuses unknown ecosystems, relative directories and typos', () => {
    const find = checkRegistry().get('deps.update-config')!;
    expect(() => find.bind({})).not.toThrow();
    expect(() => find.bind({ ecosystems: ['docker', 'gomod', 'github-actions'], directory: '/app' })).not.toThrow();
    expect(() => find.bind({ ecosystems: ['dockerfile'] })).toThrow();
    expect(() => find.bind({ ecosystems: [] })).toThrow();
    expect(() => find.bind({ directory: 'src' })).toThrow();
    expect(() => find.bind({ ecosystem: ['docker'] })).toThrow();
    expect(() => find.bind({ maxInterval: 'monthly' })).not.toThrow();
    expect(() => find.bind({ maxInterval: 'yearly' })).toThrow();
  });
});

describe('deps.update-config with Dependabot', () => {
  it('passes a version 2 file with an entry per ecosystem, saying what it keeps fresh', async () => {
    const out = await dependabot(DEPENDABOT);
    expect(out.status).toBe('pass');
    expect(out.message.en).toBe('Dependabot (.github/dependabot.yml) keeps these up to date: docker in / (weekly), gomod in / (weekly).');
    expect(out.message['zh-CN']).toBe('Dependabot（.github/dependabot.yml）会按计划更新：docker（目录 /，weekly）、gomod（目录 /，weekly）。');
    expect((await run({ '.github/dependabot.yaml': DEPENDABOT })).status).toBe('pass');
  });
  it('accepts directories lists and globs, "." and a trailing slash, cron with a cronjob', async () => {
    expect((await dependabot(DEPENDABOT.replaceAll('    directory: /\n', '    directories:\n      - "/**"\n'))).status).toBe('pass');
    expect((await dependabot(DEPENDABOT.replace('directory: /\n', 'directories: ["/", "/tools"]\n'))).status).toBe('pass');
    expect((await dependabot(DEPENDABOT.replace('directory: /\n', 'directory: "."\n'))).status).toBe('pass');
    expect((await dependabot(DEPENDABOT.replaceAll('directory: /\n', 'directory: /app/\n'), { directory: '/app' })).status).toBe('pass');
    const cron = DEPENDABOT.replace('interval: weekly', 'interval: cron\n      cronjob: "0 6 * * 1"');
    expect((await dependabot(cron)).status).toBe('pass');
  });
  it("fails a YAML error with its line, the parser's words once and without its position", async () => {
    const out = await dependabot('version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /\n    schedule: "weekly\n');
    expect(out.status).toBe('fail');
    expect(out.message.en).toBe('.github/dependabot.yml:\n- line 6: Missing closing "quote, so Dependabot cannot read the file: fix the YAML there');
    expect(out.message['zh-CN']).toBe(
      '.github/dependabot.yml：\n- 第 6 行：YAML 解析出错（Missing closing "quote），Dependabot 读不了这个文件：请修正这里的 YAML',
    );
    expect(out.message.en).not.toMatch(/column|::/);
    expect(out.message['zh-CN']).not.toMatch(/column|:：/);
  });
  it('says in plain words when a line is indented deeper than the line above it can hold, at that line', async () => {
    const text = DEPENDABOT.replace(
      '    schedule:\n      interval: weekly\n  - package-ecosystem: gomod',
      '      schedule:\n      interval: weekly\n  - package-ecosystem: gomod',
    );
    const out = await dependabot(text);
    expect(out.message.en).toBe(
      '.github/dependabot.yml:\n- line 5: Nested mappings are not allowed in compact mappings, so Dependabot cannot read the file: this line is indented 6 spaces, deeper than line 4 above it, whose key already has its value, so nothing can nest under it: indent it 4 spaces, in line with directory on line 4',
    );
    expect(out.message['zh-CN']).toBe(
      '.github/dependabot.yml：\n- 第 5 行：YAML 解析出错（Nested mappings are not allowed in compact mappings），Dependabot 读不了这个文件：这一行缩进了 6 个空格，比上面的第 4 行更深，而第 4 行的键已经有值，下面不能再嵌套内容：请缩进 4 个空格，和第 4 行的 directory 对齐',
    );
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
    const item = await dependabot('version: 2\nupdates:\n  - package-ecosystem: docker\n   directory: /\n');
    expect(item.message.en).toContain(
      '- line 4: Sequence item without - indicator, so Dependabot cannot read the file: this line is indented 3 spaces, but the keys of the list item on line 3 start after "- ", at 4 spaces: indent it 4 spaces, in line with package-ecosystem on line 3',
    );
    expect(item.message['zh-CN']).toContain('但第 3 行列表项里的键在 "- " 之后，缩进是 4 个空格：请缩进 4 个空格，和第 3 行的 package-ecosystem 对齐');
    expect(cjkSpacingProblems(item.message['zh-CN'])).toEqual([]);
  });
  it('says so when a tab indents a line', async () => {
    const out = await dependabot(
      DEPENDABOT.replace('      interval: weekly\n  - package-ecosystem: gomod', '\tinterval: weekly\n  - package-ecosystem: gomod'),
    );
    expect(out.message.en).toContain('- line 6: Tabs are not allowed as indentation, so Dependabot cannot read the file: this line indents with a tab');
    expect(out.message['zh-CN']).toContain(
      '- 第 6 行：YAML 解析出错（Tabs are not allowed as indentation），Dependabot 读不了这个文件：这一行用制表符缩进，而 YAML 只能用空格缩进：请把制表符换成空格',
    );
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
  });
  it('fails a missing or wrong version, and an empty file', async () => {
    expect((await dependabot(DEPENDABOT.replace('version: 2\n', ''))).message.en).toContain('- there is no version: 2 at the top');
    const quoted = await dependabot(DEPENDABOT.replace('version: 2', 'version: "2"'));
    expect(quoted.message.en).toContain('- line 1: version: "2" is not a version Dependabot reads: write version: 2 (a number, no quotes)');
    expect((await dependabot(DEPENDABOT.replace('version: 2', 'version: 1'))).status).toBe('fail');
    expect((await dependabot('')).message.en).toContain('the file is empty or not a mapping');
    expect((await dependabot('version: 2\n')).message.en).toContain('there is no updates: list');
    expect((await dependabot('version: 2\nupdates: []\n')).message.en).toContain('- line 2: updates: is empty, so Dependabot updates nothing');
  });
  it.each([
    ['dockerfile', 'docker'],
    ['go', 'gomod'],
    ['golang', 'gomod'],
  ])('gives the common mistake package-ecosystem: %s a targeted message (Dependabot calls it %s)', async (written, right) => {
    const text = DEPENDABOT.replace(`package-ecosystem: ${right}`, `package-ecosystem: ${written}`);
    const out = await dependabot(text);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain(
      `- line ${lineOf(text, written === 'dockerfile' ? 'dockerfile' : `: ${written}`)}: package-ecosystem: ${written} is not a name Dependabot knows`,
    );
    expect(out.message.en).toContain(`is called ${right}`);
    expect(out.message['zh-CN']).toContain(`叫 ${right}`);
  });
  it('fails a missing ecosystem with a ready entry to add, and asks for github-actions only when told', async () => {
    const noGo = DEPENDABOT.split('  - package-ecosystem: gomod')[0] ?? '';
    const out = await dependabot(noGo);
    expect(out.message.en).toContain(
      '- line 3: no entry has package-ecosystem: gomod, so nothing updates the Go modules in go.mod: add\n  - package-ecosystem: gomod\n    directory: "/"',
    );
    expect((await dependabot(DEPENDABOT)).status).toBe('pass');
    const actions = await dependabot(DEPENDABOT, { ecosystems: ['docker', 'gomod', 'github-actions'] });
    expect(actions.message.en).toContain('no entry has package-ecosystem: github-actions');
    const withActions = `${DEPENDABOT}  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: monthly\n`;
    const all = { ecosystems: ['docker', 'gomod', 'github-actions'], directory: '/' };
    expect((await dependabot(withActions, { ...all, maxInterval: 'monthly' })).status).toBe('pass');
    expect((await dependabot(withActions.replace('interval: monthly', 'interval: weekly'), all)).status).toBe('pass');
  });
  it('fails a directory that is not where the Dockerfile or go.mod are, saying where they are', async () => {
    const text = DEPENDABOT.replace('directory: /\n', 'directory: /src\n');
    const out = await dependabot(text);
    expect(out.message.en).toContain(`- line 4: directory: /src makes Dependabot look for Dockerfile there, but it is at /Dockerfile: write directory: "/"`);
    expect(out.message['zh-CN']).toContain('- 第 4 行：directory: /src 让 Dependabot 去那里找 Dockerfile，但它在 /Dockerfile：请写 directory: "/"');
    const app = await dependabot(DEPENDABOT, { directory: '/app' });
    expect(app.message.en).toContain('but it is at /app/go.mod: write directory: "/app"');
    const none = await dependabot(DEPENDABOT.replace('    directory: /\n', ''));
    expect(none.message.en).toContain('- line 3: the docker entry has no directory:');
  });
  it('fails a missing or unknown schedule interval, and cron without its cronjob', async () => {
    const none = await dependabot(DEPENDABOT.replace('    schedule:\n      interval: weekly\n', ''));
    expect(none.message.en).toContain('the docker entry has no schedule: interval:');
    const biweekly = DEPENDABOT.replace('interval: weekly', 'interval: biweekly');
    const out = await dependabot(biweekly);
    expect(out.message.en).toContain(
      `- line 6: interval: biweekly is not one Dependabot knows: use daily, weekly, monthly, quarterly, semiannually, yearly, cron`,
    );
    expect((await dependabot(DEPENDABOT.replace('interval: weekly', 'interval: cron'))).message.en).toContain(
      '- line 6: interval: cron needs the cron expression beside it',
    );
  });
  it.each([
    ['monthly', 'once a month', 'a month', '每月', '一个月'],
    ['quarterly', 'once every three months', 'three months', '每三个月', '三个月'],
    ['semiannually', 'once every six months', 'six months', '每半年', '半年'],
    ['yearly', 'once a year', 'a year', '每年', '一年'],
  ])('fails interval: %s, less often than weekly: a fix would wait for its pull request', async (interval, every, wait, everyZh, waitZh) => {
    const out = await dependabot(DEPENDABOT.replace('interval: weekly', `interval: ${interval}`));
    expect(out.status).toBe('fail');
    expect(out.message.en).toBe(
      `.github/dependabot.yml:\n- line 6: interval: ${interval} makes Dependabot look for new docker versions only ${every}, so a base image or module that fixes a vulnerability can wait up to ${wait} for its pull request: write interval: weekly (or daily)`,
    );
    expect(out.message['zh-CN']).toBe(
      `.github/dependabot.yml：\n- 第 6 行：interval: ${interval} 让 Dependabot ${everyZh}才检查一次 docker 的新版本，修复了漏洞的基础镜像或模块最多要等${waitZh}才有拉取请求：请写 interval: weekly（或者 daily）`,
    );
    expect(cjkSpacingProblems(out.message['zh-CN'])).toEqual([]);
  });
  it('takes maxInterval: daily asks for daily, monthly allows monthly; cron with a cronjob is always accepted', async () => {
    const daily = await dependabot(DEPENDABOT, { maxInterval: 'daily' });
    expect(daily.message.en).toContain('- line 6: interval: weekly makes Dependabot look for new docker versions only once a week');
    expect(daily.message.en).toContain('can wait up to a week for its pull request: write interval: daily\n');
    expect(daily.message.en).toContain('- line 10: interval: weekly makes Dependabot look for new gomod versions');
    expect((await dependabot(DEPENDABOT.replaceAll('interval: weekly', 'interval: daily'), { maxInterval: 'daily' })).status).toBe('pass');
    const monthly = DEPENDABOT.replace('interval: weekly', 'interval: monthly');
    expect((await dependabot(monthly, { maxInterval: 'monthly' })).status).toBe('pass');
    const quarterly = await dependabot(DEPENDABOT.replace('interval: weekly', 'interval: quarterly'), { maxInterval: 'monthly' });
    expect(quarterly.message.en).toContain('write interval: monthly (or weekly, daily)');
    expect(quarterly.message['zh-CN']).toContain('请写 interval: monthly（或者 weekly、daily）');
    const cron = DEPENDABOT.replaceAll('interval: weekly', 'interval: cron\n      cronjob: "0 6 1 * *"');
    expect((await dependabot(cron, { maxInterval: 'daily' })).status).toBe('pass');
    const none = await dependabot(DEPENDABOT.replace('    schedule:\n      interval: weekly\n', ''), { maxInterval: 'daily' });
    expect(none.message.en).toContain('add schedule: interval: daily');
    expect((await run({}, { maxInterval: 'daily' })).message.en).toContain('    schedule:\n      interval: daily\n');
  });
  it('fails open-pull-requests-limit: 0, which turns version updates off', async () => {
    const text = DEPENDABOT.replace('  - package-ecosystem: gomod\n', '  - package-ecosystem: gomod\n    open-pull-requests-limit: 0\n');
    const out = await dependabot(text);
    expect(out.message.en).toContain(`- line 8: open-pull-requests-limit: 0 turns version updates off for gomod`);
    expect(out.message['zh-CN']).toContain('关闭了 gomod 的版本更新');
    expect((await dependabot(text.replace('limit: 0', 'limit: 5'))).status).toBe('pass');
  });
  it('lists every problem in the order of the lines', async () => {
    const text = DEPENDABOT.replace('directory: /\n', 'directory: /src\n').replace('package-ecosystem: gomod', 'package-ecosystem: golang');
    const out = await dependabot(text);
    expect(
      out.message.en
        .split('\n')
        .filter((l) => l.startsWith('- line'))
        .map((l) => /line (\d+)/.exec(l)?.[1]),
    ).toEqual(['4', '7']);
  });
});

describe('deps.update-config with Renovate', () => {
  it('passes config:recommended or config:best-practices in any of the files Renovate reads', async () => {
    for (const file of ['renovate.json', '.github/renovate.json', '.renovaterc', '.renovaterc.json']) {
      const out = await run({ [file]: '{\n  "extends": ["config:recommended"]\n}\n' });
      expect(out.status, file).toBe('pass');
      expect(out.message.en).toBe(`Renovate (${file}) extends config:recommended, which updates every ecosystem it finds.`);
    }
    expect((await run({ 'renovate.json': '{"extends": ["config:best-practices"]}' })).status).toBe('pass');
  });
  it('passes config:base, saying it is the old name', async () => {
    const out = await run({ 'renovate.json': '{"extends": ["config:base"]}' });
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('config:base is the old name of config:recommended');
    expect(out.message['zh-CN']).toContain('旧名字');
  });
  it('passes enabledManagers with the manager of each ecosystem, and fails one that leaves a manager out', async () => {
    expect((await run({ 'renovate.json': '{"enabledManagers": ["dockerfile", "gomod"]}' })).status).toBe('pass');
    const text = '{\n  "extends": ["config:recommended"],\n  "enabledManagers": [\n    "gomod"\n  ]\n}\n';
    const out = await run({ 'renovate.json': text });
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('- line 3: enabledManagers turns off every manager it does not list, and it leaves out "dockerfile"');
    const actions = await run({ 'renovate.json': '{"enabledManagers": ["dockerfile", "gomod"]}' }, { ecosystems: ['github-actions'] });
    expect(actions.message.en).toContain('leaves out "github-actions"');
  });
  it('names the manager for "docker" and "go" in enabledManagers', async () => {
    const out = await run({ 'renovate.json': '{\n  "enabledManagers": [\n    "docker",\n    "go"\n  ]\n}\n' });
    expect(out.message.en).toContain(
      '- line 3: "docker" is not a Renovate manager, so nothing updates the FROM lines of the Dockerfile: the manager is called "dockerfile"',
    );
    expect(out.message.en).toContain('- line 4: "go" is not a Renovate manager');
  });
  it('fails "enabled": false with its line', async () => {
    const out = await run({ 'renovate.json': '{\n  "extends": ["config:recommended"],\n  "enabled": false\n}\n' });
    expect(out.message.en).toBe('renovate.json:\n- line 3: "enabled": false turns Renovate off for this repository: remove it');
    expect(out.message['zh-CN']).toBe('renovate.json：\n- 第 3 行："enabled": false 关闭了这个仓库的 Renovate：请删掉它');
  });
  it('fails a JSON error with its line', async () => {
    const out = await run({ 'renovate.json': '{\n  "extends": ["config:recommended"],\n}\n' });
    expect(out.status).toBe('fail');
    expect(out.message.en).toMatch(/^renovate\.json:\n- line 3: .+: Renovate cannot read the file\. Fix the JSON$/);
    expect(out.message.en).not.toContain('position');
    expect((await run({ 'renovate.json': '{"extends": [' })).message.en).toContain('- line 1: Unexpected end of JSON input');
    expect((await run({ 'renovate.json': '["config:recommended"]' })).message.en).toContain('not a JSON object');
  });
  it('passes a file with neither a preset nor enabledManagers (Renovate runs every manager by default), and is unknown for presets it cannot read', async () => {
    const bare = await run({ 'renovate.json': '{"$schema": "https://docs.renovatebot.com/renovate-schema.json"}' });
    expect(bare.status).toBe('pass');
    expect(bare.message.en).toContain('its defaults run every manager');
    expect(bare.message.en).toContain('"extends": ["config:recommended"] adds the settings');
    const shared = await run({ 'renovate.json': '{"extends": ["github>acme/renovate-config"]}' });
    expect(shared.status).toBe('unknown');
    expect(shared.message.en).toContain('github>acme/renovate-config');
  });
});

describe('deps.update-config: which file', () => {
  it('fails with no configuration, naming the files it looked for and a minimal Dependabot file', async () => {
    const out = await run({});
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('.github/dependabot.yml, .github/dependabot.yaml, renovate.json, .github/renovate.json, .renovaterc, .renovaterc.json');
    expect(out.message.en).toContain(
      'version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: "/"\n    schedule:\n      interval: weekly\n  - package-ecosystem: gomod',
    );
    expect(out.message['zh-CN']).toContain('请创建 .github/dependabot.yml：');
  });
  it('passes when either bot passes, and reports Dependabot first when both fail', async () => {
    const badDependabot = DEPENDABOT.replace('interval: weekly', 'interval: biweekly');
    expect((await run({ '.github/dependabot.yml': badDependabot, 'renovate.json': '{"extends": ["config:recommended"]}' })).status).toBe('pass');
    expect((await run({ '.github/dependabot.yml': DEPENDABOT, 'renovate.json': '{"enabled": false}' })).status).toBe('pass');
    const both = await run({ '.github/dependabot.yml': badDependabot, 'renovate.json': '{"enabled": false}' });
    expect(both.status).toBe('fail');
    expect(both.message.en.indexOf('.github/dependabot.yml:')).toBe(0);
    expect(both.message.en).toContain('\nrenovate.json:\n- line 1: "enabled": false');
  });
  it('reads the first Dependabot file only, as GitHub does', async () => {
    expect((await run({ '.github/dependabot.yml': DEPENDABOT, '.github/dependabot.yaml': 'version: 1\n' })).status).toBe('pass');
  });
});
