// Waiting for another process's SQLite write lock without stalling the bot.
//
// better-sqlite3 is synchronous: with a long busy_timeout, SQLite's busy handler sleeps on
// the event loop until the lock is free, and every chat of the bot stalls with it (a
// `cli tick` or an operator's shell holding the lock for seconds stalled the bot for
// seconds). So the connection's busy_timeout is short (BUSY_TIMEOUT_MS: brief contention,
// a commit of the other process, is still waited out in place), and a statement or
// transaction that still finds the lock taken waits asynchronously and tries again, with
// backoff, up to BUSY_DEADLINE_MS overall (the 10 s the busy timeout used to give).
//
// Only work that has not started is retried: a statement in autocommit mode that got
// SQLITE_BUSY changed nothing, and a BEGIN IMMEDIATE that got it opened nothing.
//
// The waiters of one connection take turns (FIFO, one attempt per timer callback): each
// attempt may block up to BUSY_TIMEOUT_MS, and many waiters trying in the same turn of the
// event loop would add up.

/** SQLite's own wait per attempt, on the event loop */
export const BUSY_TIMEOUT_MS = 20;
/** the overall wait for the lock before the work fails (SQLITE_BUSY, as before) */
export const BUSY_DEADLINE_MS = 10_000;
const FIRST_DELAY_MS = 2;
const MAX_DELAY_MS = 100;

const BUSY_CODES = new Set(["SQLITE_BUSY", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"]);

/**
 * SQLITE_BUSY from better-sqlite3, or as Prisma's adapter wraps it (a DriverAdapterError
 * whose cause keeps the original code). SQLITE_BUSY_SNAPSHOT is not retryable this way
 * (the transaction must start over) and is left out.
 */
export function isSqliteBusy(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; cause?: { originalCode?: unknown } };
  return BUSY_CODES.has(String(e.code)) || BUSY_CODES.has(String(e.cause?.originalCode));
}

export interface BusyRetry {
  /** `failedOnce`: the caller's own first attempt got SQLITE_BUSY already (queue at once) */
  <T>(attempt: () => T | Promise<T>, opts?: { failedOnce?: boolean }): Promise<T>;
  /** some work is waiting for the lock now (a newcomer would block in vain: queue instead) */
  readonly contended: boolean;
}

export interface BusyRetryOptions {
  deadlineMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `attempt`; when it fails with SQLITE_BUSY, runs it again after a pause (2, 4, 8 … up
 * to 100 ms) until it succeeds, fails otherwise, or the deadline passes. Waiters queue in
 * arrival order; while some wait, a newcomer queues behind them instead of trying at once.
 */
export function createBusyRetry(opts: BusyRetryOptions = {}): BusyRetry {
  const deadline = opts.deadlineMs ?? BUSY_DEADLINE_MS;
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waiting = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const retry = async <T>(attempt: () => T | Promise<T>, o?: { failedOnce?: boolean }): Promise<T> => {
    if (waiting === 0 && !o?.failedOnce) {
      try {
        return await attempt();
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
      }
    }
    const started = now();
    waiting++;
    const turn = tail.then(async () => {
      let delay = FIRST_DELAY_MS;
      for (;;) {
        await sleep(delay);
        try {
          return await attempt();
        } catch (err) {
          if (!isSqliteBusy(err) || now() - started >= deadline) throw err;
        }
        delay = Math.min(delay * 2, MAX_DELAY_MS, Math.max(1, deadline - (now() - started)));
      }
    });
    tail = turn.catch(() => undefined);
    try {
      return await turn;
    } finally {
      waiting--;
    }
  };
  return Object.defineProperty(retry, "contended", { get: () => waiting > 0 }) as BusyRetry;
}
