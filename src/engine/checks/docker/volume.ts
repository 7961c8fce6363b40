import { posix } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { walkTar } from '../../docker/tar-scan.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { appPort, diagnoseNoAnswer, finalStageLine, notStarted, probeError } from './explain.js';
import { lessonImage, probe } from './measure.js';

/** A path of the image's file system as `docker export` records it. */
interface PathEntry {
  readonly path: string;
  readonly type: 'dir' | 'link' | 'file' | 'other';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly link?: string;
}

/** What the image has at the volume's target: the entry itself and, for a link, what it points at. */
interface TargetInImage {
  readonly entry: PathEntry | null;
  readonly resolved: PathEntry | null;
}

const kind = (type: string): PathEntry['type'] => (type === '5' ? 'dir' : type === '2' ? 'link' : type === '0' || type === '\0' ? 'file' : 'other');
const norm = (path: string): string => `/${path.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;

/** Owner, group, mode and type of `target` in the image (following one symlink), from `docker export`. */
const targetInImage = async (ctx: DockerContext, image: string, target: string): Promise<TargetInImage> => {
  const seen = new Map<string, PathEntry>();
  const stream = await ctx.docker.exportFilesystem(image);
  try {
    await walkTar(
      stream,
      () => false,
      (entry) => {
        const type = kind(entry.type);
        // Directories and links only (the target is one of them); files are many and not needed.
        if (type !== 'dir' && type !== 'link' && norm(entry.path) !== target) return;
        const path = norm(entry.path);
        seen.set(path, { path, type, mode: entry.mode ?? 0, uid: entry.uid ?? 0, gid: entry.gid ?? 0, ...(entry.link ? { link: entry.link } : {}) });
      },
    );
  } finally {
    stream.destroy();
  }
  const entry = seen.get(target) ?? null;
  const resolved = entry?.type === 'link' && entry.link ? (seen.get(posix.resolve(posix.dirname(target), entry.link)) ?? null) : entry;
  return { entry, resolved };
};

/** The last line of the final stage that names the target (COPY ... /data, RUN mkdir /data), for pointing at it. */
const targetLine = (analysis: JudgeContext['dockerfile'], target: string): number | undefined => {
  if (!analysis?.ok) return undefined;
  const names = new RegExp(`(^|[\\s="'])${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?($|[\\s"'/])`);
  return analysis.instructions.filter((i) => i.stage === analysis.finalStage && names.test(i.args)).pop()?.line;
};

export const volumeWritable = defineCheck({
  id: 'volume.writable',
  kind: 'docker',
  title: L('The app writes to a named volume', '应用能写入命名卷'),
  params: s.object({
    target: s.string().startsWith('/').default('/data'),
    path: s.string().startsWith('/').default('/api/v1/notes'),
    body: s.string().default('{"title":"hello"}'),
  }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const inImage = await targetInImage(ctx, id, norm(params.target));
    const volume = await ctx.docker.createVolume();
    const result = await probe(ctx, {
      image: id,
      port: appPort(image, ctx.port),
      path: params.path,
      method: 'POST',
      body: params.body,
      volumes: [{ name: volume, target: params.target }],
      env: { DATA_DIR: params.target },
      deadlineMs: 20_000,
    });
    const uids = result.id ? await ctx.docker.processUids(result.id).catch(() => [] as number[]) : [];
    return { start: result.start, attempt: result.attempt, container: result.container, uid: uids[0] ?? null, user: image.user, inImage };
  },
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    const target = params.target;
    // The uid the app runs as: docker top of the running container, else a numeric USER of the image.
    const configUid = /^\d+/.exec(m.user)?.[0];
    const uid = m.uid ?? (configUid !== undefined ? Number(configUid) : m.user === '' || /^root\b/.test(m.user) ? 0 : null);
    const request = `POST ${params.path}`;
    const status = attempt.ok ? attempt.answer.status : null;
    const dir = m.inImage.resolved;
    const mode = dir ? `0${dir.mode.toString(8).padStart(3, '0')}` : null;
    const measured = {
      status,
      uid,
      ...(dir ? { owner: `${dir.uid}:${dir.gid}`, mode } : { owner: null }),
    };
    const copyLine = targetLine(ctx.dockerfile, target) ?? finalStageLine(ctx.dockerfile, 'USER')?.line;
    const app = uid ?? 65532;
    const fix = L(
      `Create ${target} in the image owned by the app's uid: in the build stage RUN mkdir -p /out/data, then in the final stage COPY --from=build --chown=${app}:${app} /out/data ${target} (on a base with a shell: RUN mkdir -p ${target} && chown ${app}:${app} ${target}).`,
      `请在镜像中创建属于应用 uid 的 ${target}：在构建阶段 RUN mkdir -p /out/data，然后在最终阶段 COPY --from=build --chown=${app}:${app} /out/data ${target}（基础镜像有 shell 时：RUN mkdir -p ${target} && chown ${app}:${app} ${target}）。`,
    );
    const runs = uid === null ? L('', '') : L(`; the app runs as ${uid}`, `；应用以 uid ${uid} 运行`);
    const shown = dir
      ? L(`${target} is owned by ${dir.uid}:${dir.gid} with mode ${mode}`, `${target} 的属主是 ${dir.uid}:${dir.gid}，权限 ${mode}`)
      : undefined;
    const link =
      m.inImage.entry?.type === 'link'
        ? L(` (through the link ${target} -> ${m.inImage.entry.link})`, `（经由链接 ${target} -> ${m.inImage.entry.link}）`)
        : L('', '');

    // What the image says about the directory, judged against the uid the app runs as.
    let ownership: Localized | undefined;
    if (uid === 0) {
      ownership = L(
        `The app runs as root (uid 0): root writes anywhere, which hides the problem instead of fixing it. Keep a non-root USER (65532:65532) and give that uid ${target}.`,
        `应用以 root（uid 0）运行：root 可以写任何地方，这只是掩盖了问题而不是解决它。请保留非 root 的 USER（65532:65532），并把 ${target} 交给这个 uid。`,
      );
    } else if (!dir) {
      ownership = join(
        m.inImage.entry
          ? L(
              `${target} in the image is a link to ${m.inImage.entry.link ?? '?'}, which is not in the image.`,
              `镜像中的 ${target} 是指向 ${m.inImage.entry.link ?? '?'} 的链接，而目标不在镜像里。`,
            )
          : L(
              `The image has no ${target}: Docker creates it for the volume owned by root (0:0)${runs.en}.`,
              `镜像中没有 ${target}：Docker 会为卷创建一个属于 root（0:0）的目录${runs['zh-CN']}。`,
            ),
        fix,
      );
    } else if (dir.type !== 'dir') {
      ownership = join(L(`${target} in the image is not a directory${link.en}.`, `镜像中的 ${target} 不是目录${link['zh-CN']}。`), fix);
    } else if (uid !== null && dir.uid !== uid) {
      ownership = join(
        L(
          `${shown?.en}${link.en}${runs.en}. A new named volume copies this owner and mode, so the app ${dir.mode & 0o002 ? 'writes only because everyone may' : 'cannot write there'}.`,
          `${shown?.['zh-CN']}${link['zh-CN']}${runs['zh-CN']}。新建的命名卷会沿用这个属主和权限，所以应用${dir.mode & 0o002 ? '只是因为所有人都能写才写得进去' : '无法写入'}。`,
        ),
        dir.mode & 0o002
          ? L(
              `A world-writable ${target} lets every process in the container change the data. Make the app's uid the owner instead of opening the mode.`,
              `所有人可写的 ${target} 让容器里的任何进程都能改动数据。请让应用的 uid 成为属主，而不是放开权限。`,
            )
          : undefined,
        fix,
      );
    } else if (dir.mode & 0o002) {
      ownership = L(
        `${shown?.en}${link.en}${runs.en}. It is world-writable, so any process in the container may change the data. The owner is right; drop the chmod (0755 or 0700 is enough).`,
        `${shown?.['zh-CN']}${link['zh-CN']}${runs['zh-CN']}。它对所有人可写，容器里的任何进程都能改动数据。属主是对的；去掉 chmod（0755 或 0700 就够了）。`,
      );
    }

    if (attempt.ok && attempt.answer.status === 201 && !ownership && dir && uid !== null) {
      return pass(
        L(
          `${request} answered 201 with a named volume at ${target}; ${shown?.en}${link.en} and the app runs as ${uid}.`,
          `挂载命名卷到 ${target} 时 ${request} 返回 201；${shown?.['zh-CN']}${link['zh-CN']}，应用以 uid ${uid} 运行。`,
        ),
        measured,
      );
    }
    const answer = !attempt.ok
      ? join(
          L(`${request}: no HTTP answer (${attempt.error}).`, `${request}：没有 HTTP 响应（${probeError(attempt.error)['zh-CN']}）。`),
          diagnoseNoAnswer(m.container),
        )
      : attempt.answer.status === 201
        ? L(`${request} answered 201 with a named volume at ${target}, but:`, `挂载命名卷到 ${target} 时 ${request} 返回 201，但是：`)
        : L(
            `${request} answered ${attempt.answer.status} (expected 201): ${attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200)}.`,
            `${request} 返回 ${attempt.answer.status}（期望 201）：${attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200)}。`,
          );
    const unmeasured =
      !ownership && uid === null
        ? L('The uid the app runs as could not be read (the container was not running).', '无法读取应用运行时的 uid（容器没有在运行）。')
        : undefined;
    return fail(join(answer, ownership, unmeasured), measured, ownership ? copyLine : undefined);
  },
});
