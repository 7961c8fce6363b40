import { L, dockerCapabilities, planCleanup, runCleanup, tr, type CleanItem, type Localized } from '../engine/index.js';
import { say, sayErr, type CommandContext } from './context.js';
import { confirm } from './prompt.js';

/** Decimal units, as Docker prints sizes. */
export const humanBytes = (bytes: number): string => {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
};

const KIND: Record<CleanItem['kind'], Localized> = {
  stack: L('Swarm stack', 'Swarm 栈'),
  container: L('container', '容器'),
  image: L('image', '镜像'),
  volume: L('volume', '卷'),
  network: L('network', '网络'),
  folder: L('temp folder', '临时文件夹'),
};

const line = (ctx: CommandContext, item: CleanItem, withReason: boolean): string => {
  const size = item.bytes !== undefined ? `  ${humanBytes(item.bytes)}` : '';
  const reason = withReason && item.keep ? `  (${tr(item.keep, ctx.lang)})` : '';
  return `  ${tr(KIND[item.kind], ctx.lang).padEnd(ctx.lang === 'en' ? 12 : 8)}${item.name}${size}${reason}`;
};

const json = (ctx: CommandContext, item: CleanItem) => ({
  kind: item.kind,
  id: item.id,
  name: item.name,
  ...(item.bytes !== undefined ? { bytes: item.bytes } : {}),
  ...(item.keep ? { reason: tr(item.keep, ctx.lang) } : {}),
});

/**
 * `clean [--yes] [--json]`: removes every Swarm stack, container, image, volume, network and temp folder the
 * tutorial made on this machine (found by label and folder name only), after asking on a terminal.
 * Without a terminal (or with --json) and without --yes it lists them and removes nothing (exit 2).
 * Exit 1 when something it meant to remove is still there; exit 2 when Docker was not reachable (only temp folders were cleaned).
 */
export const cleanCommand = async (ctx: CommandContext, options: { yes: boolean; json: boolean }): Promise<number> => {
  const caps = await dockerCapabilities();
  const plan = await planCleanup({ docker: caps.available, signal: ctx.signal });
  const todo = plan.items.filter((i) => !i.keep);
  const held = plan.items.filter((i) => i.keep);
  const out = (value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  // Without Docker only the temp folders can be looked at: never say the machine is clean then.
  const noDocker = L(
    `Docker is not reachable, so its containers, images, volumes and networks could not be checked: only temp folders are cleaned. Start Docker and run clean again. ${caps.problem?.message.en ?? ''}`.trim(),
    `无法连接 Docker，所以没能检查它的容器、镜像、卷和网络：只清理临时文件夹。请启动 Docker 后再运行一次 clean。${caps.problem?.message['zh-CN'] ?? ''}`.trim(),
  );
  if (!caps.available && !options.json) sayErr(ctx, noDocker);
  const done = (code: number): number => (caps.available ? code : Math.max(code, 2));
  if (todo.length === 0) {
    if (options.json) out({ docker: caps.available, confirmed: true, removed: [], kept: held.map((i) => json(ctx, i)), freedBytes: 0, imageBytes: 0 });
    else if (caps.available) {
      say(ctx, L('Nothing to clean: learn-go-docker left nothing on this machine.', '无需清理：learn-go-docker 没有在这台机器上留下任何东西。'));
      for (const item of held) say(ctx, line(ctx, item, true));
    } else say(ctx, L('No temp folders to clean.', '没有需要清理的临时文件夹。'));
    return done(0);
  }
  if (!options.yes) {
    // JSON is for scripts: never a prompt in the middle of it.
    if (!ctx.interactive || options.json) {
      if (options.json) out({ docker: caps.available, confirmed: false, wouldRemove: todo.map((i) => json(ctx, i)), kept: held.map((i) => json(ctx, i)) });
      else {
        say(ctx, L('learn-go-docker made these on this machine:', 'learn-go-docker 在这台机器上创建了这些：'));
        for (const item of todo) say(ctx, line(ctx, item, false));
      }
      sayErr(ctx, L('Nothing was removed: run again with --yes to remove them.', '没有删除任何东西：加上 --yes 重新运行即可删除。'));
      return 2;
    }
    say(ctx, L('learn-go-docker made these on this machine:', 'learn-go-docker 在这台机器上创建了这些：'));
    for (const item of todo) say(ctx, line(ctx, item, false));
    if (!(await confirm(ctx, L(`Remove these ${todo.length}?`, `删除这 ${todo.length} 项？`), false))) {
      say(ctx, L('Nothing was removed.', '没有删除任何东西。'));
      return 0;
    }
  }
  const result = await runCleanup(plan);
  if (options.json) {
    out({
      docker: caps.available,
      confirmed: true,
      removed: result.removed.map((i) => json(ctx, i)),
      kept: result.kept.map((i) => json(ctx, i)),
      freedBytes: result.freedBytes,
      imageBytes: result.imageBytes,
    });
    return done(result.kept.length > held.length ? 1 : 0);
  }
  say(ctx, L(`Removed ${result.removed.length}:`, `已删除 ${result.removed.length} 项：`));
  for (const item of result.removed) say(ctx, line(ctx, item, false));
  if (result.kept.length) {
    say(ctx, L(`Kept ${result.kept.length}:`, `保留 ${result.kept.length} 项：`));
    for (const item of result.kept) say(ctx, line(ctx, item, true));
  }
  const freed = humanBytes(result.freedBytes);
  const images = humanBytes(result.imageBytes);
  say(ctx, L(`Freed ${freed} (images: ${images} as Docker counts it).`, `释放了 ${freed}（其中镜像 ${images}，按 Docker 的统计）。`));
  if (result.removed.some((i) => i.kind === 'image')) {
    say(
      ctx,
      L(
        "Layers Docker's build cache still uses stay on disk: that cache is shared with your other projects, so it is left alone (`docker builder prune` frees it for all of them).",
        'Docker 构建缓存仍在使用的镜像层会留在磁盘上：该缓存由你的所有项目共用，因此这里不动它（`docker builder prune` 会为所有项目释放它）。',
      ),
    );
  }
  return done(result.kept.length > held.length ? 1 : 0);
};
