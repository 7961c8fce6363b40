import { L, type Localized } from '../i18n.js';
import { expansionDepth, MAX_EXPANSION_DEPTH, MAX_INSTRUCTIONS, MAX_STAGES, tooDeep, tooManyInstructions, tooManyStages } from './limits.js';
import { heredocWords } from './words.js';

/** A heredoc body read from the raw text (`RUN <<EOF ... EOF`). */
export interface HeredocBody {
  readonly name: string;
  /** `<<-EOF`: leading tabs are stripped before comparing the terminator. */
  readonly chomp: boolean;
  /** 1-based lines of the first body line and of the terminator line. */
  readonly line: number;
  readonly endLine: number;
  readonly content: string;
}

/** One instruction as BuildKit's parser sees it: continuations joined, comment lines dropped. */
export interface LogicalInstruction {
  /** First word, upper-cased. */
  readonly keyword: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** 1-based last line, heredoc bodies included. */
  readonly endLine: number;
  /** The joined logical line, keyword included, heredoc bodies excluded. */
  readonly text: string;
  /** Text after the keyword, leading whitespace removed. */
  readonly rest: string;
  readonly heredocs: readonly HeredocBody[];
}

export interface ScanError {
  readonly line: number | null;
  readonly message: Localized;
}

export interface ScanResult {
  readonly escape: '\\' | '`';
  readonly directives: Readonly<Record<string, string>>;
  readonly instructions: readonly LogicalInstruction[];
  readonly error?: ScanError;
  /** The file has something besides blank lines (comments, when it has no instruction). */
  readonly hasText?: boolean;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['escape', 'syntax', 'check']);
/** Instructions whose arguments BuildKit searches for heredocs. */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

const isComment = (line: string): boolean => line.trimStart().startsWith('#');

/** Reads the parser directives at the top of the file; the first other line ends them (as in BuildKit). */
const readDirectives = (lines: readonly string[]): { directives: Record<string, string>; error?: ScanError } => {
  const directives: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i] ?? '');
    if (!match) break;
    const key = (match[1] ?? '').toLowerCase();
    if (!KNOWN_DIRECTIVES.has(key)) break;
    const value = match[2] ?? '';
    if (key in directives) {
      return {
        directives,
        error: {
          line: i + 1,
          message: L(`Line ${i + 1}: only one "${key}" parser directive can be used.`, `第 ${i + 1} 行：解析器指令 "${key}" 只能出现一次。`),
        },
      };
    }
    if (key === 'escape' && value !== '\\' && value !== '`') {
      return {
        directives,
        error: {
          line: i + 1,
          message: L(`Line ${i + 1}: invalid escape character "${value}"; use \\ or \`.`, `第 ${i + 1} 行：无效的转义字符 "${value}"，只能是 \\ 或 \`。`),
        },
      };
    }
    directives[key] = value;
  }
  return { directives };
};

/**
 * Splits a Dockerfile into logical instructions the way BuildKit does: BOM and CRLF tolerated,
 * `# escape=` honoured, comment and blank lines inside continuations skipped, heredoc bodies
 * (also `<< 'EOF'` with a space, which dockerfile-ast mistakes for instructions) consumed so that
 * no body line ever counts as an instruction.
 */
export const scanDockerfile = (input: string): ScanResult => {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const { directives, error: directiveError } = readDirectives(lines);
  const escape = directives.escape === '`' ? '`' : '\\';
  if (directiveError) return { escape, directives, instructions: [], error: directiveError };
  const continuation = new RegExp(`\\${escape}[ \\t]*$`);
  const instructions: LogicalInstruction[] = [];
  let stages = 0;
  let i = 0;
  while (i < lines.length) {
    const first = (lines[i] ?? '').trimStart();
    const start = i;
    i++;
    if (first === '' || isComment(first)) continue;
    let joined = first;
    let open = continuation.test(joined);
    if (open) joined = joined.replace(continuation, '');
    while (open && i < lines.length) {
      const next = lines[i] ?? '';
      i++;
      if (isComment(next) || next.trim() === '') continue;
      open = continuation.test(next);
      joined += open ? next.replace(continuation, '') : next;
    }
    const keywordMatch = /^\S+/.exec(joined);
    if (!keywordMatch) continue;
    const depth = expansionDepth(joined);
    if (depth > MAX_EXPANSION_DEPTH) return { escape, directives, instructions, error: { line: start + 1, message: tooDeep(start + 1, depth) } };
    const keyword = keywordMatch[0].toUpperCase();
    const rest = joined.slice(keywordMatch[0].length).trimStart();
    const heredocs: HeredocBody[] = [];
    const nested = keyword === 'ONBUILD' ? (/^\S+/.exec(rest)?.[0] ?? '').toUpperCase() : keyword;
    if (HEREDOC_KEYWORDS.has(nested) && joined.includes('<<')) {
      for (const doc of heredocWords(joined, escape)) {
        const bodyStart = i;
        const body: string[] = [];
        let terminated = false;
        while (i < lines.length) {
          const line = lines[i] ?? '';
          i++;
          if ((doc.chomp ? line.replace(/^\t+/, '') : line) === doc.name) {
            terminated = true;
            break;
          }
          body.push(line);
        }
        if (!terminated) {
          return {
            escape,
            directives,
            instructions,
            error: {
              line: start + 1,
              message: L(
                `Line ${start + 1}: the heredoc <<${doc.name} is never closed; add a line containing only ${doc.name}.`,
                `第 ${start + 1} 行：heredoc <<${doc.name} 没有结束，请添加一行只包含 ${doc.name}。`,
              ),
            },
          };
        }
        heredocs.push({ name: doc.name, chomp: doc.chomp, line: bodyStart + 1, endLine: i, content: body.join('\n') });
      }
    }
    instructions.push({ keyword, line: start + 1, endLine: i, text: joined, rest, heredocs });
    if (keyword === 'FROM') stages++;
    const limit = instructions.length > MAX_INSTRUCTIONS ? tooManyInstructions(start + 1) : stages > MAX_STAGES ? tooManyStages(start + 1) : undefined;
    if (limit) return { escape, directives, instructions, error: { line: start + 1, message: limit } };
  }
  return { escape, directives, instructions, hasText: lines.some((line) => line.trim() !== '') };
};
