// /lich's use case: expected refusals are typed outcomes; anything else is an error that
// reaches the bot's error boundary (which answers a generic message), not "no indicators".
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import { createPeriodService, NoIndicatorSetError, type PeriodService } from "../../src/services/period.service.ts";
import { createPeriodDatesService } from "../../src/services/period-dates.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { at, seedCluster, TG } from "./helpers.ts";

describe("movePeriodDate outcomes", () => {
  let t: TestDb;
  let cluster: Cluster;
  let base: { clusterId: number; actorPersonId: number; now: Date };

  beforeEach(async () => {
    t = await createTestDb(testDbKinds()[0]!);
    cluster = await seedCluster(t, t.repos);
    const chair = (await t.repos.people.byTelegramId(TG.chair))!;
    base = { clusterId: cluster.id, actorPersonId: chair.id, now: at("2026-09-25 10:00") };
  });
  afterEach(async () => {
    await t.drop();
  });

  const withEnsure = (ensure: PeriodService["ensure"]) =>
    createPeriodDatesService({ repos: t.repos, periods: { ...createPeriodService(t.repos), ensure } });
  const move = { period: "Q3", field: "hannop", when: "07/10/2026 17:00" };

  it("a cluster without an indicator set is a typed refusal", async () => {
    const dates = withEnsure(async (c) => {
      throw new NoIndicatorSetError(c.code);
    });
    expect(await dates.movePeriodDate({ ...base, ...move })).toEqual({ ok: false, error: { code: "no_indicators" } });
  });

  it("any other failure propagates instead of being called 'no indicators'", async () => {
    const dates = withEnsure(async () => {
      throw new Error("database is locked");
    });
    await expect(dates.movePeriodDate({ ...base, ...move })).rejects.toThrow("database is locked");
  });

  it("an unknown cluster and the bot's own date wording", async () => {
    const dates = createPeriodDatesService({ repos: t.repos, periods: createPeriodService(t.repos) });
    expect(await dates.movePeriodDate({ ...base, ...move, clusterId: 999_999 })).toEqual({
      ok: false,
      error: { code: "unknown_cluster" },
    });
    const moved = await dates.movePeriodDate({ ...base, ...move, when: "17:00 ngày 07/10/2026" });
    expect(moved.ok && moved.period.deadline).toEqual(at("2026-10-07 17:00"));
  });
});
