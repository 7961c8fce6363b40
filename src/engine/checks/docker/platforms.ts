import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { parseElf } from '../../docker/elf.js';
import { defineCheck } from '../define.js';
import { fail, pass, quoteLines, secs, secsZh } from '../outcome.js';
import { entrypointBinary, entrypointProgram } from './binary.js';
import { stepLine } from './explain.js';

/** ELF e_machine of each Docker architecture (docker/go names). */
const MACHINE_OF: Readonly<Record<string, number>> = { amd64: 62, arm64: 183, arm: 40, riscv64: 243, ppc64le: 21, s390x: 22, '386': 3 };
const MACHINE_NAME: Readonly<Record<number, string>> = { 62: 'x86-64', 183: 'aarch64', 40: 'arm', 243: 'riscv64', 21: 'ppc64', 22: 's390x', 3: 'x86' };

/** "an x86-64", "an arm64", "a riscv64": the article as the name is said. */
const withArticle = (name: string): string => `${/^[aeiosx]/i.test(name) ? 'an' : 'a'} ${name}`;

const machineName = (machine: number | null): string => (machine === null ? '?' : (MACHINE_NAME[machine] ?? `ELF machine ${machine}`));

/** One platform's build, as measured. */
interface PlatformBuild {
  readonly platform: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly failedStep: string | null;
  readonly tail: readonly string[];
  /** The image's own record of its platform. */
  readonly architecture: string | null;
  readonly os: string | null;
  /** The entrypoint program and the ELF machine it was compiled for (null: not found, or not ELF). */
  readonly program: string | null;
  readonly machine: number | null;
}

/** Why a build for another platform failed, in words, from the lines Docker printed. */
const whyFailed = (b: PlatformBuild): Localized => {
  const text = b.tail.join('\n');
  if (/exec format error/i.test(text))
    return L(
      `The build ran a ${b.platform} program on this machine, which cannot run it (no emulation installed). The build stage must run on the build machine: FROM --platform=$BUILDPLATFORM golang:… AS build, then go build with GOOS=$TARGETOS GOARCH=$TARGETARCH.`,
      `构建过程在这台机器上运行了一个 ${b.platform} 的程序，而它无法运行（没有安装模拟）。构建阶段必须在构建机器上运行：FROM --platform=$BUILDPLATFORM golang:… AS build，然后用 GOOS=$TARGETOS GOARCH=$TARGETARCH 执行 go build。`,
    );
  if (/no match for platform|failed to resolve source metadata|failed to do request|pull access denied|manifest unknown|not found/i.test(text))
    return L(
      `Docker could not get a base image for ${b.platform}. Only the final stage's base has to exist for ${b.platform}: run the build stage on the build machine (FROM --platform=$BUILDPLATFORM golang:… AS build) and cross-compile. scratch exists for every platform; distroless is published for arm64 too, when the registry can be reached.`,
      `Docker 无法获取 ${b.platform} 的基础镜像。只有最终阶段的基础镜像必须有 ${b.platform} 版本：让构建阶段在构建机器上运行（FROM --platform=$BUILDPLATFORM golang:… AS build）并交叉编译。scratch 适用于所有平台；能访问镜像仓库时，distroless 也提供 arm64 版本。`,
    );
  return L('', '');
};

export const buildPlatforms = defineCheck({
  id: 'build.platforms',
  kind: 'docker',
  title: L('The image builds for each platform, with a binary for that platform', '镜像可以为每个平台构建，且其中的二进制属于该平台'),
  params: s.object({
    platforms: s
      .array(s.string().regex(/^linux\/[a-z0-9]+$/))
      .min(1)
      .default(['linux/amd64', 'linux/arm64']),
  }),
  needs: ['buildkit'],
  measure: async (ctx, params) => {
    const copy = await ctx.docker.stageContext();
    const builds: PlatformBuild[] = [];
    for (const platform of params.platforms) {
      ctx.progress({ type: 'note', message: L(`Building for ${platform}…`, `正在为 ${platform} 构建…`) });
      const b = await ctx.docker.build({ contextDir: copy, staged: true, dockerfile: ctx.dockerfilePath, platform });
      const base = { platform, ok: b.ok, seconds: b.durationMs / 1000, failedStep: b.failedStep ?? null, tail: b.tail };
      if (!b.ok || !b.imageId) {
        builds.push({ ...base, ok: false, architecture: null, os: null, program: null, machine: null });
        continue;
      }
      const image = await ctx.docker.inspectImage(b.imageId);
      const found = await entrypointBinary(ctx, b.imageId, image);
      const elf = found ? parseElf(found.bytes) : undefined;
      builds.push({
        ...base,
        architecture: image.architecture,
        os: image.os,
        program: found?.path ?? entrypointProgram(image) ?? null,
        machine: elf ? elf.machine : null,
      });
    }
    return { builds };
  },
  judge: (m, _params, ctx) => {
    const measured = Object.fromEntries(m.builds.map((b) => [`${b.platform.split('/')[1] ?? b.platform}Seconds`, Number(b.seconds.toFixed(1))]));
    for (const b of m.builds) {
      if (!b.ok) {
        return fail(
          L(
            `docker build --platform ${b.platform} failed at ${b.failedStep ?? 'an unknown step'}. ${whyFailed(b).en}${quoteLines(b.tail.slice(-6))}`,
            `docker build --platform ${b.platform} 在 ${b.failedStep ?? '未知步骤'} 失败。${whyFailed(b)['zh-CN']}${quoteLines(b.tail.slice(-6))}`,
          ),
          measured,
          b.failedStep ? stepLine(ctx.dockerfile, b.failedStep) : undefined,
        );
      }
      const arch = b.platform.split('/')[1] ?? '';
      if (b.architecture !== arch || b.os !== 'linux') {
        return fail(
          L(
            `docker build --platform ${b.platform} made an image that says it is ${b.os}/${b.architecture}: a FROM with its own --platform in the final stage overrides the platform asked for. Leave --platform off the final stage's FROM.`,
            `docker build --platform ${b.platform} 生成的镜像声明自己是 ${b.os}/${b.architecture}：最终阶段的 FROM 自带的 --platform 覆盖了请求的平台。请去掉最终阶段 FROM 上的 --platform。`,
          ),
          measured,
        );
      }
      const expected = MACHINE_OF[arch];
      if (b.machine === null) {
        return fail(
          L(
            `The ${b.platform} image's entrypoint (${b.program ?? 'none'}) is not a program the runner could read as a Linux binary, so its architecture cannot be told. ENTRYPOINT should run the Go binary itself.`,
            `${b.platform} 镜像的入口（${b.program ?? '无'}）不是运行器能读取的 Linux 二进制，因此无法判断它的架构。ENTRYPOINT 应当直接运行 Go 二进制。`,
          ),
          measured,
        );
      }
      if (expected !== undefined && b.machine !== expected) {
        return fail(
          L(
            `The ${b.platform} image holds ${withArticle(machineName(b.machine))} binary (${b.program}), not ${machineName(expected)}: it would not start on ${withArticle(arch)} machine ("exec format error"). go build compiled for ${machineName(b.machine)}, not for the platform being built: give it GOOS=$TARGETOS GOARCH=$TARGETARCH, with ARG TARGETOS TARGETARCH in the build stage, and no GOARCH of its own.`,
            `${b.platform} 镜像里装的是 ${machineName(b.machine)} 二进制（${b.program}），而不是 ${machineName(expected)}：它在 ${arch} 机器上无法启动（"exec format error"）。go build 编译出的是 ${machineName(b.machine)}，而不是被构建的平台：请给它 GOOS=$TARGETOS GOARCH=$TARGETARCH，在构建阶段声明 ARG TARGETOS TARGETARCH，并且不要自己写死 GOARCH。`,
          ),
          measured,
        );
      }
    }
    const list = (zh: boolean) =>
      m.builds
        .map((b) =>
          zh
            ? `${b.platform}（${machineName(b.machine)} 二进制，${secsZh(b.seconds)}）`
            : `${b.platform} (${machineName(b.machine)} binary, ${secs(b.seconds)})`,
        )
        .join(zh ? '、' : ', ');
    return pass(
      L(`Built for ${list(false)}: each image holds a binary for its own platform.`, `已构建 ${list(true)}：每个镜像里都是属于它自己平台的二进制。`),
      measured,
    );
  },
});
