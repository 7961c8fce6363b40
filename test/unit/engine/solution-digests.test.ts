import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { openTutorial } from '../../../src/engine/tutorial.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { UserError } from '../../../src/engine/errors.js';
import { noDockerSession, tempDir } from './fakes.js';

// The supply-chain lesson's solution pins its bases by digest: the digests come from the engine
// when the solution is applied or shown (lessons/digest-pins.ts), never from the course.
const GO = `sha256:${'1'.repeat(64)}`;
const DISTROLESS = `sha256:${'2'.repeat(64)}`;
const BOTH = new Map([
  ['golang:1.26-trixie', GO],
  ['gcr.io/distroless/static-debian13:nonroot', DISTROLESS],
]);

describe('a solution that pins base images by digest', async () => {
  const course = await loadCourse(packageRoot(), checkRegistry());
  let tmp: { dir: string; done: () => Promise<void> } | undefined;
  afterEach(() => tmp?.done());

  const open = async (digests: ReadonlyMap<string, string>) => {
    tmp = await tempDir();
    const workspace = join(tmp.dir, 'lab');
    await createWorkspace(workspace, course, new Date());
    const asked: string[][] = [];
    const { api } = await openTutorial({
      course,
      workspace,
      createSession: () => noDockerSession(),
      baseDigests: async (refs) => {
        asked.push([...refs]);
        return new Map([...digests].filter(([ref]) => refs.includes(ref)));
      },
    });
    await api.goto('supply-chain');
    return { api, workspace, asked };
  };

  it('is applied with the digests this engine has', async () => {
    const { api, workspace, asked } = await open(BOTH);
    await api.applySolution('supply-chain');
    const dockerfile = await readFile(join(workspace, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`FROM golang:1.26-trixie@${GO} AS build`);
    expect(dockerfile).toContain(`FROM gcr.io/distroless/static-debian13:nonroot@${DISTROLESS}`);
    expect(dockerfile).not.toContain('{{digest');
    expect(asked).toEqual([['golang:1.26-trixie', 'gcr.io/distroless/static-debian13:nonroot']]);
  });

  it('is refused, with nothing written, when the engine lacks a digest', async () => {
    const { api, workspace } = await open(new Map([['golang:1.26-trixie', GO]]));
    const before = await readFile(join(workspace, 'Dockerfile'), 'utf8');
    const error = await api.applySolution('supply-chain').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).localized.en).toContain('gcr.io/distroless/static-debian13:nonroot');
    expect(await readFile(join(workspace, 'Dockerfile'), 'utf8')).toBe(before);
  });

  it('is shown with a placeholder and how to get the digest, in the language asked', async () => {
    const { api } = await open(new Map([['golang:1.26-trixie', GO]]));
    const view = await api.solution('supply-chain', { openedByInstructor: true, lang: 'zh-CN' });
    const dockerfile = view.files.find((f) => f.path === 'Dockerfile')?.content ?? '';
    expect(dockerfile).toContain(`FROM golang:1.26-trixie@${GO} AS build`);
    expect(dockerfile).toContain('# 这台机器还没有 gcr.io/distroless/static-debian13:nonroot 的摘要');
    expect(dockerfile).toContain('FROM gcr.io/distroless/static-debian13:nonroot@sha256:<gcr.io/distroless/static-debian13:nonroot 的摘要>');
  });

  it('asks the engine nothing for a lesson that pins no digest', async () => {
    const { api, asked } = await open(BOTH);
    await api.goto('tests-in-build');
    await api.applySolution('tests-in-build');
    expect(asked).toEqual([]);
  });
});
