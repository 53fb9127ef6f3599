// `cli plans import <cluster> <file.xlsx|file.csv>` and `cli plans template <cluster> <year>
// --out <file.xlsx>`: annual plans per board and indicator from the chair's spreadsheet.
// The table is read whole and checked first (src/domain/plans.ts); one problem is one line
// naming the sheet, the row and the column, and nothing is stored unless everything is right.
// Stored plans are kept by the periods that have not closed (the same rule as `apply`).
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Repositories } from "../db/index.ts";
import { PLAN_HEADERS, type PlanCell, type PlanIssue, planColumnHeader, readPlanTable } from "../domain/plans.ts";
import type { Clock } from "../services/clock.ts";
import type { PeriodService } from "../services/period.service.ts";
import {
  checkFileSize,
  checkSheetExtent,
  checkXlsxArchive,
  SPREADSHEET_LIMITS,
  SpreadsheetLimitError,
} from "./spreadsheet-guard.ts";

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

/**
 * Cells of an exceljs value as the plan reader sees them: a formula by its saved result (never
 * calculated; without one, "=" and the formula, which the reader refuses by name), an error
 * value by its code ("#DIV/0!"), rich text and links as their text, a date as YYYY-MM-DD.
 */
function cellValue(v: unknown): PlanCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as {
      result?: unknown;
      formula?: unknown;
      sharedFormula?: unknown;
      error?: unknown;
      richText?: { text: string }[];
      text?: unknown;
    };
    if (o.result !== undefined) return cellValue(o.result);
    if (typeof o.formula === "string" || typeof o.sharedFormula === "string")
      return `=${String(o.formula ?? o.sharedFormula)}`;
    if (typeof o.error === "string") return o.error;
    if (Array.isArray(o.richText)) return o.richText.map((r) => String(r.text ?? "")).join("");
    if (typeof o.text === "string") return o.text;
  }
  return String(v);
}

/** The rows of the plan sheet of an .xlsx file, within {@link SPREADSHEET_LIMITS}. */
export async function readXlsx(path: string): Promise<{ sheet: string; rows: PlanCell[][] }> {
  const name = basename(path);
  const limited = <T>(check: () => T): T => {
    try {
      return check();
    } catch (err) {
      if (err instanceof SpreadsheetLimitError)
        throw new PlansCommandError(`${name}: ${err.message}; nothing was imported`);
      throw err;
    }
  };
  const size = (await stat(path)).size;
  limited(() => checkFileSize(size));
  const buf = await readFile(path);
  limited(() => checkXlsxArchive(buf));
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new PlansCommandError(
      `${name}: not a readable .xlsx file (${String((err as Error).message).split("\n")[0]})`,
    );
  }
  // the plan sheet by its name; a workbook of one sheet is read whatever its name
  const ws = wb.getWorksheet(PLAN_SHEET) ?? (wb.worksheets.length === 1 ? wb.worksheets[0] : undefined);
  if (!ws) {
    throw new PlansCommandError(
      wb.worksheets.length === 0
        ? `${name}: the workbook has no sheet`
        : `${name}: the workbook has ${wb.worksheets.length} sheets and none is named "${PLAN_SHEET}"; ` +
            `name the plan sheet "${PLAN_SHEET}" (as the template does)`,
    );
  }
  const columnCount = ws.columnCount;
  limited(() => checkSheetExtent(ws.rowCount, columnCount));
  const rows: PlanCell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: PlanCell[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, columnCount); c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return { sheet: ws.name, rows };
}

/** The rows of a CSV file, within {@link SPREADSHEET_LIMITS}. */
export async function readCsv(path: string): Promise<PlanCell[][]> {
  const name = basename(path);
  try {
    checkFileSize((await stat(path)).size);
    const text = await readFile(path, "utf8");
    // lines are counted before the cell-by-cell parse (which takes ~1 s and ~150 MB for 400,000 lines)
    let lines = 1;
    for (let i = text.indexOf("\n"); i >= 0 && lines <= SPREADSHEET_LIMITS.rows + 1; i = text.indexOf("\n", i + 1))
      lines++;
    if (lines > SPREADSHEET_LIMITS.rows + 1)
      throw new SpreadsheetLimitError(
        `the file has more than ${SPREADSHEET_LIMITS.rows} lines; a plan sheet has one row per board and year`,
      );
    const rows = parseCsv(text);
    checkSheetExtent(rows.length, Math.max(0, ...rows.map((r) => r.length)));
    return rows;
  } catch (err) {
    if (err instanceof SpreadsheetLimitError)
      throw new PlansCommandError(`${name}: ${err.message}; nothing was imported`);
    throw err;
  }
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

/** Problems listed one per line before "… and N more". */
export const MAX_ISSUE_LINES = 20;

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
  else if (/\.csv$/i.test(args.file)) table = { sheet: null, rows: await readCsv(args.file) };
  else throw new PlansCommandError(`${file}: expected a .xlsx or .csv file`);

  const [boards, set] = await Promise.all([
    repos.clusters.boards(cluster.id, { includeRetired: true }),
    repos.clusters.currentIndicatorSet(cluster.id),
  ]);
  const read = readPlanTable(table.rows, { boards: boards.map((b) => b.code), indicators: set?.indicators ?? [] });
  if (!read.ok) {
    // a sheet wrong on every one of its thousands of rows: the first problems, and how many more
    const more = read.issues.length - MAX_ISSUE_LINES;
    throw new PlansCommandError(
      [
        ...read.issues.slice(0, MAX_ISSUE_LINES).map((i) => issueLine(file, table.sheet, i)),
        ...(more > 0 ? [`${file}: … and ${more} more problem(s)`] : []),
        "nothing was imported",
      ].join("\n"),
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
