import { L } from '../../i18n.js';
import type { Model } from '../model.js';
import type { AnalyzeOptions, DockerfileFacts, Finding, Severity } from '../types.js';

export interface FindingContext {
  readonly model: Model;
  readonly facts: DockerfileFacts;
  readonly options: AnalyzeOptions;
  /** Index of the final stage. */
  readonly final: number;
}

/** A finding whose message starts with the line it points at. */
export const finding = (id: string, severity: Severity, line: number | null, en: string, zh: string): Finding => {
  const where = line === null ? { en: '', zh: '' } : { en: `Line ${line}: `, zh: `第 ${line} 行：` };
  return { id, severity, line, message: L(`${where.en}${en}`, `${where.zh}${zh}`) };
};
