// `cli plans import <cluster> <file.xlsx|file.csv>` and `cli plans template <cluster> <year>
// --out <file.xlsx>`: annual plans per board and indicator from the chair's spreadsheet.
// The table is read whole and checked first (src/domain/plans.ts); one problem is one line
// naming the sheet, the row and the column, and nothing is stored unless everything is right.
// Stored plans are kept by the periods that have not closed (the same rule as `apply`).
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Repositories } from "../db/index.ts";
import { PLAN_HEADERS, type PlanCell, type PlanIssue, planColumnHeader, readPlanTable } from "../domain/plans.ts";
import type { Clock } from "../services/clock.ts";
import type { PeriodService } from "../services/period.service.ts";

export class PlansCommandError extends Error {
  override name = "PlansCommandError";
}

export interface PlansCommandDeps {
  repos: Repositories;
  periods: PeriodService;
  clock: Clock;
  print: (line: string) => void;
}

/** The sheet the template writes and the import reads first. */
export const PLAN_SHEET = "Kế hoạch";

/** Cells of an exceljs value as the plan reader sees them (formulas by their result, rich text as text). */
function cellValue(v: unknown): PlanCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "object") {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown };
    if (o.result !== undefined) return cellValue(o.result);
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join("");
    if (typeof o.text === "string") return o.text;
  }
  return String(v);
}

async function readXlsx(path: string): Promise<{ sheet: string; rows: PlanCell[][] }> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (err) {
    throw new PlansCommandError(`${basename(path)}: not a readable .xlsx file (${(err as Error).message})`);
  }
  const ws = wb.getWorksheet(PLAN_SHEET) ?? wb.worksheets[0];
  if (!ws) throw new PlansCommandError(`${basename(path)}: the workbook has no sheet`);
  const rows: PlanCell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: PlanCell[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, ws.columnCount); c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return { sheet: ws.name, rows };
}

/** RFC 4180 CSV; the separator is ";" when the header has one (Excel's choice where "," is the decimal point). */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.split(/\r?\n/, 1)[0] ?? "";
  const sep = firstLine.includes(";") ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function issueLine(file: string, sheet: string | null, i: PlanIssue): string {
  const where = [sheet ? `sheet "${sheet}"` : null, `row ${i.row}`, i.column ? `column ${i.column}` : null]
    .filter(Boolean)
    .join(", ");
  return `${file}: ${where}: ${i.message}`;
}

export async function runPlansImport(args: { cluster: string; file: string }, deps: PlansCommandDeps): Promise<void> {
  const { repos, periods, clock, print } = deps;
  const cluster = await repos.clusters.findByCode(args.cluster);
  if (!cluster) throw new PlansCommandError(`unknown cluster "${args.cluster}"`);
  const file = basename(args.file);
  let table: { sheet: string | null; rows: PlanCell[][] };
  if (/\.xlsx$/i.test(args.file)) table = await readXlsx(args.file);
  else if (/\.csv$/i.test(args.file)) table = { sheet: null, rows: parseCsv(await readFile(args.file, "utf8")) };
  else throw new PlansCommandError(`${file}: expected a .xlsx or .csv file`);

  const [boards, set] = await Promise.all([
    repos.clusters.boards(cluster.id, { includeRetired: true }),
    repos.clusters.currentIndicatorSet(cluster.id),
  ]);
  const read = readPlanTable(table.rows, { boards: boards.map((b) => b.code), indicators: set?.indicators ?? [] });
  if (!read.ok) {
    throw new PlansCommandError(
      [...read.issues.map((i) => issueLine(file, table.sheet, i)), "nothing was imported"].join("\n"),
    );
  }
  const years = Object.keys(read.value);
  if (years.length === 0) throw new PlansCommandError(`${file}: no plan rows below the header; nothing was imported`);
  const now = clock.now();
  await repos.clusters.setPlans(cluster.id, read.value, now);
  for (const year of years) {
    const byBoard = read.value[year]!;
    const figures = Object.values(byBoard).reduce((n, p) => n + Object.keys(p).length, 0);
    print(`${cluster.code}: plans ${year} imported (${Object.keys(byBoard).length} board(s), ${figures} figure(s))`);
  }
  const fresh = await repos.clusters.findById(cluster.id);
  const rescored = fresh ? await periods.refreshScoring(fresh, now) : 0;
  if (rescored > 0) print(`${cluster.code}: scoring of ${rescored} period(s) not closed updated`);
}

export async function runPlansTemplate(
  args: { cluster: string; year: string; out: string },
  deps: Pick<PlansCommandDeps, "repos" | "print">,
): Promise<void> {
  const { repos, print } = deps;
  const cluster = await repos.clusters.findByCode(args.cluster);
  if (!cluster) throw new PlansCommandError(`unknown cluster "${args.cluster}"`);
  if (!/^\d{4}$/.test(args.year)) throw new PlansCommandError(`expected a year such as 2027, got "${args.year}"`);
  if (!/\.xlsx$/i.test(args.out)) throw new PlansCommandError(`--out: expected a .xlsx file, got "${args.out}"`);
  const [boards, set] = await Promise.all([
    repos.clusters.boards(cluster.id),
    repos.clusters.currentIndicatorSet(cluster.id),
  ]);
  const numeric = (set?.indicators ?? []).filter((d) => d.kind !== "text");
  const stored = cluster.plans[args.year] ?? {};
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(PLAN_SHEET, { views: [{ state: "frozen", xSplit: 3, ySplit: 1 }] });
  ws.addRow([PLAN_HEADERS.year, PLAN_HEADERS.board, PLAN_HEADERS.name, ...numeric.map(planColumnHeader)]);
  for (const b of boards) {
    ws.addRow([Number(args.year), b.code, b.name, ...numeric.map((d) => stored[b.code]?.[d.code] ?? null)]);
  }
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: "top" };
  ws.getColumn(3).width = 40;
  numeric.forEach((_, i) => {
    const col = ws.getColumn(4 + i);
    col.width = 22;
    col.numFmt = "#,##0";
  });
  await wb.xlsx.writeFile(args.out);
  print(
    `${cluster.code}: template for ${args.year} written to ${args.out} (${boards.length} boards, ${numeric.length} indicators)`,
  );
}
