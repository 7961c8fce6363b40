import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { defineCheck } from '../define.js';
import { count, fail, join, mb, pass, skip } from '../outcome.js';
import { readSavedLayers, type SavedLayer } from './layer-files.js';
import { finalChain } from '../static/common.js';
import { lessonImage } from './measure.js';
import { sizeChart } from './size-chart.js';

/** Bytes an earlier layer still ships although a later one replaced or deleted them. */
export interface Overlap {
  /** The layer that added the files (0 = oldest). */
  readonly layer: number;
  /** The later layer that wrote them again or deleted them. */
  readonly by: number;
  readonly how: 'rewritten' | 'deleted';
  readonly files: number;
  readonly bytes: number;
  /** The biggest of those files. */
  readonly example: string;
}

/**
 * What each layer leaves behind for nothing, the way dive counts "wasted space": a file that a
 * later layer writes again (a chown, a chmod, a mv) is shipped twice, and one a later layer
 * deletes is still shipped in the layer that added it. Layers are walked oldest first.
 */
export const layerOverlaps = (layers: readonly Pick<SavedLayer, 'files' | 'deletes' | 'opaque'>[]): Overlap[] => {
  const live = new Map<string, { layer: number; bytes: number }>();
  const found = new Map<string, { layer: number; by: number; how: Overlap['how']; files: number; bytes: number; example: string; biggest: number }>();
  const note = (layer: number, by: number, how: Overlap['how'], path: string, bytes: number) => {
    const key = `${layer}/${by}/${how}`;
    const o = found.get(key) ?? { layer, by, how, files: 0, bytes: 0, example: path, biggest: -1 };
    o.files += 1;
    o.bytes += bytes;
    if (bytes > o.biggest) {
      o.biggest = bytes;
      o.example = path;
    }
    found.set(key, o);
  };
  const removeUnder = (prefix: string, by: number, self: boolean) => {
    for (const [path, at] of live) {
      if ((self && path === prefix) || path.startsWith(prefix === '' ? '' : `${prefix}/`)) {
        note(at.layer, by, 'deleted', path, at.bytes);
        live.delete(path);
      }
    }
  };
  layers.forEach((layer, by) => {
    for (const dir of layer.opaque) removeUnder(dir, by, false);
    for (const path of layer.deletes) removeUnder(path, by, true);
    for (const file of layer.files) {
      const before = live.get(file.path);
      if (before) note(before.layer, by, 'rewritten', file.path, before.bytes);
      live.set(file.path, { layer: by, bytes: file.bytes });
    }
  });
  return [...found.values()].map(({ biggest: _, example, ...o }) => ({ ...o, example: `/${example}` })).sort((a, b) => b.bytes - a.bytes || a.by - b.by);
};

/** A history step as the Dockerfile line reads: `RUN chown -R ...`, `COPY /out/server /app/server`. */
export const stepText = (createdBy: string): string => {
  const text = createdBy
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ # buildkit$/, '');
  // The classic builder names what it copied by a content hash: "COPY file:8bb4… in /app/server".
  if (text.startsWith('/bin/sh -c #(nop) '))
    return text
      .slice('/bin/sh -c #(nop) '.length)
      .trim()
      .replace(/^(COPY|ADD) (?:file|dir|multi):[0-9a-f]+ in /, '$1 … ');
  if (text.startsWith('/bin/sh -c ')) return `RUN ${text.slice('/bin/sh -c '.length)}`;
  // BuildKit records the build args a RUN saw: "RUN |2 VERSION=dev COMMIT=none /bin/sh -c ...".
  return text.replace(/^RUN \|\d+(?: [^ =]+=\S*)* /, 'RUN ').replace(/^RUN \/bin\/sh -c /, 'RUN ');
};

const short = (text: string, max = 44): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The Dockerfile line of a layer's step, by its text (the last match: the final stage comes last). */
const layerLine = (analysis: DockerfileAnalysis | undefined, step: string): number | undefined => {
  if (!analysis?.ok) return undefined;
  const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
  const text = norm(step);
  const match = analysis.instructions.filter((i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword.toUpperCase()) && i.args && text.includes(norm(i.args))).pop();
  return match?.line;
};

export interface LayerWasteMeasurement {
  readonly layers: readonly { readonly step: string; readonly bytes: number; readonly files: number; readonly unreadable: boolean }[];
  /** How many of the oldest layers are the base image's. */
  readonly baseLayers: number;
  readonly overlaps: readonly Overlap[];
}

/** The chart: the base image as one bar, then each layer the Dockerfile adds, with what it wastes. */
const chart = (m: LayerWasteMeasurement, mine: readonly Overlap[]): Localized => {
  const baseBytes = m.layers.slice(0, m.baseLayers).reduce((sum, l) => sum + l.bytes, 0);
  const bars = (lang: 'en' | 'zh-CN') =>
    sizeChart([
      ...(m.baseLayers > 0
        ? [{ label: lang === 'en' ? `base image (${count(m.baseLayers, 'layer')})` : `基础镜像（${m.baseLayers} 层）`, bytes: baseBytes }]
        : []),
      ...m.layers.slice(m.baseLayers).map((layer, i) => {
        const index = m.baseLayers + i;
        const waste = mine.filter((o) => o.by === index);
        const note = waste
          .map((o) =>
            lang === 'en'
              ? `${o.how === 'rewritten' ? 'writes again' : 'deletes'} ${mb(o.bytes)} of #${o.layer + 1}`
              : `${o.how === 'rewritten' ? '重复写入' : '删除'}了第 ${o.layer + 1} 层的 ${mb(o.bytes)}`,
          )
          .join(lang === 'en' ? '; ' : '；');
        return { label: `#${index + 1} ${short(layer.step)}`, bytes: layer.bytes, ...(note ? { note } : {}) };
      }),
    ]);
  return L(`\nLayers, oldest first:\n${bars('en')}`, `\n各层（从旧到新）：\n${bars('zh-CN')}`);
};

const fixFor = (o: Overlap, step: string): Localized => {
  if (/(^RUN|&&|;)\s*mv\s/.test(step))
    return L(
      'Copy the file straight to where it belongs (COPY --from=build /out/server /app/server) instead of moving it in a later RUN: mv cannot move a file of an earlier layer, it stores a copy and hides the original.',
      '直接把文件复制到它该在的位置（COPY --from=build /out/server /app/server），而不是在后面的 RUN 里移动它：mv 无法移动之前某层的文件，它会存一份副本并把原文件藏起来。',
    );
  if (o.how === 'deleted')
    return L(
      'Delete files in the same RUN that created them, or keep them out of the image: build them in another stage and copy only what the app needs.',
      '要在创建文件的同一个 RUN 里删除它们，或者让它们根本不进入镜像：在另一个阶段生成，只复制应用需要的东西。',
    );
  if (/^RUN\s+(chown|chmod)\b/.test(step) || /&&\s*(chown|chmod)\b/.test(step))
    return L(
      'Set the owner (and mode) as the file is copied: COPY --chown=65532:65532 (and --chmod=755 with BuildKit), not in a later RUN; keep that RUN only for what else it does (a data folder). A binary owned by root with mode 755 also runs for any user.',
      '在复制文件时就设置属主（和权限）：COPY --chown=65532:65532（使用 BuildKit 时还可以加 --chmod=755），而不是在后面的 RUN 里修改；那个 RUN 只保留它的其他用途（例如数据目录）。属于 root、权限为 755 的二进制对任何用户也都能运行。',
    );
  return L(
    'Put the file where it belongs, with its owner and mode, in the step that adds it (COPY --chown, the COPY destination, the same RUN), or do the work in a build stage.',
    '在添加文件的那一步就把它放到正确的位置、设好属主和权限（COPY --chown、COPY 的目标路径、同一个 RUN），或者在构建阶段完成这些工作。',
  );
};

export const imageLayerWaste = defineCheck({
  id: 'image.layer-waste',
  kind: 'docker',
  title: L('No layer ships bytes that a later layer replaces or deletes', '没有哪一层携带被后面的层替换或删除的字节'),
  params: s.object({
    /** Bytes shipped twice (or shipped but deleted) that still pass, in MB: a few small files are normal. */
    maxWastedMB: s.number().min(0).default(1),
  }),
  measure: async (ctx): Promise<LayerWasteMeasurement> => {
    const { id, image } = await lessonImage(ctx);
    ctx.progress({ type: 'note', message: L('Reading what each layer of the image writes…', '正在读取镜像每一层写入的内容…') });
    const stream = await ctx.docker.saveImage(id);
    const layers = await readSavedLayers(stream).finally(() => stream.destroy());
    // The base image's layers come first: what they do among themselves is not this Dockerfile's doing.
    const analysis = ctx.dockerfile?.ok ? ctx.dockerfile : undefined;
    const base = analysis ? analysis.stages[finalChain(analysis)[0] ?? analysis.finalStage] : undefined;
    let baseLayers = 0;
    if (base && base.fromStage === null && base.imageKnown && base.image !== 'scratch') {
      const baseImage = await ctx.docker.inspectImage(base.image).catch(() => undefined);
      const own = image.layers ?? [];
      const theirs = baseImage?.layers ?? [];
      while (baseLayers < theirs.length && theirs[baseLayers] === own[baseLayers]) baseLayers += 1;
    }
    return {
      layers: layers.map((l) => ({
        step: stepText(l.createdBy),
        bytes: l.files.reduce((sum, f) => sum + f.bytes, 0),
        files: l.files.length,
        unreadable: l.unreadable,
      })),
      baseLayers,
      overlaps: layerOverlaps(layers).slice(0, 20),
    };
  },
  judge: (m, params, ctx) => {
    const ownLayers = m.layers.length - m.baseLayers;
    if (m.layers.slice(m.baseLayers).some((l) => l.unreadable))
      return skip(
        L(
          'Skipped: a layer of the image is compressed in a way this check cannot read (zstd), so what it writes is unknown.',
          '已跳过：镜像的某一层使用了本检查无法读取的压缩方式（zstd），无法知道它写入了什么。',
        ),
      );
    const mine = m.overlaps.filter((o) => o.by >= m.baseLayers);
    const wasted = mine.reduce((sum, o) => sum + o.bytes, 0);
    const measured = { wastedBytes: wasted, layers: ownLayers };
    const shown = chart(m, mine);
    const worst = mine[0];
    if (worst && wasted > params.maxWastedMB * 1e6) {
      const step = m.layers[worst.by]?.step ?? '';
      const from = m.layers[worst.layer]?.step ?? '';
      const others = worst.files > 1 ? L(` and ${worst.files - 1} more`, ` 等 ${worst.files} 个文件`) : L('', '');
      const what =
        worst.how === 'rewritten'
          ? L(
              `Layer #${worst.by + 1} (${short(step, 70)}) writes again what layer #${worst.layer + 1} (${short(from, 70)}) added: ${worst.example}${others.en}, ${mb(worst.bytes)}. A layer only adds: changing a file's owner, mode or place in a later step stores a second full copy, and the image ships both.`,
              `第 ${worst.by + 1} 层（${short(step, 70)}）重新写入了第 ${worst.layer + 1} 层（${short(from, 70)}）添加的内容：${worst.example}${others['zh-CN']}，${mb(worst.bytes)}。层只会叠加：在后面的步骤里修改文件的属主、权限或位置，会再存一份完整的副本，镜像把两份都带上。`,
            )
          : L(
              `Layer #${worst.by + 1} (${short(step, 70)}) deletes what layer #${worst.layer + 1} (${short(from, 70)}) added: ${worst.example}${others.en}, ${mb(worst.bytes)}. Deleting in a later step only hides the files: the earlier layer still ships them.`,
              `第 ${worst.by + 1} 层（${short(step, 70)}）删除了第 ${worst.layer + 1} 层（${short(from, 70)}）添加的内容：${worst.example}${others['zh-CN']}，${mb(worst.bytes)}。在后面的步骤里删除只是把文件藏起来：前面那一层仍然带着它们。`,
            );
      return fail(
        join(what, L(`In all, ${mb(wasted)} of the image is never used.`, `总计镜像中有 ${mb(wasted)} 永远用不到。`), fixFor(worst, step), shown),
        measured,
        layerLine(ctx.dockerfile, step),
      );
    }
    return pass(
      join(
        wasted === 0
          ? L(
              `None of the ${ownLayers} layers your Dockerfile adds writes again or deletes what an earlier layer holds: nothing in it is stored twice or shipped deleted.`,
              `你的 Dockerfile 添加的 ${ownLayers} 层中，没有哪一层重新写入或删除之前某层的内容：镜像里没有存了两份或删了仍被带着的文件。`,
            )
          : L(
              `The layers your Dockerfile adds ship ${mb(wasted)} twice or deleted (${worst?.example ?? ''}), under the ${params.maxWastedMB} MB this lesson allows.`,
              `你的 Dockerfile 添加的层中有 ${mb(wasted)} 被重复携带或已删除（${worst?.example ?? ''}），低于本课允许的 ${params.maxWastedMB} MB。`,
            ),
        shown,
      ),
      measured,
    );
  },
});
