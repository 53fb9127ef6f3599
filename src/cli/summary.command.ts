// `cli summary <cluster> [<period>] [--out <dir>]`: prints the ranked summary as plain
// text with every board's figures and writes chart.png and summary.xlsx to a folder.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as vi from "../bot/locales/vi.ts";
import { htmlToPlain, summaryChartInput, summaryPlainText, summaryWorkbookSpec } from "../bot/views/summary.view.ts";
import type { Repositories } from "../db/index.ts";
import { formatPeriodVi, parseYearArg } from "../domain/period.ts";
import { renderBarChart } from "../render/chart.ts";
import { renderWorkbook } from "../render/xlsx.ts";
import type { Clock } from "../services/clock.ts";
import { createPeriodService, type PeriodService } from "../services/period.service.ts";
import { createSummaryService, type Summary, type SummaryService } from "../services/summary.service.ts";

export interface SummaryCommandArgs {
  /** cluster code */
  cluster: string;
  /** as typed in chat: Q3, 2026-Q3, …; the current period when absent */
  period?: string | undefined;
  /** folder for chart.png and summary.xlsx; the current folder when absent */
  out?: string | undefined;
}

export interface SummaryCommandDeps {
  repos: Repositories;
  /** built from repos when absent */
  summary?: SummaryService;
  periods?: PeriodService;
  clock: Clock;
  print: (line: string) => void;
}

export interface SummaryCommandResult {
  summary: Summary;
  chartPath: string | null;
  workbookPath: string;
}

/** Thrown with a one-line reason; the CLI prints it and exits non-zero. */
export class SummaryCommandError extends Error {
  override name = "SummaryCommandError";
}

export const CHART_FILE = "chart.png";
export const WORKBOOK_FILE = "summary.xlsx";

export async function runSummaryCommand(
  args: SummaryCommandArgs,
  deps: SummaryCommandDeps,
): Promise<SummaryCommandResult> {
  const { repos, clock, print } = deps;
  const periods = deps.periods ?? createPeriodService(repos);
  const summaries = deps.summary ?? createSummaryService(repos);
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

  for (const line of summaryPlainText(summary).split("\n")) print(line);

  const dir = resolve(args.out ?? ".");
  await mkdir(dir, { recursive: true });
  let chartPath: string | null = null;
  if (summary.counts.submitted > 0) {
    chartPath = join(dir, CHART_FILE);
    await writeFile(chartPath, await renderBarChart(summaryChartInput(summary)));
  }
  const workbookPath = join(dir, WORKBOOK_FILE);
  await writeFile(workbookPath, await renderWorkbook(summaryWorkbookSpec(summary)));
  print("");
  if (chartPath) print(`chart: ${chartPath}`);
  print(`spreadsheet: ${workbookPath}`);
  return { summary, chartPath, workbookPath };
}
