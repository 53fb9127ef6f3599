import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import type { TickLine } from "../../src/services/ledger-executor.ts";
import { type TestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  at,
  boardReports,
  fixedClock,
  GROUP,
  periodDatesFor,
  type Recorded,
  recordingMessenger,
  schedulerFor,
  TG,
  useSeededDb,
} from "./helpers.ts";

const START_BUTTON = [[{ text: "📝 Nhập báo cáo", data: "baocao" }]];
const hours = (from: Date, to: Date) => {
  const out: Date[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += 3_600_000) out.push(new Date(t));
  return out;
};
const plain = (html: string) => html.replace(/<[^>]+>/g, "");

describe.each(testDbKinds())("scheduler on $name", (kind) => {
  let t: TestDb;
  let cluster: Cluster;
  const { otherProcess } = useSeededDb(kind, (db, seeded) => {
    t = db;
    cluster = seeded;
  });

  it("runs a whole quarter: opening, reminders to laggards only, deadline list, summary post", async () => {
    const clock = fixedClock(at("2026-09-19 00:00"));
    const messenger = recordingMessenger(t.repos, clock);
    const scheduler = schedulerFor(t, { clock, messenger });
    const timeline: { now: Date; line: TickLine }[] = [];
    // The boards' side of the quarter, by time.
    const events: [Date, () => Promise<void>][] = [
      [at("2026-09-25 10:00"), () => boardReports(t.repos, cluster, "HN", at("2026-09-25 10:00"))],
      [
        at("2026-09-28 10:00"),
        () => boardReports(t.repos, cluster, "HCM", at("2026-09-28 10:00"), { answered: 1, submit: false }),
      ],
      [at("2026-10-03 09:00"), () => boardReports(t.repos, cluster, "HCM", at("2026-10-03 09:00"))],
      [at("2026-10-06 09:00"), () => boardReports(t.repos, cluster, "HP", at("2026-10-06 09:00"))],
    ];
    for (const now of hours(at("2026-09-19 00:00"), at("2026-10-10 12:00"))) {
      clock.set(now);
      while (events[0] && events[0][0].getTime() <= now.getTime()) await events.shift()![1]();
      for (const line of await scheduler.tick(now)) timeline.push({ now, line });
    }

    if (kind.name === "sqlite") {
      const fmt = (d: Date) => d.toLocaleString("sv-SE", { timeZone: "Asia/Ho_Chi_Minh" }).slice(0, 16);
      const rows = timeline.map(
        ({ now, line }) =>
          `${fmt(now)}  ${line.key.padEnd(32)} ${line.outcome.padEnd(7)} ${line.recipients} recipient(s)` +
          `${line.detail ? `  ${line.detail}` : ""}`,
      );
      console.log(`Simulated quarter (Asia/Ho_Chi_Minh, hourly ticks):\n${rows.join("\n")}`);
    }

    const byChat = (id: bigint) => messenger.to(id).map((r: Recorded) => [r.at, plain(r.html).split("\n")[0]]);
    // Opening: every secretary, with the button that starts /baocao.
    for (const id of [TG.HN, TG.HCM, TG.HP]) {
      const first = messenger.to(id)[0]!;
      expect(first.at).toEqual(at("2026-09-20 08:00"));
      expect(plain(first.html)).toContain("Kỳ báo cáo quý III/2026 đã mở");
      expect(plain(first.html)).toContain("Hạn nộp: 17:00 ngày 05/10/2026 (còn 15 ngày 9 giờ)");
      expect(first.buttons).toEqual(START_BUTTON);
    }
    expect(byChat(TG.HN)).toHaveLength(1); // submitted on 25 Sep: never reminded
    expect(byChat(TG.HCM).map((x) => x[0])).toEqual([at("2026-09-20 08:00"), at("2026-10-02 17:00")]);
    const hcmReminder = plain(messenger.to(TG.HCM)[1]!.html);
    expect(hcmReminder).toContain("Nhắc nhở: báo cáo quý III/2026 của Ban Tổ chức Thành ủy TP. Hồ Chí Minh chưa nộp.");
    expect(hcmReminder).toContain("Hạn nộp: 17:00 ngày 05/10/2026 (còn 3 ngày)");
    expect(hcmReminder).toContain("Còn 2/3 chỉ tiêu chưa nhập.");
    expect(messenger.to(TG.HCM)[1]!.buttons).toEqual(START_BUTTON);
    expect(byChat(TG.HP).map((x) => x[0])).toEqual([
      at("2026-09-20 08:00"),
      at("2026-10-02 17:00"),
      at("2026-10-04 17:00"),
      at("2026-10-05 15:00"),
    ]);
    expect(plain(messenger.to(TG.HP)[3]!.html)).toContain("(còn 2 giờ)");
    expect(plain(messenger.to(TG.HP)[3]!.html)).toContain("Còn 3/3 chỉ tiêu chưa nhập.");
    // Deadline: chair and deputy get the list.
    for (const id of [TG.chair, TG.deputy]) {
      const msgs = messenger.to(id);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.at).toEqual(at("2026-10-05 17:00"));
      const text = plain(msgs[0]!.html);
      expect(text).toContain("Đã hết hạn nộp báo cáo quý III/2026 (17:00 ngày 05/10/2026)");
      expect(text).toContain("Đã nộp: 2/3 đơn vị.");
      expect(text).toContain("⬜ Hải Phòng — chưa nộp");
      expect(text).not.toContain("Hà Nội —");
    }
    // Summary post: a short text to the group.
    const group = messenger.to(GROUP);
    expect(group).toHaveLength(1);
    expect(group[0]!.at).toEqual(at("2026-10-09 16:00"));
    expect(plain(group[0]!.html)).toContain("Tổng kết thi đua quý III/2026");
    expect(group[0]!.html).toContain("/tongket Q3/2026");
    expect(messenger.log).toHaveLength(3 + 2 + 1 + 1 + 2 + 1);

    // HP submitted after the deadline: late.
    const period = (await t.repos.periods.find(cluster.id, { year: 2026, quarter: 3 }))!;
    const hp = (await t.repos.clusters.boardByCode(cluster.id, "HP"))!;
    expect((await t.repos.reports.find(period.id, hp.id))?.late).toBe(true);

    // Every ledger row: the previous quarter skipped on first start, this quarter done once each.
    const ledger = await t.repos.ledger.list(cluster.id);
    expect(ledger.map((r) => [r.key, r.status])).toEqual([
      ["btc-test:2026-Q2:open", "skipped"],
      ["btc-test:2026-Q2:reminder:3d", "skipped"],
      ["btc-test:2026-Q2:reminder:1d", "skipped"],
      ["btc-test:2026-Q2:reminder:2h", "skipped"],
      ["btc-test:2026-Q2:deadline", "skipped"],
      ["btc-test:2026-Q2:summary_post", "skipped"],
      ["btc-test:2026-Q3:open", "done"],
      ["btc-test:2026-Q3:reminder:3d", "done"],
      ["btc-test:2026-Q3:reminder:1d", "done"],
      ["btc-test:2026-Q3:reminder:2h", "done"],
      ["btc-test:2026-Q3:deadline", "done"],
      ["btc-test:2026-Q3:summary_post", "done"],
    ]);
    const q3 = ledger.filter((r) => r.key.includes("Q3"));
    expect(q3.every((r) => r.periodId === period.id && r.claimedBy === "test-1")).toBe(true);
    expect(q3.map((r) => JSON.parse(r.detail ?? "{}").sent)).toEqual([3, 2, 1, 1, 2, 1]);
    const deliveries = await t.repos.ledger.deliveries(q3[1]!.id);
    expect(deliveries.map((d) => [d.chatId, d.status])).toEqual([
      [TG.HCM, "sent"],
      [TG.HP, "sent"],
    ]);
    expect(timeline.filter((x) => x.line.key.includes("Q3")).map((x) => x.now)).toEqual([
      at("2026-09-20 08:00"),
      at("2026-10-02 17:00"),
      at("2026-10-04 17:00"),
      at("2026-10-05 15:00"),
      at("2026-10-05 17:00"),
      at("2026-10-09 16:00"),
    ]);

    // Running the same quarter again sends nothing.
    const before = messenger.log.length;
    for (const now of hours(at("2026-09-20 07:00"), at("2026-10-10 00:00"))) {
      expect(await scheduler.tick(now)).toEqual([]);
    }
    expect(messenger.log).toHaveLength(before);
  }, 120_000);

  it("a process restarted between two ticks sends nothing twice", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const log: Recorded[] = [];
    const a = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "a" });
    expect((await a.tick(clock.now())).map((l) => [l.key, l.outcome, l.sent])).toContainEqual([
      "btc-test:2026-Q3:open",
      "done",
      3,
    ]);
    // "restart": a new process with its own client and service, same minute and later
    const b = otherProcess();
    const sb = schedulerFor(b.handle, { clock, messenger: recordingMessenger(b.repos, clock, log), instanceId: "b" });
    expect(await sb.tick(at("2026-09-20 08:00"))).toEqual([]);
    clock.set(at("2026-09-20 09:00"));
    expect(await sb.tick(clock.now())).toEqual([]);
    expect(log).toHaveLength(3);
  });

  it("a process killed mid-fan-out is taken over once its lease runs out, without resending", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const log: Recorded[] = [];
    const ma = recordingMessenger(t.repos, clock, log);
    ma.hangOn.add(TG.HCM); // the process dies while sending to the second secretary
    // a's lease timer, driven by hand: each beat() is a renewal of a live process
    let beat = () => {};
    const every = (_ms: number, fn: () => void) => {
      beat = fn;
      return () => {
        beat = () => {};
      };
    };
    const a = schedulerFor(t, { clock, messenger: ma, instanceId: "a", every });
    void a.tick(clock.now());
    await waitFor(async () => {
      const row = (await t.repos.ledger.list(cluster.id)).find((r) => r.key === "btc-test:2026-Q3:open");
      return row ? (await t.repos.ledger.deliveries(row.id)).some((d) => d.chatId === TG.HCM) : false;
    });
    // the other sends in flight beside the hung one go through
    await waitFor(async () => log.length === 2);
    expect(log.map((r) => r.chatId).sort()).toEqual([TG.HN, TG.HP].sort());

    const b = otherProcess();
    const sb = schedulerFor(b.handle, { clock, messenger: recordingMessenger(b.repos, clock, log), instanceId: "b" });
    const claimedAt = async () =>
      (await t.repos.ledger.list(cluster.id)).find((r) => r.key === "btc-test:2026-Q3:open")!.claimedAt;
    // a is alive: it renews at 08:00:15, so at 08:00:30 its claim is fresh (lease 20 s)
    clock.set(new Date(at("2026-09-20 08:00").getTime() + 15_000));
    beat();
    await waitFor(async () => (await claimedAt()).getTime() === clock.now().getTime());
    clock.set(new Date(at("2026-09-20 08:00").getTime() + 30_000));
    expect(await sb.resume(clock.now())).toEqual([]);
    expect(await sb.tick(clock.now())).toEqual([]);
    // a dies (no more renewals): 20 s after its last renewal the action is b's
    clock.set(new Date(at("2026-09-20 08:00").getTime() + 36_000));
    const lines = await sb.resume(clock.now());
    expect(lines.map((l) => [l.key, l.outcome, l.recipients, l.resumed])).toEqual([
      ["btc-test:2026-Q3:open", "done", 1, true],
    ]);
    expect([log.length, log.at(-1)?.chatId]).toEqual([3, TG.HCM]);
    const row = (await t.repos.ledger.list(cluster.id)).find((r) => r.key === "btc-test:2026-Q3:open")!;
    expect([row.status, row.claimedBy]).toEqual(["done", "b"]);
    expect((await t.repos.ledger.deliveries(row.id)).map((d) => d.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("after two days of downtime catches up inside the grace window and skips what is stale", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const messenger = recordingMessenger(t.repos, clock);
    const s = schedulerFor(t, { clock, messenger });
    await s.tick(clock.now());
    clock.set(at("2026-10-02 09:00"));
    await s.tick(clock.now());
    // down from 2 Oct 09:00 to 4 Oct 17:30; the 3d reminder (2 Oct 17:00) is stale, the 1d one (4 Oct 17:00) is not
    clock.set(at("2026-10-04 17:30"));
    const lines = await s.tick(clock.now());
    expect(lines.map((l) => [l.key, l.outcome, l.recipients, l.detail])).toEqual([
      ["btc-test:2026-Q3:reminder:3d", "skipped", 0, "stale: missed the grace window"],
      ["btc-test:2026-Q3:reminder:1d", "done", 3, undefined],
    ]);
    expect(messenger.log.filter((r) => r.at.getTime() === clock.now().getTime())).toHaveLength(3);
    const rows = await t.repos.ledger.list(cluster.id);
    expect(rows.find((r) => r.key.endsWith("Q3:reminder:3d"))).toMatchObject({ status: "skipped" });
    expect(rows.find((r) => r.key.endsWith("Q3:reminder:1d"))).toMatchObject({ status: "done" });
  });

  it("two processes ticking the same minute send each message exactly once", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const log: Recorded[] = [];
    const b = otherProcess();
    const sa = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock, log), instanceId: "a" });
    const sb = schedulerFor(b.handle, { clock, messenger: recordingMessenger(b.repos, clock, log), instanceId: "b" });
    const times = ["2026-09-20 08:00", "2026-10-02 17:00", "2026-10-04 17:00", "2026-10-05 15:00", "2026-10-05 17:00"];
    const done: TickLine[] = [];
    for (const s of times) {
      clock.set(at(s));
      const [la, lb] = await Promise.all([sa.tick(at(s)), sb.tick(at(s))]);
      done.push(...la, ...lb);
    }
    const q3 = done.filter((l) => l.key.includes("Q3"));
    expect(q3.map((l) => l.key).sort()).toEqual(
      ["open", "reminder:3d", "reminder:1d", "reminder:2h", "deadline"].map((k) => `btc-test:2026-Q3:${k}`).sort(),
    );
    expect(log).toHaveLength(3 + 3 + 3 + 3 + 2);
    const seen = new Set(log.map((r) => `${r.chatId}|${r.html}`));
    expect(seen.size).toBe(log.length);
    const rows = await t.repos.ledger.list(cluster.id);
    expect(rows.filter((r) => r.key.includes("Q3")).every((r) => r.status === "done")).toBe(true);
  });

  it("records a 403 on the secretary, tells the chair once, and goes on", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const messenger = recordingMessenger(t.repos, clock);
    messenger.blocked.add(TG.HP);
    messenger.failing.add(TG.HCM);
    const s = schedulerFor(t, { clock, messenger });
    const open = (await s.tick(clock.now())).find((l) => l.key.endsWith("Q3:open"))!;
    expect([open.outcome, open.recipients, open.sent, open.blocked, open.failed]).toEqual(["failed", 3, 1, 1, 1]);
    expect((await t.repos.people.byTelegramId(TG.HP))?.blockedAt).toEqual(at("2026-09-20 08:00"));
    for (const id of [TG.chair, TG.deputy]) {
      expect(messenger.to(id).map((r) => plain(r.html))).toEqual([
        "⚠️ Bot không gửi được tin nhắn cho: Thư ký Hải Phòng (Hải Phòng) (đã chặn bot hoặc chưa từng mở trò chuyện với bot). Đề nghị liên hệ trực tiếp.",
      ]);
    }
    messenger.failing.clear();
    for (const s2 of ["2026-10-02 17:00", "2026-10-04 17:00"]) {
      clock.set(at(s2));
      await s.tick(clock.now());
    }
    expect(messenger.to(TG.chair)).toHaveLength(1); // told once, not at every reminder
    clock.set(at("2026-10-05 17:00"));
    await s.tick(clock.now());
    const deadline = plain(messenger.to(TG.chair)[1]!.html);
    expect(deadline).toContain("Không gửi được tin cho: Thư ký Hải Phòng (Hải Phòng)");
    const rows = await t.repos.ledger.list(cluster.id);
    expect(rows.filter((r) => r.kind === "blocked_notice").map((r) => r.key)).toEqual([
      expect.stringMatching(/^btc-test:2026-Q3:blocked:\d+$/),
    ]);
  });

  it("holds messages during quiet hours until they end", async () => {
    // the period opens at 22:30 by override: the announcement waits for 07:00
    await t.repos.clusters.apply(
      {
        ...(await import("../helpers/fixtures.ts")).clusterInput({
          overrides: { "2026-Q3": { opens: "2026-09-20T22:30" } },
        }),
      },
      at("2026-09-01 08:00"),
    );
    const clock = fixedClock(at("2026-09-20 22:30"));
    const messenger = recordingMessenger(t.repos, clock);
    const s = schedulerFor(t, { clock, messenger });
    expect((await s.tick(clock.now())).filter((l) => l.key.includes("Q3"))).toEqual([]);
    clock.set(at("2026-09-21 06:59"));
    expect((await s.tick(clock.now())).filter((l) => l.key.includes("Q3"))).toEqual([]);
    clock.set(at("2026-09-21 07:00"));
    expect((await s.tick(clock.now())).map((l) => l.key)).toEqual(["btc-test:2026-Q3:open"]);
    expect(messenger.log).toHaveLength(3);

    // down from 14:00 to 22:00 on the deadline day: the 2h reminder is pointless now, the deadline list waits
    for (const s2 of ["2026-10-02 17:00", "2026-10-04 17:00", "2026-10-05 14:00"]) {
      clock.set(at(s2));
      await s.tick(clock.now());
    }
    const sent = messenger.log.length;
    clock.set(at("2026-10-05 22:00"));
    expect((await s.tick(clock.now())).map((l) => [l.key, l.outcome])).toEqual([
      ["btc-test:2026-Q3:reminder:2h", "skipped"],
    ]);
    expect(messenger.log).toHaveLength(sent);
    clock.set(at("2026-10-06 07:00"));
    expect((await s.tick(clock.now())).map((l) => [l.key, l.outcome])).toEqual([["btc-test:2026-Q3:deadline", "done"]]);
    expect(messenger.to(TG.chair).map((r) => r.at)).toEqual([at("2026-10-06 07:00")]);
  });

  it("hands the summary post to the summary poster once, and fails it without a group", async () => {
    const clock = fixedClock(at("2026-10-09 16:00"));
    const posted: string[] = [];
    const s = schedulerFor(t, {
      clock,
      messenger: recordingMessenger(t.repos, clock),
      summaryPoster: async (c, ref) => {
        posted.push(`${c.code} ${ref.year}-Q${ref.quarter}`);
      },
    });
    const lines = await s.tick(clock.now());
    expect(lines.find((l) => l.key.endsWith("Q3:summary_post"))).toMatchObject({ outcome: "done", sent: 1 });
    expect(posted).toEqual(["btc-test 2026-Q3"]);
    expect(await s.tick(at("2026-10-09 16:01"))).toEqual([]);

    const { clusterInput } = await import("../helpers/fixtures.ts");
    await t.repos.clusters.apply(clusterInput({ code: "btc-no-group", groupChatId: null }), clock.now());
    const plainScheduler = schedulerFor(t, { clock, messenger: recordingMessenger(t.repos, clock) });
    const other = await plainScheduler.tick(at("2026-10-09 16:02"));
    // without a group the post fails: the chair is told (once) and later ticks retry it until the briefing
    expect(other.find((l) => l.key === "btc-no-group:2026-Q3:summary_post")).toMatchObject({
      outcome: "failed",
      detail: "no group chat",
    });
  });

  it("/nhacnho: reminds the boards not submitted now, once per minute", async () => {
    const clock = fixedClock(at("2026-10-03 10:00"));
    const messenger = recordingMessenger(t.repos, clock);
    const s = schedulerFor(t, { clock, messenger });
    const chair = (await t.repos.people.byTelegramId(TG.chair))!;
    await boardReports(t.repos, cluster, "HN", at("2026-10-01 10:00"));
    const first = await s.remindNow(cluster.id, chair.id, clock.now());
    expect(first).toEqual({
      ok: true,
      ref: { year: 2026, quarter: 3 },
      reminded: 2,
      boards: 2,
      notDelivered: 0,
      withoutSecretary: [],
    });
    // sent four at a time: in any order
    expect(messenger.log.map((r) => r.chatId).sort()).toEqual([TG.HCM, TG.HP].sort());
    expect(plain(messenger.log[0]!.html)).toContain("Cụm trưởng nhắc nhở");
    expect(await s.remindNow(cluster.id, chair.id, at("2026-10-03 10:00"))).toEqual({ ok: false, reason: "duplicate" });
    expect(await s.remindNow(cluster.id, chair.id, at("2026-10-03 10:01"))).toMatchObject({ ok: true, reminded: 2 });
    expect(await s.remindNow(cluster.id, chair.id, at("2026-10-03 22:00"))).toEqual({
      ok: false,
      reason: "quiet_hours",
      from: "21:00",
      to: "07:00",
    });
    expect(await s.remindNow(cluster.id, chair.id, at("2026-09-15 10:00"))).toEqual({ ok: false, reason: "not_open" });
    await boardReports(t.repos, cluster, "HCM", at("2026-10-03 11:00"));
    await boardReports(t.repos, cluster, "HP", at("2026-10-03 11:00"));
    expect(await s.remindNow(cluster.id, chair.id, at("2026-10-03 12:00"))).toEqual({
      ok: false,
      reason: "all_submitted",
      ref: { year: 2026, quarter: 3 },
    });
    const manual = (await t.repos.ledger.list(cluster.id)).filter((r) => r.kind === "manual_reminder");
    expect(manual.map((r) => [r.key, r.status])).toEqual([
      ["btc-test:2026-Q3:manual:2026-10-03T10:00", "done"],
      ["btc-test:2026-Q3:manual:2026-10-03T10:01", "done"],
    ]);
  });

  it("/lich moves one date; the planner follows the stored date", async () => {
    const clock = fixedClock(at("2026-09-25 10:00"));
    const messenger = recordingMessenger(t.repos, clock);
    const s = schedulerFor(t, { clock, messenger });
    const dates = periodDatesFor(t);
    const chair = (await t.repos.people.byTelegramId(TG.chair))!;
    const base = { clusterId: cluster.id, actorPersonId: chair.id, now: clock.now() };
    const moved = await dates.movePeriodDate({ ...base, period: "Q3", field: "deadline", when: "07/10/2026 17:00" });
    expect(moved).toMatchObject({ ok: true, ref: { year: 2026, quarter: 3 }, field: "deadline", alreadySent: false });
    expect(moved.ok && moved.period.deadline).toEqual(at("2026-10-07 17:00"));
    expect(
      await dates.movePeriodDate({ ...base, period: "Q3", field: "opens", when: "2026-10-08 08:00" }),
    ).toMatchObject({
      ok: false,
      error: { code: "order", field: "opens", relation: "before", other: "deadline" },
    });
    expect(
      await dates.movePeriodDate({ ...base, period: "Q3", field: "post", when: "31/02/2026 17:00" }),
    ).toMatchObject({
      ok: false,
      error: { code: "bad_date" },
    });
    expect(
      await dates.movePeriodDate({ ...base, period: "Q7", field: "post", when: "2026-10-09 16:00" }),
    ).toMatchObject({
      ok: false,
      error: { code: "bad_period" },
    });
    expect(
      await dates.movePeriodDate({ ...base, period: "Q3", field: "later", when: "2026-10-09 16:00" }),
    ).toMatchObject({
      ok: false,
      error: { code: "bad_field" },
    });
    clock.set(at("2026-10-05 17:00"));
    expect((await s.tick(clock.now())).map((l) => l.key)).not.toContain("btc-test:2026-Q3:deadline");
    clock.set(at("2026-10-07 17:00"));
    expect((await s.tick(clock.now())).map((l) => l.key)).toContain("btc-test:2026-Q3:deadline");
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
