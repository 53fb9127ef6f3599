// The hot path over better-sqlite3 (see hot-path.ts): prepared statements on Prisma's
// own connection, writes of one event-loop turn grouped into one commit, the WAL synced
// off the event loop, and another process's write lock waited for asynchronously.
import { closeSync, fdatasync, openSync } from "node:fs";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import type BetterSqlite3 from "better-sqlite3";
import {
  createHotPathOver,
  type Driver,
  type HotPath,
  type Result,
  type Row,
  type Step,
  type Work,
} from "./hot-path.ts";
import { type BusyRetry, createBusyRetry, isSqliteBusy } from "./sqlite-busy.ts";

/**
 * Over the better-sqlite3 connection Prisma's adapter uses (one connection: a second
 * one would wait on the write lock synchronously while Prisma's open transaction needs
 * the event loop to finish). Statements are prepared once; work runs synchronously, so
 * nothing else interleaves with a transaction.
 */
export function createSqliteHotPath(
  client: () => Promise<BetterSqlite3.Database>,
  busy: BusyRetry = createBusyRetry(),
): HotPath {
  const counter = { n: 0 };
  const prepared = new Map<string, BetterSqlite3.Statement>();
  let conn: BetterSqlite3.Database | undefined;
  const exec = (db: BetterSqlite3.Database, [sql, args]: Step): Result => {
    counter.n++;
    let s = prepared.get(sql);
    if (!s) {
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    if (s.reader) return { changes: 0, rows: s.all(...args) as Row[] };
    return { changes: s.run(...args).changes, rows: [] };
  };
  const drive = <T>(db: BetterSqlite3.Database, work: Work<T>): T => {
    let next = work.next();
    while (!next.done) next = work.next(exec(db, next.value));
    return next.value;
  };
  const ready = async () => {
    conn ??= await client();
    return conn;
  };
  // Group commit. With synchronous=FULL every commit waits for an fsync of the WAL, on the
  // event loop (better-sqlite3 is synchronous): one commit per update capped the bot at the
  // disk's fsync rate (~65 updates/s on the bench machine) with the CPU mostly idle. The
  // transactions asked for within one turn of the event loop run together in one
  // transaction, each in its own savepoint (one that fails rolls back alone), and one
  // commit makes them all durable before any of their callers goes on (and replies).
  let batch: { work: Work<unknown>; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  const busyNow = new Error("others wait for the write lock");
  const walSync = createWalSync();
  // Commits the group; throws SQLITE_BUSY, with the group back in `batch`, when BEGIN
  // IMMEDIATE found another process's write lock (then nothing of it ran).
  const commitGroup = (db: BetterSqlite3.Database) => {
    const queued = batch;
    batch = [];
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const wal = walSync.ready(db);
    try {
      // the WAL is synced below, off the event loop, instead of inside COMMIT
      if (wal) wal.normal.run();
      db.transaction(() => {
        for (const q of queued) {
          try {
            results.push({ ok: true, value: db.transaction(() => drive(db, q.work))() });
          } catch (error) {
            results.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      if (isSqliteBusy(error) && results.length === 0) {
        batch = queued.concat(batch);
        throw error;
      }
      for (const q of queued) q.reject(error);
      return;
    } finally {
      if (wal) wal.full.run();
    }
    const settle = () =>
      queued.forEach((q, n) => {
        const r = results[n]!;
        if (r.ok) q.resolve(r.value);
        else q.reject(r.error);
      });
    if (!wal) return settle();
    // durable before any caller goes on (and replies): the WAL, with this commit, on disk
    walSync.sync(db).then(settle, (error: unknown) => {
      for (const q of queued) q.reject(error);
    });
  };
  const flush = (db: BetterSqlite3.Database) => {
    // Prisma keeps an interactive transaction open across awaits on this same connection:
    // writing now would put these into it (undone if it rolls back). Wait until it ends.
    if (db.inTransaction) {
      setTimeout(() => flush(db), 1);
      return;
    }
    try {
      // while others wait for the lock, trying now would only block the event loop
      if (busy.contended) throw busyNow;
      commitGroup(db);
    } catch {
      // another process holds the write lock: wait for it off the event loop; the updates
      // that arrive meanwhile join the group (it stays in `batch`, so no new flush is queued)
      busy(
        async () => {
          await outsideTransaction(db);
          commitGroup(db);
        },
        { failedOnce: true },
      ).catch((err: unknown) => {
        const failed = batch;
        batch = [];
        for (const q of failed) q.reject(err);
      });
    }
  };
  const outsideTransaction = async (db: BetterSqlite3.Database) => {
    while (db.inTransaction) await new Promise((r) => setTimeout(r, 1));
  };
  const driver: Driver = {
    async run(work) {
      const db = await ready();
      // not inside a Prisma transaction left open on this connection (see flush)
      await outsideTransaction(db);
      let next = work.next();
      while (!next.done) {
        const step = next.value;
        let result: Result;
        try {
          // a write while others wait for the lock would only block the event loop in vain
          if (busy.contended && prepared.get(step[0])?.reader !== true) throw busyNow;
          result = exec(db, step);
        } catch (err) {
          if (err !== busyNow && !isSqliteBusy(err)) throw err;
          // autocommit: the statement changed nothing; run it again once the lock is free
          result = await busy(
            async () => {
              await outsideTransaction(db);
              return exec(db, step);
            },
            { failedOnce: true },
          );
        }
        next = work.next(result);
      }
      return next.value;
    },
    async transaction(work) {
      const db = await ready();
      counter.n += 2; // BEGIN, COMMIT (shared with the others of its group)
      return new Promise((resolve, reject) => {
        if (batch.length === 0) setImmediate(() => flush(db));
        batch.push({ work, resolve: resolve as (v: unknown) => void, reject });
      });
    },
    date: (d) => d.toISOString().replace("Z", "+00:00"),
    bool: (b) => (b ? 1 : 0),
    jsonAgg: (expr) => `json_group_array(json_array(${expr}))`,
  };
  return createHotPathOver(driver, counter);
}

/**
 * The group commit's fsync, off the event loop. With synchronous=FULL, COMMIT itself waits
 * for an fsync of the WAL on the main thread (better-sqlite3 is synchronous): 10–20 ms on a
 * busy disk during which no other update is served (a third of the bot's busy time in a CPU
 * profile of the 200-secretary run). The group commits with synchronous=NORMAL (the WAL is
 * written, not synced), then the WAL is fdatasync'ed on libuv's thread pool and only then
 * do the callers go on — the same durability for everything the bot confirmed: no reply
 * before its commit is on disk. (Between the commit and the sync, another update can read
 * the new rows; a power cut then loses them together with the unsent reply, as a crash in
 * the middle of COMMIT would.) Only in WAL mode on a file; otherwise COMMIT syncs as before.
 */
const datasync = promisify(fdatasync);

function createWalSync() {
  let wal: { normal: BetterSqlite3.Statement; full: BetterSqlite3.Statement; path: string } | null | undefined;
  let file: { fd: number; ino: number } | undefined;
  // One fdatasync at a time: the groups committed while one runs share the next (one that
  // starts after their commit, so it covers them), as the groups share a commit.
  let running = false;
  let waiting: { resolve(): void; reject(e: unknown): void }[] = [];
  const syncNow = async (path: string) => {
    // the WAL file stays while the connection is open; reopen it if it was replaced
    const { ino } = await stat(path);
    if (!file || file.ino !== ino) {
      if (file) closeSync(file.fd);
      file = { fd: openSync(path, "r"), ino };
    }
    await datasync(file.fd);
  };
  const next = (path: string) => {
    running = true;
    const served = waiting;
    waiting = [];
    syncNow(path)
      .then(
        () => {
          for (const w of served) w.resolve();
        },
        (error: unknown) => {
          for (const w of served) w.reject(error);
        },
      )
      .finally(() => {
        running = false;
        if (waiting.length > 0) next(path);
      });
  };
  return {
    ready(db: BetterSqlite3.Database) {
      if (wal === undefined) {
        const mode = String(db.pragma("journal_mode", { simple: true }));
        const full = Number(db.pragma("synchronous", { simple: true })) >= 2;
        wal =
          mode === "wal" && full && !db.memory
            ? {
                normal: db.prepare("PRAGMA synchronous = NORMAL"),
                full: db.prepare("PRAGMA synchronous = FULL"),
                path: `${db.name}-wal`,
              }
            : null;
      }
      return wal;
    },
    sync(db: BetterSqlite3.Database): Promise<void> {
      const path = (wal ?? { path: `${db.name}-wal` }).path;
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!running) next(path);
      });
    },
  };
}
