import { describe, expect, it } from 'vitest';
import { FRESH_ARG, freshDockerfile, withoutFreshArg, withoutFreshSteps } from '../../../src/engine/checks/docker/fresh-build.js';
import { analyzeDockerfile } from '../../../src/engine/dockerfile/analyze.js';

const fresh = (text: string) => freshDockerfile(text, analyzeDockerfile(text), 'n0nce');

describe('freshDockerfile (image.no-secret builds afresh without building a stage twice)', () => {
  it('puts the fresh ARG after every FROM, so every RUN of every stage has a cache key of its own', () => {
    const text = 'FROM golang:1.26 AS build\nRUN go build -o /server .\n\nFROM scratch\nCOPY --from=build /server /server\n';
    expect(fresh(text)).toBe(
      `FROM golang:1.26 AS build\nARG ${FRESH_ARG}=n0nce\nRUN go build -o /server .\n\nFROM scratch\nARG ${FRESH_ARG}=n0nce\nCOPY --from=build /server /server\n`,
    );
  });
  it('goes after the last line of a continued FROM and keeps CRLF line endings', () => {
    const text = 'FROM golang:1.26 \\\r\n  AS build\r\nRUN true\r\n';
    expect(fresh(text)).toBe(`FROM golang:1.26 \\\r\n  AS build\r\nARG ${FRESH_ARG}=n0nce\r\nRUN true\r\n`);
  });
  it('leaves a FROM inside a heredoc alone (only instructions count)', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM debian AS build\nRUN <<EOF cat > /x\nFROM not-an-instruction\nEOF\n';
    const out = fresh(text) ?? '';
    expect(out.split('\n').filter((l) => l.startsWith('ARG '))).toHaveLength(1);
    expect(out.startsWith('# syntax=docker/dockerfile:1\n')).toBe(true);
  });
  it('is null for a Dockerfile that does not parse (the build then runs with --no-cache)', () => {
    expect(freshDockerfile('RUN true\n', analyzeDockerfile('RUN true\n'), 'n0nce')).toBeNull();
    expect(freshDockerfile('FROM x\n', undefined, 'n0nce')).toBeNull();
  });
});

describe('the history of a fresh build, as the learner would read their own', () => {
  it('drops the fresh ARG steps and keeps every other step', () => {
    const history = [
      { createdBy: 'RUN |1 LEARN_GO_DOCKER_FRESH=n0nce /bin/sh -c go build # buildkit' },
      { createdBy: `ARG ${FRESH_ARG}=n0nce` },
      { createdBy: 'ARG GITHUB_TOKEN' },
    ];
    expect(withoutFreshSteps(history, 'n0nce').map((h) => h.createdBy)).toEqual([history[0]?.createdBy, 'ARG GITHUB_TOKEN']);
    expect(withoutFreshSteps(history, undefined)).toHaveLength(3);
  });
  it('takes the fresh ARG out of a RUN step and counts the build args left', () => {
    expect(withoutFreshArg('RUN |1 LEARN_GO_DOCKER_FRESH=n0nce /bin/sh -c go build # buildkit', 'n0nce')).toBe('RUN /bin/sh -c go build # buildkit');
    expect(withoutFreshArg('RUN |2 GITHUB_TOKEN=ghp_x LEARN_GO_DOCKER_FRESH=n0nce /bin/sh -c go mod download', 'n0nce')).toBe(
      'RUN |1 GITHUB_TOKEN=ghp_x /bin/sh -c go mod download',
    );
    expect(withoutFreshArg('RUN |2 LEARN_GO_DOCKER_FRESH=n0nce GITHUB_TOKEN=ghp_x /bin/sh -c true', 'n0nce')).toBe('RUN |1 GITHUB_TOKEN=ghp_x /bin/sh -c true');
    expect(withoutFreshArg('RUN /bin/sh -c true', 'n0nce')).toBe('RUN /bin/sh -c true');
  });
});
