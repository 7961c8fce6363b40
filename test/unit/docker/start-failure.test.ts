import { describe, expect, it } from 'vitest';
import { explainStartFailure } from '../../../src/engine/checks/docker/explain.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// Docker's own words when a container cannot start, as the engine gives them, explained.
describe('why a container did not start', () => {
  it('a command without a path was looked up on PATH: give the path (lesson 2, CMD ["server"])', () => {
    const why = explainStartFailure(
      'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "server": executable file not found in $PATH: unknown',
    );
    expect(why?.en).toBe(
      'The ENTRYPOINT/CMD names "server" without a path, so Docker looked for it on the image\'s PATH and it is not there. Give the path the binary has in the image, e.g. CMD ["/server"].',
    );
    expect(why?.en).not.toContain('COPY --from');
    expect(cjkSpacingProblems(why?.['zh-CN'] ?? '')).toEqual([]);
  });

  it('a path that is not in the image is named, with where the binary comes from', () => {
    const why = explainStartFailure(
      'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "/app/server": stat /app/server: no such file or directory: unknown',
    );
    expect(why?.en).toBe(
      'The ENTRYPOINT/CMD names /app/server, which is not in the final image: check where the binary is written (go build -o) and copied to (COPY, COPY --from).',
    );
    expect(why?.['zh-CN']).toContain('ENTRYPOINT/CMD 指向的 /app/server 不在最终镜像里');
  });

  it('a binary that is there but cannot run is the cgo one, not a missing file', () => {
    expect(explainStartFailure('exec /server: no such file or directory')?.en).toMatch(/^The binary exists but cannot be executed/);
  });
});
