import { Schema, s, type Infer } from '../util/schema.js';

// The wire format between a learner's laptop and the instructor's server:
// `learn-go-docker/workshop-event`, version 1. A change that removes or renames a field bumps the
// version; the server refuses what it does not know rather than guessing (it is reachable by
// anyone on the room's network who has the code).

export const EVENT_SCHEMA = 'learn-go-docker/workshop-event';
export const EVENT_VERSION = 1;
/** GET /v1/hello answers this, so `join` knows it reached a workshop server and not any web page. */
export const SERVER_SCHEMA = 'learn-go-docker/workshop';

/**
 * GET /v1/hello answers `{schema, version}` and, when the room serves the course's Go modules,
 * `goproxy`: the path of that proxy on the same server ("/goproxy/"). Added without a version bump:
 * the version numbers the events, and an optional field of the answer breaks no one (an older laptop
 * ignores it, a newer one joining an older server finds none and builds as before). A path, not a
 * URL: the laptop joins it to the address it reached the server at, which is the one that works.
 */
export const GOPROXY_PATH = '/goproxy/';

/** The header a learner's requests carry the join code in; the instructor's carry a bearer token. */
export const CODE_HEADER = 'x-workshop-code';

/** A Dockerfile sent with a help request is cut here: lessons' files are a few KB, the body limit 64 KiB. */
export const MAX_DOCKERFILE_CHARS = 48 * 1024;

// No control characters in anything shown on the instructor's terminal or pasted into a sheet.
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;
const ID = /^[A-Za-z0-9_-]{8,64}$/;
// Lesson check ids name a variant after '#' (http.probe#ping).
const CHECK_ID = /^[A-Za-z0-9._#-]{1,80}$/;
const LESSON_ID = /^[A-Za-z0-9._-]{1,80}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** The value, or null (a help request without a Dockerfile or before any verify). */
const nullable = <T>(schema: Schema<T>): Schema<T | null> =>
  new Schema<T | null>((value, path, issues) => (value === null ? null : schema.run(value, path, issues)));

const checkIds = s.array(s.string().regex(CHECK_ID, 'a check id')).max(100);

const base = {
  schema: s.literal(EVENT_SCHEMA),
  version: s.literal(EVENT_VERSION),
  /** Unique per event: a replay after a lost answer is recognised and ignored. */
  id: s.string().regex(ID, 'an event id'),
  /** Random, stored in the learner's workspace: a renamed learner stays one row. */
  learnerId: s.string().regex(ID, 'a learner id'),
  name: s
    .string()
    .min(1)
    .regex(PRINTABLE, 'no control characters')
    .refine((v) => v.length <= 60, 'at most 60 characters'),
  /** When the learner's laptop made the event (its clock). */
  at: s.string().regex(ISO, 'an ISO time'),
  lesson: s.object({ id: s.string().regex(LESSON_ID, 'a lesson id'), number: s.number().int().min(0).max(999) }).strict(),
};

const verdict = s
  .object({
    passed: s.boolean(),
    passedChecks: checkIds,
    failedChecks: checkIds,
    attempts: s.number().int().min(0).max(100_000),
  })
  .strict();

const joinEvent = s.object({ ...base, type: s.literal('join') }).strict();

const verifyEvent = s
  .object({
    ...base,
    type: s.literal('verify'),
    ...verdict.shape,
    /** Seconds since the learner started the lesson, by their clock (no clock sync needed). */
    lessonSeconds: s.number().int().min(0).max(10_000_000),
  })
  .strict();

/** Sent only when the learner asks (`ask`): the one event that carries a file. */
const helpEvent = s
  .object({
    ...base,
    type: s.literal('help'),
    dockerfile: nullable(s.string().refine((v) => v.length <= MAX_DOCKERFILE_CHARS, 'Dockerfile too long')),
    lastVerdict: nullable(verdict),
  })
  .strict();

export type JoinEvent = Infer<typeof joinEvent>;
export type VerifyEvent = Infer<typeof verifyEvent>;
export type HelpEvent = Infer<typeof helpEvent>;
export type WorkshopEvent = JoinEvent | VerifyEvent | HelpEvent;
export type Verdict = Infer<typeof verdict>;

const BY_TYPE = { join: joinEvent, verify: verifyEvent, help: helpEvent } as const;

/** Validates a body received from the network: the event, or one line saying why not. */
export const parseEvent = (value: unknown): { ok: true; event: WorkshopEvent } | { ok: false; error: string } => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type as keyof typeof BY_TYPE] : undefined;
  if (!schema) return { ok: false, error: 'type must be "join", "verify" or "help"' };
  const parsed = (schema as typeof joinEvent).safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data as WorkshopEvent } : { ok: false, error: parsed.error.message };
};

export const isId = (value: string): boolean => ID.test(value);
