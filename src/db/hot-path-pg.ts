// The hot path over pg (see hot-path.ts): its own small pool, named statements.
import type pg from "pg";
import { createHotPathOver, type Driver, type HotPath, type Row, type StoreOutcome, type Work } from "./hot-path.ts";
import { auditJson } from "./mappers.ts";

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
      let failed: Error | undefined;
      try {
        await c.query("BEGIN");
        const out = await drive(c, work);
        await c.query("COMMIT");
        return out;
      } catch (err) {
        failed = err instanceof Error ? err : new Error(String(err));
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        // a failed transaction may have left the connection broken: the pool drops it
        c.release(failed);
      }
    },
    // a timestamp without time zone column takes the UTC wall time of an ISO string
    date: (d) => d.toISOString(),
    bool: (b) => b,
    jsonAgg: (expr) => `json_agg(json_build_array(${expr}))`,
  };
  const hot = createHotPathOver(driver, counter);
  const transactional = hot.storeAnswer.bind(hot);
  // An answer in one round trip: the function ctd_store_answer (migration
  // 20261130204000_pg_store_answer) runs the transaction's statements server-side, where
  // BEGIN, six statements and COMMIT were eight round trips. The rare shapes (no update
  // id to record, no state yet, a state built from the reloaded values) keep the transaction.
  hot.storeAnswer = async (i) => {
    const w = i.state;
    if (!w.claim || w.expected === undefined || w.reloadValues) return transactional(i);
    const v = i.value;
    const at = driver.date(i.at);
    counter.n++;
    try {
      const res = await pool.query({
        name: "hot_store_answer",
        text: "SELECT ctd_store_answer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) AS outcome",
        values: [
          at,
          i.reportId,
          i.boardId,
          i.personId,
          i.indicatorId,
          v.kind === "number" ? v.value : null,
          v.kind === "text" ? v.value : null,
          v.kind === "skipped",
          i.clusterId,
          `${i.reportId}:${i.indicatorId}`,
          auditJson(v),
          w.claim.botId,
          w.claim.updateId,
          w.key,
          w.value(undefined),
          w.expected,
        ],
      });
      return String(res.rows[0]?.outcome) as StoreOutcome;
    } catch (err) {
      const m = /^ctd_store_answer: (duplicate|conflict)$/.exec((err as { message?: string }).message ?? "");
      if (m && (err as { code?: string }).code === "P0001") return m[1] as StoreOutcome;
      throw err;
    }
  };
  return hot;
}
