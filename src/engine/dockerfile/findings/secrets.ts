import { credentialIn, looksLikeSecretName, type Credential } from '../secrets.js';
import type { Finding } from '../types.js';
import { L } from '../../i18n.js';
import { finding, type FindingContext } from './finding-context.js';

/**
 * Secret-looking ENV and ARG names. ENV with a value is stored in the image config for everyone to
 * read, and an ARG default is written in the Dockerfile: errors. ARG values given with --build-arg
 * land in the image history: a warning even without a default, because the value still comes
 * from somewhere at build time.
 */
export const secretFindings = ({ model }: FindingContext): Finding[] => {
  const out: Finding[] = [];
  for (const instr of model.all) {
    if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
    for (const prop of instr.properties ?? []) {
      if (!looksLikeSecretName(prop.name)) {
        // DATABASE_URL=postgres://app:s3cret@db/app, STRIPE_KEY=sk_live_...: the name does not say secret, the value is one.
        const credential = prop.value === null ? undefined : credentialIn(prop.value.text);
        if (credential) {
          const where = instr.keyword === 'ENV' ? L('the image config', '镜像配置') : L('the Dockerfile and the image history', 'Dockerfile 和镜像历史');
          const what = credentialWords(credential);
          out.push(
            finding(
              'secret-in-value',
              'error',
              instr.line,
              `${instr.keyword} ${prop.name} holds ${what.en}, written into ${where.en}: anyone who pulls the image can read it. Give it at run time (docker run -e ${prop.name}=..., an env file or an orchestrator secret).`,
              `${instr.keyword} ${prop.name} 的值是${what['zh-CN']}，写进了${where['zh-CN']}：任何拉取镜像的人都能读到。请在运行时传入（docker run -e ${prop.name}=...、env 文件或编排器的 secret）。`,
            ),
          );
        }
        continue;
      }
      if (instr.keyword === 'ENV') {
        if (prop.value === null || (prop.value.known && prop.value.text === '')) continue;
        out.push(
          finding(
            'secret-in-env',
            'error',
            instr.line,
            `ENV ${prop.name} puts a secret into the image config: anyone who pulls the image can read it with docker inspect. Pass it at run time (docker run -e ${prop.name}=...) or use RUN --mount=type=secret,id=${prop.name.toLowerCase()} during the build.`,
            `ENV ${prop.name} 会把机密写进镜像配置：任何拉取镜像的人都能用 docker inspect 看到。请在运行时传入（docker run -e ${prop.name}=...），或在构建时使用 RUN --mount=type=secret,id=${prop.name.toLowerCase()}。`,
          ),
        );
      } else if (prop.value !== null && !(prop.value.known && prop.value.text === '')) {
        out.push(
          finding(
            'secret-arg-default',
            'error',
            instr.line,
            `ARG ${prop.name} has a default value: the secret is written in the Dockerfile and, once a RUN uses it, recorded in the image history. Remove the value and use RUN --mount=type=secret,id=${prop.name.toLowerCase()} instead.`,
            `ARG ${prop.name} 带有默认值：机密写在了 Dockerfile 里，一旦被 RUN 使用还会记录在镜像历史中。请删除这个值，改用 RUN --mount=type=secret,id=${prop.name.toLowerCase()}。`,
          ),
        );
      } else {
        out.push(
          finding(
            'secret-in-arg',
            'warning',
            instr.line,
            `ARG ${prop.name} looks like a secret; build-arg values (also ones passed with --build-arg) are recorded in the image history. Use RUN --mount=type=secret,id=${prop.name.toLowerCase()} and docker build --secret id=${prop.name.toLowerCase()},env=${prop.name} instead.`,
            `ARG ${prop.name} 看起来是机密；构建参数的值（包括通过 --build-arg 传入的）会被记录在镜像历史中。请改用 RUN --mount=type=secret,id=${prop.name.toLowerCase()} 和 docker build --secret id=${prop.name.toLowerCase()},env=${prop.name}。`,
          ),
        );
      }
    }
  }
  return out;
};

/** What a credential found in a value is, in words. */
export const credentialWords = (credential: Credential) => {
  if (credential.kind === 'token') return L(`what looks like a ${credential.provider} key`, `看起来像 ${credential.provider} 密钥的内容`);
  return credential.kind === 'url'
    ? L('a URL with a password in it (user:password@host)', '一个带密码的 URL（user:password@host）')
    : L('a connection string with a password in it (user:password@tcp(...))', '一个带密码的连接字符串（user:password@tcp(...)）');
};
