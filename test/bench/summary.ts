// /tongket cost: summary.build() for B boards × 40 quarters (B = 10, 100, 1,000), seeded
// in bulk with SQL (reports with createMany, values with one INSERT … SELECT per period),
// and the rendering /tongket does after it (message text, every chart image, spreadsheet;
// the briefing document is timed apart).
import { summaryChartInputs, summaryMessages, summaryWorkbookSpec } from "../../src/bot/views/summary.view.ts";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { renderBarCharts } from "../../src/render/chart.ts";
import { renderWorkbook } from "../../src/render/xlsx.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { seedBulk } from "../summary/helpers.ts";
import { bigCluster, type DbKind, freshDb } from "./common.ts";

export interface SummaryResult {
  kind: DbKind;
  boards: number;
  periods: number;
  seedSeconds: number;
  /** best of 3 after a warm-up */
  buildMs: number;
  textMs: number;
  /** every chart image /tongket sends (up to 10 of 50 boards each) */
  chartMs: number;
  chartImages: number;
  xlsxMs: number;
  xlsxBytes: number;
}

const Q3: PeriodRef = { year: 2026, quarter: 3 };
/** After the briefing of quý III/2026: the period is closed, the summary final. */
const AFTER = new Date("2026-10-20T03:00:00Z");

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
      const rows = await repos.clusters.boards(cluster.id);
      const seeded = { cluster, set, boardIds: new Map(rows.map((b) => [b.code, b.id])), personId: 0 };
      await seedBulk(handle.db, repos, seeded, Q3, periods);
      const seedSeconds = (performance.now() - t0) / 1000;
      const service = createSummaryService(repos, handle.hot);
      const buildMs = await best(3, () => service.build(cluster, Q3, AFTER));
      const s = (await service.build(cluster, Q3, AFTER))!;
      if (s.boards.length !== boards) throw new Error(`summary has ${s.boards.length} boards, expected ${boards}`);
      const textMs = await best(3, async () => summaryMessages(s));
      const pages = summaryChartInputs(s);
      const chartMs = await best(2, async () => {
        for await (const _png of renderBarCharts(pages));
      });
      const xlsxMs = await best(2, () => renderWorkbook(summaryWorkbookSpec(s)));
      const xlsxBytes = (await renderWorkbook(summaryWorkbookSpec(s))).length;
      out.push({
        kind,
        boards,
        periods,
        seedSeconds,
        buildMs,
        textMs,
        chartMs,
        chartImages: pages.length,
        xlsxMs,
        xlsxBytes,
      });
    }
  } finally {
    await handle.close();
    await db.drop();
  }
  return out;
}
