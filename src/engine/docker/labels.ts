import { hostname } from 'node:os';

/** Every object the runner creates carries this label; cleanup never touches objects without it. */
export const LABEL = 'learn-go-docker';
export const SESSION_LABEL = 'learn-go-docker.session';
export const PID_LABEL = 'learn-go-docker.pid';
export const HOST_LABEL = 'learn-go-docker.host';
export const LESSON_LABEL = 'learn-go-docker.lesson';

/** `--label k=v` pairs for containers, volumes and networks of a session. */
export const sessionLabels = (sessionId: string): Record<string, string> => ({
  [LABEL]: '1',
  [SESSION_LABEL]: sessionId,
  [PID_LABEL]: String(process.pid),
  [HOST_LABEL]: hostname(),
});

export const labelArgs = (labels: Readonly<Record<string, string>>): string[] =>
  Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
