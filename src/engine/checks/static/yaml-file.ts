import type { Node } from 'yaml';

type YamlLibrary = typeof import('../../util/yaml-library.js');
let library: Promise<YamlLibrary> | undefined;
/**
 * The YAML parser (about a tenth of the bundle) loads when a check first reads YAML: the lessons
 * without a compose file or a CI workflow, and `verify --static-only` of them, never load it.
 */
export const yamlLibrary = (): Promise<YamlLibrary> => (library ??= import('../../util/yaml-library.js'));

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly line: number | null; readonly reason: string };

/**
 * Parses YAML; a syntax error comes back with its 1-based line and yaml's first message line.
 * `merge` resolves merge keys (`<<: *common`), as Docker Compose does.
 */
export const loadYaml = async (text: string, options: { merge?: boolean } = {}): Promise<YamlResult> => {
  const { parseDocument } = await yamlLibrary();
  try {
    const doc = parseDocument(text, { prettyErrors: true, merge: options.merge ?? false });
    const error = doc.errors[0];
    if (error) {
      return { ok: false, line: error.linePos?.[0]?.line ?? null, reason: error.message.split('\n')[0] ?? error.message };
    }
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    // yaml's own refusals (an alias bomb is a ReferenceError) are the file's; a TypeError is ours, and
    // must surface as the runner's error, never as "fix the YAML" to a learner whose YAML is fine.
    if (error instanceof TypeError) throw error;
    return { ok: false, line: null, reason: error instanceof Error ? error.message : String(error) };
  }
};

/**
 * Every document of a YAML stream (`---` between them, as `kubectl apply -f` reads a file); empty
 * documents are left out. A syntax error comes back as loadYaml's does. `version: '1.1'` reads
 * scalars as YAML 1.1 does (yes/no/on/off are booleans), which is how kubectl's YAML reader
 * (sigs.k8s.io/yaml, on go-yaml v2) takes them.
 */
export const loadYamlDocuments = async (
  text: string,
  options: { readonly version?: '1.1' | '1.2' } = {},
): Promise<{ readonly ok: true; readonly values: readonly { readonly index: number; readonly value: unknown }[] } | Extract<YamlResult, { ok: false }>> => {
  const { parseAllDocuments } = await yamlLibrary();
  const docs = parseAllDocuments(text, { prettyErrors: true, version: options.version ?? '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) return { ok: false, line: error.linePos?.[0]?.line ?? null, reason: cleanReason(error.message) };
  }
  try {
    const values = list
      .map((doc, index) => ({ index, value: doc.toJS({ maxAliasCount: 100 }) as unknown }))
      .filter((d) => d.value !== null && d.value !== undefined);
    return { ok: true, values };
  } catch (error) {
    if (error instanceof TypeError) throw error;
    return { ok: false, line: null, reason: error instanceof Error ? error.message : String(error) };
  }
};

/** yaml's first message line, without the position it repeats ("... at line 8, column 1:"): messages give the line themselves. */
const cleanReason = (message: string): string => (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');

export type YamlMap = Record<string, unknown>;

export const isMap = (value: unknown): value is YamlMap => typeof value === 'object' && value !== null && !Array.isArray(value);

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const asString = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** Where things are in a YAML text, for messages that name their line: 1-based lines of paths and offsets. */
export interface YamlLocator {
  /** Line of the value at a path (`['services', 'db', 'environment', 'POSTGRES_PASSWORD']`), or of its key when the value is empty. */
  lineOf(path: readonly (string | number)[]): number | undefined;
  /** Source offsets [start, end) of the value at a path. */
  rangeOf(path: readonly (string | number)[]): readonly [number, number] | undefined;
  lineAt(offset: number): number;
}

/** Where things are in a YAML text: in its only document, or in the one at `documentIndex` of a `---` stream. */
export const locateYaml = async (text: string, documentIndex = 0): Promise<YamlLocator> => {
  const { isMap: isYamlMap, isScalar, LineCounter, parseAllDocuments, parseDocument } = await yamlLibrary();
  const counter = new LineCounter();
  const all = documentIndex === 0 ? undefined : parseAllDocuments(text, { lineCounter: counter });
  const doc = Array.isArray(all) && all[documentIndex] ? all[documentIndex] : parseDocument(text, { lineCounter: counter });
  const lineAt = (offset: number): number => counter.linePos(offset).line;
  const rangeOf = (path: readonly (string | number)[]): readonly [number, number] | undefined => {
    const node: unknown = doc.getIn(path, true);
    const range = typeof node === 'object' && node !== null && 'range' in node ? (node as Node).range : undefined;
    return range ? [range[0], range[1]] : undefined;
  };
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    const range = rangeOf(path);
    if (range) return lineAt(range[0]);
    // A key with an empty value (`tags:`) has no value node: its key's line.
    const parent: unknown = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : undefined;
    if (!isYamlMap(parent)) return undefined;
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]));
    const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
    return keyRange ? lineAt(keyRange[0]) : undefined;
  };
  return { lineOf, rangeOf, lineAt };
};
