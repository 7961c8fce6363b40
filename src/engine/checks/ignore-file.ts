import type { WorkspaceFiles } from './types.js';

/**
 * The ignore file the builder reads for a Dockerfile: BuildKit (Docker's builder since 23.0, and
 * DOCKER_BUILDKIT=1 before) takes `<Dockerfile>.dockerignore` beside the Dockerfile over the
 * context's `.dockerignore`; otherwise `.dockerignore` at the root of the build context.
 */
export const dockerignoreFor = async (files: WorkspaceFiles, dockerfilePath: string): Promise<{ path: string; text: string } | undefined> => {
  const own = `${dockerfilePath}.dockerignore`;
  const ownText = await files.read(own);
  if (ownText !== undefined) return { path: own, text: ownText };
  const text = await files.read('.dockerignore');
  return text === undefined ? undefined : { path: '.dockerignore', text };
};
