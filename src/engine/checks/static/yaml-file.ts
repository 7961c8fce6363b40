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
 * Parses YAML; a syntax error comes back with its 1-based line and yaml's first message line (without
 * the position it repeats).
 * `merge` resolves merge keys (`<<: *common`), as Docker Compose does.
 */
export const loadYaml = async (text: string, options: { merge?: boolean } = {}): Promise<YamlResult> => {
  const { parseDocument } = await yamlLibrary();
  try {
    const doc = parseDocument(text, { prettyErrors: true, merge: options.merge ?? false });
    const error = doc.errors[0];
    if (error) {
      return { ok: false, line: error.linePos?.[0]?.line ?? null, reason: cleanReason(error.message) };
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

/** Leading whitespace of a line. */
const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** A line that holds YAML: not blank, not only a comment. */
const meaningful = (line: string): boolean => line.trim() !== '' && !line.trim().startsWith('#');

/**
 * The layout mistake behind a YAML syntax error at `line`, in plain words, when a cheap look at that
 * line and the next finds one: a tab in the indentation, or a line indented deeper than the line
 * above it can hold (that line's key already has its value, or a list item's keys start after "- ").
 * Comes with the line at fault (the parser may stop a line earlier), which the words call "this line".
 * Undefined when neither applies: the parser's own words are all there is.
 */
export const yamlLayoutHint = (text: string, line: number | null): { readonly line: number; readonly en: string; readonly zh: string } | undefined => {
  if (line === null) return undefined;
  const lines = text.split(/\r?\n/);
  const candidates = [line, line + 1].filter((n) => n >= 1 && n <= lines.length);
  for (const n of candidates) {
    if (!indentOf(lines[n - 1] ?? '').includes('\t')) continue;
    return {
      line: n,
      en: 'this line indents with a tab, and YAML indents with spaces only: replace the tab with spaces',
      zh: '这一行用制表符缩进，而 YAML 只能用空格缩进：请把制表符换成空格',
    };
  }
  for (const n of candidates) {
    const current = lines[n - 1] ?? '';
    if (!meaningful(current)) continue;
    let p = n - 1;
    while (p >= 1 && !meaningful(lines[p - 1] ?? '')) p -= 1;
    if (p < 1) continue;
    const body = (lines[p - 1] ?? '').replace(/\s+#.*$/, '').trimEnd();
    // A line that opens a block (`key:`, `key: |`, `-`) may have deeper lines under it.
    if (/(:|:\s*[|>][-+0-9]*|^\s*-)$/.test(body)) continue;
    const dash = /^(\s*)((?:-\s+)*)/.exec(body);
    const indent = dash?.[1]?.length ?? 0;
    const keys = indent + (dash?.[2]?.length ?? 0);
    const has = indentOf(current).length;
    if (has <= indent || has === keys) continue;
    const key = /^\s*(?:-\s+)*([^\s:#][^:#]*?)\s*:(\s|$)/.exec(body)?.[1];
    const inLine = key ? { en: `, in line with ${key} on line ${p}`, zh: `，和第 ${p} 行的 ${key} 对齐` } : { en: '', zh: '' };
    if (has > keys) {
      return {
        line: n,
        en: `this line is indented ${has} spaces, deeper than line ${p} above it, whose key already has its value, so nothing can nest under it: indent it ${keys} spaces${inLine.en}`,
        zh: `这一行缩进了 ${has} 个空格，比上面的第 ${p} 行更深，而第 ${p} 行的键已经有值，下面不能再嵌套内容：请缩进 ${keys} 个空格${inLine.zh}`,
      };
    }
    return {
      line: n,
      en: `this line is indented ${has} spaces, but the keys of the list item on line ${p} start after "- ", at ${keys} spaces: indent it ${keys} spaces${inLine.en}`,
      zh: `这一行缩进了 ${has} 个空格，但第 ${p} 行列表项里的键在 "- " 之后，缩进是 ${keys} 个空格：请缩进 ${keys} 个空格${inLine.zh}`,
    };
  }
  return undefined;
};

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
