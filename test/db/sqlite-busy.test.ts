// The asynchronous wait for another connection's SQLite write lock (src/db/sqlite-busy.ts),
// on two real better-sqlite3 connections of one file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BUSY_TIMEOUT_MS, createBusyRetry, isSqliteBusy } from "../../src/db/sqlite-busy.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function twoConnections() {
  const dir = mkdtempSync(join(tmpdir(), "ctd-busy-"));
  dirs.push(dir);
  const file = join(dir, "t.db");
  const holder = new Database(file);
  holder.pragma("journal_mode = WAL");
  holder.exec("CREATE TABLE t (x INTEGER)");
  const bot = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  return { holder, bot };
}

describe("createBusyRetry", () => {
  it("waits for the lock off the event loop, then runs the statement once, in arrival order", async () => {
    const { holder, bot } = twoConnections();
    holder.exec("BEGIN IMMEDIATE");
    const busy = createBusyRetry();
    const insert = bot.prepare("INSERT INTO t (x) VALUES (?)");
    const done: number[] = [];
    const waits = [1, 2, 3].map((x) => busy(() => insert.run(x)).then(() => done.push(x)));
    await new Promise((r) => setTimeout(r, 50));
    expect(busy.contended).toBe(true);
    expect(done).toEqual([]);
    holder.exec("COMMIT");
    await Promise.all(waits);
    expect(done).toEqual([1, 2, 3]);
    expect(busy.contended).toBe(false);
    expect(bot.prepare("SELECT x FROM t ORDER BY rowid").pluck().all()).toEqual([1, 2, 3]);
  });

  it("gives up with SQLITE_BUSY after the deadline; other errors are not retried", async () => {
    const { holder, bot } = twoConnections();
    holder.exec("BEGIN IMMEDIATE");
    const busy = createBusyRetry({ deadlineMs: 150 });
    const started = performance.now();
    const err = await busy(() => bot.exec("INSERT INTO t (x) VALUES (1)")).catch((e: unknown) => e);
    expect(isSqliteBusy(err)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    holder.exec("ROLLBACK");
    let calls = 0;
    const other = await busy(() => {
      calls++;
      bot.exec("INSERT INTO nowhere VALUES (1)");
    }).catch((e: unknown) => e);
    expect(String(other)).toContain("no such table");
    expect(calls).toBe(1);
  });

  it("recognises SQLITE_BUSY as Prisma's adapter wraps it", () => {
    expect(isSqliteBusy({ cause: { originalCode: "SQLITE_BUSY", kind: "SocketTimeout" } })).toBe(true);
    expect(isSqliteBusy({ code: "SQLITE_BUSY_SNAPSHOT" })).toBe(false);
    expect(isSqliteBusy(new Error("x"))).toBe(false);
  });
});
