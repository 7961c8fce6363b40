import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { LANGS } from '../../../src/engine/i18n.js';
import { SKIP_REASONS } from '../../../src/engine/checks/types.js';
import { lessonProgressValue, parseProgressValue } from '../../../src/engine/progress/progress-shape.js';

// The zod/mini schema the hand-written validator replaced (start-up time), kept here as its
// reference: on every input, both must accept the same files and give the same value.
const localized = z.object({ en: z.string(), 'zh-CN': z.string() });
const reference = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  lang: z.optional(z.enum(LANGS)),
  current: z.string(),
  firstImageBytes: z.optional(z.number()),
  lessons: z._default(
    z.record(
      z.string(),
      z.object({
        startedAt: z.optional(z.string()),
        attempts: z._default(z.int(), 0),
        failures: z._default(z.int(), 0),
        passed: z._default(z.boolean(), false),
        passedAt: z.optional(z.string()),
        lastVerify: z.optional(
          z.object({
            at: z.string(),
            passed: z.boolean(),
            staticOnly: z._default(z.boolean(), false),
            checks: z.array(
              z.object({
                id: z.string(),
                title: localized,
                kind: z.enum(['static', 'docker']),
                status: z.enum(['pass', 'fail', 'skip', 'unknown', 'error']),
                message: localized,
                line: z.optional(z.number()),
                measured: z.optional(z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]))),
                reason: z.catch(z.optional(z.enum(SKIP_REASONS)), undefined),
                lesson: z.optional(z.number()),
              }),
            ),
            blocking: z._default(
              z.array(z.object({ reason: z.catch(z.enum(SKIP_REASONS), 'not-applicable'), message: localized, line: z.optional(z.number()) })),
              [],
            ),
            files: z.optional(z.string()),
          }),
        ),
        hints: z._default(z.record(z.string(), z.int()), {}),
        verifyMs: z._default(z.number(), 0),
      }),
    ),
    {},
  ),
  moving: z.optional(z.object({ from: z.string(), to: z.string(), at: z.string() })),
});

const byReference = (value: unknown): unknown => {
  const parsed = reference.safeParse(value);
  // zod keeps an optional key whose catch gave undefined as `key: undefined`; JSON drops it either way.
  return parsed.success ? JSON.parse(JSON.stringify(parsed.data)) : undefined;
};
const byHand = (value: unknown): unknown => {
  const parsed = parseProgressValue(value);
  return parsed === undefined ? undefined : JSON.parse(JSON.stringify(parsed));
};

const text = { en: 'The image builds', 'zh-CN': '镜像可以构建' };
const good = {
  version: 1,
  createdAt: '2026-11-28T10:00:00.000Z',
  lang: 'zh-CN',
  current: 'multi-stage',
  firstImageBytes: 981_000_000,
  lessons: {
    'multi-stage': {
      startedAt: '2026-11-28T10:00:00.000Z',
      attempts: 2,
      failures: 1,
      passed: true,
      passedAt: '2026-11-28T10:05:00.000Z',
      lastVerify: {
        at: '2026-11-28T10:05:00.000Z',
        passed: true,
        staticOnly: false,
        checks: [
          { id: 'image.builds', title: text, kind: 'docker', status: 'pass', message: text, measured: { seconds: 1.5, cached: true, tag: 'x', none: null } },
          { id: 'image.size', title: text, kind: 'docker', status: 'skip', message: text, reason: 'static-only', line: 3, lesson: 4 },
        ],
        blocking: [{ reason: 'docker-unavailable', message: text, line: 2 }],
        files: 'abc123',
      },
      hints: { 'image.size': 2 },
      verifyMs: 1234,
    },
  },
  moving: { from: 'welcome', to: 'multi-stage', at: '2026-11-28T10:00:00.000Z' },
};

describe('the progress file validator', () => {
  it('keeps a valid file as it is', () => {
    expect(parseProgressValue(good)).toEqual(good);
  });

  it('fills in defaults and drops keys it does not know', () => {
    const parsed = parseProgressValue({ version: 1, createdAt: 'c', current: 'welcome', extra: 1, lessons: { welcome: { surprise: true } } });
    expect(parsed).toEqual({
      version: 1,
      createdAt: 'c',
      current: 'welcome',
      lessons: { welcome: { attempts: 0, failures: 0, passed: false, hints: {}, verifyMs: 0 } },
    });
    expect(lessonProgressValue({})).toEqual({ attempts: 0, failures: 0, passed: false, hints: {}, verifyMs: 0 });
  });

  it('drops a skip reason only a newer version knows, and calls a blocking one not-applicable', () => {
    const lessons = structuredClone(good.lessons);
    const last = lessons['multi-stage'].lastVerify;
    last.checks[1]!.reason = 'from-the-future';
    last.blocking[0]!.reason = 'from-the-future';
    const parsed = parseProgressValue({ ...good, lessons });
    expect(parsed?.lessons['multi-stage']?.lastVerify?.checks[1]?.reason).toBeUndefined();
    expect(parsed?.lessons['multi-stage']?.lastVerify?.blocking[0]?.reason).toBe('not-applicable');
  });

  it.each([
    ['another format', { ...good, version: 2 }],
    ['a number for the lesson', { ...good, current: 4 }],
    ['an unknown language', { ...good, lang: 'fr' }],
    ['a fraction of an attempt', { ...good, lessons: { a: { attempts: 1.5 } } }],
    ['a hint tier in words', { ...good, lessons: { a: { hints: { x: 'two' } } } }],
    [
      'a measurement that is an object',
      {
        ...good,
        lessons: {
          a: {
            lastVerify: { ...good.lessons['multi-stage'].lastVerify, checks: [{ ...good.lessons['multi-stage'].lastVerify.checks[0], measured: { x: {} } }] },
          },
        },
      },
    ],
    ['a list', [good]],
    ['nothing', null],
  ])('refuses %s', (_name, value) => {
    expect(parseProgressValue(value)).toBeUndefined();
    expect(byReference(value)).toBeUndefined();
  });

  it('accepts and rejects exactly what the zod schema it replaced did, with the same values', () => {
    // Files near the good one: each field replaced by something of another kind, or removed.
    const anything = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.boolean(),
      fc.constantFrom('static-only', 'docker-unavailable', 'from-the-future', 'fail', 'docker', 'zh-CN', 'en', 1),
      // Fresh containers each time: an edit may write into one.
      fc.constant(0).map(() => ({})),
      fc.constant(0).map(() => []),
    );
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, [...path, Array.isArray(value) ? Number(k) : k]);
    };
    collect(good, []);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), anything), { minLength: 1, maxLength: 3 }), (edits) => {
        const value = structuredClone(good) as Record<string | number, unknown>;
        for (const [path, replacement] of edits) {
          let at: Record<string | number, unknown> | undefined = value;
          for (const key of path.slice(0, -1))
            at = at && typeof at[key] === 'object' && at[key] !== null ? (at[key] as Record<string | number, unknown>) : undefined;
          if (at) at[path[path.length - 1]!] = replacement;
        }
        const plain = JSON.parse(JSON.stringify(value)) as unknown;
        expect(byHand(plain)).toEqual(byReference(plain));
      }),
      { numRuns: 2000 },
    );
  });
});
