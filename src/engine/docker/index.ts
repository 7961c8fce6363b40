/** The Docker driver: the only code that spawns `docker`. */
export type * from './session.js';
export { createDockerSession, type CreateSessionOptions } from './docker-session.js';
export { detectCapabilities, resetCapabilitiesCache } from './capabilities.js';
export { cleanStale, type CleanStaleResult } from './clean.js';
export { installInterruptCleanup, disposeAllSessions, liveSessionCount, type InterruptCleanupOptions } from './live-sessions.js';
export { dockerBinary, DockerAbortedError, DockerCommandError } from './exec.js';
export { LABEL, SESSION_LABEL } from './labels.js';
export {
  inspectLocalImage,
  imageLayerSizes,
  pullImage,
  saveImagesInto,
  loadImagesFrom,
  TransferError,
  type LocalImage,
  type PullProgress,
  type PullResult,
} from './image-transfer.js';
export { copyFromImage, goModDownload, imageLabels, instructorGoEnv, type GoDownloadResult, type GoEnv } from './go-modules.js';
export { lessonGoproxy, roomGoproxy, useRoomGoproxy, USUAL_GOPROXY } from './goproxy-arg.js';
