import { L, type Localized } from '../../engine/index.js';

/**
 * Every text of the instructor's live view, in both languages side by side. Functions take the
 * numbers, so a plural or a word order is decided per language, not glued from pieces.
 */
export const W = {
  title: (url: string, code: string): Localized => L(`Workshop · ${url} · code ${code}`, `工作坊 · ${url} · 加入码 ${code}`),
  // The same words as the plain table's first line (src/commands/workshop-table.ts).
  summary: (learners: number, stuck: number, help: number): Localized =>
    L(
      `${learners} learner${learners === 1 ? '' : 's'} · ${stuck} stuck · ${help} asking for help`,
      `${learners} 位学员 · ${stuck} 位卡住 · ${help} 位请求帮助`,
    ),
  nobody: L('Nobody has joined yet. Press c to show the join code and its QR code.', '还没有人加入。按 c 显示加入码和二维码。'),
  columns: { learner: L('learner', '学员'), lesson: L('lesson', '课程'), tries: L('tries', '次数'), minutes: L('min', '分钟') },
  /** The table is longer than the screen: which rows are shown. */
  window: (from: number, to: number, of: number): Localized => L(`rows ${from}–${to} of ${of}`, `第 ${from}–${to} 行，共 ${of} 行`),
  failingMost: L('Failing most:', '失败最多：'),
  failingCheck: (id: string, now: number, all: number): Localized => L(`${id} (${now} now, ${all} in all)`, `${id}（当前 ${now} 人，共 ${all} 次）`),
  listSeparator: L(', ', '，'),
  noneFailing: L('Failing most: nothing right now.', '失败最多：目前没有。'),
  keys: {
    select: L('select', '选择'),
    open: L('open', '打开'),
    join: L('join code', '加入码'),
    quit: L('quit', '退出'),
    scroll: L('scroll', '滚动'),
    back: L('back', '返回'),
  },
  learner: {
    heading: (name: string, lesson: number, id: string, tries: number, minutes: number): Localized =>
      L(
        `${name} · lesson ${lesson} ${id} · ${tries} ${tries === 1 ? 'try' : 'tries'} · ${minutes} min`,
        `${name} · 第 ${lesson} 课 ${id} · ${tries} 次尝试 · ${minutes} 分钟`,
      ),
    loading: L('Reading the room’s log…', '正在读取房间日志…'),
    gone: L('This learner is not in the log.', '日志里没有这位学员。'),
    readFailed: (error: string): Localized => L(`The room’s log could not be read: ${error}`, `无法读取房间日志：${error}`),
    noVerify: L('No verify yet.', '还没有校验过。'),
    verify: (time: string, lesson: number, attempt: number, passed: boolean): Localized =>
      L(
        `Last verify at ${time} (lesson ${lesson}, attempt ${attempt}): ${passed ? 'passed' : 'failed'}`,
        `最近一次校验 ${time}（第 ${lesson} 课，第 ${attempt} 次尝试）：${passed ? '通过' : '未通过'}`,
      ),
    /** A learner whose verifies came before they joined: the verdict their help request carried. */
    verdictFromHelp: (attempt: number, passed: boolean): Localized =>
      L(
        `Verdict sent with the help request (attempt ${attempt}): ${passed ? 'passed' : 'failed'}`,
        `求助时附带的校验结果（第 ${attempt} 次尝试）：${passed ? '通过' : '未通过'}`,
      ),
    noChecks: L('(no checks reported)', '（没有报告检查项）'),
    noHelp: L('No help request. A learner’s Dockerfile arrives only when they run `ask`.', '没有求助。学员运行 `ask` 时才会发送 Dockerfile。'),
    help: (time: string, lesson: number, pending: boolean): Localized =>
      L(
        `Help request at ${time} (lesson ${lesson}): ${pending ? 'waiting' : 'answered (the lesson was passed since)'}`,
        `求助 ${time}（第 ${lesson} 课）：${pending ? '等待中' : '已解决（之后通过了该课）'}`,
      ),
    noDockerfile: L('No Dockerfile in the workspace when they asked.', '求助时工作区里没有 Dockerfile。'),
    dockerfile: L('Their Dockerfile:', '学员的 Dockerfile：'),
  },
  join: {
    heading: L('Join the workshop', '加入工作坊'),
    type: L('Learners type, in their workspace:', '学员在自己的工作区里输入：'),
    code: (code: string): Localized => L(`Join code: ${code}`, `加入码：${code}`),
    scan: L('Or scan to copy the command:', '或扫码复制命令：'),
    tooSmall: (columns: number, rows: number): Localized =>
      L(`Make the terminal at least ${columns}×${rows} to show the QR code here.`, `终端至少需要 ${columns}×${rows} 才能在这里显示二维码。`),
  },
} as const;
