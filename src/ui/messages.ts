import { L, type Lang, type Localized } from '../engine/index.js';

/** Every string the Ink app shows, in English and Simplified Chinese, side by side for review. */
export const M = {
  action: {
    verify: L('verify', '校验'),
    hint: L('hint', '提示'),
    reset: L('reset', '重置'),
    solution: L('solution', '答案'),
    next: L('next lesson', '下一课'),
    list: L('lesson list', '课程列表'),
    edit: L('open in editor', '在编辑器中打开'),
    lang: L('language: 中文', '语言：English'),
    help: L('help', '帮助'),
    quit: L('quit', '退出'),
    cancel: L('cancel', '取消'),
    scrollUp: L('scroll up', '向上滚动'),
    scrollDown: L('scroll down', '向下滚动'),
    pageUp: L('page up', '向上翻页'),
    pageDown: L('page down', '向下翻页'),
    top: L('top', '回到顶部'),
    bottom: L('bottom', '跳到底部'),
    scroll: L('scroll', '滚动'),
    yes: L('yes', '是'),
    no: L('no', '否'),
    apply: L('apply', '应用'),
    back: L('back', '返回'),
    details: L('details', '详情'),
    open: L('open', '打开'),
    move: L('move', '移动'),
  },
  list: {
    title: L('learn-go-docker: lessons', 'learn-go-docker：课程列表'),
    progress: L('{done}/{total} done', '已完成 {done}/{total}'),
    opening: L('Opening lesson {title}…', '正在打开课程 {title}…'),
  },
  lesson: {
    header: L('Lesson {n}/{total}', '第 {n}/{total} 课'),
    loading: L('Loading the lesson…', '正在加载课程…'),
    position: L('{from}-{to}/{total}', '{from}-{to}/{total}'),
    textError: L('Could not read the lesson text: {error}', '无法读取课程内容：{error}'),
  },
  checks: {
    title: L('Checks', '检查结果'),
    summary: L('{passed}/{total} checks passed', '通过 {passed}/{total} 项检查'),
    failed: L('{n} failed', '{n} 项失败'),
    skipped: L('{n} skipped', '{n} 项跳过'),
    unknown: L('{n} unknown', '{n} 项无法判断'),
    errored: L('{n} broke', '{n} 项出错'),
    line: L('line {line}', '第 {line} 行'),
    atLine: L(' (line {line})', '（第 {line} 行）'),
    detailsKey: L('d: details', 'd：详情'),
    detailsTitle: L('Every verdict of the last verify, in full (esc: back to the lesson):', '上次校验的完整结果（esc：返回课程）：'),
    /** Between a check's title and its message. */
    titleSep: L(': ', '：'),
    details: L(' ({details})', '（{details}）'),
    detailSep: L('; ', '；'),
    more: L('… {n} more: d shows every check in full', '……还有 {n} 项：按 d 查看全部检查'),
    none: L('Not checked yet: press v to check your work.', '尚未校验：按 v 校验你的作业。'),
  },
  verify: {
    stale: L(
      'Your files changed since this verdict: they are checked again when you are back on the lesson.',
      '你的文件在这次结果之后改动过：回到课程页面时会重新检查。',
    ),
    recheckAfterAway: L(
      'Your files changed since this verdict (while the tutorial was closed): checking them again…',
      '在这次结果之后（教程关闭期间），你的文件改动过：正在重新检查…',
    ),
    changedWhileAway: L(
      'Your files changed since this verdict (while the tutorial was closed): press v to check them.',
      '在这次结果之后（教程关闭期间），你的文件改动过：按 v 重新检查。',
    ),
    afterOwnWrite: L('The verdict shown is of the files before: press v to check them as they are now.', '显示的结果是之前那些文件的：按 v 检查现在的文件。'),
    changedPressV: L('Your files changed since its last verdict: press v to check them.', '你的文件在它上次的结果之后改动过：按 v 重新检查。'),
    running: L('Checking…', '正在校验…'),
    check: L('{check}', '{check}'),
    elapsed: L('{s}s', '{s} 秒'),
    cancelling: L('Cancelling: removing the Docker objects the check created…', '正在取消：清理检查创建的 Docker 对象…'),
    cancelled: L('Verify cancelled; the Docker objects it created were removed.', '已取消校验；它创建的 Docker 对象已清理。'),
    cancelledStale: L(
      'Verify cancelled; the Docker objects it created were removed. The verdict shown is older than your files: press v to check them.',
      '已取消校验；它创建的 Docker 对象已清理。显示的结果早于你的文件改动：按 v 重新检查。',
    ),
    quitting: L('Quitting once the cleanup is done…', '清理完成后退出…'),
    failedToRun: L('Verify could not run: {error}', '无法运行校验：{error}'),
    passed: L('Lesson passed!', '本课通过！'),
    learned: L('What you learned: {text}', '你学到了：{text}'),
    offer: L('Press n for the next lesson, or s to see the reference solution.', '按 n 进入下一课，或按 s 查看参考答案。'),
    solutionUnlocked: L('The reference solution is now available: press s to see it.', '参考答案现已开放：按 s 查看。'),
  },
  watch: {
    events: L('watching {files} (save to re-check)', '正在监视 {files}（保存即重新校验）'),
    polling: L('watching {files} by polling (save to re-check)', '正在以轮询方式监视 {files}（保存即重新校验）'),
    manual: L('manual mode: press v to check', '手动模式：按 v 校验'),
    failed: L(
      'File watching stopped ({error}), so this is manual mode now: press v to check. Start with --manual to skip watching.',
      '文件监视已停止（{error}），现已切换为手动模式：按 v 校验。使用 --manual 启动可跳过文件监视。',
    ),
    inotify: L(
      'The system limit on watched files is reached; raising it (sysctl fs.inotify.max_user_watches) brings watch mode back.',
      '系统的文件监视数量已达上限；调高 fs.inotify.max_user_watches（sysctl）即可恢复监视模式。',
    ),
  },
  hint: {
    view: L('Hint {level}/{of} for "{check}": {text}', '“{check}”的提示 {level}/{of}：{text}'),
    // The last tier again on every h after it: say it is the last, so the repeat is not a surprise.
    last: L('Hint {level}/{of} for "{check}" (the last one): {text}', '“{check}”的提示 {level}/{of}（最后一条）：{text}'),
    none: L('No hint for this lesson right now: no check is failing.', '本课暂无提示：当前没有失败的检查。'),
  },
  reset: {
    confirm: L("Reset this lesson's files to the start? Your current files are backed up first. (y/n)", '将本课文件重置为初始状态？当前文件会先备份。(y/n)'),
    done: L('Lesson files reset. Your previous files were backed up to {dir}: {files}.', '已重置本课文件。原来的文件已备份到 {dir}：{files}。'),
    doneNoBackup: L('Lesson files reset; nothing needed a backup.', '已重置本课文件，无需备份。'),
    cancelled: L('Reset cancelled; nothing changed.', '已取消重置，文件未改动。'),
  },
  solution: {
    title: L('Reference solution: {files}', '参考答案：{files}'),
    locked: L('The solution is not available yet.', '参考答案尚未开放。'),
    confirmApply: L(
      'Apply the solution? It overwrites your lesson files; they are backed up first. (y/n)',
      '应用参考答案？这会覆盖本课文件，覆盖前会先备份。(y/n)',
    ),
    applied: L('Solution applied. Your previous files were backed up to {dir}: {files}.', '已应用参考答案。原来的文件已备份到 {dir}：{files}。'),
    appliedNoBackup: L('Solution applied; nothing needed a backup.', '已应用参考答案，无需备份。'),
    cancelled: L('Solution not applied; nothing changed.', '未应用参考答案，文件未改动。'),
  },
  goto: {
    files: L('Files: {changes}.', '文件：{changes}。'),
    written: L('written {files}', '已写入 {files}'),
    kept: L('kept {files}', '保留 {files}'),
    restored: L('restored your {files}', '已恢复你的 {files}'),
    removed: L('set aside {files}', '已移开 {files}'),
    savedTo: L('Your files of the lesson you left were saved to {dir}.', '你在上一课的文件已保存到 {dir}。'),
    keptEarlier: L('The copy saved when you left it before is kept in {dir}.', '你上次离开该课时保存的副本保留在 {dir}。'),
    backedUp: L('Files that could not be saved with a lesson were backed up to {dir}.', '无法随课程保存的文件已备份到 {dir}。'),
    unchanged: L('No files changed.', '文件无变化。'),
    last: L('This is the last lesson. Press l for the list.', '这已是最后一课。按 l 查看课程列表。'),
  },
  editor: {
    notSet: L(
      'Set $VISUAL or $EDITOR to open files from here (for example: export EDITOR=nano). The file is {path}',
      '设置 $VISUAL 或 $EDITOR 后即可在这里打开文件（例如：export EDITOR=nano）。文件路径：{path}',
    ),
    unavailable: L('Open {path} in your editor.', '请在你的编辑器中打开 {path}。'),
    opening: L('Editing {path} in {editor}. The tutorial resumes when the editor exits.', '正在用 {editor} 编辑 {path}。编辑器退出后教程继续。'),
    failed: L('Could not open the editor: {error}', '无法打开编辑器：{error}'),
    noFile: L('This lesson has no file to open.', '本课没有可打开的文件。'),
  },
  lang: {
    saveFailed: L('Language switched, but the choice could not be saved: {error}', '语言已切换，但未能保存此设置：{error}'),
  },
  help: {
    title: L('Keys', '按键说明'),
    close: L('Press esc or ? to close this help.', '按 esc 或 ? 关闭帮助。'),
    watch: L(
      'Watch mode re-checks when you save a lesson file; a save during a check stops it and checks the saved files. Ctrl-C during a check cancels it.',
      '监视模式下，保存本课文件即重新校验；校验进行中保存会停止这次校验，改为检查保存后的文件。校验时按 Ctrl-C 可取消。',
    ),
  },
  error: {
    generic: L('Something went wrong: {error}', '出错了：{error}'),
  },
} as const;

type Param = string | number | Localized;

/**
 * Fills `{name}` placeholders in both languages, so a filled message still switches language later.
 * A Localized param (a hint, a check message) is filled with its text in the matching language.
 */
export const fillL = (message: Localized, params: Readonly<Record<string, Param>>): Localized => {
  const fill = (text: string, lang: Lang): string =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const value = params[key];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[lang] : String(value);
    });
  return { en: fill(message.en, 'en'), 'zh-CN': fill(message['zh-CN'], 'zh-CN') };
};

/** Joins localized parts: a space between English sentences, nothing between Chinese ones. */
export const joinL = (parts: readonly Localized[], separators: { readonly en: string; readonly zh: string } = { en: ' ', zh: '' }): Localized => ({
  en: parts.map((part) => part.en).join(separators.en),
  'zh-CN': parts.map((part) => part['zh-CN']).join(separators.zh),
});

/** The same text in both languages (file paths, error texts from the system). */
export const same = (text: string): Localized => ({ en: text, 'zh-CN': text });

export const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'zh-CN' : 'en');
