import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';
import { staticChecks } from '../../../src/engine/checks/static/index.js';
import type { CheckOutcome, StaticContext, WorkspaceFiles } from '../../../src/engine/checks/types.js';

/** In-memory workspace: relative path -> contents. */
export const fakeFiles = (files: Record<string, string>): WorkspaceFiles => ({
  dir: '/workspace',
  read: async (rel) => files[rel.replace(/^\.\//, '')],
  list: async (relDir) => Object.keys(files).filter((p) => p.startsWith(relDir === '.' ? '' : `${relDir}/`)),
});

/** A context whose Dockerfile is analysed like verify does (workspace file "Dockerfile"). */
export const contextFor = (files: Record<string, string>): StaticContext => {
  const text = files.Dockerfile;
  return {
    files: fakeFiles(files),
    dockerfile: text === undefined ? undefined : analyzeDockerfile(text, { dockerignore: files['.dockerignore'] ?? null }),
    dockerfilePath: 'Dockerfile',
    history: {},
  };
};

export const runCheck = async (id: string, ctx: StaticContext, params: Record<string, unknown> = {}): Promise<CheckOutcome> => {
  const def = staticChecks.find((c) => c.id === id);
  if (!def) throw new Error(`no static check ${id}`);
  const bound = def.bind(params);
  if (bound.kind !== 'static') throw new Error(`${id} is not static`);
  const outcome = await bound.run(ctx);
  // Every outcome speaks both languages.
  if (!outcome.message.en || !outcome.message['zh-CN']) throw new Error(`${id} returned an untranslated message`);
  return outcome;
};

/** Runs a check on a Dockerfile text (plus optional other files). */
export const check = (id: string, dockerfile: string | undefined, params: Record<string, unknown> = {}, files: Record<string, string> = {}) =>
  runCheck(id, contextFor(dockerfile === undefined ? files : { ...files, Dockerfile: dockerfile }), params);

export const BUILD = `FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
`;

/** A Dockerfile that does everything right (line 8 is the final FROM). */
export const GOOD = `${BUILD}
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/server /server
EXPOSE 8080
HEALTHCHECK CMD ["/server", "healthcheck"]
ENTRYPOINT ["/server"]
`;
