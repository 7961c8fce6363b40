import { L } from '../i18n.js';
import type { Expanded } from './expand.js';
import type { ScanError } from './scan.js';

const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

/** BuildKit's rejections of a FROM line: blank image after expansion, bad or duplicate stage name. */
export const stageError = (line: number, image: Expanded, nameRaw: string | null, earlier: readonly { readonly name: string | null }[]): ScanError | null => {
  if (image.known && image.text.trim() === '') {
    const vars = image.unsetRefs.join(', ');
    return {
      line,
      message: L(
        `Line ${line}: the image of FROM is empty after expanding ${vars || 'its variables'}; declare them with ARG (with a default) before the first FROM.`,
        `第 ${line} 行：展开 ${vars || '变量'} 后 FROM 的镜像为空；请在第一个 FROM 之前用 ARG 声明它们（并给出默认值）。`,
      ),
    };
  }
  if (nameRaw === null) return null;
  const name = nameRaw.toLowerCase();
  if (!STAGE_NAME.test(name)) {
    return {
      line,
      message: L(
        `Line ${line}: "${nameRaw}" is not a valid stage name; start with a letter and use only letters, digits, "-", "_" and ".".`,
        `第 ${line} 行："${nameRaw}" 不是有效的阶段名；必须以字母开头，只能包含字母、数字、"-"、"_" 和 "."。`,
      ),
    };
  }
  if (earlier.some((stage) => stage.name === name)) {
    return {
      line,
      message: L(
        `Line ${line}: a stage named "${name}" already exists (stage names ignore case); give this stage another name.`,
        `第 ${line} 行：已经有名为 "${name}" 的阶段（阶段名不区分大小写）；请给这个阶段换个名字。`,
      ),
    };
  }
  return null;
};
