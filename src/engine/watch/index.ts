export { watchFiles, type FileWatcher, type WatchFilesOptions } from './watch-files.js';
export { detectPolling, type DetectDeps } from './detect.js';
export { decidePolling, findMount, isWsl, parseMounts, POLLING_FS_TYPES, type MountEntry, type PollingDecision, type PollingFacts } from './polling.js';
export { planWatch, type WatchPlan } from './plan.js';
