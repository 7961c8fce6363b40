import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { MAX_DOCKERFILE_CHARS } from '../../../src/engine/dockerfile/limits.js';

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

// Pieces Dockerfiles are made of, including the awkward ones: variables, nesting, quotes, escapes,
// heredocs, JSON forms, flags, continuations, directives and control characters.
const TOKENS = [
  'FROM', 'from', 'RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'ARG', 'ENV', 'USER', 'EXPOSE', 'WORKDIR',
  'LABEL', 'HEALTHCHECK', 'ONBUILD', 'SHELL', 'STOPSIGNAL', 'VOLUME', 'MAINTAINER', 'BOGUS',
  'AS', 'as', 'build', 'scratch', 'alpine:3.20', 'golang:1.26-bookworm', 'gcr.io/distroless/static-debian12:nonroot',
  'image@sha256:' + 'a'.repeat(64), ':latest', '$A', '${A}', '${A:-x}', '${A-}', '${A:+${B}}', '${A:?err}', '${A#p}',
  '${', '}', '$', '"', "'", '\\', '`', '[', ']', '["/server"]', '["sh", "-c", "x"]', '[1, 2]', '[]', ',', '=',
  'A=1', 'B="two words"', 'CGO_ENABLED=0', 'GOPROXY=https://goproxy.cn,direct', '--from=build', '--from=0',
  '--mount=type=cache,target=/root/.cache/go-build', '--mount=type=secret,id=token', '--chown=65532:65532',
  '--platform=$BUILDPLATFORM', '--interval=5s', 'CMD', 'NONE', '<<EOF', '<<-EOF', "<<'EOF'", '<< EOF', 'EOF',
  'go', 'mod', 'download', 'build', '-o', '/server', './cmd/server', '&&', '|', ';', '8080', '8080/tcp', 'root', '0:0',
  '65532', 'nonroot', '.', './', 'go.mod', 'go.sum', '/src', '#', '# escape=`', '# syntax=docker/dockerfile:1',
  '\t', ' ', '\u0000', '\u001b[2J', '\u001b]0;t\u0007', '\u009b', '\u202e', '\uFEFF', '中文', '🐳',
];

const token = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const line = fc.oneof(
  { weight: 8, arbitrary: fc.array(token, { minLength: 1, maxLength: 8 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.array(token, { minLength: 1, maxLength: 4 }).map((words) => `${words.join(' ')} \\`) },
  { weight: 1, arbitrary: fc.constant('') },
);
const EOL = fc.constantFrom('\n', '\r\n', '\r');
const dockerfile = fc
  .tuple(fc.array(line, { maxLength: 30 }), EOL, fc.boolean())
  .map(([lines, eol, from]) => (from ? ['FROM alpine:3.20 AS build', ...lines] : lines).join(eol));

describe('analyzeDockerfile: properties', () => {
  it('arbitrary strings (any code point) never throw, never hit the catch-all, stay fast', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => holds(text)), { seed: SEED, numRuns: 400 });
  });

  it('grammar-shaped Dockerfiles never throw, never hit the catch-all, stay fast', () => {
    fc.assert(fc.property(dockerfile, (text) => holds(text)), { seed: SEED, numRuns: 1500 });
  });

  it('grammar-shaped Dockerfiles with a .dockerignore of arbitrary lines', () => {
    const ignore = fc.array(fc.oneof(fc.constantFrom('.git', '!.git', '**', '*', '!', '[', '\\', 'bin/*', '#x', ''), fc.string({ maxLength: 8 })), { maxLength: 20 });
    fc.assert(fc.property(dockerfile, ignore, (text, lines) => holds(text, lines.join('\n'))), { seed: SEED, numRuns: 500 });
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
