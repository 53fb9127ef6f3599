// The statements every chat update runs, on the drivers themselves (prepared
// better-sqlite3 statements; named pg statements) instead of Prisma's query compiler,
// which costs ~1 ms per operation against ~20 µs for a prepared statement. Prisma
// stays the schema, the migrations and every other query.
//
// What runs per update: the exactly-once record of the update id, the report
// conversation's state (read, compare-and-set write), and storing an answer: one
// transaction with the right check (a current secretary of the board, the report not
// locked), the value, its audit row and the conversation's next state.
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { AnswerValue } from "../domain/types.ts";
import { auditJson } from "./mappers.ts";

export interface StoreAnswerInput {
  reportId: number;
  boardId: number;
  clusterId: number;
  indicatorId: number;
  value: AnswerValue;
  personId: number;
  at: Date;
  /** the conversation state this answer moves to, written in the same transaction */
  state: StateWrite;
}

export interface StateWrite {
  key: string;
  /** the stored value this write replaces (compare-and-set); undefined: there must be none */
  expected: string | undefined;
  /** builds the new value; given the report's values when `reloadValues` is set */
  value: (values: Record<string, AnswerValue> | undefined) => string;
  reloadValues?: { reportId: number } | undefined;
}

export type StoreOutcome = "ok" | "locked" | "not_allowed" | "conflict";

export interface HotPath {
  /** Records an update id; false when it was recorded before (a redelivery). */
  markHandled(botId: number, updateId: number, at: Date): Promise<boolean>;
  forget(botId: number, updateId: number): Promise<void>;
  readState(key: string): Promise<string | undefined>;
  /** Writes (or, with a null value, deletes) a state if it still is `expected`; false when another write got in first. */
  writeState(write: Omit<StateWrite, "value"> & { value: StateWrite["value"] | null }, at: Date): Promise<boolean>;
  /** Stores one answer (value, audit row, report touched, conversation state) in one transaction. */
  storeAnswer(input: StoreAnswerInput): Promise<StoreOutcome>;
  /** SQL statements run so far by this module (the statement-count test reads it) */
  readonly statements: number;
}

type Row = Record<string, unknown>;
type Result = { changes: number; rows: Row[] };
/** A statement to run; the driver sends back its result. */
type Step = [sql: string, args: unknown[]];
/** Work as a generator of statements: the SQLite driver drives it synchronously (so nothing interleaves with a transaction), pg asynchronously. */
type Work<T> = Generator<Step, T, Result>;

/** The few things the two dialects differ in. */
interface Driver {
  run<T>(work: Work<T>): Promise<T>;
  /** runs the work in one transaction; a thrown error rolls back */
  transaction<T>(work: Work<T>): Promise<T>;
  date(d: Date): unknown;
  bool(b: boolean): unknown;
}

const SQL = {
  markHandled:
    'INSERT INTO "processed_updates" ("bot_id", "update_id", "handled_at") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  forget: 'DELETE FROM "processed_updates" WHERE "bot_id" = ? AND "update_id" = ?',
  readState: 'SELECT "value" FROM "conversation_states" WHERE "key" = ?',
  insertState:
    'INSERT INTO "conversation_states" ("key", "value", "updated_at") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  updateState: 'UPDATE "conversation_states" SET "value" = ?, "updated_at" = ? WHERE "key" = ? AND "value" = ?',
  deleteState: 'DELETE FROM "conversation_states" WHERE "key" = ? AND "value" = ?',
  // the writer is a current secretary of the report's board, and the report is open for
  // writing (a draft, before the deadline, or unlocked by a chair)
  touchReport: `UPDATE "reports" SET "updated_at" = ? WHERE "id" = ? AND "board_id" = ?
    AND EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = ? AND m."board_id" = ? AND m."role" = 'secretary' AND m."revoked_at" IS NULL)
    AND ("status" <> 'submitted'
      OR ? < (SELECT p."deadline" FROM "periods" p WHERE p."id" = "reports"."period_id")
      OR ("unlocked_until" IS NOT NULL AND "unlocked_until" > ?))`,
  isMember: `SELECT 1 AS ok FROM "memberships" m
    WHERE m."person_id" = ? AND m."board_id" = ? AND m."role" = 'secretary' AND m."revoked_at" IS NULL`,
  valueBefore: 'SELECT "number", "text", "skipped" FROM "report_values" WHERE "report_id" = ? AND "indicator_id" = ?',
  upsertValue: `INSERT INTO "report_values" ("report_id", "indicator_id", "number", "text", "skipped", "answered_by_person_id", "answered_at")
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT ("report_id", "indicator_id") DO UPDATE SET "number" = excluded."number", "text" = excluded."text",
      "skipped" = excluded."skipped", "answered_by_person_id" = excluded."answered_by_person_id", "answered_at" = excluded."answered_at"`,
  audit: `INSERT INTO "audit_entries" ("cluster_id", "actor_person_id", "action", "entity", "entity_id", "before", "after", "at")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  values: 'SELECT "indicator_id", "number", "text", "skipped" FROM "report_values" WHERE "report_id" = ?',
} as const;

/** A stored value row → the answer it holds. */
export function valueOfRow(r: Row): AnswerValue {
  if (r.skipped === true || Number(r.skipped) === 1) return { kind: "skipped" };
  if (r.text !== null && r.text !== undefined) return { kind: "text", value: String(r.text) };
  return { kind: "number", value: Number(r.number ?? 0) };
}

class Rollback extends Error {
  constructor(readonly outcome: StoreOutcome) {
    super(outcome);
  }
}

function* one(sql: string, args: unknown[]): Work<Result> {
  return yield [sql, args];
}

function createHotPathOver(d: Driver, counter: { n: number }): HotPath {
  function* valuesOf(reportId: number): Work<Record<string, AnswerValue>> {
    const { rows } = yield* one(SQL.values, [reportId]);
    return Object.fromEntries(rows.map((row) => [String(row.indicator_id), valueOfRow(row)]));
  }

  function* putState(w: StateWrite, at: Date): Work<boolean> {
    const values = w.reloadValues ? yield* valuesOf(w.reloadValues.reportId) : undefined;
    const value = w.value(values);
    const res =
      w.expected === undefined
        ? yield* one(SQL.insertState, [w.key, value, d.date(at)])
        : yield* one(SQL.updateState, [value, d.date(at), w.key, w.expected]);
    return res.changes === 1;
  }

  function* store(i: StoreAnswerInput): Work<StoreOutcome> {
    const at = d.date(i.at);
    const touched = yield* one(SQL.touchReport, [at, i.reportId, i.boardId, i.personId, i.boardId, at, at]);
    if (touched.changes !== 1) {
      const member = yield* one(SQL.isMember, [i.personId, i.boardId]);
      throw new Rollback(member.rows.length > 0 ? "locked" : "not_allowed");
    }
    const before = (yield* one(SQL.valueBefore, [i.reportId, i.indicatorId])).rows[0];
    const v = i.value;
    yield* one(SQL.upsertValue, [
      i.reportId,
      i.indicatorId,
      v.kind === "number" ? v.value : null,
      v.kind === "text" ? v.value : null,
      d.bool(v.kind === "skipped"),
      i.personId,
      at,
    ]);
    yield* one(SQL.audit, [
      i.clusterId,
      i.personId,
      "value.set",
      "report_value",
      `${i.reportId}:${i.indicatorId}`,
      before ? auditJson(valueOfRow(before)) : null,
      auditJson(v),
      at,
    ]);
    if (!(yield* putState(i.state, i.at))) throw new Rollback("conflict");
    return "ok";
  }

  return {
    get statements() {
      return counter.n;
    },
    async markHandled(botId, updateId, at) {
      return (await d.run(one(SQL.markHandled, [botId, updateId, d.date(at)]))).changes === 1;
    },
    async forget(botId, updateId) {
      await d.run(one(SQL.forget, [botId, updateId]));
    },
    async readState(key) {
      const { rows } = await d.run(one(SQL.readState, [key]));
      return rows[0] ? String(rows[0].value) : undefined;
    },
    async writeState(w, at) {
      if (w.value === null) {
        if (w.expected === undefined) return true;
        return (await d.run(one(SQL.deleteState, [w.key, w.expected]))).changes === 1;
      }
      const work = putState({ ...w, value: w.value }, at);
      return w.reloadValues ? d.transaction(work) : d.run(work);
    },
    async storeAnswer(i) {
      try {
        return await d.transaction(store(i));
      } catch (err) {
        if (err instanceof Rollback) return err.outcome;
        throw err;
      }
    },
  };
}

/**
 * Over the better-sqlite3 connection Prisma's adapter uses (one connection: a second
 * one would wait on the write lock synchronously while Prisma's open transaction needs
 * the event loop to finish). Statements are prepared once; work runs synchronously, so
 * nothing else interleaves with a transaction.
 */
export function createSqliteHotPath(client: () => Promise<BetterSqlite3.Database>): HotPath {
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
  const driver: Driver = {
    async run(work) {
      return drive(await ready(), work);
    },
    async transaction(work) {
      const db = await ready();
      // Prisma may have a transaction open on this connection (BEGIN … awaiting): then
      // ours nests as a savepoint inside it, as better-sqlite3 does for nested transactions.
      counter.n += 2; // BEGIN, COMMIT
      return db.transaction(() => drive(db, work)).immediate();
    },
    date: (d) => d.toISOString().replace("Z", "+00:00"),
    bool: (b) => (b ? 1 : 0),
  };
  return createHotPathOver(driver, counter);
}

/** Over its own small pg pool, with named (server-side prepared) statements. */
export function createPostgresHotPath(pool: pg.Pool): HotPath {
  const counter = { n: 0 };
  const names = new Map<string, { text: string; name: string }>();
  const toPg = (sql: string) => {
    let q = names.get(sql);
    if (!q) {
      let n = 0;
      q = { text: sql.replace(/\?/g, () => `$${++n}`), name: `hot${names.size}` };
      names.set(sql, q);
    }
    return q;
  };
  const drive = async <T>(c: pg.Pool | pg.PoolClient, work: Work<T>): Promise<T> => {
    let next = work.next();
    while (!next.done) {
      const [sql, args] = next.value;
      counter.n++;
      const res = await c.query({ ...toPg(sql), values: args });
      next = work.next({ changes: res.rowCount ?? 0, rows: res.rows as Row[] });
    }
    return next.value;
  };
  const driver: Driver = {
    run: (work) => drive(pool, work),
    async transaction(work) {
      const c = await pool.connect();
      counter.n += 2; // BEGIN, COMMIT (or ROLLBACK)
      try {
        await c.query("BEGIN");
        const out = await drive(c, work);
        await c.query("COMMIT");
        return out;
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    // a timestamp without time zone column takes the UTC wall time of an ISO string
    date: (d) => d.toISOString(),
    bool: (b) => b,
  };
  return createHotPathOver(driver, counter);
}
