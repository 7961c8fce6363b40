import { parseArgs } from 'node:util';
import {
  L,
  UserError,
  describeFailure,
  detectLang,
  isLang,
  packageVersion,
  resolveWorkspace,
  setWorkshopModeAt,
  shutdown,
  terminalSink,
  tr,
  type Lang,
} from './engine/index.js';
import type { CommandContext } from './commands/context.js';
import { useColor } from './commands/format.js';
// list and verify are part of this module's chunk: they are the commands run most (by the UI's
// scripts, editors and learners checking in a loop), and a dynamic import is one more round of
// module loading before they start. The others load when named; help's 14 KB of text only for --help.
import { listCommand } from './commands/list.js';
import { verifyCommand } from './commands/verify.js';

export const OPTIONS = {
  dir: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  apply: { type: 'boolean', default: false },
  'static-only': { type: 'boolean', default: false },
  swarm: { type: 'boolean', default: false },
  manual: { type: 'boolean', default: false },
  chain: { type: 'boolean', default: false },
  'skip-cases': { type: 'boolean', default: false },
  'cases-only': { type: 'boolean', default: false },
  lesson: { type: 'string', multiple: true },
  dockerfile: { type: 'string' },
  target: { type: 'string' },
  port: { type: 'string' },
  path: { type: 'string' },
  md: { type: 'boolean', default: false },
  csv: { type: 'boolean', default: false },
  host: { type: 'string' },
  name: { type: 'string' },
  merge: { type: 'boolean', default: false },
  // prepare [--platform P] | --export FILE | --import FILE (issue 15: a room offline).
  platform: { type: 'string' },
  export: { type: 'string' },
  import: { type: 'string' },
  mirror: { type: 'string', multiple: true },
  // Pacing tools (issue 15): goto N --catch-up; workshop mode, remembered in the workspace.
  'catch-up': { type: 'boolean', default: false },
  workshop: { type: 'boolean', default: false },
  'no-workshop': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Positional arguments each command takes, for clear usage errors. */
const POSITIONALS: Record<string, number> = {
  init: 0,
  list: 0,
  goto: 1,
  verify: 1,
  hint: 1,
  reset: 1,
  solution: 1,
  lint: 1,
  audit: 1,
  // report --merge FILES...: as many as the room handed in.
  report: Number.MAX_SAFE_INTEGER,
  // workshop serve|export|allow N; join URL CODE; ask (the instructor's room, issue 15).
  workshop: 2,
  join: 2,
  ask: 0,
  doctor: 0,
  prepare: 0,
  clean: 0,
  'dev-check': 0,
  start: 0,
  help: 1,
};

type OptionName = keyof typeof OPTIONS;

/**
 * The options each command reads (dispatch below); --lang, --help, --version and the workshop
 * switches go with any command. Another option is refused by name: `verify --mirror` did nothing,
 * silently, where the learner expected it to.
 */
const COMMAND_OPTIONS: Record<string, readonly OptionName[]> = {
  init: ['dir', 'yes'],
  list: ['dir', 'json'],
  goto: ['dir', 'catch-up', 'yes'],
  verify: ['dir', 'json', 'static-only', 'swarm'],
  hint: ['dir'],
  reset: ['dir', 'yes'],
  solution: ['dir', 'apply', 'yes'],
  lint: ['json'],
  audit: ['dockerfile', 'target', 'port', 'path', 'json', 'md'],
  report: ['dir', 'name', 'merge', 'json', 'md'],
  workshop: ['dir', 'host', 'port', 'md', 'csv', 'json'],
  join: ['name', 'dir'],
  ask: ['dir'],
  doctor: ['dir', 'json'],
  prepare: ['platform', 'export', 'import', 'mirror', 'json'],
  clean: ['yes', 'json'],
  'dev-check': ['lesson', 'chain', 'static-only', 'skip-cases', 'cases-only', 'json'],
  start: ['dir', 'manual', 'yes', 'swarm'],
  help: [],
};
const ANY_COMMAND: readonly OptionName[] = ['lang', 'help', 'version', 'workshop', 'no-workshop'];

/** An option given to a command that does not read it: a usage error that says where it belongs. */
const foreignOption = (command: string, given: readonly string[]): UserError | undefined => {
  const allowed = new Set<string>([...(COMMAND_OPTIONS[command] ?? []), ...ANY_COMMAND]);
  const name = given.find((option) => !allowed.has(option));
  if (name === undefined) return undefined;
  const owners = Object.keys(COMMAND_OPTIONS).filter((c) => COMMAND_OPTIONS[c]?.includes(name as OptionName));
  const shown = command === 'start' ? 'the tutorial (no command)' : command;
  const shownZh = command === 'start' ? '教程本身（不带命令）' : command;
  return usage(
    `--${name} is not an option of ${shown}${owners.length ? `: it goes with ${owners.join(', ')}` : ''}.`,
    `--${name} 不是 ${shownZh} 的选项${owners.length ? `：它用于 ${owners.join('、')}` : ''}。`,
  );
};

const usage = (message: string, zh: string): UserError =>
  new UserError(L(message, zh), { next: L('See: npx learn-go-docker --help', '查看帮助：npx learn-go-docker --help') });

/** A value to show in "--x needs a value, e.g. ..." for each option that takes one. */
const EXAMPLE_VALUES: Record<string, string> = {
  '--dir': 'go-docker-lab',
  '--lang': 'zh-CN',
  '--lesson': 'multi-stage',
  '--dockerfile': 'deploy/Dockerfile',
  '--target': 'build',
  '--port': '8080',
  '--path': '/health',
  '--name': 'ada',
  '--host': '192.168.1.20',
  '--platform': 'linux/arm64',
  '--export': 'workshop.tar',
  '--import': 'workshop.tar',
  '--mirror': 'm.daocloud.io',
};

/** Node's argument-parser errors, said in our words (its own text has unbalanced quotes). */
const usageFromParser = (error: Error & { code?: string }): UserError => {
  const option = /'(-{1,2}[^' <]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return usage(`Unknown option ${option}.`, `未知选项 ${option}。`);
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing|ambiguous/.test(error.message)) {
    const example = EXAMPLE_VALUES[option] ?? 'go-docker-lab';
    return usage(`${option} needs a value, e.g. ${option} ${example}.`, `${option} 需要一个值，例如 ${option} ${example}。`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return usage(`${option} takes no value.`, `${option} 不接受值。`);
  return usage(`Could not read the arguments: ${error.message}`, `无法解析参数：${error.message}`);
};

const parse = (argv: string[]): { command: string; args: string[]; values: Values; lang: Lang } => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw usageFromParser(error as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  if (values.lang !== undefined && !isLang(values.lang))
    throw usage(`--lang must be en or zh-CN, not "${values.lang}"`, `--lang 只能是 en 或 zh-CN，而不是 "${values.lang}"`);
  const [command = 'start', ...args] = positionals;
  if (!(command in POSITIONALS)) throw usage(`Unknown command "${command}".`, `未知命令 "${command}"。`);
  // `help nope` is a typo to point out, not a question the general help answers.
  const topic = command === 'help' ? args[0] : undefined;
  if (topic !== undefined && !(topic in POSITIONALS)) throw usage(`Unknown command "${topic}".`, `未知命令 "${topic}"。`);
  // `goto --help` is a question, not a goto without a lesson: help comes before any other rule.
  if (values.help || command === 'help') return { command, args, values, lang: detectLang(values.lang) };
  const foreign = foreignOption(command, [...new Set((parsed.tokens ?? []).flatMap((t) => (t.kind === 'option' ? [t.name] : [])))]);
  // --catch-up has words of its own (run below): where it goes, with an example.
  if (foreign && !(command !== 'goto' && values['catch-up'])) throw foreign;
  const max = POSITIONALS[command] ?? 0;
  if (args.length > max) throw usage(`Too many arguments for ${command}: ${args.join(' ')}`, `${command} 的参数过多：${args.join(' ')}`);
  if (command === 'goto' && args.length === 0) throw usage('goto needs a lesson: npx learn-go-docker goto 3', 'goto 需要指定课程：npx learn-go-docker goto 3');
  return { command, args, values, lang: detectLang(values.lang) };
};

/** Commands that touch no learner workspace: --workshop means nothing to them. */
const NO_WORKSPACE = new Set(['lint', 'audit', 'workshop', 'doctor', 'prepare', 'clean', 'dev-check']);

/**
 * --workshop / --no-workshop: stored in the workspace before the command runs, so the command
 * itself already obeys it; after it for init, and for the tutorial started where no workspace is
 * yet (both create it). Returns whether it waits for after.
 */
const applyWorkshopMode = async (ctx: CommandContext, command: string, values: Values, when: 'before' | 'after'): Promise<boolean> => {
  if (!values.workshop && !values['no-workshop']) return false;
  if (when === 'before' && (command === 'init' || (command === 'start' && resolveWorkspace(values.dir, ctx.cwd) === undefined))) return true;
  if (values.workshop && values['no-workshop']) throw usage('Choose --workshop or --no-workshop, not both.', '--workshop 和 --no-workshop 只能选一个。');
  if (NO_WORKSPACE.has(command) || (command === 'report' && values.merge))
    throw usage(
      `--workshop and --no-workshop are for a learner's workspace, not ${command}.`,
      `--workshop 和 --no-workshop 用于学员的工作区，不能用于 ${command}。`,
    );
  const on = values.workshop;
  const { changed } = await setWorkshopModeAt(values.dir, ctx.cwd, on);
  const line = on
    ? L(
        'Workshop mode on: solutions stay hidden until the instructor opens them (once you have joined the room). Leave it with --no-workshop.',
        '工作坊模式已开启：讲师开放之前参考答案保持隐藏（加入房间后生效）。用 --no-workshop 退出。',
      )
    : L('Workshop mode off: solutions open as usual.', '工作坊模式已关闭：参考答案照常开放。');
  // Said when it changes; --json keeps stdout one object, so the line goes to stderr.
  if (changed) (values.json ? ctx.stderr : ctx.stdout).write(`${tr(line, ctx.lang)}\n`);
  return false;
};

const run = async (ctx: CommandContext, command: string, args: string[], values: Values): Promise<number> => {
  if (values['catch-up'] && command !== 'goto')
    throw usage('--catch-up goes with goto: npx learn-go-docker goto 5 --catch-up', '--catch-up 要和 goto 一起用：npx learn-go-docker goto 5 --catch-up');
  const after = await applyWorkshopMode(ctx, command, values, 'before');
  const code = await dispatch(ctx, command, args, values);
  if (after && code === 0) await applyWorkshopMode(ctx, command, values, 'after');
  return code;
};

const dispatch = async (ctx: CommandContext, command: string, args: string[], values: Values): Promise<number> => {
  const dir = values.dir;
  const lesson = args[0];
  switch (command) {
    case 'init':
      return (await import('./commands/init.js')).initCommand(ctx, { dir, yes: values.yes });
    case 'list':
      return listCommand(ctx, { dir, json: values.json });
    case 'goto':
      return (await import('./commands/goto.js')).gotoCommand(ctx, { dir, lesson: lesson as string, catchUp: values['catch-up'], yes: values.yes });
    case 'verify':
      return verifyCommand(ctx, { dir, lesson, json: values.json, staticOnly: values['static-only'], swarm: values.swarm });
    case 'hint':
      return (await import('./commands/hint.js')).hintCommand(ctx, { dir, lesson });
    case 'reset':
      return (await import('./commands/reset.js')).resetCommand(ctx, { dir, lesson, yes: values.yes });
    case 'solution':
      return (await import('./commands/solution.js')).solutionCommand(ctx, { dir, lesson, apply: values.apply, yes: values.yes });
    case 'lint':
      return (await import('./commands/lint.js')).lintCommand(ctx, { path: lesson, json: values.json });
    case 'audit':
      return (await import('./commands/audit.js')).auditCommand(ctx, {
        ...(args[0] !== undefined ? { dir: args[0] } : {}),
        ...(values.dockerfile !== undefined ? { dockerfile: values.dockerfile } : {}),
        ...(values.target !== undefined ? { target: values.target } : {}),
        ...(values.port !== undefined ? { port: values.port } : {}),
        ...(values.path !== undefined ? { path: values.path } : {}),
        json: values.json,
        md: values.md,
      });
    case 'report':
      return (await import('./commands/report.js')).reportCommand(ctx, {
        dir,
        ...(values.name !== undefined ? { name: values.name } : {}),
        merge: values.merge,
        files: args,
        json: values.json,
        md: values.md,
      });
    case 'workshop':
      if (args[0] === 'allow')
        return (await import('./commands/workshop-allow.js')).workshopAllowCommand(ctx, {
          ...(args[1] !== undefined ? { lesson: args[1] } : {}),
          ...(dir !== undefined ? { dir } : {}),
        });
      if (args.length > 1) throw usage(`Too many arguments for workshop: ${args.join(' ')}`, `workshop 的参数过多：${args.join(' ')}`);
      return (await import('./commands/workshop.js')).workshopCommand(ctx, {
        action: args[0],
        ...(dir !== undefined ? { dir } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(values.port !== undefined ? { port: values.port } : {}),
        md: values.md,
        csv: values.csv,
        json: values.json,
      });
    case 'join':
      return (await import('./commands/join.js')).joinCommand(ctx, {
        ...(args[0] !== undefined ? { url: args[0] } : {}),
        ...(args[1] !== undefined ? { code: args[1] } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(dir !== undefined ? { dir } : {}),
      });
    case 'ask':
      return (await import('./commands/ask.js')).askCommand(ctx, { ...(dir !== undefined ? { dir } : {}) });
    case 'prepare':
      return (await import('./commands/prepare.js')).prepareCommand(ctx, {
        ...(values.platform !== undefined ? { platform: values.platform } : {}),
        ...(values.export !== undefined ? { exportFile: values.export } : {}),
        ...(values.import !== undefined ? { importFile: values.import } : {}),
        ...(values.mirror !== undefined ? { mirrors: values.mirror } : {}),
        json: values.json,
      });
    case 'doctor':
      return (await import('./commands/doctor.js')).doctorCommand(ctx, { dir, json: values.json });
    case 'clean':
      return (await import('./commands/clean.js')).cleanCommand(ctx, { yes: values.yes, json: values.json });
    case 'dev-check':
      return (await import('./commands/dev-check.js')).devCheckCommand(ctx, {
        lessons: values.lesson ?? [],
        chain: values.chain,
        staticOnly: values['static-only'],
        cases: values['cases-only'] ? 'only' : values['skip-cases'] || values['static-only'] ? 'skip' : 'run',
        json: values.json,
      });
    default:
      return (await import('./commands/start.js')).startCommand(ctx, { dir, manual: values.manual, yes: values.yes, swarm: values.swarm });
  }
};

/** Exit codes of a command ended by a signal (128 + the signal's number, as shells report it). */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
/** How long the Docker objects of an interrupted command may take to go before the process exits anyway. */
const CLEANUP_MS = 10_000;
/** After cleanup, time for a command that honours the abort (verify) to print what it has. */
const WIND_DOWN_MS = 500;

/**
 * Entry point: one top-level catch turns learner-fixable problems (UserError, file-system errors
 * such as a link loop or a full disk) into one message and exit 2. Everything printed goes through
 * a terminal-safe sink, so nothing quoted from the learner's files can drive the terminal.
 */
export const main = async (argv: string[]): Promise<number> => {
  const fallbackLang = detectLang(undefined);
  const color = useColor(process.stdout);
  const stdout = terminalSink(process.stdout, color);
  const stderr = terminalSink(process.stderr, color);
  const abort = new AbortController();
  let interrupted = 0;
  let signalExit = 130;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted += 1;
    const code = SIGNAL_EXIT[signal] ?? 130;
    const cleanUpThenExit = (timeoutMs: number, graceMs: number): void => {
      void shutdown(timeoutMs)
        .catch(() => undefined)
        .finally(() => {
          // Unref'd: a command that already returned exits on its own with its code; one that
          // ignores the abort (a prompt, a file copy, a stuck mkdir) is ended here.
          setTimeout(() => process.exit(code), graceMs).unref();
        });
    };
    if (interrupted === 1) {
      signalExit = code;
      abort.abort(new Error(signal));
      cleanUpThenExit(CLEANUP_MS, WIND_DOWN_MS);
    } else {
      // A second Ctrl-C means "now": still remove what we started (bounded), then go.
      cleanUpThenExit(5000, 0);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let lang = fallbackLang;
  try {
    const { command, args, values, lang: chosen } = parse(argv);
    lang = chosen;
    if (values.version) {
      stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (values.help || command === 'help') {
      const { helpFor } = await import('./commands/help.js');
      stdout.write(tr(helpFor(command === 'help' ? args[0] : command === 'start' ? undefined : command), lang));
      return 0;
    }
    const ctx: CommandContext = {
      lang,
      langExplicit: values.lang !== undefined || process.env.LEARN_GO_DOCKER_LANG !== undefined,
      cwd: process.cwd(),
      stdout,
      stderr,
      interactive: process.stdout.isTTY === true && process.stdin.isTTY === true, // stdin only looked at on a terminal (it costs a stream)
      color,
      signal: abort.signal,
    };
    const code = await run(ctx, command, args, values);
    return abort.signal.aborted ? signalExit : code;
  } catch (error) {
    // A usage error comes before the language is parsed: read --lang from the arguments as they are.
    if (lang === fallbackLang) {
      const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
      const asked = at < 0 ? undefined : argv[at]?.includes('=') ? argv[at]?.slice('--lang='.length) : argv[at + 1];
      if (asked !== undefined && isLang(asked)) lang = asked;
    }
    const failure = describeFailure(error);
    // After Ctrl-C, a half-done command's error is the interruption's, not news.
    if (failure.kind === 'bug' && abort.signal.aborted) return signalExit;
    if (argv.includes('--json')) {
      // A script that asked for JSON gets JSON, errors included (stdout stays one object).
      const json = { error: { kind: failure.kind, message: tr(failure.message, lang), ...(failure.next ? { next: tr(failure.next, lang) } : {}) } };
      stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      if (failure.detail) stderr.write(`${failure.detail}\n`);
      return abort.signal.aborted ? signalExit : failure.exitCode;
    }
    stderr.write(`${tr(failure.message, lang)}\n`);
    if (failure.next) stderr.write(`${tr(failure.next, lang)}\n`);
    if (failure.detail) stderr.write(`${failure.detail}\n`);
    return abort.signal.aborted ? signalExit : failure.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
