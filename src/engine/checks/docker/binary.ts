import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath, posix } from 'node:path';
import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { parseElf } from '../../docker/elf.js';
import type { ImageInspect } from '../../docker/session.js';
import type { DockerContext } from '../types.js';
import { defineCheck } from '../define.js';
import { setsOwnCommand } from '../static/common.js';
import { fail, mb, pass, skip, unknown } from '../outcome.js';
import { lessonImage } from './measure.js';

/** The program the container runs: ENTRYPOINT[0] (or the first word of a shell-form command), else CMD[0]. */
export const entrypointProgram = (image: ImageInspect): string | undefined => {
  const argv = image.entrypoint?.length ? image.entrypoint : image.cmd;
  if (!argv?.length) return undefined;
  if ((argv[0] === '/bin/sh' || argv[0] === 'sh') && argv[1] === '-c' && argv[2]) {
    return argv[2]
      .trim()
      .replace(/^exec\s+/, '')
      .split(/\s+/)[0];
  }
  return argv[0];
};

/** Where Docker would look for the program: absolute, relative to WorkingDir, or each PATH entry. */
export const candidatePaths = (program: string, image: ImageInspect): string[] => {
  if (program.startsWith('/')) return [program];
  if (program.includes('/')) return [posix.join(image.workingDir || '/', program)];
  const pathVar = image.env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return pathVar
    .split(':')
    .filter(Boolean)
    .map((dir) => posix.join(dir, program));
};

/** Copies a program out of an image into `dir`, trying each path Docker would look in. */
export const copyProgramOut = async (
  ctx: DockerContext,
  ref: string,
  image: ImageInspect,
  program: string,
  dir: string,
): Promise<{ path: string; bytes: Buffer } | undefined> => {
  for (const path of candidatePaths(program, image)) {
    const dest = joinPath(dir, `program-${Date.now()}`);
    try {
      await ctx.docker.copyFromImage(ref, path, dest);
      return { path, bytes: await readFile(dest) };
    } catch {
      // Not at this path: try the next candidate.
    }
  }
  return undefined;
};

/**
 * The program the image starts (ENTRYPOINT, else CMD), copied out of it: its path in the image and
 * its bytes; undefined when the image names none or it is at none of the paths Docker would try.
 */
export const entrypointBinary = async (ctx: DockerContext, ref: string, image: ImageInspect): Promise<{ path: string; bytes: Buffer } | undefined> => {
  const program = entrypointProgram(image);
  if (!program) return undefined;
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-program-'));
  try {
    return await copyProgramOut(ctx, ref, image, program, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The program a shell entrypoint script finally runs: the last `exec /path` line. */
export const scriptTarget = (script: string): string | undefined => {
  const execs = [...script.matchAll(/^\s*exec\s+(?:env\s+(?:\S+=\S+\s+)*)?(\/[^\s"';]+)/gm)].map((m) => m[1]);
  return execs.filter((p): p is string => Boolean(p)).pop();
};

/** The ELF facts of the program the image runs (following an entrypoint script to what it execs). */
interface BinaryMeasurement {
  readonly program: string | null;
  readonly path: string | null;
  readonly bytes: number;
  /** The script that started it, when the entrypoint is a script. */
  readonly via: string | null;
  readonly elf: { readonly interpreter: string | null; readonly stripped: boolean } | null;
}

export const binaryStatic = defineCheck({
  id: 'binary.static',
  kind: 'docker',
  title: L('The binary is statically linked', '二进制是静态链接的'),
  params: s.object({ stripped: s.boolean().optional() }),
  measure: async (ctx): Promise<BinaryMeasurement> => {
    const { id, image } = await lessonImage(ctx);
    const program = entrypointProgram(image);
    if (!program) return { program: null, path: null, bytes: 0, via: null, elf: null };
    const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-bin-'));
    try {
      const copyOut = (name: string) => copyProgramOut(ctx, id, image, name, dir);
      let found = await copyOut(program);
      let via: string | null = null;
      if (found && found.bytes.subarray(0, 2).toString() === '#!') {
        // An entrypoint script: the binary is what it execs, or the CMD it is handed.
        const target = scriptTarget(found.bytes.toString('utf8')) ?? (image.entrypoint?.length ? image.cmd?.[0] : undefined);
        const binary = target ? await copyOut(target) : undefined;
        if (binary) {
          via = found.path;
          found = binary;
        }
      }
      if (!found) return { program, path: null, bytes: 0, via, elf: null };
      const elf = parseElf(found.bytes);
      return { program, path: found.path, bytes: found.bytes.length, via, elf: elf ? { interpreter: elf.interpreter, stripped: elf.stripped } : null };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  judge: (m, params, ctx) => {
    if (m.path !== null && !setsOwnCommand(ctx.dockerfile))
      return unknown(
        L(
          `The image runs its base image's command (${m.path}), not a program this Dockerfile builds (no CMD or ENTRYPOINT): there is no binary of yours to check.`,
          `镜像运行的是基础镜像的命令（${m.path}），而不是这个 Dockerfile 构建的程序（没有 CMD 或 ENTRYPOINT）：没有你的二进制可以检查。`,
        ),
      );
    if (m.program === null)
      return fail(L('The image has no ENTRYPOINT or CMD, so there is no binary to check.', '镜像没有 ENTRYPOINT 或 CMD，无法找到要检查的二进制。'));
    if (m.path === null) return fail(L(`The entrypoint program ${m.program} is not in the image.`, `镜像中没有入口程序 ${m.program}。`));
    const { elf, path, bytes: size } = m;
    const measured = { binaryBytes: size, static: elf ? elf.interpreter === null : null, stripped: elf ? elf.stripped : null };
    if (!elf)
      return skip(
        L(`${path} is not an ELF binary (a script?): nothing to check for static linking.`, `${path} 不是 ELF 二进制（可能是脚本？）：无法检查是否静态链接。`),
        undefined,
        measured,
      );
    if (elf.interpreter !== null) {
      return fail(
        L(
          `${path} (${mb(size)}) is dynamically linked (ELF interpreter ${elf.interpreter}): it needs the C library at run time and fails on scratch or distroless/static with "no such file or directory". Build with CGO_ENABLED=0.`,
          `${path}（${mb(size)}）是动态链接的（ELF 解释器 ${elf.interpreter}）：运行时需要 C 库，在 scratch 或 distroless/static 上会报 "no such file or directory"。请用 CGO_ENABLED=0 构建。`,
        ),
        measured,
      );
    }
    if (params.stripped && !elf.stripped) {
      return fail(
        L(
          `${path} is static but not stripped (${mb(size)}, has a .symtab): build with -ldflags="-s -w".`,
          `${path} 是静态的但没有去除符号表（${mb(size)}，含 .symtab）：请用 -ldflags="-s -w" 构建。`,
        ),
        measured,
      );
    }
    const strip = elf.stripped ? L(', stripped', '，已去除符号表') : L('', '');
    const through = m.via ? L(`, started by ${m.via}`, `，由 ${m.via} 启动`) : L('', '');
    return pass(
      L(
        `${path} is a static ELF binary (${mb(size)}${strip.en}${through.en}).`,
        `${path} 是静态 ELF 二进制（${mb(size)}${strip['zh-CN']}${through['zh-CN']}）。`,
      ),
      measured,
    );
  },
});
