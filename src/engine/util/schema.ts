// A small schema library for the course's own data: lesson files, proof cases and check params.
// It covers only what those need (zod's names and meaning for that subset, proven equal to zod by a
// property test) because zod was the largest piece of the installed package (188 KB) and every
// command that binds a check paid for loading it.

export interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** What `parse` throws: every problem found, each with the path to the field at fault. */
export class SchemaError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
    this.name = 'SchemaError';
  }
}

type Path = readonly (string | number)[];
const INVALID: unique symbol = Symbol('invalid');
type Parsed<T> = T | typeof INVALID;
type Run<T> = (value: unknown, path: Path, issues: Issue[]) => Parsed<T>;
type Rule<T> = (value: T) => string | undefined;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

/** A schema: parses unknown data into `T`, or reports why not. Modifiers return a new schema. */
export class Schema<T> {
  /** Phantom: the parsed type, for `Infer`. */
  declare readonly _output: T;

  constructor(
    protected readonly runValue: Run<T>,
    protected readonly rules: readonly Rule<T>[] = [],
  ) {}

  /** @internal Parses one value at `path`, adding its problems to `issues`. */
  run(value: unknown, path: Path, issues: Issue[]): Parsed<T> {
    const parsed = this.runValue(value, path, issues);
    if (parsed === INVALID) return INVALID;
    for (const rule of this.rules) {
      const message = rule(parsed);
      if (message !== undefined) {
        issues.push({ path, message });
        return INVALID;
      }
    }
    return parsed;
  }

  parse(value: unknown): T {
    const result = this.safeParse(value);
    if (!result.success) throw result.error;
    return result.data;
  }

  safeParse(value: unknown): { success: true; data: T } | { success: false; error: SchemaError } {
    const issues: Issue[] = [];
    const parsed = this.run(value, [], issues);
    return parsed === INVALID ? { success: false, error: new SchemaError(issues) } : { success: true, data: parsed };
  }

  /** The same schema with one more rule (a message when the value breaks it). */
  protected withRule(rule: Rule<T>): this {
    const Kind = this.constructor as new (run: Run<T>, rules: readonly Rule<T>[]) => this;
    return new Kind(this.runValue, [...this.rules, rule]);
  }

  refine(ok: (value: T) => boolean, message = 'invalid value'): this {
    return this.withRule((value) => (ok(value) ? undefined : message));
  }

  /** Undefined is accepted (an inner default still applies). */
  optional(): Schema<T | undefined> {
    return new Schema<T | undefined>((value, path, issues) => {
      if (value !== undefined) return this.run(value, path, issues);
      const inner = this.run(undefined, path, []);
      return inner === INVALID ? undefined : inner;
    });
  }

  /** Absent (undefined) becomes a copy of `fallback`, which is not parsed again. */
  default(fallback: NoInfer<T>): Schema<T> {
    return new Schema<T>((value, path, issues) => (value === undefined ? structuredClone(fallback) : this.run(value, path, issues)));
  }

  transform<U>(map: (value: T) => U): Schema<U> {
    return new Schema<U>((value, path, issues) => {
      const parsed = this.run(value, path, issues);
      return parsed === INVALID ? INVALID : map(parsed);
    });
  }
}

/** Any schema (as a constraint: Schema<T> is not assignable to Schema<unknown>, its rules take a T). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySchema = Schema<any>;

export type Infer<S extends AnySchema> = S['_output'];

const typed =
  <T>(test: (value: unknown) => value is T, expected: string): Run<T> =>
  (value, path, issues) => {
    if (test(value)) return value;
    issues.push({ path, message: `expected ${expected}, got ${describe(value)}` });
    return INVALID;
  };

class StringSchema extends Schema<string> {
  min(length: number): this {
    return this.withRule((v) => (v.length >= length ? undefined : `expected at least ${length} character(s)`));
  }
  startsWith(prefix: string): this {
    return this.withRule((v) => (v.startsWith(prefix) ? undefined : `must start with "${prefix}"`));
  }
  regex(pattern: RegExp, message = `must match ${pattern}`): this {
    return this.withRule((v) => (pattern.test(v) ? undefined : message));
  }
}

class NumberSchema extends Schema<number> {
  int(): this {
    return this.withRule((v) => (Number.isSafeInteger(v) ? undefined : 'expected a whole number'));
  }
  min(bound: number): this {
    return this.withRule((v) => (v >= bound ? undefined : `expected a number >= ${bound}`));
  }
  max(bound: number): this {
    return this.withRule((v) => (v <= bound ? undefined : `expected a number <= ${bound}`));
  }
  gt(bound: number): this {
    return this.withRule((v) => (v > bound ? undefined : `expected a number > ${bound}`));
  }
  lt(bound: number): this {
    return this.withRule((v) => (v < bound ? undefined : `expected a number < ${bound}`));
  }
  positive(): this {
    return this.gt(0);
  }
}

class ArraySchema<T> extends Schema<T[]> {
  min(length: number): this {
    return this.withRule((v) => (v.length >= length ? undefined : `expected at least ${length} item(s)`));
  }
  max(length: number): this {
    return this.withRule((v) => (v.length <= length ? undefined : `expected at most ${length} item(s)`));
  }
}

type Shape = Record<string, AnySchema>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
type ObjectOutput<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

const objectRun =
  <S extends Shape>(shape: S, strict: boolean): Run<ObjectOutput<S>> =>
  (value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({ path, message: `expected an object, got ${describe(value)}` });
      return INVALID;
    }
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const [key, schema] of Object.entries(shape)) {
      const parsed = schema.run(value[key], [...path, key], issues);
      if (parsed === INVALID) ok = false;
      else if (parsed !== undefined || key in value) out[key] = parsed;
    }
    if (strict) {
      const unknown = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
      if (unknown.length) {
        issues.push({ path, message: `unrecognized key(s): ${unknown.map((k) => `"${k}"`).join(', ')}` });
        ok = false;
      }
    }
    return ok ? (out as ObjectOutput<S>) : INVALID;
  };

class ObjectSchema<S extends Shape> extends Schema<ObjectOutput<S>> {
  constructor(
    readonly shape: S,
    readonly isStrict = false,
    rules: readonly Rule<ObjectOutput<S>>[] = [],
  ) {
    super(objectRun(shape, isStrict), rules);
  }
  protected override withRule(rule: Rule<ObjectOutput<S>>): this {
    return new ObjectSchema(this.shape, this.isStrict, [...this.rules, rule]) as this;
  }
  /** Unknown keys are refused (by default they are dropped). */
  strict(): ObjectSchema<S> {
    return new ObjectSchema(this.shape, true, this.rules);
  }
}

/** The first option that accepts the value decides (so order matters where transforms differ). */
const union = <O extends readonly AnySchema[]>(options: O): Schema<Infer<O[number]>> =>
  new Schema((value, path, issues) => {
    for (const option of options) {
      const parsed = option.run(value, path, []);
      if (parsed !== INVALID) return parsed as Infer<O[number]>;
    }
    issues.push({ path, message: `no allowed type matches ${describe(value)}` });
    return INVALID;
  });

export const s = {
  string: () => new StringSchema(typed((v): v is string => typeof v === 'string', 'a string')),
  number: () => new NumberSchema(typed((v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number')),
  boolean: () => new Schema<boolean>(typed((v): v is boolean => typeof v === 'boolean', 'true or false')),
  unknown: () => new Schema<unknown>((value) => value),
  literal: <const L extends string | number | boolean>(literal: L) => new Schema<L>(typed((v): v is L => v === literal, JSON.stringify(literal))),
  enum: <const V extends readonly [string, ...string[]]>(values: V) =>
    new Schema<V[number]>(typed((v): v is V[number] => values.includes(v as string), `one of ${values.map((v) => `"${v}"`).join(', ')}`)),
  array: <T>(item: Schema<T>) =>
    new ArraySchema<T>((value, path, issues) => {
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected an array, got ${describe(value)}` });
        return INVALID;
      }
      const out: T[] = [];
      let ok = true;
      for (const [i, element] of value.entries()) {
        const parsed = item.run(element, [...path, i], issues);
        if (parsed === INVALID) ok = false;
        else out.push(parsed);
      }
      return ok ? out : INVALID;
    }),
  object: <S extends Shape>(shape: S) => new ObjectSchema(shape),
  record: <V>(key: Schema<string>, value: Schema<V>) =>
    new Schema<Record<string, V>>((input, path, issues) => {
      if (!isPlainObject(input)) {
        issues.push({ path, message: `expected an object, got ${describe(input)}` });
        return INVALID;
      }
      const out: Record<string, V> = {};
      let ok = true;
      for (const [k, v] of Object.entries(input)) {
        const parsedKey = key.run(k, [...path, k], issues);
        const parsed = value.run(v, [...path, k], issues);
        if (parsedKey === INVALID || parsed === INVALID) ok = false;
        else out[parsedKey] = parsed;
      }
      return ok ? out : INVALID;
    }),
  union,
};
