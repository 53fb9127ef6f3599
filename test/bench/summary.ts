// /tongket cost: summary.build() for B boards × 40 quarters (B = 10, 100, 1,000), seeded
// in bulk with SQL (reports with createMany, values with one INSERT … SELECT per period),
// and the rendering /tongket does after it (message text, chart PNG, spreadsheet).
import { summaryChartInput, summaryMessages, summaryWorkbookSpec } from "../../src/bot/views/summary.view.ts";
import { createDb, type Db } from "../../src/db/client.ts";
import { createRepositories, type Repositories } from "../../src/db/index.ts";
import { periodDates } from "../../src/domain/calendar.ts";
import type { Cluster, IndicatorSet } from "../../src/domain/entities.ts";
import { nextPeriod, previousPeriod } from "../../src/domain/period.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { renderBarChart } from "../../src/render/chart.ts";
import { renderWorkbook } from "../../src/render/xlsx.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { bigCluster, type DbKind, freshDb } from "./common.ts";

export interface SummaryResult {
  kind: DbKind;
  boards: number;
  periods: number;
  seedSeconds: number;
  /** best of 3 after a warm-up */
  buildMs: number;
  textMs: number;
  chartMs: number;
  xlsxMs: number;
}

const Q3: PeriodRef = { year: 2026, quarter: 3 };
/** After the briefing of quý III/2026: the period is closed, the summary final. */
const AFTER = new Date("2026-10-20T03:00:00Z");

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function seedBulk(db: Db, repos: Repositories, cluster: Cluster, set: IndicatorSet, periods: number) {
  let ref = Q3;
  for (let i = 1; i < periods; i++) ref = previousPeriod(ref);
  const random = rng(42);
  const boardIds = (await repos.clusters.boards(cluster.id)).map((b) => b.id);
  for (let p = 0; p < periods; p++, ref = nextPeriod(ref)) {
    const dates = periodDates(ref, cluster.calendar, cluster.timezone, cluster.overrides);
    const period = await repos.periods.ensure(cluster.id, ref, dates, set.id);
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
    await db.$executeRawUnsafe(
      `INSERT INTO report_values (report_id, indicator_id, "number", skipped, answered_at)
       SELECT r.id, i.id,
              CASE WHEN i.better = 'lower' THEN (r.id * 7919 + i.id * 104729) % 50
                   ELSE (r.id * 7919 + i.id * 104729) % 1000 END,
              false, r.submitted_at
       FROM reports r CROSS JOIN indicators i
       WHERE r.period_id = ${period.id} AND i.set_id = ${set.id} AND i.kind <> 'text'`,
    );
  }
}

async function best(times: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export async function benchSummary(kind: DbKind, boardCounts: number[], periods: number): Promise<SummaryResult[]> {
  const db = await freshDb(kind);
  const handle = createDb(db.url);
  const repos = createRepositories(handle.db);
  const out: SummaryResult[] = [];
  try {
    for (const boards of boardCounts) {
      const t0 = performance.now();
      const { clusterId } = await repos.clusters.apply(
        bigCluster(boards, `sum-${boards}`),
        new Date("2016-01-01T00:00:00Z"),
      );
      const cluster = (await repos.clusters.findById(clusterId))!;
      const set = (await repos.clusters.currentIndicatorSet(clusterId))!;
      await seedBulk(handle.db, repos, cluster, set, periods);
      const seedSeconds = (performance.now() - t0) / 1000;
      const service = createSummaryService(repos);
      const buildMs = await best(3, () => service.build(cluster, Q3, AFTER));
      const s = (await service.build(cluster, Q3, AFTER))!;
      if (s.boards.length !== boards) throw new Error(`summary has ${s.boards.length} boards, expected ${boards}`);
      const textMs = await best(3, async () => summaryMessages(s));
      const chartMs = await best(2, () => renderBarChart(summaryChartInput(s)));
      const xlsxMs = await best(2, () => renderWorkbook(summaryWorkbookSpec(s)));
      out.push({ kind, boards, periods, seedSeconds, buildMs, textMs, chartMs, xlsxMs });
    }
  } finally {
    await handle.close();
    await db.drop();
  }
  return out;
}
