import fc from 'fast-check';

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
/** A Dockerfile-shaped text: lines of those pieces, any line ending, usually after a FROM. */
export const dockerfile = fc
  .tuple(fc.array(line, { maxLength: 30 }), EOL, fc.boolean())
  .map(([lines, eol, from]) => (from ? ['FROM alpine:3.20 AS build', ...lines] : lines).join(eol));

