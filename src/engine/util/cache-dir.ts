import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user cache folder (what the machine cache and the executable's code cache keep):
 * LEARN_GO_DOCKER_CACHE_DIR, else $XDG_CACHE_HOME/learn-go-docker, else ~/.cache/learn-go-docker.
 * A module of its own so the executable can read it without the rest of the engine.
 */
export const cacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.LEARN_GO_DOCKER_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'learn-go-docker');

/** Where the executable keeps the V8 code cache of its core (src/core-loader.ts). */
export const codeCacheFolder = (env: NodeJS.ProcessEnv = process.env): string => join(cacheDir(env), 'code');
