import type { CheckDefinition } from '../types.js';
import { ciWorkflow } from './ci.js';
import { composeValid } from './compose.js';
import { depsUpdateConfig } from './deps-update.js';
import { dockerfileBaseDigest, dockerfileBasePinned, dockerfileExists, dockerfileFinalBase, dockerfileMultiStage } from './dockerfile-base.js';
import { dockerfileCacheMount, dockerfileCgoDisabled, dockerfileDepsBeforeSource, dockerfileTestStage } from './dockerfile-build.js';
import { dockerfileGovulncheck } from './dockerfile-govulncheck.js';
import { dockerfileCrossCompile } from './dockerfile-platform.js';
import { dockerfileSecretMount } from './dockerfile-secret.js';
import { dockerfileArg, dockerfileEnv, dockerfileLabels, dockerfileNoSecrets } from './dockerfile-config.js';
import { dockerfileExecForm, dockerfileExpose, dockerfileHealthcheck, dockerfileUser } from './dockerfile-runtime.js';
import { dockerignoreExcludes } from './dockerignore.js';
import { fileContains } from './file.js';
import { kubernetesManifests } from './kubernetes.js';

/** Every static check, in the order of the table in docs/ARCHITECTURE.md. */
export const staticChecks: readonly CheckDefinition[] = [
  dockerfileExists,
  dockerfileBasePinned,
  dockerfileBaseDigest,
  dockerfileMultiStage,
  dockerfileFinalBase,
  dockerfileDepsBeforeSource,
  dockerfileCacheMount,
  dockerfileCgoDisabled,
  dockerfileTestStage,
  dockerfileGovulncheck,
  dockerfileCrossCompile,
  dockerfileExecForm,
  dockerfileUser,
  dockerfileExpose,
  dockerfileHealthcheck,
  dockerfileNoSecrets,
  dockerfileEnv,
  dockerfileArg,
  dockerfileLabels,
  dockerfileSecretMount,
  dockerignoreExcludes,
  composeValid,
  ciWorkflow,
  depsUpdateConfig,
  kubernetesManifests,
  fileContains,
];
