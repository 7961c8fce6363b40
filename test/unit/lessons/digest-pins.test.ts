import { describe, expect, it } from 'vitest';
import { digestRefs, fillForApply, fillForShow } from '../../../src/engine/lessons/digest-pins.js';
import { parseRepoDigests } from '../../../src/engine/docker/repo-digests.js';
import { UserError } from '../../../src/engine/errors.js';

const GO = `sha256:${'a'.repeat(64)}`;
const DISTROLESS = `sha256:${'b'.repeat(64)}`;
const TEXT = [
  'FROM golang:1.26-trixie@{{digest golang:1.26-trixie}} AS build',
  'RUN go build ./...',
  'FROM gcr.io/distroless/static-debian13:nonroot@{{digest gcr.io/distroless/static-debian13:nonroot}}',
  '# CI passes --build-arg COMMIT=${{ github.sha }}',
].join('\n');

describe('digest pins in lesson files', () => {
  it('lists the images a file asks digests for, each once, and ignores other braces', () => {
    expect(digestRefs(TEXT)).toEqual(['golang:1.26-trixie', 'gcr.io/distroless/static-debian13:nonroot']);
    expect(digestRefs(`${TEXT}\nFROM golang@{{digest golang:1.26-trixie}}`)).toHaveLength(2);
    expect(digestRefs('FROM golang:1.26-trixie\nRUN echo ${{ github.sha }}')).toEqual([]);
  });

  it('fills every digest for the workspace, and leaves the rest of the file as it is', () => {
    const digests = new Map([
      ['golang:1.26-trixie', GO],
      ['gcr.io/distroless/static-debian13:nonroot', DISTROLESS],
    ]);
    const filled = fillForApply(TEXT, digests);
    expect(filled.split('\n')[0]).toBe(`FROM golang:1.26-trixie@${GO} AS build`);
    expect(filled.split('\n')[2]).toBe(`FROM gcr.io/distroless/static-debian13:nonroot@${DISTROLESS}`);
    expect(filled.split('\n')[3]).toBe('# CI passes --build-arg COMMIT=${{ github.sha }}');
  });

  it('refuses to write a file whose digest this engine lacks, naming the image and how to get it', () => {
    const attempt = () => fillForApply(TEXT, new Map([['golang:1.26-trixie', GO]]));
    expect(attempt).toThrow(UserError);
    try {
      attempt();
    } catch (error) {
      const e = error as UserError;
      expect(e.localized.en).toContain('gcr.io/distroless/static-debian13:nonroot');
      expect(e.localized['zh-CN']).toContain('摘要');
      expect(e.next?.en).toContain('docker pull gcr.io/distroless/static-debian13:nonroot');
    }
  });

  it('shows a missing digest as a placeholder with one comment saying how to get it, in the learner language', () => {
    const shown = fillForShow(`${TEXT}\nFROM golang:1.26-trixie@{{digest golang:1.26-trixie}} AS again`, new Map([['gcr.io/distroless/static-debian13:nonroot', DISTROLESS]]), 'en').split('\n');
    expect(shown[0]).toBe("# This machine has no digest of golang:1.26-trixie yet: docker pull golang:1.26-trixie, then docker image inspect --format '{{index .RepoDigests 0}}' golang:1.26-trixie");
    expect(shown[1]).toBe('FROM golang:1.26-trixie@sha256:<digest of golang:1.26-trixie> AS build');
    expect(shown.filter((line) => line.startsWith('# This machine'))).toHaveLength(1);
    expect(shown).toContain(`FROM gcr.io/distroless/static-debian13:nonroot@${DISTROLESS}`);
    expect(fillForShow(TEXT, new Map(), 'zh-CN').split('\n')[0]).toMatch(/^# 这台机器还没有 golang:1\.26-trixie 的摘要：先 docker pull/);
  });
});

describe('RepoDigests as docker image inspect prints them', () => {
  it('keeps well-formed digests only', () => {
    expect(parseRepoDigests(`["golang@${GO}","localhost:5000/golang@${DISTROLESS}"]\n`)).toEqual([`golang@${GO}`, `localhost:5000/golang@${DISTROLESS}`]);
    expect(parseRepoDigests('[]')).toEqual([]);
    expect(parseRepoDigests('null')).toEqual([]);
    expect(parseRepoDigests('not json')).toEqual([]);
    expect(parseRepoDigests('["golang@sha256:short"]')).toEqual([]);
  });
});
