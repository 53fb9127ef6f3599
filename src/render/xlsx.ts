// A spreadsheet from a plain description of its sheets (exceljs): numbers stay
// numbers, the header row is bold, wrapped and frozen, columns get widths that fit.
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
  columns: ColumnSpec[];
  rows: CellValue[][];
}

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
    const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, i) => ({
      header: c.header,
      width:
        c.width ??
        columnWidth(
          c.header,
          sheet.rows.map((r) => r[i] ?? null),
        ),
    }));
    for (const row of sheet.rows) ws.addRow(row.map((v) => v ?? null));
    sheet.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      const fmt = c.numFmt ?? (sheet.rows.some((r) => r[i] instanceof Date) ? "dd/mm/yyyy hh:mm" : undefined);
      if (fmt) {
        col.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
          if (rowNumber > 1) cell.numFmt = fmt;
        });
      }
    });
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: "middle", wrapText: true };
    header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
    const lines = Math.max(
      1,
      ...sheet.columns.map((c, i) =>
        Math.ceil(Array.from(c.header).length / Math.max(1, (ws.getColumn(i + 1).width ?? 10) - 2)),
      ),
    );
    header.height = Math.min(120, 16 * lines + 4);
    if (sheet.rows.length > 0 && sheet.columns.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
