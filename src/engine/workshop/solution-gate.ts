import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { readWorkshopConfig, type FetchLike } from './client.js';
import { CODE_HEADER } from './protocol.js';
import { SOLUTIONS_PATH, isAllowed, isUpTo, type SolutionsUpTo } from './solutions.js';

/**
 * The learner's question to the room in workshop mode: is lesson N's solution open? Asked at each
 * solution request (the instructor opens them during the day), answered within 1.5 s or taken as
 * "no": off the network, solutions stay hidden, and the learner is told how to leave workshop mode.
 */

/** Short: the learner pressed a key and waits. The LAN answers in milliseconds. */
export const GATE_TIMEOUT_MS = 1500;
/**
 * An opening serves a burst of questions (catch-up asks for each lesson; the CLI asks before the
 * tutorial's own gate does). A refusal is never taken from here: the instructor may have just opened it.
 */
const CACHE_MS = 5000;

export type GateAnswer =
  | { readonly kind: 'allowed' | 'refused'; readonly upTo: SolutionsUpTo }
  | { readonly kind: 'not-joined' }
  | { readonly kind: 'bad-code' }
  | { readonly kind: 'unreachable'; readonly url: string };

const cache = new Map<string, { at: number; upTo: SolutionsUpTo }>();

/** Forgets cached answers (tests; a learner who just joined another room). */
export const clearGateCache = (): void => cache.clear();

/** What the room says of this lesson's solution. Never throws: every failure is an answer. */
export const askSolutionAllowed = async (
  workspace: string,
  lessonNumber: number,
  options: { fetchImpl?: FetchLike; timeoutMs?: number; now?: () => number } = {},
): Promise<GateAnswer> => {
  const now = options.now ?? Date.now;
  const config = await readWorkshopConfig(workspace).catch(() => undefined);
  if (!config) return { kind: 'not-joined' };
  const key = `${workspace}\n${config.url}\n${config.code}`;
  const cached = cache.get(key);
  if (cached && now() - cached.at < CACHE_MS && isAllowed(cached.upTo, lessonNumber)) return { kind: 'allowed', upTo: cached.upTo };
  const fetchImpl = options.fetchImpl ?? ((url, init) => fetch(url, init));
  try {
    const answer = await fetchImpl(`${config.url}${SOLUTIONS_PATH}/${lessonNumber}`, {
      method: 'GET',
      headers: { [CODE_HEADER]: config.code },
      signal: AbortSignal.timeout(options.timeoutMs ?? GATE_TIMEOUT_MS),
    });
    if (answer.status === 401) return { kind: 'bad-code' };
    const body = (await answer.json().catch(() => undefined)) as { upTo?: unknown } | undefined;
    // Anything else (an older server without this route, a proxy's page) is no answer: hidden.
    if (answer.status !== 200 || !isUpTo(body?.upTo)) return { kind: 'unreachable', url: config.url };
    cache.set(key, { at: now(), upTo: body.upTo });
    return { kind: isAllowed(body.upTo, lessonNumber) ? 'allowed' : 'refused', upTo: body.upTo };
  } catch {
    return { kind: 'unreachable', url: config.url };
  }
};

const LEAVE = L(
  'To leave workshop mode (solutions then open as usual): npx learn-go-docker solution --no-workshop',
  '退出工作坊模式（之后参考答案照常开放）：npx learn-go-docker solution --no-workshop',
);

/** The refusal to show, or undefined when the solution may be shown or applied. */
export const solutionRefusal = async (
  workspace: string,
  lessonNumber: number,
  options: { fetchImpl?: FetchLike; timeoutMs?: number } = {},
): Promise<UserError | undefined> => {
  const answer = await askSolutionAllowed(workspace, lessonNumber, options);
  switch (answer.kind) {
    case 'allowed':
    case 'not-joined':
      return undefined;
    case 'refused':
      return new UserError(
        L(
          `Workshop mode: the instructor has not opened the solution of lesson ${lessonNumber} yet.`,
          `工作坊模式：讲师还没有开放第 ${lessonNumber} 课的参考答案。`,
        ),
      );
    case 'bad-code':
      return new UserError(
        L(
          'Workshop mode: the room refused this laptop’s join code (a new room?), so solutions stay hidden.',
          '工作坊模式：房间拒绝了这台电脑的加入码（换了新房间？），所以参考答案保持隐藏。',
        ),
        { next: L(`Join the new room (npx learn-go-docker join URL CODE). ${LEAVE.en}`, `加入新房间（npx learn-go-docker join URL CODE）。${LEAVE['zh-CN']}`) },
      );
    case 'unreachable':
      return new UserError(
        L(
          `Workshop mode: the workshop server at ${answer.url} does not answer, so solutions stay hidden.`,
          `工作坊模式：${answer.url} 上的工作坊服务器没有响应，所以参考答案保持隐藏。`,
        ),
        { next: LEAVE },
      );
  }
};
