import { L } from '../i18n.js';
import { jsonForm, type ParsedInstruction } from './instruction.js';
import type { ScanError } from './scan.js';
import { parseProperties, splitWords } from './words.js';

export const KEYWORDS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;
const KEYWORD_SET = new Set<string>(KEYWORDS);

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
};

const suggest = (word: string): string | null => {
  let best: string | null = null;
  let bestDistance = 3;
  for (const keyword of KEYWORDS) {
    const d = distance(word, keyword);
    if (d < bestDistance) {
      best = keyword;
      bestDistance = d;
    }
  }
  return best;
};

const err = (line: number, en: string, zh: string): ScanError => ({ line, message: L(`Line ${line}: ${en}`, `第 ${line} 行：${zh}`) });

/** Keywords whose argument must not be empty, with what BuildKit says. */
const NEEDS_ARGS = new Set(['ADD', 'COPY', 'EXPOSE', 'USER', 'WORKDIR', 'VOLUME', 'STOPSIGNAL', 'MAINTAINER', 'ONBUILD', 'SHELL', 'RUN']);

/** Rejections BuildKit makes for a single instruction (syntax only; stages are checked in the model). */
export const validateInstruction = (instr: ParsedInstruction, escape: string, previous?: ParsedInstruction): ScanError | null => {
  const { keyword, line, args } = instr;
  if (!KEYWORD_SET.has(keyword)) {
    // The word as written: "go" from a RUN that lost its line continuation, not "GO".
    const written = /^\S+/.exec(instr.text)?.[0] ?? keyword;
    const guess = suggest(keyword);
    if (guess) return err(line, `unknown instruction "${written}". Did you mean ${guess}?`, `未知指令 "${written}"。是不是想写 ${guess}？`);
    // Right under a command: most likely its next line, with the line continuation forgotten.
    if (previous && ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL'].includes(previous.keyword) && previous.endLine === line - 1) {
      return err(
        line,
        `unknown instruction "${written}". If it continues the ${previous.keyword} of line ${previous.endLine}, end line ${previous.endLine} with ${escape}: a command carried over to the next line needs it.`,
        `未知指令 "${written}"。如果它是第 ${previous.endLine} 行 ${previous.keyword} 的续行，请在第 ${previous.endLine} 行末尾加上 ${escape}：命令换到下一行时需要它。`,
      );
    }
    return err(line, `unknown instruction "${written}".`, `未知指令 "${written}"。`);
  }
  const hasHeredoc = instr.heredocs.length > 0;
  if (NEEDS_ARGS.has(keyword) && args.trim() === '' && !hasHeredoc) {
    // Flags and no command: most likely the command is on the next line, and this one lost its continuation.
    if (keyword === 'RUN' && instr.flags.length > 0) {
      return err(
        line,
        `RUN has flags (${instr.flags.map((f) => `--${f.name}`).join(' ')}) but no command. If the command is on the next line, end line ${instr.endLine} with ${escape}.`,
        `RUN 有参数（${instr.flags.map((f) => `--${f.name}`).join(' ')}），却没有命令。如果命令在下一行，请在第 ${instr.endLine} 行末尾加上 ${escape}。`,
      );
    }
    return err(line, `${keyword} needs an argument.`, `${keyword} 缺少参数。`);
  }
  if ((keyword === 'COPY' || keyword === 'ADD') && !hasHeredoc && jsonForm(args).kind !== 'exec' && splitWords(args, escape).length < 2) {
    return err(line, `${keyword} needs a source and a destination.`, `${keyword} 需要源路径和目标路径。`);
  }
  if (keyword === 'FROM') {
    const words = splitWords(args, escape);
    if (words.length === 0) return err(line, 'FROM needs an image, e.g. FROM golang:1.26.', 'FROM 缺少镜像，例如 FROM golang:1.26。');
    if (words.length !== 1 && !(words.length === 3 && words[1]?.toLowerCase() === 'as')) {
      return err(line, 'FROM takes an image and optionally "AS name".', 'FROM 只接受一个镜像，后面可选 "AS 名称"。');
    }
  }
  if (['CMD', 'ENTRYPOINT', 'RUN', 'SHELL'].includes(keyword)) {
    const form = jsonForm(args);
    if (form.kind === 'not-strings') {
      return err(
        line,
        `in the JSON form of ${keyword} every element must be a string in double quotes.`,
        `${keyword} 的 JSON 形式中每个元素都必须是双引号字符串。`,
      );
    }
    if (keyword === 'SHELL' && form.kind !== 'exec') {
      return err(line, 'SHELL must be written as a JSON array, e.g. SHELL ["/bin/sh", "-c"].', 'SHELL 必须写成 JSON 数组，例如 SHELL ["/bin/sh", "-c"]。');
    }
  }
  if (keyword === 'ENV' || keyword === 'LABEL' || keyword === 'ARG') {
    const parsed = parseProperties(args, escape, keyword);
    if ('problem' in parsed) {
      if (parsed.problem === 'empty') return err(line, `${keyword} needs at least one name.`, `${keyword} 至少需要一个名称。`);
      if (parsed.problem === 'needs-value') {
        return err(
          line,
          `${keyword} ${parsed.word ?? ''} has no value; write ${parsed.word ?? 'NAME'}=value.`,
          `${keyword} ${parsed.word ?? ''} 没有值，请写成 ${parsed.word ?? 'NAME'}=value。`,
        );
      }
      if (parsed.problem === 'missing-equals') {
        return err(line, `"${parsed.word ?? ''}" has no "="; each item must be name=value.`, `"${parsed.word ?? ''}" 缺少 "="，每一项都必须是 name=value。`);
      }
      return err(line, `${keyword} has a blank name.`, `${keyword} 的名称为空。`);
    }
  }
  if (keyword === 'HEALTHCHECK') return validateHealthcheck(instr);
  if (keyword === 'ONBUILD') {
    const sub = (/^\S+/.exec(args)?.[0] ?? '').toUpperCase();
    if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(sub)) {
      return err(line, `ONBUILD ${sub} is not allowed.`, `不允许使用 ONBUILD ${sub}。`);
    }
  }
  return null;
};

const validateHealthcheck = (instr: ParsedInstruction): ScanError | null => {
  const { line, args } = instr;
  const type = (/^\S+/.exec(args)?.[0] ?? '').toUpperCase();
  if (type === 'NONE') {
    if (args.trim().split(/\s+/).length > 1 || instr.flags.length > 0) {
      return err(line, 'HEALTHCHECK NONE takes no other arguments.', 'HEALTHCHECK NONE 不接受其他参数。');
    }
    return null;
  }
  if (type !== 'CMD') {
    return err(line, 'HEALTHCHECK must be followed by CMD (or NONE).', 'HEALTHCHECK 后面必须是 CMD（或 NONE）。');
  }
  const command = args.trim().slice(3).trim();
  if (command === '') return err(line, 'HEALTHCHECK CMD has no command.', 'HEALTHCHECK CMD 缺少命令。');
  if (jsonForm(command).kind === 'not-strings') {
    return err(
      line,
      'in the JSON form of HEALTHCHECK CMD every element must be a string in double quotes.',
      'HEALTHCHECK CMD 的 JSON 形式中每个元素都必须是双引号字符串。',
    );
  }
  return null;
};
