// The notice to the chair that a board submitted is a ledger action written in the
// submission's own transaction: a process that dies between the commit and the notice
// leaves an unfinished claim, which another instance takes over once its lease ran out
// and delivers once.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import { silentLogger } from "../../src/logger.ts";
import { createAccessService } from "../../src/services/access.service.ts";
import type { Clock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import { createReportService } from "../../src/services/report.service.ts";
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

describe.each(testDbKinds())("the submission notice on $name", (kind) => {
  let t: TestDb;
  let cluster: Cluster;
  const { otherInstance } = useSeededDb(kind, (db, seeded) => {
    t = db;
    cluster = seeded;
  });

  /** The secretary of `code` submits through the report service of one instance. */
  async function submit(code: "HN" | "HCM", clock: Clock, notices: LedgerNotices) {
    await boardReports(t.repos, cluster, code, clock.now(), { submit: false });
    const periods = createPeriodService(t.repos, t.hot);
    const reports = createReportService({
      repos: t.repos,
      hot: t.hot,
      periods,
      clock,
      notices,
      logger: silentLogger(),
    });
    const actor = await createAccessService(t.repos, t.hot).resolve({ telegramId: TG[code], firstName: "Thư ký" });
    const opened = await reports.open(actor);
    if (!opened.ok) throw new Error(JSON.stringify(opened.refusal));
    const res = await reports.submit(opened.session, opened.session.revision, {
      key: `conv:${code}`,
      expected: undefined,
      value: null,
    });
    expect(res.ok).toBe(true);
  }

  /** Approval is required and board `code` has a leader; returns the board. */
  async function requireApprovalBy(code: "HN" | "HCM") {
    await t.db.cluster.update({ where: { id: cluster.id }, data: { approvalRequired: true } });
    const board = (await t.repos.clusters.boardByCode(cluster.id, code))!;
    await addMember(t, t.repos, cluster.id, {
      telegramId: LEADER,
      firstName: "Lãnh đạo",
      role: "leader",
      boardId: board.id,
    });
    return board;
  }

  it("is written with the submission and delivered once by the instance that submitted", async () => {
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    const messenger = recordingMessenger(t.repos, clock, log);
    const a = schedulerFor(t, { clock, messenger, instanceId: "a" });
    // the composition root binds the notices to the executor like this
    const runs: string[] = [];
    await submit("HN", clock, noticesRunBy(a, clock, "a", runs));
    const rows = (await t.repos.ledger.list(cluster.id)).filter((r) => r.kind === "report_submitted");
    expect(rows.map((r) => [r.key, r.status, r.claimedBy])).toEqual([
      [expect.stringMatching(/^#\d+:2026-Q3:submitted:\d+:1$/), "done", "a"],
    ]);
    expect(runs).toEqual([rows[0]!.key]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.chair, TG.deputy].sort());
    expect(plain(log[0]!.html)).toContain("Hà Nội");
    expect((await t.repos.ledger.deliveries(rows[0]!.id)).map((d) => d.status)).toEqual(["sent", "sent"]);
    // nothing left for anyone to take over
    clock.set(at("2026-10-01 10:05"));
    expect(await a.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(2);
  });

  it("a process killed between the commit and the notice: another instance delivers it once", async () => {
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    // instance a commits the submission and dies before its notice goes out
    await submit("HCM", clock, {
      instanceId: "a",
      deliver: async () => undefined,
    });
    const row = (await t.repos.ledger.list(cluster.id)).find((r) => r.kind === "report_submitted")!;
    expect([row.status, row.claimedBy]).toEqual(["claimed", "a"]);
    expect(log).toEqual([]);

    // instance b, its own client on the same database, sweeps for dead claims
    const b = otherInstance(clock, log, "b");
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 10_000));
    expect(await b.resume(clock.now())).toEqual([]); // a's claim may still be live
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 21_000));
    const lines = await b.resume(clock.now());
    expect(lines.map((l) => [l.kind, l.outcome, l.sent, l.resumed])).toEqual([["report_submitted", "done", 2, true]]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.chair, TG.deputy].sort());
    expect(plain(log[0]!.html)).toBe("📥 TP.HCM đã nộp — 1/3 đơn vị.");
    clock.set(at("2026-10-01 10:10"));
    expect(await b.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(2);
  });

  it("with approval required, the request to the board's leaders is a ledger action too: taken over once after a crash", async () => {
    await requireApprovalBy("HCM");
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    // instance a commits the submission and dies before either notice goes out
    await submit("HCM", clock, { instanceId: "a", deliver: async () => undefined });
    const rows = await t.repos.ledger.list(cluster.id);
    expect(rows.map((r) => [r.kind, r.status, r.claimedBy]).sort()).toEqual([
      ["approval_requested", "claimed", "a"],
      ["report_submitted", "claimed", "a"],
    ]);
    expect(rows.find((r) => r.kind === "approval_requested")?.key).toMatch(/^#\d+:2026-Q3:approval-request:\d+:1$/);

    const b = otherInstance(clock, log, "b");
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 21_000));
    const lines = await b.resume(clock.now());
    expect(lines.map((l) => [l.kind, l.outcome, l.sent, l.resumed]).sort()).toEqual([
      ["approval_requested", "done", 1, true],
      ["report_submitted", "done", 2, true],
    ]);
    const request = log.filter((r) => r.chatId === LEADER);
    expect(request).toHaveLength(1);
    expect(plain(request[0]!.html)).toContain("Hồ Chí Minh");
    expect(JSON.stringify(request[0]!.buttons)).toContain("ap:ok:");
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.chair, TG.deputy, LEADER].sort());
    clock.set(at("2026-10-01 10:10"));
    expect(await b.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(3);
  });

  it("a request taken over after the leader already decided (from /duyet) is not sent", async () => {
    const hn = await requireApprovalBy("HN");
    const clock = fixedClock(at("2026-10-01 10:00"));
    const log: Recorded[] = [];
    await submit("HN", clock, { instanceId: "a", deliver: async () => undefined });
    await t.db.report.updateMany({ where: { boardId: hn.id }, data: { approval: "approved" } });
    const b = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "b" });
    clock.set(new Date(at("2026-10-01 10:00").getTime() + 21_000));
    const lines = await b.resume(clock.now());
    expect(lines.map((l) => [l.kind, l.outcome, l.sent]).sort()).toEqual([
      ["approval_requested", "done", 0],
      ["report_submitted", "done", 2],
    ]);
    expect(log.filter((r) => r.chatId === LEADER)).toEqual([]);
  });
});
