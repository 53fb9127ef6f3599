// What each step of a report costs in SQL statements (Prisma's and the hot path's
// together), so the count cannot creep back up unnoticed: an answer is the update-id
// record, the state read and one transaction (right check, value before, value, audit,
// state). Measured over the real application and the HTTP stand-in on both databases.
import { afterEach, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

/**
 * Statements per step; a change here is a decision, not an accident. Every step the
 * conversation takes commits once: the update id is recorded inside the transaction that
 * stores what it changes (BEGIN and COMMIT are counted; on SQLite concurrent steps share
 * them, see the group commit in src/db/hot-path.ts).
 */
const BUDGET = {
  /** the first /baocao of the quarter: handled?, who is writing, the update id, the period created with its scoring snapshot and the report (Prisma), last quarter, the state */
  open: 19,
  /** a typed answer: handled?, state read, still a secretary; BEGIN, right check, value before, value, audit, update id, state, COMMIT */
  answer: 11,
  /** a button that only moves: handled?, state read, still a secretary; BEGIN, update id, state, COMMIT */
  back: 7,
  skip: 11,
  /** the last answer (a skip) leads to the review: the answer's transaction reads the stored values too */
  review: 12,
  /**
   * one transaction (report read, conditional update, audit, update id, the state deleted, the notice's ledger
   * row), the counts and the chair's notice; the notice as a ledger action costs 5 more than a bare send (the
   * row inserted in the transaction, the chair's delivery row reserved and marked, the row finished: 2 with
   * Prisma's updateMany), the price of a notice that a crash after the commit cannot lose
   */
  submit: 24,
  /** /baocao again (a correction): handled?, who is writing (2), the update id, the period (2), the report (2), last quarter, the state */
  reopen: 15,
};

/**
 * PostgreSQL stores an answer (or a skip) with one call of the function ctd_store_answer,
 * one round trip for what the transaction's eight statements (BEGIN … COMMIT) do on SQLite.
 */
const PG_BUDGET: typeof BUDGET = {
  ...BUDGET,
  /** handled?, state read, still a secretary; ctd_store_answer (right check, update id, state, value before, value, audit) */
  answer: 4,
  skip: 4,
};

describe.each(testDbKinds())("SQL statements per report step on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("stay within the budget", async () => {
    e = await startE2E(kind);
    await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const counts: Record<string, number> = {};
    const step = async (name: keyof typeof BUDGET, act: () => void, until: RegExp) => {
      await e.standin.waitForIdle({ quietMs: 50 });
      const before = e.app.db.statements();
      act();
      await lan.waitForMessage(until);
      await e.standin.waitForIdle({ quietMs: 50 });
      counts[name] = e.app.db.statements() - before;
    };
    await step("open", () => lan.send("/baocao"), /Chỉ tiêu 1\/4/);
    await step("answer", () => lan.send("12"), /Chỉ tiêu 2\/4/);
    await step("back", () => lan.press("⬅️ Quay lại"), /Chỉ tiêu 1\/4/);
    lan.press("✔️ Giữ nguyên");
    await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    lan.send("80");
    await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    await step("skip", () => lan.press("⏭ Bỏ qua"), /Chỉ tiêu 4\/4/);
    await step("review", () => lan.press("⏭ Bỏ qua"), /Bảng tổng hợp/);
    await step("submit", () => lan.press("✅ Nộp báo cáo"), /Đã nộp báo cáo/);
    await step("reopen", () => lan.send("/baocao"), /Bảng tổng hợp/);
    console.log(`statements per step on ${kind.name}: ${JSON.stringify(counts)}`);
    expect(counts).toEqual(kind.name === "postgres" ? PG_BUDGET : BUDGET);
  });
});
