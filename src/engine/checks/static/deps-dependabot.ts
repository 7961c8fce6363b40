import { compilePattern } from '../../dockerfile/dockerignore.js';
import { L } from '../../i18n.js';
import type { FileFinding } from './common.js';
import { ECOSYSTEM_FILES, MAX_INTERVALS, fileIn, normalizeDirectory, wantedDirectory, type BotVerdict, type Ecosystem, type MaxInterval } from './deps-bots.js';
import { asArray, asString, isMap, loadYaml, locateYaml, yamlLayoutHint, type YamlMap } from './yaml-file.js';

/** The `schedule.interval` values Dependabot knows. */
const INTERVALS = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron'];

/** How long a new release can wait for Dependabot's next run on each fixed schedule, longest last. */
const WAITS: Record<string, { readonly rank: number; readonly every: string; readonly wait: string; readonly everyZh: string; readonly waitZh: string }> = {
  daily: { rank: 0, every: 'once a day', wait: 'a day', everyZh: '每天', waitZh: '一天' },
  weekly: { rank: 1, every: 'once a week', wait: 'a week', everyZh: '每周', waitZh: '一周' },
  monthly: { rank: 2, every: 'once a month', wait: 'a month', everyZh: '每月', waitZh: '一个月' },
  quarterly: { rank: 3, every: 'once every three months', wait: 'three months', everyZh: '每三个月', waitZh: '三个月' },
  semiannually: { rank: 4, every: 'once every six months', wait: 'six months', everyZh: '每半年', waitZh: '半年' },
  yearly: { rank: 5, every: 'once a year', wait: 'a year', everyZh: '每年', waitZh: '一年' },
};

/** Names learners write for an ecosystem that Dependabot calls otherwise (it refuses the file for them). */
const MISNAMED: Record<Ecosystem, readonly string[]> = {
  docker: ['dockerfile', 'docker-image', 'container'],
  gomod: ['go', 'golang', 'go-modules', 'gomodules'],
  'github-actions': ['actions', 'github_actions', 'github-action', 'gha'],
};

/** Does a `directory` value, or one of `directories` (which may be globs: `/**`, `/services/*`), name this directory? */
const covers = (pattern: string, directory: string): boolean => compilePattern(normalizeDirectory(pattern).slice(1)).test(directory.slice(1));

/** A minimal `updates:` entry for an ecosystem, as YAML lines under `updates:`. */
export const dependabotEntry = (ecosystem: Ecosystem, directory: string, interval: MaxInterval = 'weekly'): string =>
  [`  - package-ecosystem: ${ecosystem}`, `    directory: "${wantedDirectory(ecosystem, directory)}"`, '    schedule:', `      interval: ${interval}`].join(
    '\n',
  );

/**
 * Judges a Dependabot file (`.github/dependabot.yml`) for the ecosystems asked: version 2, an
 * `updates:` entry per ecosystem that looks in the right directory on a schedule Dependabot knows,
 * at least as often as `maxInterval`, with version updates left on. Every problem with the line it is on.
 */
export const judgeDependabot = async (
  file: string,
  text: string,
  ecosystems: readonly Ecosystem[],
  directory: string,
  maxInterval: MaxInterval = 'weekly',
): Promise<BotVerdict> => {
  const parsed = await loadYaml(text);
  const findings: FileFinding[] = [];
  const add = (line: number | undefined, en: string, zh: string): void => {
    findings.push({ file, ...(line === undefined ? {} : { line }), en, zh });
  };
  if (!parsed.ok) {
    const hint = yamlLayoutHint(text, parsed.line);
    add(
      hint?.line ?? parsed.line ?? undefined,
      `${parsed.reason}, so Dependabot cannot read the file: ${hint ? hint.en : 'fix the YAML there'}`,
      `YAML 解析出错（${parsed.reason}），Dependabot 读不了这个文件：${hint ? hint.zh : '请修正这里的 YAML'}`,
    );
    return { status: 'fail', findings };
  }
  const root = parsed.value;
  const { lineOf } = await locateYaml(text);
  if (!isMap(root)) {
    add(
      undefined,
      'the file is empty or not a mapping: it needs version: 2 and an updates: list',
      '文件是空的，或者不是映射：它需要 version: 2 和 updates: 列表',
    );
    return { status: 'fail', findings };
  }
  if (root.version === undefined)
    add(undefined, 'there is no version: 2 at the top, and Dependabot refuses the file without it', '顶层没有 version: 2，缺了它 Dependabot 会拒绝这个文件');
  else if (root.version !== 2)
    add(
      lineOf(['version']),
      `version: ${JSON.stringify(root.version)} is not a version Dependabot reads: write version: 2 (a number, no quotes)`,
      `version: ${JSON.stringify(root.version)} 不是 Dependabot 能读的版本：请写 version: 2（数字，不加引号）`,
    );
  const updates = asArray(root.updates).map((entry, index) => ({ entry: isMap(entry) ? entry : ({} as YamlMap), index }));
  if (updates.length === 0) {
    const empty = Array.isArray(root.updates);
    add(
      lineOf(['updates']),
      `${empty ? 'updates: is empty' : 'there is no updates: list'}, so Dependabot updates nothing: add one entry per ecosystem under updates:`,
      `${empty ? 'updates: 是空的' : '没有 updates: 列表'}，所以 Dependabot 什么都不会更新：请在 updates: 下为每个生态各加一项`,
    );
    return { status: 'fail', findings };
  }
  const at = (index: number, ...path: string[]): number | undefined => lineOf(['updates', index, ...path]) ?? lineOf(['updates', index]);
  const done: string[] = [];
  const doneZh: string[] = [];
  for (const ecosystem of ecosystems) {
    const wanted = wantedDirectory(ecosystem, directory);
    const what = ECOSYSTEM_FILES[ecosystem];
    const entries = updates.filter((u) => asString(u.entry['package-ecosystem']).trim() === ecosystem);
    if (entries.length === 0) {
      const misnamed = updates.find((u) => MISNAMED[ecosystem].includes(asString(u.entry['package-ecosystem']).trim().toLowerCase()));
      if (misnamed) {
        const written = asString(misnamed.entry['package-ecosystem']).trim();
        add(
          at(misnamed.index, 'package-ecosystem'),
          `package-ecosystem: ${written} is not a name Dependabot knows, and it refuses the file: the ecosystem that updates ${what.en} is called ${ecosystem}`,
          `package-ecosystem: ${written} 不是 Dependabot 认识的名字，它会拒绝这个文件：更新${what.zh}的生态叫 ${ecosystem}`,
        );
      } else {
        add(
          lineOf(['updates']),
          `no entry has package-ecosystem: ${ecosystem}, so nothing updates ${what.en}: add\n${dependabotEntry(ecosystem, directory)}`,
          `没有一项写了 package-ecosystem: ${ecosystem}，所以没有东西会更新${what.zh}：请添加\n${dependabotEntry(ecosystem, directory)}`,
        );
      }
      continue;
    }
    const directoriesOf = (entry: YamlMap): string[] =>
      entry.directories !== undefined ? asArray(entry.directories).map(asString) : entry.directory !== undefined ? [asString(entry.directory)] : [];
    const chosen = entries.find((u) => directoriesOf(u.entry).some((d) => covers(d, wanted))) ?? entries[0];
    if (!chosen) continue;
    const { entry, index } = chosen;
    const before = findings.length;
    const dirs = directoriesOf(entry);
    if (dirs.length === 0) {
      add(
        at(index),
        `the ${ecosystem} entry has no directory:, and Dependabot needs one: write directory: "${wanted}"`,
        `${ecosystem} 这一项没有 directory:，而 Dependabot 必须有它：请写 directory: "${wanted}"`,
      );
    } else if (!dirs.some((d) => covers(d, wanted))) {
      const key = entry.directories !== undefined ? 'directories' : 'directory';
      add(
        at(index, key),
        `${key}: ${dirs.join(', ')} makes Dependabot look for ${what.file} there, but it is at ${fileIn(ecosystem, wanted)}: write directory: "${wanted}"`,
        `${key}: ${dirs.join('、')} 让 Dependabot 去那里找 ${what.file}，但它在 ${fileIn(ecosystem, wanted)}：请写 directory: "${wanted}"`,
      );
    }
    const schedule = entry.schedule;
    const interval = isMap(schedule) ? asString(schedule.interval).trim() : '';
    if (!isMap(schedule) || interval === '') {
      add(
        at(index, 'schedule'),
        `the ${ecosystem} entry has no schedule: interval:, and Dependabot needs one: add schedule: interval: ${maxInterval}`,
        `${ecosystem} 这一项没有 schedule: interval:，而 Dependabot 必须有它：请加上 schedule: interval: ${maxInterval}`,
      );
    } else if (!INTERVALS.includes(interval)) {
      add(
        at(index, 'schedule', 'interval'),
        `interval: ${interval} is not one Dependabot knows: use ${INTERVALS.join(', ')}`,
        `interval: ${interval} 不是 Dependabot 认识的值：请使用 ${INTERVALS.join('、')}`,
      );
    } else if ((WAITS[interval]?.rank ?? 0) > (WAITS[maxInterval]?.rank ?? 0)) {
      const wait = WAITS[interval];
      const allowed = MAX_INTERVALS.slice(0, MAX_INTERVALS.indexOf(maxInterval) + 1).reverse();
      const or = allowed.length > 1 ? ` (or ${allowed.slice(1).join(', ')})` : '';
      const orZh = allowed.length > 1 ? `（或者 ${allowed.slice(1).join('、')}）` : '';
      add(
        at(index, 'schedule', 'interval'),
        `interval: ${interval} makes Dependabot look for new ${ecosystem} versions only ${wait?.every ?? ''}, so a base image or module that fixes a vulnerability can wait up to ${wait?.wait ?? ''} for its pull request: write interval: ${maxInterval}${or}`,
        `interval: ${interval} 让 Dependabot ${wait?.everyZh ?? ''}才检查一次 ${ecosystem} 的新版本，修复了漏洞的基础镜像或模块最多要等${wait?.waitZh ?? ''}才有拉取请求：请写 interval: ${maxInterval}${orZh}`,
      );
    } else if (interval === 'cron' && asString(schedule.cronjob).trim() === '') {
      add(
        at(index, 'schedule', 'interval'),
        'interval: cron needs the cron expression beside it: add cronjob: "0 6 * * 1" (Mondays at 06:00)',
        'interval: cron 需要在旁边写上 cron 表达式：请加上 cronjob: "0 6 * * 1"（每周一 06:00）',
      );
    }
    const limit = entry['open-pull-requests-limit'];
    if (asString(limit).trim() === '0') {
      add(
        at(index, 'open-pull-requests-limit'),
        `open-pull-requests-limit: 0 turns version updates off for ${ecosystem}: Dependabot would open only security updates. Remove it, or allow a few (5 is the default)`,
        `open-pull-requests-limit: 0 关闭了 ${ecosystem} 的版本更新：Dependabot 只会提交安全更新。请删掉它，或者允许几个（默认是 5）`,
      );
    }
    if (findings.length === before) {
      done.push(`${ecosystem} in ${wanted} (${interval})`);
      doneZh.push(`${ecosystem}（目录 ${wanted}，${interval}）`);
    }
  }
  if (findings.length > 0) return { status: 'fail', findings };
  return {
    status: 'pass',
    summary: L(`Dependabot (${file}) keeps these up to date: ${done.join(', ')}.`, `Dependabot（${file}）会按计划更新：${doneZh.join('、')}。`),
  };
};
