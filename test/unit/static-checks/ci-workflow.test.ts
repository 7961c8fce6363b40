import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyOnTags } from '../../../src/engine/checks/static/ci.js';
import { GOOD, check } from './helpers.js';

const path = '.github/workflows/docker.yml';
const params = { path, tags: ['semver', 'sha'], push: 'tags' };
const solution = await readFile(join(import.meta.dirname, '../../../lessons/21-shipping/solution/.github/workflows/docker.yml'), 'utf8');
const run = (workflow: string, p: Record<string, unknown> = params) => check('ci.workflow', GOOD, p, { [path]: workflow });

describe('ci.workflow with push: tags', () => {
  it("passes the lesson's solution, and says the push is tag-only and gated", async () => {
    const out = await run(solution);
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('only for git tags, after the tests passed');
  });
  it('fails `go test || true` with its line, in both languages', async () => {
    const out = await run(solution.replace('go test -race ./...', 'go test -race ./... || true'));
    expect(out.status).toBe('fail');
    const line = solution.split('\n').findIndex((l) => l.includes('go test -race')) + 1;
    expect(out.message.en).toContain(`line ${line}: \`|| true\` after go test`);
    expect(out.message['zh-CN']).toContain(`第 ${line} 行：go test 后面的 \`|| true\``);
    // needs: test is there: the only thing to change is the `|| true`.
    expect(out.message.en).not.toContain('without waiting');
  });
  it('fails continue-on-error on the test step or its job', async () => {
    const step = await run(solution.replace('      - run: go test -race ./...\n', '      - run: go test -race ./...\n        continue-on-error: true\n'));
    expect(step.message.en).toContain('continue-on-error: true on the test step');
    const job = await run(solution.replace('  test:\n    runs-on: ubuntu-latest\n', '  test:\n    continue-on-error: true\n    runs-on: ubuntu-latest\n'));
    expect(job.message.en).toContain('continue-on-error: true on job "test"');
    // An expression is not known to be true.
    const expr = solution.replace(
      '  test:\n    runs-on: ubuntu-latest\n',
      '  test:\n    continue-on-error: ${{ matrix.experimental }}\n    runs-on: ubuntu-latest\n',
    );
    expect((await run(expr)).status).toBe('pass');
  });
  it('fails a push that does not wait for the tests, or runs anyway', async () => {
    const parallel = await run(solution.replace('    needs: test # no image from code whose tests fail\n', ''));
    expect(parallel.message.en).toMatch(/line \d+: job "image" pushes the image without waiting for the tests: add needs: test/);
    const always = await run(solution.replace('    needs: test # no image from code whose tests fail\n', '    needs: test\n    if: ${{ always() }}\n'));
    expect(always.message.en).toContain('even when the tests failed');
  });
  it('fails a workflow that never pushes, pushes on every run, or has no tag trigger', async () => {
    expect((await run(solution.replace("push: ${{ startsWith(github.ref, 'refs/tags/v') }}", 'push: false'))).message.en).toContain('no step pushes the image');
    const always = await run(solution.replace("push: ${{ startsWith(github.ref, 'refs/tags/v') }}", 'push: true'));
    expect(always.message.en).toContain('also runs on push to main, pull_request');
    const negated = await run(solution.replace("push: ${{ startsWith(github.ref, 'refs/tags/v') }}", "push: ${{ !startsWith(github.ref, 'refs/tags/v') }}"));
    expect(negated.status).toBe('fail');
    const noTags = await run(solution.replace('    tags: ["v*.*.*"]\n', ''));
    expect(noTags.message.en).toMatch(/line 7: on: has no push: tags: trigger/);
  });
  it('accepts a tags-only workflow pushing with docker push, and a single job testing before it pushes', async () => {
    const tagsOnly = `on:\n  push:\n    tags: ["v*"]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n  ship:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t r/n:\${{ github.ref_name }} -t r/n:\${{ github.sha }} . && docker push --all-tags r/n\n`;
    expect((await run(tagsOnly)).status).toBe('pass');
    // A pull_request trigger makes the unconditional push run for pull requests too.
    expect((await run(tagsOnly.replace('on:\n', 'on:\n  pull_request:\n'))).status).toBe('fail');
    const single = `on: [push, pull_request]\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n      - if: github.ref_type == 'tag'\n        run: docker buildx build --push -t r/n:\${{ github.ref_name }} -t r/n:\${{ github.sha }} .\n`;
    // on: [push, ...] runs for tags too (no filter).
    expect((await run(single)).status).toBe('pass');
    // The push before the tests in the same job is not gated.
    const before = `on:\n  push:\n    tags: ["v*"]\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build --push -t r/n:\${{ github.ref_name }} -t r/n:\${{ github.sha }} .\n      - run: go test ./...\n`;
    expect((await run(before)).message.en).toContain('without waiting for the tests');
  });
  it('without push: tags, a workflow that only builds and tests still passes', async () => {
    const wf = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n      - run: docker build .\n';
    expect((await run(wf, { path })).status).toBe('pass');
    expect((await run(wf.replace('go test ./...', 'go test ./... || true'), { path })).status).toBe('fail');
  });
});

describe('onlyOnTags', () => {
  it('holds when every || branch tests for a tag ref', () => {
    expect(onlyOnTags("${{ startsWith(github.ref, 'refs/tags/v') }}")).toBe(true);
    expect(onlyOnTags("github.ref_type == 'tag'")).toBe(true);
    expect(onlyOnTags("github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')")).toBe(true);
    expect(onlyOnTags("startsWith(github.ref, 'refs/tags/') || github.event_name == 'release'")).toBe(true);
    expect(onlyOnTags("startsWith(github.ref, 'refs/tags/') || github.ref == 'refs/heads/main'")).toBe(false);
    expect(onlyOnTags("!startsWith(github.ref, 'refs/tags/')")).toBe(false);
    expect(onlyOnTags("github.event_name != 'pull_request'")).toBe(false);
    expect(onlyOnTags('true')).toBe(false);
  });
});
