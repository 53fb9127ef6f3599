// /tongket cost: summary.build() for B boards × 40 quarters (B = 10, 100, 1,000), seeded
// in bulk with SQL (reports with createMany, values with one INSERT … SELECT per period),
// and the rendering /tongket does after it (message text, every chart image, spreadsheet;
// the briefing document is timed apart, outside the 300 ms target's sum).
//
// Then, for the largest size, a whole /tongket as the chair sees it: summary.build() and
// sendSummary() against a recording Api that answers each call after BENCH_API_MS (default
// 30 ms, a nearby Bot API server), while a probe measures the longest stretch the main
// thread's event loop was blocked (every other chat's answer waits that long). Twice, for
// the same closed period: the second is what a repeated /tongket costs.
import type { Api } from "grammy";
import { createSummaryFileCache } from "../../src/bot/summary-files.ts";
import { sendSummary } from "../../src/bot/summary-sender.ts";
import { briefingDocSpec } from "../../src/bot/views/briefing.view.ts";
import { summaryChartInputs, summaryMessages, summaryWorkbookSpec } from "../../src/bot/views/summary.view.ts";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { renderBarCharts } from "../../src/render/chart.ts";
import { renderPartyDocument } from "../../src/render/docx.ts";
import { renderBarChartsOffThread } from "../../src/render/off-thread.ts";
import { renderWorkbook } from "../../src/render/xlsx.ts";
import { createBriefingService } from "../../src/services/briefing.service.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { seedBulk } from "../summary/helpers.ts";
import { bigCluster, type DbKind, freshDb, sleep } from "./common.ts";

export interface TongketRun {
  /** from the command to the end of the last upload */
  wholeMs: number;
  buildMs: number;
  /** until the first text message was handed to the Api */
  textReadyMs: number;
  /** until the first chart photo was handed to the Api */
  chartReadyMs: number | null;
  /** until the spreadsheet was handed to the Api */
  xlsxReadyMs: number;
  /** the longest the main thread's event loop did not turn, from the command to the last upload */
  maxBlockMs: number;
  calls: string[];
}

export interface SummaryResult {
  kind: DbKind;
  boards: number;
  periods: number;
  seedSeconds: number;
  /** best of 3 after a warm-up */
  buildMs: number;
  textMs: number;
  /** every chart image /tongket sends (up to 10 of 50 boards each), drawn on the main thread */
  chartMs: number;
  /** the same on the render worker, until the last page is back */
  chartWorkerMs: number;
  chartImages: number;
  xlsxMs: number;
  xlsxBytes: number;
  /** the briefing document (DOCX), on the main thread */
  docxMs: number;
  docxBytes: number;
  /** the whole /tongket for the largest size: the first, and a second of the same closed period */
  tongket?: { first: TongketRun; second: TongketRun };
}

const Q3: PeriodRef = { year: 2026, quarter: 3 };
/** After the briefing of quý III/2026: the period is closed, the summary final. */
const AFTER = new Date("2026-10-20T03:00:00Z");
const API_MS = Number(process.env.BENCH_API_MS ?? 30);

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

/** The longest gap between turns of the event loop while it runs (a 1 ms timer that notes how late it fires). */
function blockProbe(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  let timer: NodeJS.Timeout;
  const tick = () => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop() {
      clearTimeout(timer);
      return Math.max(max, performance.now() - last);
    },
  };
}

/** An Api that records each call and answers like Telegram (file ids included) after API_MS. */
function recordingApi(t0: () => number, seen: { method: string; at: number }[]): Api {
  let n = 0;
  const answer = async (method: string, extra: Record<string, unknown>) => {
    seen.push({ method, at: t0() });
    await sleep(API_MS);
    n++;
    return { message_id: n, date: 0, chat: { id: 1, type: "private" }, ...extra };
  };
  const file = () => ({ file_id: `bench-file-${n}`, file_unique_id: `u${n}` });
  return {
    sendMessage: () => answer("text", {}),
    sendPhoto: () => answer("photo", { photo: [{ ...file(), width: 1080, height: 1000 }] }),
    sendDocument: () => answer("document", { document: file() }),
  } as unknown as Api;
}

async function tongket(run: () => Promise<void>, seen: { method: string; at: number }[], buildMs: () => number) {
  const probe = blockProbe();
  const start = performance.now();
  await run();
  const wholeMs = performance.now() - start;
  const maxBlockMs = probe.stop();
  const first = (m: string) => seen.find((c) => c.method === m)?.at ?? null;
  const docs = seen.filter((c) => c.method === "document");
  return {
    wholeMs,
    buildMs: buildMs(),
    textReadyMs: first("text") ?? Number.NaN,
    chartReadyMs: first("photo"),
    xlsxReadyMs: docs[0]?.at ?? Number.NaN,
    maxBlockMs,
    calls: seen.map((c) => c.method),
  } satisfies TongketRun;
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
      const briefing = createBriefingService(repos);
      const buildMs = await best(3, () => service.build(cluster, Q3, AFTER));
      const s = (await service.build(cluster, Q3, AFTER))!;
      if (s.boards.length !== boards) throw new Error(`summary has ${s.boards.length} boards, expected ${boards}`);
      const textMs = await best(3, async () => summaryMessages(s));
      const pages = summaryChartInputs(s);
      const chartMs = await best(2, async () => {
        for await (const _png of renderBarCharts(pages));
      });
      const chartWorkerMs = await best(2, () => Promise.all(renderBarChartsOffThread(pages)));
      const xlsxMs = await best(2, () => renderWorkbook(summaryWorkbookSpec(s)));
      const xlsxBytes = (await renderWorkbook(summaryWorkbookSpec(s))).length;
      const context = await briefing.context(cluster.id, Q3);
      const docxMs = await best(2, () => renderPartyDocument(briefingDocSpec(s, context)));
      const docxBytes = (await renderPartyDocument(briefingDocSpec(s, context))).length;
      const result: SummaryResult = {
        kind,
        boards,
        periods,
        seedSeconds,
        buildMs,
        textMs,
        chartMs,
        chartWorkerMs,
        chartImages: pages.length,
        xlsxMs,
        xlsxBytes,
        docxMs,
        docxBytes,
      };
      if (boards === Math.max(...boardCounts)) {
        // the bot's cache of closed summaries' files (createApp makes one per bot)
        const cache = createSummaryFileCache();
        const once = async () => {
          const seen: { method: string; at: number }[] = [];
          const start = performance.now();
          let built = 0;
          return tongket(
            async () => {
              const summary = (await service.build(cluster, Q3, AFTER))!;
              built = performance.now() - start;
              const api = recordingApi(() => performance.now() - start, seen);
              await sendSummary(api, 1, summary, await briefing.context(cluster.id, Q3), cache);
            },
            seen,
            () => built,
          );
        };
        const first = await once();
        const second = await once();
        result.tongket = { first, second };
      }
      out.push(result);
    }
  } finally {
    await handle.close();
    await db.drop();
  }
  return out;
}
