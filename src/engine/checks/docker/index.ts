import type { CheckDefinition } from '../types.js';
import { containerAnswers } from './answers.js';
import { binaryStatic } from './binary.js';
import { imageScan } from './scan.js';
import { buildCacheReuse, buildVersionArg } from './build.js';
import { composeUpCheck } from './compose.js';
import { composeHardened } from './compose-hardened.js';
import { containerStarts, containerStop, containerUser } from './container.js';
import { containerDrain } from './drain.js';
import { containerHealthy } from './health.js';
import { containerPid1 } from './pid1.js';
import { containerReload } from './reload.js';
import { httpResilience } from './resilience.js';
import { swarmRollingUpdate } from './rolling-update.js';
import { containerLimits } from './limits.js';
import { containerEnvPort, httpProbe, imageExpose } from './http.js';
import { imageBuilds, imageEnv, imageLabels, imageSize, imageUser } from './image.js';
import { containerJsonLogs, containerNoDebugLogs } from './logs.js';
import { imageLayerWaste } from './layer-waste.js';
import { httpMetrics } from './metrics.js';
import { buildPlatforms } from './platforms.js';
import { imageNoSecret } from './secret.js';
import { imageSecretTraces } from './secret-traces.js';
import { buildTestTarget } from './test-target.js';
import { httpTraceContext } from './trace.js';
import { volumeWritable } from './volume.js';

/** Every Docker check, by the ids of docs/ARCHITECTURE.md. */
export const dockerChecks: readonly CheckDefinition[] = [
  imageBuilds,
  imageSize,
  imageUser,
  containerUser,
  containerStarts,
  httpProbe,
  imageExpose,
  containerStop,
  containerPid1,
  containerDrain,
  httpMetrics,
  httpTraceContext,
  containerReload,
  httpResilience,
  swarmRollingUpdate,
  containerHealthy,
  containerEnvPort,
  containerJsonLogs,
  containerNoDebugLogs,
  volumeWritable,
  buildCacheReuse,
  imageNoSecret,
  imageSecretTraces,
  buildVersionArg,
  buildTestTarget,
  imageLayerWaste,
  buildPlatforms,
  containerAnswers,
  binaryStatic,
  imageScan,
  containerLimits,
  imageLabels,
  imageEnv,
  composeUpCheck,
  composeHardened,
];
