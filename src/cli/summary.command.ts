// `cli summary <cluster> [<period>] [--out <dir>]`: prints the ranked summary as plain
// text with every board's figures and writes the chart (PNG), the spreadsheet (XLSX) and
// the briefing document (DOCX) to a folder, named after the cluster and the period
// (tong-ket-btc-5tp-2026-Q3.png, …, bao-cao-btc-5tp-2026-Q3.docx) so quarters never
// overwrite each other.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as vi from "../bot/locales/vi.ts";
import { briefingDocSpec } from "../bot/views/briefing.view.ts";
import {
  htmlToPlain,
  summaryCaptions,
  summaryChartInputs,
  summaryPlainText,
  summaryWorkbookSpec,
} from "../bot/views/summary.view.ts";
import type { Repositories } from "../db/index.ts";
import { formatPeriodVi, parseYearArg } from "../domain/period.ts";
import {
  renderBarChartsOffThread,
  renderPartyDocumentOffThread,
  renderWorkbookOffThread,
} from "../render/off-thread.ts";
import { type BriefingService, createBriefingService } from "../services/briefing.service.ts";
import type { Clock } from "../services/clock.ts";
import { createPeriodService, type PeriodService } from "../services/period.service.ts";
import { createSummaryService, type Summary, type SummaryService } from "../services/summary.service.ts";

export interface SummaryCommandArgs {
  /** cluster code */
  cluster: string;
  /** as typed in chat: Q3, 2026-Q3, …; the current period when absent */
  period?: string | undefined;
  /** folder for the chart, the spreadsheet and the document; the current folder when absent */
  out?: string | undefined;
}

export interface SummaryCommandDeps {
  repos: Repositories;
  /** built from repos when absent */
  summary?: SummaryService;
  periods?: PeriodService;
  briefing?: BriefingService;
  clock: Clock;
  print: (line: string) => void;
}

export interface SummaryCommandResult {
  summary: Summary;
  /** the first chart image (null when nobody submitted) */
  chartPath: string | null;
  /** every chart image: a large cluster has several (…-1.png, …-2.png) */
  chartPaths: string[];
  workbookPath: string;
  documentPath: string;
}

/** Thrown with a one-line reason; the CLI prints it and exits non-zero. */
export class SummaryCommandError extends Error {
  override name = "SummaryCommandError";
}

export async function runSummaryCommand(
  args: SummaryCommandArgs,
  deps: SummaryCommandDeps,
): Promise<SummaryCommandResult> {
  const { repos, clock, print } = deps;
  const periods = deps.periods ?? createPeriodService(repos);
  const summaries = deps.summary ?? createSummaryService(repos);
  const briefing = deps.briefing ?? createBriefingService(repos);
  const now = clock.now();

  const cluster = await repos.clusters.findByCode(args.cluster);
  if (!cluster) throw new SummaryCommandError(`unknown cluster "${args.cluster}"`);
  const year = parseYearArg(args.period);
  let summary: Summary | null;
  if (year !== null) {
    summary = await summaries.buildYear(cluster, year, now);
    if (!summary) throw new SummaryCommandError(`no period of ${year} in cluster ${cluster.code}`);
  } else {
    const resolved = await periods.resolve(cluster, args.period, now);
    if (!resolved.ok) throw new SummaryCommandError(htmlToPlain(vi.periodError(resolved.error)));
    const ref = resolved.value.ref;
    summary = await summaries.build(cluster, ref, now);
    if (!summary) throw new SummaryCommandError(`no data for ${formatPeriodVi(ref)} in cluster ${cluster.code}`);
  }

  // the files are made on the render worker while the text is printed
  const pages = summary.counts.submitted > 0 ? summaryChartInputs(summary) : [];
  const charts = renderBarChartsOffThread(pages);
  const workbook = renderWorkbookOffThread(summaryWorkbookSpec(summary));
  const context = await briefing.context(cluster.id, summary.ref);
  const document = renderPartyDocumentOffThread(briefingDocSpec(summary, context));

  for (const line of summaryPlainText(summary).split("\n")) print(line);

  const dir = resolve(args.out ?? ".");
  await mkdir(dir, { recursive: true });
  const names = summaryCaptions(summary);
  const chartPaths: string[] = [];
  for (const [i, png] of charts.entries()) {
    const path = join(dir, pages.length === 1 ? `${names.fileBase}.png` : `${names.fileBase}-${i + 1}.png`);
    await writeFile(path, await png);
    chartPaths.push(path);
  }
  const chartPath = chartPaths[0] ?? null;
  const workbookPath = join(dir, `${names.fileBase}.xlsx`);
  await writeFile(workbookPath, await workbook);
  const documentPath = join(dir, `${names.briefingBase}.docx`);
  await writeFile(documentPath, await document);
  print("");
  for (const path of chartPaths) print(`chart: ${path}`);
  print(`spreadsheet: ${workbookPath}`);
  print(`document: ${documentPath}`);
  return { summary, chartPath, chartPaths, workbookPath, documentPath };
}
