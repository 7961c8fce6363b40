import { L, type Localized } from '../i18n.js';

/** "Part 2: Running it in production" / "第 2 部分：在生产环境中运行", the same words in `list` and the UI. */
export const partHeading = (part: number, title: Localized): Localized => L(`Part ${part}: ${title.en}`, `第 ${part} 部分：${title['zh-CN']}`);
