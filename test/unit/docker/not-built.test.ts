import { describe, expect, it } from 'vitest';
import { notBuilt } from '../../../src/engine/checks/docker/common.js';
import type { BuildResult } from '../../../src/engine/docker/session.js';
import type { DockerContext } from '../../../src/engine/checks/types.js';
import { contextFor } from '../static-checks/helpers.js';

const DOCKERFILE = `FROM golang:1.26-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/server ./cmd/serverr
`;

const failed = (tail: string[]): BuildResult => ({
  ok: false,
  durationMs: 1000,
  failedStep: '[build 4/4] RUN go build -o /out/server ./cmd/serverr',
  tail,
  steps: [],
  builder: 'buildkit-env',
});

describe('notBuilt (skip message when the lesson image did not build)', () => {
  it('quotes the failing step, its line and at most 8 output lines once, then refers back', () => {
    const ctx = contextFor({ Dockerfile: DOCKERFILE }) as DockerContext;
    const build = failed(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`));
    const first = notBuilt(ctx, build);
    expect(first.en).toContain('`[build 4/4] RUN go build -o /out/server ./cmd/serverr` (line 4)');
    expect(first.en).toContain('  | line 12');
    expect(first.en).toContain('  | line 5');
    expect(first.en).not.toContain('  | line 4\n');
    expect(first['zh-CN']).toContain('第 4 行');
    const later = notBuilt(ctx, build);
    expect(later.en).toContain('(line 4)');
    expect(later.en).toContain('shown above');
    expect(later.en).not.toContain('  | ');
    // Another verify (another build result) shows its output again.
    expect(notBuilt(ctx, failed(['boom'])).en).toContain('  | boom');
  });
});
