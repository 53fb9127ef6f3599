// The notice to a board's secretaries that a chair unlocked their report after the deadline is a
// ledger action written in the unlock's own transaction: a process that dies between the commit
// and the notice leaves an unfinished claim, which another instance takes over once its lease ran
// out and delivers once. The key names the request: a retried update unlocks and tells once, a
// second /mokhoa (an extension) tells again.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import { silentLogger } from "../../src/logger.ts";
import type { Clock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import type { LedgerNotices } from "../../src/services/submission-notice.ts";
import { createUnlockService, type UnlockOutcome } from "../../src/services/unlock.service.ts";
import { type TestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  addMember,
  at,
  boardReports,
  fixedClock,
  noticesRunBy,
  Q3,
  type Recorded,
  recordingMessenger,
  schedulerFor,
  TG,
  useSeededDb,
} from "./helpers.ts";

const plain = (html: string) => html.replace(/<[^>]+>/g, "");
const HN_SECRETARY_2 = 211n;
const AFTER_DEADLINE = at("2026-10-06 10:00"); // the deadline was 05/10 17:00

describe.each(testDbKinds())("the unlock notice on $name", (kind) => {
  let t: TestDb;
  let cluster: Cluster;
  const { otherInstance } = useSeededDb(kind, async (db, seeded) => {
    t = db;
    cluster = seeded;
    // Hà Nội has a second secretary and submitted on time; the deadline has passed
    const hn = (await t.repos.clusters.boardByCode(cluster.id, "HN"))!;
    await addMember(t, t.repos, cluster.id, {
      telegramId: HN_SECRETARY_2,
      firstName: "Thư ký 2",
      role: "secretary",
      boardId: hn.id,
    });
    await boardReports(t.repos, cluster, "HN", at("2026-10-01 09:00"));
  });

  /** The chair unlocks Hà Nội's report through the unlock service of one instance, for `request`. */
  async function unlock(clock: Clock, notices: LedgerNotices, request: string, hours = 48) {
    const view = await createPeriodService(t.repos).view(cluster, Q3, clock.now());
    const chair = (await t.repos.people.byTelegramId(TG.chair))!;
    const service = createUnlockService({ repos: t.repos, notices, clock, logger: silentLogger() });
    const out = await service.unlock({ cluster, view, boardCode: "HN", hours, actorPersonId: chair.id, request });
    if (!out.ok) throw new Error(JSON.stringify(out));
    return out as Extract<UnlockOutcome, { ok: true }>;
  }

  /** Instance a commits and dies before its notice goes out. */
  const dies: LedgerNotices = { instanceId: "a", deliver: async () => undefined };

  const rows = async () =>
    (await t.repos.ledger.list(cluster.id)).filter((r) => r.kind === "report_unlocked").sort((x, y) => x.id - y.id);
  const audits = () => t.db.auditEntry.count({ where: { action: "report.unlock" } });
  const unlockedUntil = async () => (await t.db.report.findFirst({ where: { status: "submitted" } }))?.unlockedUntil;

  it("is written with the unlock and delivered once by the unlocking instance; an extension tells again, a retry does not", async () => {
    const clock = fixedClock(AFTER_DEADLINE);
    const log: Recorded[] = [];
    const a = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "a" });
    const first = await unlock(clock, noticesRunBy(a, clock, "a"), "u1-500");
    expect([first.notified, first.pending]).toEqual([2, false]);
    expect(first.until).toEqual(at("2026-10-08 10:00"));
    const [row] = await rows();
    expect([row?.key, row?.status, row?.claimedBy]).toEqual([
      expect.stringMatching(/^#\d+:2026-Q3:unlocked:\d+:u1-500$/),
      "done",
      "a",
    ]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, HN_SECRETARY_2].sort());
    expect(plain(log[0]!.html)).toContain(
      "đã mở khóa báo cáo quý III/2026 của đơn vị đồng chí đến 10:00 ngày 08/10/2026",
    );
    expect((await t.repos.ledger.deliveries(row!.id)).map((d) => d.status)).toEqual(["sent", "sent"]);

    // the same update again, a minute later (its handling failed after the commit): nothing changes
    clock.set(at("2026-10-06 10:01"));
    const retry = await unlock(clock, noticesRunBy(a, clock, "a"), "u1-500");
    expect([retry.until, retry.notified, retry.pending]).toEqual([first.until, 2, false]);
    expect([await rows(), await audits(), await unlockedUntil()]).toEqual([[row], 1, first.until]);
    expect(log).toHaveLength(2);

    // a second /mokhoa the next day extends the unlock: a request of its own, told again
    clock.set(at("2026-10-07 09:00"));
    const again = await unlock(clock, noticesRunBy(a, clock, "a"), "u1-501", 24);
    expect([again.until, again.notified, again.pending]).toEqual([at("2026-10-08 09:00"), 2, false]);
    expect((await rows()).map((r) => [r.key.split(":").at(-1), r.status])).toEqual([
      ["u1-500", "done"],
      ["u1-501", "done"],
    ]);
    expect(await audits()).toBe(2);
    expect(log).toHaveLength(4);
    expect(plain(log[3]!.html)).toContain("đến 09:00 ngày 08/10/2026");

    // nothing left for anyone to take over
    clock.set(at("2026-10-07 09:05"));
    expect(await a.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(4);
  });

  it("a process killed between the commit and the notice: another instance delivers it once", async () => {
    const clock = fixedClock(AFTER_DEADLINE);
    const log: Recorded[] = [];
    const out = await unlock(clock, dies, "u1-600");
    // the chair is told the truth: unlocked, the notice still on its way
    expect([out.notified, out.pending]).toEqual([0, true]);
    const [row] = await rows();
    expect([row?.status, row?.claimedBy]).toEqual(["claimed", "a"]);
    expect(await unlockedUntil()).toEqual(at("2026-10-08 10:00"));

    // a retry of the same update before the takeover unlocks nothing more and writes no second notice
    clock.set(new Date(AFTER_DEADLINE.getTime() + 5_000));
    const retry = await unlock(clock, dies, "u1-600");
    expect([retry.until, retry.notified, retry.pending]).toEqual([at("2026-10-08 10:00"), 0, true]);
    expect([(await rows()).length, await audits()]).toEqual([1, 1]);

    // instance b, its own client on the same database, sweeps for dead claims
    const b = otherInstance(clock, log, "b");
    clock.set(new Date(AFTER_DEADLINE.getTime() + 10_000));
    expect(await b.resume(clock.now())).toEqual([]); // a's claim may still be live
    clock.set(new Date(AFTER_DEADLINE.getTime() + 21_000));
    const lines = await b.resume(clock.now());
    expect(lines.map((l) => [l.kind, l.outcome, l.sent, l.resumed])).toEqual([["report_unlocked", "done", 2, true]]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, HN_SECRETARY_2].sort());
    expect(plain(log[0]!.html)).toContain("đến 10:00 ngày 08/10/2026. Gõ /baocao để sửa và nộp lại.");
    clock.set(at("2026-10-06 10:10"));
    expect(await b.resume(clock.now())).toEqual([]);
    expect(log).toHaveLength(2);
  });

  it("a notice taken over after a later unlock replaced it, or after it ran out, is not sent", async () => {
    const clock = fixedClock(AFTER_DEADLINE);
    const log: Recorded[] = [];
    await unlock(clock, dies, "u1-700");
    // the chair, without an answer, unlocks again on another instance: that notice goes out at once
    const c = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "c" });
    clock.set(new Date(AFTER_DEADLINE.getTime() + 3_000));
    const second = await unlock(clock, noticesRunBy(c, clock, "c"), "u1-701", 24);
    expect(second.notified).toBe(2);
    const b = otherInstance(clock, log, "b");
    clock.set(new Date(AFTER_DEADLINE.getTime() + 21_000));
    const lines = await b.resume(clock.now());
    // the first notice would say 08/10 while the report is open until 07/10: its secretaries heard the second
    expect(lines.map((l) => [l.kind, l.outcome, l.sent])).toEqual([["report_unlocked", "done", 0]]);
    expect(log).toHaveLength(2);
    expect(log.every((r) => plain(r.html).includes("đến 10:00 ngày 07/10/2026"))).toBe(true);

    // an unlock for one hour whose notice is taken over only after that hour: not sent either
    clock.set(at("2026-10-07 12:00"));
    await unlock(clock, dies, "u1-702", 1);
    clock.set(at("2026-10-07 13:01"));
    expect((await b.resume(clock.now())).map((l) => [l.kind, l.outcome, l.sent])).toEqual([
      ["report_unlocked", "done", 0],
    ]);
    expect(log).toHaveLength(2);
  });

  it("two deliveries of one update at once (a webhook retried while the first still ran): one unlock, one notice", async () => {
    const clock = fixedClock(AFTER_DEADLINE);
    const log: Recorded[] = [];
    const a = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "a" });
    const outs = await Promise.all([
      unlock(clock, noticesRunBy(a, clock, "a"), "u1-800"),
      unlock(clock, noticesRunBy(a, clock, "a"), "u1-800"),
    ]);
    expect(outs.map((o) => o.until)).toEqual([at("2026-10-08 10:00"), at("2026-10-08 10:00")]);
    expect([(await rows()).length, await audits()]).toEqual([1, 1]);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, HN_SECRETARY_2].sort());
  });
});
