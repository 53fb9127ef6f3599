import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { clusterInput, indicator } from "../helpers/fixtures.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";

const at = new Date("2026-09-25T03:00:00Z");
const dates = {
  opensAt: new Date("2026-09-20T01:00:00Z"),
  deadline: new Date("2026-10-05T10:00:00Z"),
  briefingAt: new Date("2026-10-10T01:00:00Z"),
  summaryPostAt: new Date("2026-10-09T09:00:00Z"),
};

describe.each(testDbKinds())("repositories on $name", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("migrations are idempotent and safe to run concurrently", async () => {
    const again = await Promise.all([migrate(t.url), migrate(t.url)]);
    expect(again.map((r) => r.applied)).toEqual([[], []]);
    expect(again[0]!.total).toBeGreaterThan(0);
  });

  it("applies a cluster configuration once; a second apply changes nothing", async () => {
    const first = await t.repos.clusters.apply(clusterInput(), at);
    expect(first.created).toBe(true);
    expect(first.changes).toContain("board HN added");
    const second = await t.repos.clusters.apply(clusterInput(), at);
    expect(second).toEqual({ clusterId: first.clusterId, created: false, changes: [] });
    const cluster = await t.repos.clusters.findByCode("btc-test");
    expect(cluster?.groupChatId).toBe(-1001234567890n);
    expect(cluster?.calendar.reminders).toEqual(["3d", "1d", "2h"]);
    const boards = await t.repos.clusters.boards(first.clusterId);
    expect(boards.map((b) => b.code)).toEqual(["HN", "HCM", "HP"]);
  });

  it("versions the indicator set and retires boards instead of deleting them", async () => {
    const input = clusterInput({
      indicators: [indicator("ket_nap", { label: "Đổi nhãn" })],
      indicatorHash: "h2",
      configHash: "c2",
      boards: clusterInput().boards.slice(0, 2),
    });
    const out = await t.repos.clusters.apply(input, at);
    expect(out.changes).toEqual(["board HP retired", "indicator set v2 (1 indicators)"]);
    const set = await t.repos.clusters.currentIndicatorSet(out.clusterId);
    expect(set?.version).toBe(2);
    expect(set?.indicators.map((i) => i.label)).toEqual(["Đổi nhãn"]);
    expect((await t.repos.clusters.boards(out.clusterId)).map((b) => b.code)).toEqual(["HN", "HCM"]);
    expect(await t.repos.clusters.boards(out.clusterId, { includeRetired: true })).toHaveLength(3);
    // back to the first file: a third version with the original content, HP active again
    const back = await t.repos.clusters.apply(clusterInput({ indicatorHash: "h1", configHash: "c1" }), at);
    expect(back.changes).toEqual(["board HP updated", "indicator set v3 (3 indicators)"]);
    const audit = await t.repos.audit.list({ action: "config.apply" });
    expect(audit).toHaveLength(3);
  });

  it("a period keeps the indicator set it opened with", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const set = (await t.repos.clusters.currentIndicatorSet(cluster.id))!;
    const p = await t.repos.periods.ensure(cluster.id, { year: 2026, quarter: 3 }, dates, set.id);
    await t.repos.clusters.apply(
      clusterInput({ indicators: [indicator("moi")], indicatorHash: "h4", configHash: "c4" }),
      at,
    );
    const again = await t.repos.periods.ensure(cluster.id, { year: 2026, quarter: 3 }, dates, 999);
    expect(again.id).toBe(p.id);
    expect(again.indicatorSetId).toBe(set.id);
    await t.repos.clusters.apply(clusterInput({ indicatorHash: "h1", configHash: "c1" }), at);
  });

  it("creates a period once even when two callers race", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const set = (await t.repos.clusters.currentIndicatorSet(cluster.id))!;
    const ref = { year: 2026, quarter: 4 as const };
    const [a, b] = await Promise.all([
      t.repos.periods.ensure(cluster.id, ref, dates, set.id),
      t.repos.periods.ensure(cluster.id, ref, dates, set.id),
    ]);
    expect(a.id).toBe(b.id);
  });

  it("moves a period date, remembers it was moved, and audits it", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const p = (await t.repos.periods.find(cluster.id, { year: 2026, quarter: 3 }))!;
    const person = await t.repos.people.upsert({ telegramId: 500n, firstName: "Chủ" });
    const newDeadline = new Date("2026-10-07T10:00:00Z");
    const moved = await t.repos.periods.moveDate(p.id, "deadline", newDeadline, person.id, at);
    expect(moved.deadline.toISOString()).toBe(newDeadline.toISOString());
    expect(await t.repos.periods.movedFields(p.id)).toEqual(["deadline"]);
    expect(await t.repos.periods.updateDates(p.id, { briefingAt: dates.briefingAt }, at)).toBe(false);
    expect(await t.repos.periods.updateDates(p.id, { briefingAt: new Date("2026-10-11T01:00:00Z") }, at)).toBe(true);
    const list = await t.repos.periods.list(cluster.id);
    expect(list.map((x) => `${x.year}-Q${x.quarter}`)).toEqual(["2026-Q4", "2026-Q3"]);
  });

  it("stores Telegram ids as bigint and people's memberships through invitations", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const hn = (await t.repos.clusters.boardByCode(cluster.id, "HN"))!;
    const big = 9_007_199_254_740_993n; // above 2^53: must survive exactly
    const person = await t.repos.people.upsert({ telegramId: big, firstName: "Lan", username: "lan" });
    expect((await t.repos.people.byTelegramId(big))?.id).toBe(person.id);
    const hash = "a".repeat(64);
    await t.repos.people.createInvitation(
      {
        clusterId: cluster.id,
        role: "secretary",
        boardId: hn.id,
        tokenHash: hash,
        expiresAt: new Date(at.getTime() + 3600_000),
        createdByPersonId: null,
      },
      at,
    );
    const other = await t.repos.people.upsert({ telegramId: 42n, firstName: "Khác" });
    const [r1, r2] = await Promise.all([
      t.repos.people.redeemInvitation(hash, person.id, at),
      t.repos.people.redeemInvitation(hash, other.id, at),
    ]);
    expect([r1.ok, r2.ok].filter(Boolean)).toHaveLength(1);
    const loser = r1.ok ? r2 : r1;
    expect(loser).toEqual({ ok: false, reason: "used" });
    expect(await t.repos.people.redeemInvitation("b".repeat(64), person.id, at)).toEqual({
      ok: false,
      reason: "unknown",
    });
    await t.repos.people.createInvitation(
      {
        clusterId: cluster.id,
        role: "chair",
        boardId: null,
        tokenHash: "c".repeat(64),
        expiresAt: at,
        createdByPersonId: null,
      },
      at,
    );
    expect(await t.repos.people.redeemInvitation("c".repeat(64), person.id, at)).toEqual({
      ok: false,
      reason: "expired",
    });
    const secretaries = await t.repos.people.members(cluster.id, ["secretary"]);
    expect(secretaries).toHaveLength(1);
    expect(await t.repos.people.setBlocked(42n, at)).toBe(true);
    expect(await t.repos.people.setBlocked(42n, at)).toBe(false);
  });

  it("saves each value at once with an audit entry, and submits a revision once", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const hn = (await t.repos.clusters.boardByCode(cluster.id, "HN"))!;
    const p = (await t.repos.periods.find(cluster.id, { year: 2026, quarter: 3 }))!;
    const set = (await t.repos.clusters.indicatorSet(p.indicatorSetId))!;
    const person = (await t.repos.people.byTelegramId(500n))!;
    const report = await t.repos.reports.getOrCreate(p.id, hn.id);
    const [ketNap, , ghiChu] = set.indicators;
    await t.repos.reports.saveValue({
      reportId: report.id,
      indicatorId: ketNap!.id,
      value: { kind: "number", value: 12 },
      personId: person.id,
      at,
    });
    await t.repos.reports.saveValue({
      reportId: report.id,
      indicatorId: ketNap!.id,
      value: { kind: "number", value: 13 },
      personId: person.id,
      at,
    });
    await t.repos.reports.saveValue({
      reportId: report.id,
      indicatorId: ghiChu!.id,
      value: { kind: "text", value: "Tốt <b>&" },
      personId: person.id,
      at,
    });
    const saved = (await t.repos.reports.byId(report.id))!;
    expect(saved.values.map((v) => v.value)).toEqual([
      { kind: "number", value: 13 },
      { kind: "text", value: "Tốt <b>&" },
    ]);
    const audit = await t.repos.audit.list({ action: "value.set", entityId: `${report.id}:${ketNap!.id}` });
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [null, JSON.stringify({ kind: "number", value: 12 })],
      [JSON.stringify({ kind: "number", value: 12 }), JSON.stringify({ kind: "number", value: 13 })],
    ]);

    const [s1, s2] = await Promise.all([
      t.repos.reports.submit(report.id, 0, person.id, at, false),
      t.repos.reports.submit(report.id, 0, person.id, at, false),
    ]);
    expect([s1.ok, s2.ok].sort()).toEqual([false, true]);
    const after = (await t.repos.reports.byId(report.id))!;
    expect(after).toMatchObject({ status: "submitted", revision: 1, late: false });
    const again = await t.repos.reports.submit(report.id, 1, person.id, new Date(at.getTime() + 1000), true);
    expect(again.ok && again.first).toBe(false);
    expect(again.report).toMatchObject({ revision: 2, late: false });
    expect(again.report.firstSubmittedAt?.toISOString()).toBe(at.toISOString());
    expect(await t.repos.reports.forPeriods([p.id])).toHaveLength(1);
  });

  it("claims each scheduled action exactly once, even with ten claimers at once", async () => {
    const cluster = (await t.repos.clusters.findByCode("btc-test"))!;
    const claim = {
      key: "btc-test:2026-Q3:reminder:3d",
      clusterId: cluster.id,
      periodId: null,
      kind: "reminder",
      dueAt: at,
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.repos.ledger.claim({ ...claim, claimedBy: `i${i}` }, at)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const action = winners[0]!;
    expect(await t.repos.ledger.reserveDelivery(action.id, 1n)).toBe(true);
    await t.repos.ledger.recordDelivery(action.id, 1n, "sent", null, at);
    expect(await t.repos.ledger.reserveDelivery(action.id, 1n)).toBe(false);
    expect(await t.repos.ledger.reclaimStale(action.key, new Date(at.getTime() + 1), "other", at)).not.toBeNull();
    expect(await t.repos.ledger.reclaimStale(action.key, at, "third", at)).toBeNull();
    // the lease: only the current claimer renews and finishes
    const later = new Date(at.getTime() + 5_000);
    expect(await t.repos.ledger.renew(action.id, "i0", later)).toBe(false);
    expect(await t.repos.ledger.renew(action.id, "other", later)).toBe(true);
    expect(await t.repos.ledger.reclaimStale(action.key, later, "third", later)).toBeNull();
    expect(await t.repos.ledger.finish(action.id, "third", "done", "1 sent", at)).toBe(false);
    expect(await t.repos.ledger.finish(action.id, "other", "done", "1 sent", at)).toBe(true);
    expect(await t.repos.ledger.renew(action.id, "other", later)).toBe(false);
    expect((await t.repos.ledger.keys(cluster.id, [action.key])).get(action.key)?.status).toBe("done");
  });

  it("keeps conversation state and handled update ids", async () => {
    await t.repos.conversations.write("k1", '{"a":1}');
    await t.repos.conversations.write("k1", '{"a":2}');
    expect(await t.repos.conversations.read("k1")).toBe('{"a":2}');
    await t.repos.conversations.delete("k1");
    expect(await t.repos.conversations.read("k1")).toBeUndefined();
    expect(await t.repos.updates.markHandled(7, 1001, at)).toBe(true);
    expect(await t.repos.updates.markHandled(7, 1001, at)).toBe(false);
    expect(await t.repos.updates.markHandled(8, 1001, at)).toBe(true);
    expect(await t.repos.updates.prune(new Date(at.getTime() + 1))).toBe(2);
  });
});
