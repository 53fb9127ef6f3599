// Seeding for the summary tests: a cluster, periods and submitted reports through the
// repositories (small data), and a bulk loader for the 1,000-board benchmark.

import type { Db } from "../../src/db/client.ts";
import type { ClusterApplyInput } from "../../src/db/cluster.repository.ts";
import type { Repositories } from "../../src/db/index.ts";
import { periodDates } from "../../src/domain/calendar.ts";
import type { Cluster, IndicatorSet, Period } from "../../src/domain/entities.ts";
import { nextPeriod, previousPeriod } from "../../src/domain/period.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { mulberry32 } from "../../src/standin/prng.ts";
import { clusterInput } from "../helpers/fixtures.ts";

export interface Seeded {
  cluster: Cluster;
  set: IndicatorSet;
  boardIds: Map<string, number>;
  personId: number;
}

export async function seedCluster(repos: Repositories, over: Partial<ClusterApplyInput> = {}): Promise<Seeded> {
  const input = clusterInput(over);
  const { clusterId } = await repos.clusters.apply(input, new Date("2026-01-01T00:00:00Z"));
  const cluster = (await repos.clusters.findById(clusterId))!;
  const set = (await repos.clusters.currentIndicatorSet(clusterId))!;
  const boards = await repos.clusters.boards(clusterId, { includeRetired: true });
  const person = await repos.people.upsert({ telegramId: BigInt(7_000_000 + clusterId), firstName: "Seeder" });
  return { cluster, set, boardIds: new Map(boards.map((b) => [b.code, b.id])), personId: person.id };
}

/** A board's entry: values by indicator code (null = skipped), late or not; "draft" saves without submitting. */
export interface SeedReport {
  values: Record<string, number | string | null>;
  late?: boolean;
  draft?: boolean;
}

export async function seedPeriod(
  repos: Repositories,
  s: Seeded,
  ref: PeriodRef,
  reports: Record<string, SeedReport>,
): Promise<Period> {
  const dates = periodDates(ref, s.cluster.calendar, s.cluster.timezone, s.cluster.overrides);
  const period = await repos.periods.ensure(s.cluster.id, ref, dates, s.set.id);
  for (const [code, r] of Object.entries(reports)) {
    const report = await repos.reports.getOrCreate(period.id, s.boardIds.get(code)!);
    const at = new Date(dates.deadline.getTime() + (r.late ? 3_600_000 : -3_600_000));
    for (const [indicatorCode, value] of Object.entries(r.values)) {
      const ind = s.set.indicators.find((d) => d.code === indicatorCode)!;
      await repos.reports.saveValue({
        reportId: report.id,
        indicatorId: ind.id,
        value:
          value === null
            ? { kind: "skipped" }
            : typeof value === "string"
              ? { kind: "text", value }
              : { kind: "number", value },
        personId: s.personId,
        at,
      });
    }
    if (!r.draft) await repos.reports.submit(report.id, 0, s.personId, at, r.late ?? false);
  }
  return period;
}

/** A Prisma client that counts every operation it runs (findMany with include counts once). */
export function countingDb(db: Db): { db: Db; count: () => number; reset: () => void } {
  let n = 0;
  const counted = db.$extends({
    query: {
      async $allOperations({ args, query }) {
        n++;
        return query(args);
      },
    },
  });
  return {
    db: counted as unknown as Db,
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

/** A deterministic pseudo-random generator, so the bulk data is the same every run. */
export const rng = mulberry32;

/**
 * `periods` consecutive quarters ending at `last`, every board submitting every indicator
 * (about 3 % late, 2 % missing): reports with createMany, values with one INSERT … SELECT per period.
 */
export async function seedBulk(
  db: Db,
  repos: Repositories,
  s: Seeded,
  last: PeriodRef,
  periods: number,
): Promise<void> {
  let ref = last;
  for (let i = 1; i < periods; i++) ref = previousPeriod(ref);
  const random = rng(42);
  const boardIds = [...s.boardIds.values()];
  for (let p = 0; p < periods; p++, ref = nextPeriod(ref)) {
    const dates = periodDates(ref, s.cluster.calendar, s.cluster.timezone, s.cluster.overrides);
    const period = await repos.periods.ensure(s.cluster.id, ref, dates, s.set.id);
    const submitted = boardIds.filter(() => random() > 0.02);
    await db.report.createMany({
      data: submitted.map((boardId) => {
        const late = random() < 0.03;
        const at = new Date(dates.deadline.getTime() + (late ? 1 : -1) * 3_600_000);
        return {
          periodId: period.id,
          boardId,
          status: "submitted",
          revision: 1,
          submittedAt: at,
          firstSubmittedAt: at,
          late,
        };
      }),
    });
    // Values in one INSERT … SELECT per period (row by row through the client takes minutes):
    // deterministic pseudo-random figures from the ids, smaller ones for lower-is-better indicators.
    await db.$executeRawUnsafe(
      `INSERT INTO report_values (report_id, indicator_id, "number", skipped, answered_at)
       SELECT r.id, i.id,
              CASE WHEN i.better = 'lower' THEN (r.id * 7919 + i.id * 104729) % 50
                   ELSE (r.id * 7919 + i.id * 104729) % 1000 END,
              false, r.submitted_at
       FROM reports r CROSS JOIN indicators i
       WHERE r.period_id = ${period.id} AND i.set_id = ${s.set.id} AND i.kind <> 'text'`,
    );
  }
}
