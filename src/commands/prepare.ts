import {
  L,
  UserError,
  parseMirrors,
  utcMinute,
  exportPrepareArchive,
  importPrepareArchive,
  prepareThisMachine,
  sizeText,
  tr,
  type ImportResult,
  type Lang,
  type Localized,
  type PrepareEvent,
  type PrepareResult,
} from '../engine/index.js';
import type { CommandContext } from './context.js';
import { formatDoctor } from './doctor.js';
import { colonFor, paint } from './format.js';

export interface PrepareCommandOptions {
  readonly platform?: string;
  readonly exportFile?: string;
  readonly importFile?: string;
  /** --mirror values (repeatable); LEARN_GO_DOCKER_MIRROR when none is given. */
  readonly mirrors?: readonly string[];
  readonly json: boolean;
}

/** A progress line at most this often per image or transfer (plain lines: no cursor moves, logs stay readable). */
const PROGRESS_EVERY_MS = 3_000;

const duration = (seconds: number, lang: Lang): string => {
  if (seconds < 60) return lang === 'zh-CN' ? `${seconds} 秒` : `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === 'zh-CN' ? `${minutes} 分钟` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return lang === 'zh-CN' ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} h ${minutes % 60} min`;
};

const left = (eta: number | undefined, lang: Lang): string =>
  eta === undefined ? '' : lang === 'zh-CN' ? `，大约还需 ${duration(eta, lang)}` : `, about ${duration(eta, lang)} left`;

/** A text progress bar, 20 cells wide, and its percentage: what a line of a log or a terminal can show. */
export const progressBar = (done: number, total: number): string => {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const cells = Math.round(fraction * 20);
  return `[${'█'.repeat(cells)}${'░'.repeat(20 - cells)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
};

/** Turns engine events into plain lines (throttled where they stream). Exported for tests. */
export const prepareEventPrinter = (lang: Lang, write: (line: string) => void, color = false, clock: () => number = Date.now) => {
  const lastAt = new Map<string, number>();
  const due = (key: string, force = false): boolean => {
    const now = clock();
    const last = lastAt.get(key);
    if (!force && last !== undefined && now - last < PROGRESS_EVERY_MS) return false;
    lastAt.set(key, now);
    return true;
  };
  const t = (m: Localized) => tr(m, lang);
  const ok = paint('✔', 32, color);
  const bad = paint('✖', 31, color);
  const colon = colonFor(lang);
  return (event: PrepareEvent): void => {
    switch (event.type) {
      case 'platform':
        write(t(L(`Preparing for ${event.platform}: ${event.images} base images.`, `为 ${event.platform} 做准备：${event.images} 个基础镜像。`)));
        return;
      case 'image-present':
        write(
          `${ok} [${event.index}/${event.total}] ${event.ref}${colon}${t(L(`already here (${sizeText(event.size)}), not pulled`, `已在本机（${sizeText(event.size)}），不拉取`))}`,
        );
        return;
      case 'image-pull': {
        const size = event.bytesTotal ? t(L(` (${sizeText(event.bytesTotal)})`, `（${sizeText(event.bytesTotal)}）`)) : '';
        const why = event.reason ? t(L(` (${event.reason.en})`, `（${event.reason['zh-CN']}）`)) : '';
        const from = event.from ? t(L(` from ${event.from}`, `（来自 ${event.from}）`)) : '';
        write(`  [${event.index}/${event.total}] ${event.ref}${colon}${t(L(`pulling${size}`, `正在拉取${size}`))}${from}${why}`);
        lastAt.set(event.ref, clock());
        return;
      }
      case 'image-progress': {
        if (!due(event.ref)) return;
        const bytes =
          event.bytesDone !== undefined && event.bytesTotal
            ? t(L(`, ${sizeText(event.bytesDone)} of ${sizeText(event.bytesTotal)}`, `，${sizeText(event.bytesDone)} / ${sizeText(event.bytesTotal)}`))
            : '';
        // The bar follows the bytes when the registry gave the layers' sizes, else the layers.
        const bar =
          event.bytesDone !== undefined && event.bytesTotal ? progressBar(event.bytesDone, event.bytesTotal) : progressBar(event.layersDone, event.layers);
        write(`      ${bar} ${event.ref}${colon}${t(L(`${event.layersDone} of ${event.layers} layers`, `${event.layersDone} / ${event.layers} 层`))}${bytes}`);
        return;
      }
      case 'overall': {
        const finished = event.imagesDone === event.images;
        if (!due('overall', finished)) return;
        const bytes =
          event.bytesTotal > 0
            ? t(L(`, ${sizeText(event.bytesDone)} of ${sizeText(event.bytesTotal)}`, `，${sizeText(event.bytesDone)} / ${sizeText(event.bytesTotal)}`))
            : '';
        const bar = event.bytesTotal > 0 ? progressBar(event.bytesDone, event.bytesTotal) : progressBar(event.imagesDone, event.images);
        write(
          `      ${bar} ${t(L(`Overall: ${event.imagesDone} of ${event.images} images`, `总体：${event.imagesDone} / ${event.images} 个镜像`))}${bytes}${finished ? '' : left(event.etaSeconds, lang)}`,
        );
        return;
      }
      case 'image-pulled':
        write(
          `${ok} ${event.ref}${colon}${t(
            event.from
              ? L(
                  `pulled from ${event.from} in ${event.seconds} s${event.size ? ` (${sizeText(event.size)})` : ''}, tagged ${event.ref}`,
                  `从 ${event.from} 拉取用时 ${event.seconds} 秒${event.size ? `（${sizeText(event.size)}）` : ''}，已打标签 ${event.ref}`,
                )
              : L(
                  `pulled in ${event.seconds} s${event.size ? ` (${sizeText(event.size)})` : ''}`,
                  `拉取用时 ${event.seconds} 秒${event.size ? `（${sizeText(event.size)}）` : ''}`,
                ),
          )}`,
        );
        return;
      case 'image-failed':
        write(`${bad} ${t(event.message)}`);
        return;
      case 'step':
        write(`${t(event.message)}…`);
        return;
      case 'bytes': {
        const finished = event.total !== undefined && event.bytes >= event.total;
        if (!due(`bytes-${event.step}`, finished)) return;
        const verb = event.step === 'save' ? L('written', '已写入') : L('read', '已读取');
        const of = event.total
          ? event.step === 'save'
            ? t(L(` of about ${sizeText(event.total)}`, ` / 约 ${sizeText(event.total)}`))
            : t(L(` of ${sizeText(event.total)}`, ` / ${sizeText(event.total)}`))
          : '';
        write(
          `      ${lang === 'zh-CN' ? `${t(verb)} ${sizeText(event.bytes)}${of}` : `${sizeText(event.bytes)}${of} ${t(verb)}`}${finished ? '' : left(event.etaSeconds, lang)}`,
        );
        return;
      }
    }
  };
};

const prepareSummary = (result: PrepareResult, lang: Lang, color: boolean): string => {
  const lines: string[] = [];
  lines.push(`${paint(result.modules.ok ? '✔' : '✖', result.modules.ok ? 32 : 31, color)} ${tr(result.modules.message, lang)}`);
  if (!result.modules.ok && result.modules.fix) lines.push(`    → ${tr(result.modules.fix, lang)}`);
  if (result.doctor) lines.push('', formatDoctor(result.doctor, lang, color));
  const failed = result.images.filter((i) => i.status === 'failed').map((i) => i.ref);
  const verdict = result.ready
    ? L(
        `Ready: every base image is here for ${result.platform} and the Go modules are in the build cache; the lessons need no registry now.`,
        `已就绪：${result.platform} 所需的基础镜像都在本机，Go 模块也已在构建缓存中；现在课程不再需要镜像仓库。`,
      )
    : failed.length
      ? L(`Not ready: missing ${failed.join(', ')} (what to do is above).`, `未就绪：缺少 ${failed.join('、')}（处理方法见上文）。`)
      : L('Not ready: see the ✖ lines above.', '未就绪：请查看上面标 ✖ 的行。');
  lines.push('', paint(tr(verdict, lang), result.ready ? 32 : 31, color));
  return lines.join('\n');
};

const short = (id: string | undefined): string => (id ? id.replace(/^sha256:/, '').slice(0, 12) : '?');

export const formatImport = (result: ImportResult, lang: Lang, color = false): string => {
  const ok = paint('✔', 32, color);
  const bad = paint('✖', 31, color);
  const t = (m: Localized) => tr(m, lang);
  const colon = colonFor(lang);
  const lines = result.images.map((check) => {
    if (check.status === 'ok')
      return `${ok} ${check.ref}${colon}${t(L(`loaded, ID ${short(check.actualId)} as the archive says`, `已加载，ID ${short(check.actualId)} 与归档一致`))}`;
    if (check.status === 'missing')
      return `${bad} ${check.ref}${colon}${t(L(`not on this machine after loading (the archive says ID ${short(check.expectedId)})`, `加载后本机仍没有它（归档中的 ID 为 ${short(check.expectedId)}）`))}`;
    return `${bad} ${check.ref}${colon}${t(L(`this machine has ID ${short(check.actualId)} under that name, the archive says ${short(check.expectedId)}`, `本机这个名字对应的 ID 是 ${short(check.actualId)}，归档中是 ${short(check.expectedId)}`))}`;
  });
  if (result.modules) lines.push(`${result.modules.restored ? ok : bad} ${t(result.modules.message)}`);
  const verdict = result.ok
    ? L(
        `Imported: every image of the archive (${result.platform}, made ${utcMinute(result.createdAt)}) is here with its ID, and the Go module cache is restored.`,
        `导入完成：归档中的每个镜像（${result.platform}，生成于 ${utcMinute(result.createdAt)}）都已在本机且 ID 一致，Go 模块缓存也已恢复。`,
      )
    : L('Not complete: see the ✖ lines above. Copy the archive again, or ask for a new one.', '未完成：请查看上面标 ✖ 的行。请重新复制归档，或索取一个新的。');
  lines.push('', paint(t(verdict), result.ok ? 32 : 31, color));
  return lines.join('\n');
};

/** `prepare [--platform P]`, `prepare --export FILE`, `prepare --import FILE`: exit 0 ready, 1 something missing. */
export const prepareCommand = async (ctx: CommandContext, options: PrepareCommandOptions): Promise<number> => {
  if (options.exportFile !== undefined && options.importFile !== undefined) {
    throw new UserError(L('prepare takes --export or --import, not both.', 'prepare 只能使用 --export 或 --import 其中之一。'));
  }
  if (options.importFile !== undefined && options.platform !== undefined) {
    throw new UserError(
      L(
        '--platform is for prepare and prepare --export: an archive holds the platform it was made for.',
        '--platform 用于 prepare 和 prepare --export：归档本身记录了它的平台。',
      ),
    );
  }
  const given = options.mirrors ?? [];
  if (given.length && options.importFile !== undefined) {
    throw new UserError(
      L(
        '--mirror is for prepare alone: --import loads the images from the archive, with no registry.',
        '--mirror 只用于单独的 prepare：--import 从归档加载镜像，不需要镜像仓库。',
      ),
    );
  }
  if (given.length && options.exportFile !== undefined) {
    throw new UserError(
      L(
        '--mirror is for prepare alone: run npx learn-go-docker prepare --mirror ... first, then --export (an archive holds the images as they are here).',
        '--mirror 只用于单独的 prepare：先运行 npx learn-go-docker prepare --mirror ...，再 --export（归档保存的是本机现有的镜像）。',
      ),
    );
  }
  // The environment's mirror only when none is given: a command line is the learner's latest word.
  const fromEnv = process.env.LEARN_GO_DOCKER_MIRROR?.trim();
  const plain = options.exportFile === undefined && options.importFile === undefined;
  const mirrors = given.length ? parseMirrors(given) : fromEnv && plain ? parseMirrors([fromEnv], 'LEARN_GO_DOCKER_MIRROR') : [];
  const write = (line: string) => ctx.stdout.write(`${line}\n`);
  const onEvent = options.json ? undefined : prepareEventPrinter(ctx.lang, write, ctx.color);
  const common = { signal: ctx.signal, ...(onEvent ? { onEvent } : {}) };

  if (options.importFile !== undefined) {
    const result = await importPrepareArchive({ ...common, file: options.importFile, cwd: ctx.cwd });
    if (options.json)
      write(JSON.stringify({ ...result, modules: result.modules ? { ...result.modules, message: tr(result.modules.message, ctx.lang) } : null }, null, 2));
    else write(formatImport(result, ctx.lang, ctx.color));
    return result.ok ? 0 : 1;
  }

  if (options.exportFile !== undefined) {
    const { result, problems } = await exportPrepareArchive({
      ...common,
      file: options.exportFile,
      cwd: ctx.cwd,
      ...(options.platform !== undefined ? { platform: options.platform } : {}),
    });
    if (options.json) {
      write(JSON.stringify({ ...(result ? { result } : {}), problems: problems.map((p) => ({ ref: p.ref, message: tr(p.message, ctx.lang) })) }, null, 2));
    } else if (result) {
      write(
        `${paint('✔', 32, ctx.color)} ${tr(
          L(
            `Wrote ${result.file} (${sizeText(result.bytes)}): ${result.images.length} base images for ${result.platform} and the Go module download. On each laptop: npx learn-go-docker prepare --import ${result.file}`,
            `已写入 ${result.file}（${sizeText(result.bytes)}）：${result.platform} 的 ${result.images.length} 个基础镜像和 Go 模块下载。在每台电脑上运行：npx learn-go-docker prepare --import ${result.file}`,
          ),
          ctx.lang,
        )}`,
      );
    } else {
      for (const problem of problems) write(`${paint('✖', 31, ctx.color)} ${tr(problem.message, ctx.lang)}`);
      write(tr(L('Nothing was written.', '没有写入任何文件。'), ctx.lang));
    }
    return result ? 0 : 1;
  }

  const result = await prepareThisMachine({
    ...common,
    ...(options.platform !== undefined ? { platform: options.platform } : {}),
    ...(mirrors.length ? { mirrors } : {}),
  });
  if (options.json) {
    write(
      JSON.stringify(
        {
          platform: result.platform,
          ready: result.ready,
          images: result.images.map((i) => (i.status === 'failed' ? { ref: i.ref, status: i.status, message: tr(i.message, ctx.lang) } : i)),
          modules: { ok: result.modules.ok, message: tr(result.modules.message, ctx.lang) },
          doctor: result.doctor,
        },
        null,
        2,
      ),
    );
  } else write(prepareSummary(result, ctx.lang, ctx.color));
  return result.ready ? 0 : 1;
};
