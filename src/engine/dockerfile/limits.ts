import { L, type Localized } from '../i18n.js';

/**
 * Bounds on what the analysis takes on, so a hostile or broken file gets a clear message in
 * milliseconds instead of seconds of work, gigabytes of memory or a stack overflow reported as
 * something else. Real Dockerfiles are a few kilobytes with variables nested two or three deep.
 */

/** Characters analysed (the readers already refuse files over 1 MiB; this guards direct callers). */
export const MAX_DOCKERFILE_CHARS = 1024 * 1024;
/** Instructions and stages analysed: stage lookups are per stage, so thousands of FROMs cost seconds. */
export const MAX_INSTRUCTIONS = 20_000;
export const MAX_STAGES = 500;
/** `${A:-${B:-...}}` levels followed; expansion recurses once per level. */
export const MAX_EXPANSION_DEPTH = 16;

export const tooLarge = (chars: number): Localized =>
  L(
    `The Dockerfile has ${chars} characters; learn-go-docker analyses at most ${MAX_DOCKERFILE_CHARS}. A Dockerfile is a few kilobytes: check that this is the right file.`,
    `Dockerfile 有 ${chars} 个字符；learn-go-docker 最多分析 ${MAX_DOCKERFILE_CHARS} 个。Dockerfile 通常只有几 KB：请确认文件是否正确。`,
  );

/** Deepest `${` nesting in an instruction's text (quotes and escapes ignored: an upper bound). */
export const expansionDepth = (text: string): number => {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x24 /* $ */ && text.charCodeAt(i + 1) === 0x7b /* { */) {
      depth++;
      i++;
      if (depth > deepest) deepest = depth;
    } else if (ch === 0x7d /* } */ && depth > 0) {
      depth--;
    }
  }
  return deepest;
};

export const tooDeep = (line: number, depth: number): Localized =>
  L(
    `Line ${line}: variables are nested ${depth} levels deep (\${A:-\${B:-...}}); learn-go-docker follows at most ${MAX_EXPANSION_DEPTH}. Simplify the line, for example with an ARG that has a default.`,
    `第 ${line} 行：变量嵌套了 ${depth} 层（\${A:-\${B:-...}}）；learn-go-docker 最多支持 ${MAX_EXPANSION_DEPTH} 层。请简化这一行，例如改用带默认值的 ARG。`,
  );

export const tooManyInstructions = (line: number): Localized =>
  L(
    `Line ${line}: the Dockerfile has more than ${MAX_INSTRUCTIONS} instructions; learn-go-docker analyses at most that many. Check that this is the right file.`,
    `第 ${line} 行：Dockerfile 的指令超过 ${MAX_INSTRUCTIONS} 条；learn-go-docker 最多分析这么多。请确认文件是否正确。`,
  );

export const tooManyStages = (line: number): Localized =>
  L(
    `Line ${line}: the Dockerfile has more than ${MAX_STAGES} stages (FROM lines); learn-go-docker analyses at most that many. A build needs a handful: check that this is the right file.`,
    `第 ${line} 行：Dockerfile 的阶段（FROM 行）超过 ${MAX_STAGES} 个；learn-go-docker 最多分析这么多。一次构建只需要几个阶段：请确认文件是否正确。`,
  );
