import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { credentialIn, looksLikeSecretName } from '../../dockerfile/secrets.js';
import { walkTar } from '../../docker/tar-scan.js';
import { secretFileName } from '../../util/secret-files.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { lessonImage } from './measure.js';

// What anyone who pulls an image can read without a secret of their own: the config's ENV, the
// history (BuildKit and the classic builder record the build arguments each RUN saw, and every ENV
// and ARG default), and the files. image.no-secret looks for one value it planted; this check looks
// for any variable named like a secret that has a value, and key or credential files.

/**
 * Folders whose key files are public by design: CA certificates, and the test keys Go ships with
 * its toolchain and modules (testdata). A single-stage image holds thousands of these.
 */
const PUBLIC_KEY_HOMES = [
  /^\/etc\/ssl\//,
  /^\/usr\/share\/ca-certificates\//,
  /^\/usr\/local\/share\/ca-certificates\//,
  /^\/usr\/lib\/ssl\//,
  /^\/etc\/pki\//,
  /^\/usr\/local\/go\//,
  /\/testdata\//,
  /\/pkg\/mod\//,
];

const inPublicHome = (path: string): boolean => PUBLIC_KEY_HOMES.some((re) => re.test(path));

/** NAME=value pairs a history entry records: `|2 A=1 B=2 /bin/sh -c ...` (a RUN's build args), `ENV A=1`, `ARG A=1`. */
export const historyAssignments = (createdBy: string): { name: string; value: string }[] => {
  const text = createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, '').trim();
  const pairs = (tokens: string[]) =>
    tokens.flatMap((t) => {
      const eq = t.indexOf('=');
      return eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.slice(0, eq)) ? [{ name: t.slice(0, eq), value: t.slice(eq + 1).replace(/^"(.*)"$/, '$1') }] : [];
    });
  const run = /^(?:RUN\s+)?\|(\d+)\s+(.*)$/s.exec(text);
  if (run) return pairs((run[2] ?? '').split(/\s+/).slice(0, Number(run[1])));
  const declared = /^(ENV|ARG)\s+(.*)$/s.exec(text);
  if (declared) return pairs((declared[2] ?? '').split(/\s+/));
  return [];
};

/** A value shown without giving it away: its first two characters and its length. */
const masked = (value: string) => L(`${value.slice(0, 2)}… (${value.length} characters)`, `${value.slice(0, 2)}…（${value.length} 个字符）`);

interface Trace {
  readonly where: 'env' | 'history' | 'file';
  readonly name: string;
  readonly value?: string;
}

export const imageSecretTraces = defineCheck({
  id: 'image.secret-traces',
  kind: 'docker',
  title: L("No secret in the image's config, history or files", '镜像的配置、历史和文件里没有机密'),
  params: s.object({}),
  measure: async (ctx) => {
    const { id, image } = await lessonImage(ctx);
    const history = (await ctx.docker.history(id)).map((h) => h.createdBy);
    const files: string[] = [];
    let count = 0;
    const stream = await ctx.docker.exportFilesystem(id);
    try {
      await walkTar(
        stream,
        () => false,
        (entry) => {
          if (entry.type !== '0' && entry.type !== '\0') return;
          count += 1;
          const path = `/${entry.path.replace(/^\.?\/+/, '')}`;
          if (secretFileName(path) && files.length < 200) files.push(path);
        },
      );
    } finally {
      stream.destroy();
    }
    return { env: [...image.env], history, files, fileCount: count };
  },
  judge: (m) => {
    const traces: Trace[] = [];
    for (const entry of m.env) {
      const eq = entry.indexOf('=');
      const name = eq < 0 ? entry : entry.slice(0, eq);
      const value = eq < 0 ? '' : entry.slice(eq + 1);
      if (value && (looksLikeSecretName(name) || credentialIn(value) !== undefined)) traces.push({ where: 'env', name, value });
    }
    for (const createdBy of m.history) {
      for (const { name, value } of historyAssignments(createdBy)) {
        if (value && (looksLikeSecretName(name) || credentialIn(value) !== undefined) && !traces.some((t) => t.name === name && t.value === value))
          traces.push({ where: 'history', name, value });
      }
    }
    for (const path of m.files) if (!inPublicHome(path)) traces.push({ where: 'file', name: path });
    const measured = {
      secretVariables: traces.filter((t) => t.where !== 'file').length,
      secretFiles: traces.filter((t) => t.where === 'file').length,
      files: m.fileCount,
    };
    if (traces.length === 0) {
      return pass(
        L(
          `No variable named like a secret has a value in the image's config or history, none holds a password URL, a connection string with a password or a known key format, and none of its ${m.fileCount} files is a key or credentials file.`,
          `镜像的配置和历史中没有带值的、名字像机密的变量，也没有带密码的 URL、带密码的连接字符串或已知格式的密钥，它的 ${m.fileCount} 个文件中也没有密钥或凭据文件。`,
        ),
        measured,
      );
    }
    const said = traces
      .slice(0, 5)
      .map((t) =>
        t.where === 'file'
          ? L(`the file ${t.name}`, `文件 ${t.name}`)
          : t.where === 'env'
            ? L(`ENV ${t.name}=${masked(t.value ?? '').en} in the config`, `配置中的 ENV ${t.name}=${masked(t.value ?? '')['zh-CN']}`)
            : L(`${t.name}=${masked(t.value ?? '').en} in the history`, `历史中的 ${t.name}=${masked(t.value ?? '')['zh-CN']}`),
      );
    const more = traces.length > 5 ? L(` and ${traces.length - 5} more`, `等另外 ${traces.length - 5} 处`) : L('', '');
    const anyFile = traces.some((t) => t.where === 'file');
    const anyVar = traces.some((t) => t.where !== 'file');
    return fail(
      join(
        L(
          `Anyone who pulls the image can read ${said.map((x) => x.en).join(', ')}${more.en}.`,
          `任何拉取该镜像的人都能读到${said.map((x) => x['zh-CN']).join('、')}${more['zh-CN']}。`,
        ),
        anyVar
          ? L(
              'Pass a build-time secret with RUN --mount=type=secret and a run-time one with docker run --env-file or an orchestrator secret, never as ARG or ENV.',
              '构建时的机密请用 RUN --mount=type=secret 传入，运行时的机密请用 docker run --env-file 或编排器的 secret 传入，绝不要用 ARG 或 ENV。',
            )
          : undefined,
        anyFile
          ? L(
              'Keep such files out of the build context (.dockerignore) and copy only the binary into the final stage.',
              '请用 .dockerignore 把这类文件挡在构建上下文之外，并且只把二进制复制进最终阶段。',
            )
          : undefined,
      ),
      measured,
    );
  },
});
