// A spreadsheet from a plain description of its sheets (exceljs), made to be printed:
// title lines above the table, an STT column, a bold total row, landscape A4 fitted to
// the page width with the header repeated on every page, panes frozen below the header
// and beside the names. Numbers stay numbers; the header row is bold and wrapped;
// columns get widths that fit.
import ExcelJS from "exceljs";

export type CellValue = string | number | Date | null;

export interface ColumnSpec {
  header: string;
  /** Excel number format, e.g. "0.00" or "#,##0"; dates default to "dd/mm/yyyy hh:mm" */
  numFmt?: string;
  /** characters; computed from the contents when absent */
  width?: number;
}

export interface SheetSpec {
  name: string;
  /** lines above the table (the first in large bold: the title; then the period, the cluster…) */
  title?: string[];
  /** adds a first column "STT" numbering the rows (not the total row) */
  numbered?: boolean;
  columns: ColumnSpec[];
  rows: CellValue[][];
  /** a last, bold row (e.g. "Toàn cụm"), without a number */
  total?: CellValue[];
  /** columns kept in view when scrolling sideways (after STT); default 0 */
  freezeColumns?: number;
}

/** The header of the numbering column. */
export const STT_HEADER = "STT";

export interface WorkbookSpec {
  title: string;
  created: Date;
  sheets: SheetSpec[];
}

const MIN_WIDTH = 6;
const MAX_WIDTH = 48;
/** headers longer than this wrap instead of widening the column */
const HEADER_WRAP = 22;

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
export function safeSheetName(name: string): string {
  return (
    Array.from(name.replace(/[[\]:*?/\\]/g, " ").trim())
      .slice(0, 31)
      .join("") || "Sheet"
  );
}

function displayLength(v: CellValue): number {
  if (v === null) return 0;
  if (v instanceof Date) return 16;
  if (typeof v === "number") return String(Math.round(v * 100) / 100).length + 1;
  return Math.max(...v.split("\n").map((l) => Array.from(l).length));
}

/** A column's width in characters: its longest value, or its header up to the wrap length. */
export function columnWidth(header: string, values: CellValue[]): number {
  const longest = values.reduce<number>((m, v) => Math.max(m, displayLength(v)), 0);
  const headerWords = Math.max(...header.split(/\s+/).map((w) => Array.from(w).length));
  const wanted = Math.max(longest, Math.min(Array.from(header).length, HEADER_WRAP), headerWords);
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, wanted + 2));
}

/** The 1-based row of a sheet's header: after its title lines and one blank row. */
export function headerRowOf(sheet: Pick<SheetSpec, "title">): number {
  const lines = sheet.title?.length ?? 0;
  return lines === 0 ? 1 : lines + 2;
}

/** The sheet with its STT column added (numbers for the rows, empty for the total). */
function withNumbers(sheet: SheetSpec): { columns: ColumnSpec[]; rows: CellValue[][]; total: CellValue[] | undefined } {
  if (!sheet.numbered) return { columns: sheet.columns, rows: sheet.rows, total: sheet.total };
  return {
    columns: [{ header: STT_HEADER, width: 6 }, ...sheet.columns],
    rows: sheet.rows.map((r, i) => [i + 1, ...r]),
    total: sheet.total ? [null, ...sheet.total] : undefined,
  };
}

const THIN = { style: "thin" as const, color: { argb: "FF808080" } };
const BOX = { top: THIN, bottom: THIN, left: THIN, right: THIN };

/** Builds the workbook and returns the .xlsx bytes. */
export async function renderWorkbook(spec: WorkbookSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = spec.title;
  wb.creator = "cum-thi-dua-bot";
  wb.created = spec.created;
  const used = new Set<string>();
  for (const sheet of spec.sheets) {
    let name = safeSheetName(sheet.name);
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${safeSheetName(sheet.name).slice(0, 28)} ${n}`;
    used.add(name.toLowerCase());
    const { columns, rows, total } = withNumbers(sheet);
    const head = headerRowOf(sheet);
    const xSplit = (sheet.numbered ? 1 : 0) + (sheet.freezeColumns ?? 0);
    const ws = wb.addWorksheet(name, {
      views: [{ state: "frozen", ySplit: head, ...(xSplit > 0 ? { xSplit } : {}) }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0, // as many pages down as needed
        printTitlesRow: `${head}:${head}`,
        horizontalCentered: true,
        margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: "&P/&N" },
    });
    const all = total ? [...rows, total] : rows;
    ws.columns = columns.map((c, i) => ({
      width:
        c.width ??
        columnWidth(
          c.header,
          all.map((r) => r[i] ?? null),
        ),
    }));
    (sheet.title ?? []).forEach((line, i) => {
      const row = ws.getRow(i + 1);
      row.getCell(1).value = line;
      row.font = i === 0 ? { bold: true, size: 14 } : { italic: i > 1, size: 11 };
      if (columns.length > 1) ws.mergeCells(i + 1, 1, i + 1, columns.length);
      row.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    });
    const header = ws.getRow(head);
    header.values = columns.map((c) => c.header);
    for (const r of all) ws.addRow(r.map((v) => v ?? null));
    columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      const fmt = c.numFmt ?? (all.some((r) => r[i] instanceof Date) ? "dd/mm/yyyy hh:mm" : undefined);
      col.eachCell({ includeEmpty: true }, (cell, rowNumber) => {
        if (rowNumber < head) return;
        cell.border = BOX;
        if (fmt && rowNumber > head) cell.numFmt = fmt;
      });
    });
    header.font = { bold: true };
    header.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    header.eachCell((cell) => {
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
    });
    if (total) ws.getRow(head + all.length).font = { bold: true };
    const lines = Math.max(
      1,
      ...columns.map((c, i) =>
        Math.ceil(Array.from(c.header).length / Math.max(1, (ws.getColumn(i + 1).width ?? 10) - 2)),
      ),
    );
    header.height = Math.min(120, 16 * lines + 4);
    if (rows.length > 0 && columns.length > 0) {
      ws.autoFilter = { from: { row: head, column: 1 }, to: { row: head + rows.length, column: columns.length } };
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
