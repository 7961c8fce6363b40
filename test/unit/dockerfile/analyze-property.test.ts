import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { MAX_DOCKERFILE_CHARS } from '../../../src/engine/dockerfile/limits.js';
import { dockerfile } from './dockerfile-arbitrary.js';

// Property tests of the Dockerfile analysis (issue 9): whatever the learner types, the analysis
// returns a result (never throws), never falls into its "bug in learn-go-docker" catch-all (which
// means some part threw), and takes bounded time. Seeds are fixed so a failure reproduces; fast-check
// prints the shrunk counterexample.

/** Per input; generated inputs are at most a few kilobytes, real ones take well under 10 ms. */
const BUDGET_MS = 1000;
const SEED = 9;

const analyse = (text: string, dockerignore: string | null = null) => {
  const started = performance.now();
  const result = analyzeDockerfile(text, { dockerignore });
  const ms = performance.now() - started;
  return { result, ms };
};

const holds = (text: string, dockerignore: string | null = null): void => {
  const { result, ms } = analyse(text, dockerignore);
  expect(ms, `took ${ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.parseError?.message.en.length).toBeGreaterThan(0);
    expect(result.parseError?.message['zh-CN'].length).toBeGreaterThan(0);
    expect(result.parseError?.message.en).not.toContain('a bug in learn-go-docker');
  }
  for (const finding of result.findings) {
    expect(finding.message.en.length).toBeGreaterThan(0);
    expect(finding.message['zh-CN'].length).toBeGreaterThan(0);
  }
};

describe('analyzeDockerfile: properties', () => {
  it('arbitrary strings (any code point) never throw, never hit the catch-all, stay fast', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => holds(text)),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('grammar-shaped Dockerfiles never throw, never hit the catch-all, stay fast', () => {
    fc.assert(
      fc.property(dockerfile, (text) => holds(text)),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('grammar-shaped Dockerfiles with a .dockerignore of arbitrary lines', () => {
    const ignore = fc.array(fc.oneof(fc.constantFrom('.git', '!.git', '**', '*', '!', '[', '\\', 'bin/*', '#x', ''), fc.string({ maxLength: 8 })), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(dockerfile, ignore, (text, lines) => holds(text, lines.join('\n'))),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('deep structures are refused or handled, in bounded time', () => {
    const nest = (n: number, open: string, close: string, inner = 'x') => `${open.repeat(n)}${inner}${close.repeat(n)}`;
    const cases = [
      `FROM ${nest(5000, '${A:-', '}')}`,
      `ARG B=${nest(5000, '${A:-', '}')}\nFROM alpine:3`,
      `FROM alpine:3\nCMD ${nest(10000, '[', ']', '"x"')}`,
      `FROM alpine:3\nENV X=${'"'.repeat(20000)}`,
      `FROM alpine:3\nRUN ${'\\\n'.repeat(20000)}echo`,
      `FROM alpine:3\nLABEL ${Array.from({ length: 5000 }, (_, i) => `k${i}=v`).join(' ')}`,
      Array.from({ length: 2000 }, (_, i) => `FROM alpine:3 AS s${i}\nCOPY --from=s${Math.max(0, i - 1)} / /`).join('\n'),
      Array.from({ length: 2000 }, (_, i) => `ARG A${i + 1}=\${A${i}}x`).join('\n') + '\nFROM alpine:${A2000}',
    ];
    for (const text of cases) holds(text);
  });

  it('input over the size cap is refused at once, with the size in the message', () => {
    const { result, ms } = analyse(`FROM alpine:3 ${'a'.repeat(MAX_DOCKERFILE_CHARS)}`);
    expect(ms).toBeLessThan(50);
    expect(result.ok).toBe(false);
    expect(result.parseError?.message.en).toContain(String(MAX_DOCKERFILE_CHARS + 14));
  });
});
