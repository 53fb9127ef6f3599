// The notice to a board's secretaries that its leader approved or returned their report is a
// ledger action written in the decision's own transaction: a process that dies between the
// commit and the notice leaves an unfinished claim, which another instance takes over once its
// lease ran out and delivers once.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import { silentLogger } from "../../src/logger.ts";
import { createApprovalService } from "../../src/services/approval.service.ts";
import type { Clock } from "../../src/services/clock.ts";
import type { LedgerNotices } from "../../src/services/submission-notice.ts";
import { type TestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  addMember,
  at,
  boardReports,
  fixedClock,
  noticesRunBy,
  type Recorded,
  recordingMessenger,
  schedulerFor,
  TG,
  useSeededDb,
} from "./helpers.ts";

const plain = (html: string) => html.replace(/<[^>]+>/g, "");
const LEADER = 301n;
const HN_SECRETARY_2 = 211n;

describe.each(testDbKinds())("the approval decision notice on $name", (kind) => {
  let t: TestDb;
  let cluster: Cluster;
  const { otherInstance } = useSeededDb(kind, async (db, seeded) => {
    t = db;
    cluster = seeded;
    // Hà Nội has a leader and a second secretary; its report waits for the leader's approval
    const hn = (await t.repos.clusters.boardByCode(cluster.id, "HN"))!;
    for (const [telegramId, role] of [
      [LEADER, "leader"],
      [HN_SECRETARY_2, "secretary"],
    ] as const) {
      await addMember(t, t.repos, cluster.id, { telegramId, firstName: role, role, boardId: hn.id });
    }
    await boardReports(t.repos, cluster, "HN", at("2026-10-01 09:00"));
    await t.db.report.updateMany({ where: { boardId: hn.id }, data: { approval: "pending" } });
  });

  /** The leader decides through the approval service of one instance. */
  async function decide(
    clock: Clock,
    notices: LedgerNotices,
    decision: "approved" | "returned",
    reason: string | null,
  ) {
    const hn = (await t.repos.clusters.boardByCode(cluster.id, "HN"))!;
    const report = (await t.db.report.findFirst({ where: { boardId: hn.id } }))!;
    const leader = (await t.repos.people.byTelegramId(LEADER))!;
    const approvals = createApprovalService({ repos: t.repos, clock, notices, logger: silentLogger() });
    const input = { reportId: report.id, revision: report.revision, personId: leader.id, decision, reason };
    expect((await approvals.decide(input)).ok).toBe(true);
    // the same press again (a double tap, a retry after a restart) decides nothing and writes no notice
    expect(await approvals.decide(input)).toEqual({ ok: false, error: { code: "stale" } });
  }

  const noticeRows = async () => (await t.repos.ledger.list(cluster.id)).filter((r) => r.kind === "approval_decided");

  it("is written with the decision and delivered once, to the board's secretaries, by the deciding instance", async () => {
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    const a = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "a" });
    const runs: string[] = [];
    await decide(clock, noticesRunBy(a, clock, "a", runs), "approved", null);
    const rows = await noticeRows();
    expect(rows.map((r) => [r.key, r.status, r.claimedBy])).toEqual([
      [expect.stringMatching(/^#\d+:2026-Q3:decided:\d+:1$/), "done", "a"],
    ]);
    expect(runs).toEqual([rows[0]!.key]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, HN_SECRETARY_2].sort());
    expect(plain(log[0]!.html)).toContain("đã được lãnh đạo ban duyệt");
    expect((await t.repos.ledger.deliveries(rows[0]!.id)).map((d) => d.status)).toEqual(["sent", "sent"]);
    clock.set(at("2026-10-01 10:05"));
    expect(await a.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(2);
  });

  it("a process killed between the commit and the notice: another instance delivers it once", async () => {
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    // instance a commits the return and dies before its notice goes out
    await decide(clock, { instanceId: "a", deliver: async () => undefined }, "returned", "Thiếu số liệu quý");
    const [row] = await noticeRows();
    expect([row?.status, row?.claimedBy]).toEqual(["claimed", "a"]);
    expect((await t.db.report.findFirst({ where: { id: { gt: 0 }, approval: "returned" } }))?.status).toBe("draft");

    // instance b, its own client on the same database, sweeps for dead claims
    const b = otherInstance(clock, log, "b");
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 10_000));
    expect(await b.resume(clock.now())).toEqual([]); // a's claim may still be live
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 21_000));
    const lines = await b.resume(clock.now());
    expect(lines.map((l) => [l.kind, l.outcome, l.sent, l.resumed])).toEqual([["approval_decided", "done", 2, true]]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, HN_SECRETARY_2].sort());
    expect(plain(log[0]!.html)).toContain("Thiếu số liệu quý");
    clock.set(at("2026-10-01 10:10"));
    expect(await b.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(2);
  });
});
