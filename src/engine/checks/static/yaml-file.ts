import { parseDocument } from 'yaml';

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly line: number | null; readonly reason: string };

/** Parses YAML; a syntax error comes back with its 1-based line and yaml's first message line. */
export const loadYaml = (text: string): YamlResult => {
  try {
    const doc = parseDocument(text, { prettyErrors: true });
    const error = doc.errors[0];
    if (error) {
      return { ok: false, line: error.linePos?.[0]?.line ?? null, reason: error.message.split('\n')[0] ?? error.message };
    }
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    return { ok: false, line: null, reason: error instanceof Error ? error.message : String(error) };
  }
};

export type YamlMap = Record<string, unknown>;

export const isMap = (value: unknown): value is YamlMap => typeof value === 'object' && value !== null && !Array.isArray(value);

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const asString = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
