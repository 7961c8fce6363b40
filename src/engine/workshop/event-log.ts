import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseEvent, type WorkshopEvent } from './protocol.js';
import { parseLoggedAllowance, type SolutionsAllowance } from './solutions.js';

/**
 * The room's memory: `events.jsonl` in the instructor's folder, one `{receivedAt, event}` per line,
 * only ever appended, each line flushed to the disk (fsync) before the learner is told "accepted",
 * so a crash or a closed laptop lid loses nothing that was acknowledged. Replayed on start.
 * The instructor's own decisions (which solutions are open) are lines of the same log, as
 * `{receivedAt, allowance}`: one file, one order, and they survive a restart like the events.
 */
export const LOG_FILE = 'events.jsonl';

export interface LoggedEvent {
  /** The server's clock when it accepted the event (milliseconds). */
  readonly receivedAt: number;
  readonly event: WorkshopEvent;
}

/** An instructor's `workshop allow`, as logged. Never an event: learners cannot post one. */
export interface LoggedAllowance {
  readonly receivedAt: number;
  readonly allowance: SolutionsAllowance;
}

export interface ReadLog {
  readonly events: LoggedEvent[];
  /** The instructor's allowances, in order (the last one holds). */
  readonly allowances: LoggedAllowance[];
  /** Lines that could not be read (a line torn by a power cut, a hand edit): skipped, counted. */
  readonly skipped: number;
}

/** Reads a log: every valid line in order, duplicates (same event id) kept once. */
export const readEventLog = async (dir: string): Promise<ReadLog> => {
  let text: string;
  try {
    text = await fs.readFile(join(dir, LOG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], allowances: [], skipped: 0 };
    throw error;
  }
  const events: LoggedEvent[] = [];
  const allowances: LoggedAllowance[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = parseLine(line);
    if (!entry) skipped += 1;
    else if ('allowance' in entry) allowances.push(entry);
    else if (!seen.has(entry.event.id)) {
      seen.add(entry.event.id);
      events.push(entry);
    }
  }
  return { events, allowances, skipped };
};

const parseLine = (line: string): LoggedEvent | LoggedAllowance | undefined => {
  try {
    const raw = JSON.parse(line) as { receivedAt?: unknown; event?: unknown; allowance?: unknown };
    if (typeof raw.receivedAt !== 'number' || !Number.isFinite(raw.receivedAt)) return undefined;
    if (raw.allowance !== undefined) {
      const allowance = parseLoggedAllowance(raw.allowance);
      return allowance ? { receivedAt: raw.receivedAt, allowance } : undefined;
    }
    const parsed = parseEvent(raw.event);
    return parsed.ok ? { receivedAt: raw.receivedAt, event: parsed.event } : undefined;
  } catch {
    return undefined;
  }
};

/** The open log: appends are serialized, so lines never interleave and their order is the room's order. */
export interface EventLogWriter {
  append(entry: LoggedEvent | LoggedAllowance): Promise<void>;
  close(): Promise<void>;
}

export const openEventLog = async (dir: string): Promise<EventLogWriter> => {
  await fs.mkdir(dir, { recursive: true });
  const path = join(dir, LOG_FILE);
  // Help requests carry learners' Dockerfiles: the log is the instructor's to read, like the token.
  const handle = await fs.open(path, 'a', 0o600);
  await handle.chmod(0o600);
  // A line torn by a crash has no newline: start on a fresh line so the next event is not glued to it.
  const { size } = await handle.stat();
  let needsNewline = false;
  if (size > 0) {
    const last = Buffer.alloc(1);
    const reader = await fs.open(path, 'r');
    try {
      await reader.read(last, 0, 1, size - 1);
    } finally {
      await reader.close();
    }
    needsNewline = last[0] !== 0x0a;
  }
  let queue: Promise<void> = Promise.resolve();
  return {
    append: (entry) => {
      const line = `${needsNewline ? '\n' : ''}${JSON.stringify(entry)}\n`;
      needsNewline = false;
      const write = queue.then(async () => {
        await handle.write(line);
        await handle.datasync();
      });
      queue = write.catch(() => undefined);
      return write;
    },
    close: async () => {
      await queue;
      await handle.close();
    },
  };
};
