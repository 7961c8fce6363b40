/**
 * The Prometheus text exposition format (version 0.0.4), as far as a check needs it: samples with
 * their labels and values, and the declared type of each family. Comments other than `# TYPE` are
 * skipped; a line that is not a sample is an error, reported with its line number.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** `# TYPE name type` lines: counter, gauge, histogram, summary, untyped. */
  readonly types: Readonly<Record<string, string>>;
  readonly samples: readonly Sample[];
  /** The first few lines that are not valid, e.g. "line 7: no value". */
  readonly errors: readonly string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Reads `{a="x",b="y"}` from the start of `text`; returns the labels and the rest, or an error. */
const readLabels = (text: string): { labels: Record<string, string>; rest: string } | { error: string } => {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    while (text[i] === ' ') i += 1;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) return { error: 'bad label name' };
    i += name.length;
    while (text[i] === ' ') i += 1;
    if (text[i] !== '=') return { error: `label ${name} has no value` };
    i += 1;
    while (text[i] === ' ') i += 1;
    if (text[i] !== '"') return { error: `label ${name} has no quoted value` };
    i += 1;
    let value = '';
    for (;;) {
      const ch = text[i];
      if (ch === undefined) return { error: `label ${name} is not closed` };
      i += 1;
      if (ch === '"') break;
      if (ch === '\\') {
        const next = text[i];
        i += 1;
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += ch;
    }
    labels[name] = value;
    while (text[i] === ' ') i += 1;
    if (text[i] === ',') i += 1;
    else if (text[i] !== '}') return { error: `expected , or } after label ${name}` };
  }
};

const readValue = (text: string): number | undefined => {
  const token = text.trim().split(/\s+/)[0] ?? '';
  if (token === '+Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (token === 'NaN') return NaN;
  const n = Number(token);
  return token !== '' && !Number.isNaN(n) ? n : undefined;
};

export const parseExposition = (text: string): Exposition => {
  const types: Record<string, string> = {};
  const samples: Sample[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type) types[type[1]!] = type[2]!;
      return;
    }
    const fault = (why: string) => {
      if (errors.length < 5) errors.push(`line ${index + 1}: ${why}: ${line.slice(0, 80)}`);
    };
    const name = NAME.exec(line)?.[0];
    if (!name) return fault('no metric name');
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const read = readLabels(rest);
      if ('error' in read) return fault(read.error);
      labels = read.labels;
      rest = read.rest;
    }
    const value = readValue(rest);
    if (value === undefined) return fault('no value');
    samples.push({ name, labels, value });
  });
  return { types, samples, errors };
};

/** A series' labels as Prometheus writes them: {method="GET",route="/ping"} (empty: no labels). */
export const labelText = (labels: Readonly<Record<string, string>>): string => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
};
