// Storing one answer through the hot path: the outcomes (ok, duplicate, conflict, locked,
// not allowed) and what each leaves in the database, the same on both databases. On
// PostgreSQL an answer is one call of the function ctd_store_answer (one round trip); on
// SQLite the transaction of prepared statements. Both must write the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreAnswerInput } from "../../src/db/hot-path.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster } from "../summary/helpers.ts";

const at = new Date("2026-09-25T03:00:00Z");
const dates = {
  opensAt: new Date("2026-09-20T01:00:00Z"),
  deadline: new Date("2026-10-05T10:00:00Z"),
  briefingAt: new Date("2026-10-10T01:00:00Z"),
  summaryPostAt: new Date("2026-10-09T09:00:00Z"),
};

describe.each(testDbKinds())("storing an answer on $name", (kind) => {
  let t: TestDb;
  let s: Seeded;
  let reportId: number;
  let boardId: number;
  let indicatorId: number;
  let secretary: number;
  let outsider: number;
  let update = 1;
  const key = "report:1";

  beforeAll(async () => {
    t = await createTestDb(kind);
    s = await seedCluster(t.repos);
    boardId = s.boardIds.get("HN")!;
    indicatorId = s.set.indicators[0]!.id;
    secretary = (await t.repos.people.upsert({ telegramId: 501n, firstName: "Lan" })).id;
    outsider = (await t.repos.people.upsert({ telegramId: 502n, firstName: "Hà" })).id;
    await t.db.membership.create({
      data: { personId: secretary, clusterId: s.cluster.id, role: "secretary", boardId },
    });
    const period = await t.repos.periods.ensure(s.cluster.id, { year: 2026, quarter: 3 }, dates, s.set.id);
    reportId = (await t.hot.reportOrCreate(period.id, boardId, at)).id;
    expect(await t.hot.writeState({ key, expected: undefined, value: () => "s0" }, at)).toBe("ok");
  });
  afterAll(async () => {
    await t.drop();
  });

  const answer = (over: Partial<StoreAnswerInput> & { expected?: string; next?: string; updateId?: number }) =>
    t.hot.storeAnswer({
      reportId,
      boardId,
      clusterId: s.cluster.id,
      indicatorId,
      value: { kind: "number", value: 12 },
      personId: secretary,
      at,
      ...over,
      state: {
        key,
        claim: { botId: 7, updateId: over.updateId ?? update++, at },
        expected: over.expected ?? "s0",
        value: () => over.next ?? "s0",
      },
    });
  const audits = async () =>
    (await t.db.auditEntry.findMany({ where: { action: "value.set" }, orderBy: { id: "asc" } })).map((a) => [
      a.entityId,
      a.before,
      a.after,
    ]);

  it("stores the value, its audit row, the update id and the next state; the audit keeps the value before", async () => {
    expect(await answer({ updateId: 100, next: "s1" })).toBe("ok");
    expect(await t.hot.readState(key)).toBe("s1");
    expect(await t.hot.isHandled(7, 100)).toBe(true);
    expect(await answer({ updateId: 101, expected: "s1", next: "s2", value: { kind: "number", value: 0.1 } })).toBe(
      "ok",
    );
    expect(
      await answer({ updateId: 102, expected: "s2", next: "s3", value: { kind: "text", value: 'a"b\\c\n Việt' } }),
    ).toBe("ok");
    expect(await answer({ updateId: 103, expected: "s3", next: "s4", value: { kind: "skipped" } })).toBe("ok");
    expect(await answer({ updateId: 104, expected: "s4", next: "s5", value: { kind: "number", value: 1e15 } })).toBe(
      "ok",
    );
    expect(await answer({ updateId: 105, expected: "s5", next: "s6", value: { kind: "number", value: 3150 } })).toBe(
      "ok",
    );
    const entity = `${reportId}:${indicatorId}`;
    expect(await audits()).toEqual([
      [entity, null, '{"kind":"number","value":12}'],
      [entity, '{"kind":"number","value":12}', '{"kind":"number","value":0.1}'],
      [entity, '{"kind":"number","value":0.1}', '{"kind":"text","value":"a\\"b\\\\c\\n Việt"}'],
      [entity, '{"kind":"text","value":"a\\"b\\\\c\\n Việt"}', '{"kind":"skipped"}'],
      [entity, '{"kind":"skipped"}', '{"kind":"number","value":1000000000000000}'],
      [entity, '{"kind":"number","value":1000000000000000}', '{"kind":"number","value":3150}'],
    ]);
    expect(await t.hot.readState(key)).toBe("s6");
  });

  it("a redelivered update, or a state that moved meanwhile, leaves nothing behind", async () => {
    const before = await audits();
    const report = await t.db.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(await answer({ updateId: 105, expected: "s6", next: "x", value: { kind: "number", value: 99 } })).toBe(
      "duplicate",
    );
    expect(await answer({ updateId: 200, expected: "stale", next: "x", value: { kind: "number", value: 99 } })).toBe(
      "conflict",
    );
    expect(await t.hot.isHandled(7, 200)).toBe(false);
    expect(await t.hot.readState(key)).toBe("s6");
    expect(await audits()).toEqual(before);
    const value = await t.db.reportValue.findFirstOrThrow({ where: { reportId, indicatorId } });
    expect(value.number).toBe(3150);
    expect((await t.db.report.findUniqueOrThrow({ where: { id: reportId } })).updatedAt).toEqual(report.updatedAt);
  });

  it("refuses a person who is not a secretary of the board, and a report locked after its deadline", async () => {
    expect(await answer({ updateId: 300, expected: "s6", personId: outsider })).toBe("not_allowed");
    await t.db.report.update({ where: { id: reportId }, data: { status: "submitted" } });
    const late = new Date(dates.deadline.getTime() + 60_000);
    expect(await answer({ updateId: 301, expected: "s6", at: late })).toBe("locked");
    expect(await t.hot.isHandled(7, 300)).toBe(false);
    expect(await t.hot.isHandled(7, 301)).toBe(false);
    expect(await t.hot.readState(key)).toBe("s6");
  });
});
