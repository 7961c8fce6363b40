import { posix } from 'node:path';
import type { DockerfileAnalysis, InstructionInfo } from '../../dockerfile/types.js';

/**
 * The fields of a `--mount` value as BuildKit reads them (Go's encoding/csv): commas separate,
 * double quotes group (`"id=a,b"`), `""` inside quotes is one quote.
 */
export const csvFields = (value: string): string[] => {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
};

/** Go's strconv.ParseBool, as BuildKit reads `required=`. */
const parseBool = (raw: string): boolean | undefined =>
  ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw) ? false : undefined;

/** A `RUN --mount=type=secret,...` resolved the way BuildKit resolves it. */
export interface SecretMount {
  readonly instruction: InstructionInfo;
  /** The flag's value as written (after unquoting). */
  readonly raw: string;
  /** The secret's id: `id=` (or `source=`/`src=`), else the file name of the target; null when neither is given. */
  readonly id: string | null;
  readonly idFrom: 'id' | 'source' | 'target' | null;
  /** Where the file appears: `target=` (`dst=`, `destination=`), else `/run/secrets/<id>` unless `env=` is given; null for an env-only secret. */
  readonly path: string | null;
  /** `env=`: the secret also (or only) as this environment variable (Dockerfile syntax 1.10+). */
  readonly env: string | null;
  readonly required: boolean;
  /**
   * A field BuildKit reads before `type=secret`, while the mount is still a bind mount, and refuses
   * (`required=...` before `type=`: "unexpected key 'required' for mount type 'bind'").
   */
  readonly beforeType: string | null;
}

/** Every secret mount of every RUN, in file order. Keys are case-insensitive and in any order, as in BuildKit. */
export const secretMounts = (analysis: DockerfileAnalysis): SecretMount[] => {
  const out: SecretMount[] = [];
  for (const instruction of analysis.instructions) {
    if (instruction.keyword.toUpperCase() !== 'RUN') continue;
    for (const flag of instruction.flags) {
      if (flag.name !== 'mount' || flag.value === null) continue;
      let type = 'bind';
      let beforeType: string | null = null;
      const opts: Record<string, string | null> = {};
      for (const field of csvFields(flag.value)) {
        const eq = field.indexOf('=');
        const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
        const value = eq < 0 ? null : field.slice(eq + 1);
        if (key === 'type') {
          type = (value ?? '').toLowerCase();
          continue;
        }
        if (key === 'required' && type !== 'secret' && type !== 'ssh') beforeType ??= field;
        opts[key] = value;
      }
      if (type !== 'secret') continue;
      const target = opts.target ?? opts.dst ?? opts.destination ?? null;
      const given = opts.id ?? opts.source ?? opts.src ?? null;
      const idFrom = opts.id != null ? 'id' : given !== null ? 'source' : target ? 'target' : null;
      const id = given ?? (target ? posix.basename(target) : null);
      const env = opts.env ?? null;
      const required = 'required' in opts ? (opts.required === null ? true : (parseBool(opts.required) ?? false)) : false;
      const path = target ?? (env ? null : id ? `/run/secrets/${posix.basename(id)}` : null);
      out.push({ instruction, raw: flag.value, id, idFrom, path, env, required, beforeType });
    }
  }
  return out;
};

/** The text a RUN executes: its arguments and heredoc bodies. */
