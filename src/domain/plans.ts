// Annual plans (kế hoạch năm) read from a table the chair fills in (a spreadsheet or a CSV):
// one header row — Năm | Mã đơn vị | Đơn vị | one column per indicator — then one row per
// board and year. Pure: the caller reads the file into rows of cells.
import { parseNumber } from "./number.ts";
import type { BoardPlans, IndicatorKind, Plans } from "./types.ts";

/** A cell as read from a sheet: a number, a text, or nothing. */
export type PlanCell = string | number | null;

export interface PlanIssue {
  /** 1-based row of the sheet */
  row: number;
  /** column letter (A, B, …, AA), or null for the whole row */
  column: string | null;
  message: string;
}

export interface PlanTableContext {
  /** board codes of the cluster */
  boards: readonly string[];
  /** the cluster's indicators (numeric ones can be planned) */
  indicators: readonly { code: string; label: string; kind: IndicatorKind }[];
}

export const PLAN_HEADERS = { year: "Năm", board: "Mã đơn vị", name: "Đơn vị" } as const;

/** "A", …, "Z", "AA", … for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The header of an indicator's column: its label with the code in brackets, which is what is read back. */
export function planColumnHeader(ind: { code: string; label: string }): string {
  return `${ind.label} [${ind.code}]`;
}

/** At most this many characters of a cell are quoted in a message. */
const SHOWN_CHARS = 40;

/** C0 and C1 controls, bidi marks and overrides, non-characters: they could rewrite an operator's terminal line. */
function isUnsafe(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfffe ||
    cp === 0xffff
  );
}

/**
 * A cell's text quoted for a one-line message on the operator's terminal: control and bidi
 * characters as "?", cut to {@link SHOWN_CHARS} characters.
 * @example shown("1\u001b[31m2") // '"1?[31m2"'
 */
export function shown(text: string): string {
  const safe = (t: string) => [...t].map((ch) => (isUnsafe(ch.codePointAt(0)!) ? "?" : ch)).join("");
  const head = [...text.slice(0, SHOWN_CHARS * 2)];
  if (head.length <= SHOWN_CHARS && text.length <= SHOWN_CHARS * 2) return `"${safe(text)}"`;
  return `"${safe(head.slice(0, SHOWN_CHARS).join(""))}…" (${text.length} characters)`;
}

const norm = (v: PlanCell) => (v === null ? "" : String(v).normalize("NFC").trim());
const same = (a: string, b: string) => a.toLocaleLowerCase("vi") === b.toLocaleLowerCase("vi");

/** The indicator code of a header cell: "Label [code]" or a bare code. */
function headerCode(text: string): string | null {
  const m = /\[([a-z0-9_]{1,64})\]\s*$/.exec(text) ?? /^([a-z0-9_]{1,64})$/.exec(text);
  return m ? m[1]! : null;
}

/**
 * Reads the plans in a table. Every problem is reported with its row and column; the result
 * is all or nothing. An empty plan cell means "no plan for this indicator"; a year appears
 * with every board row given for it (a year in the table replaces that year's plans).
 * @example readPlanTable([["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]"], [2027, "HN", "Hà Nội", 5000]], ctx)
 *   // { ok: true, value: { "2027": { HN: { ket_nap: 5000 } } } }
 */
export function readPlanTable(
  rows: readonly (readonly PlanCell[])[],
  ctx: PlanTableContext,
): { ok: true; value: Plans } | { ok: false; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const header = (rows[0] ?? []).map(norm);
  const expectHeader = (i: number, text: string) => {
    if (!same(header[i] ?? "", text))
      issues.push({
        row: 1,
        column: columnLetter(i),
        message: `expected the header "${text}", got ${shown(header[i] ?? "")}`,
      });
  };
  expectHeader(0, PLAN_HEADERS.year);
  expectHeader(1, PLAN_HEADERS.board);
  const byCode = new Map(ctx.indicators.map((d) => [d.code, d]));
  const columns: { index: number; code: string }[] = [];
  const seen = new Map<string, number>();
  // column C is the board's name, for the reader; indicator columns follow
  for (let i = 3; i < header.length; i++) {
    const text = header[i]!;
    if (text === "") continue;
    const code = headerCode(text);
    const def = code ? byCode.get(code) : undefined;
    if (!code || !def) {
      issues.push({
        row: 1,
        column: columnLetter(i),
        message: `expected an indicator of the cluster as "label [code]" (${ctx.indicators
          .filter((d) => d.kind !== "text")
          .map((d) => d.code)
          .join(", ")}), got ${shown(text)}`,
      });
      continue;
    }
    if (def.kind === "text") {
      issues.push({ row: 1, column: columnLetter(i), message: `${code} is a text indicator: it has no plan` });
      continue;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      issues.push({ row: 1, column: columnLetter(i), message: `${code} is already in column ${columnLetter(first)}` });
      continue;
    }
    seen.set(code, i);
    columns.push({ index: i, code });
  }
  if (issues.length > 0) return { ok: false, issues };

  const boards = new Set(ctx.boards);
  const plans: Plans = {};
  const rowOf = new Map<string, number>();
  rows.slice(1).forEach((cells, k) => {
    const row = k + 2;
    if (cells.every((c) => norm(c) === "")) return; // blank lines are fine
    const yearText = norm(cells[0] ?? null);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
    if (!(year >= 2000 && year <= 2100)) {
      issues.push({ row, column: "A", message: `expected a year such as 2027, got ${shown(yearText)}` });
      return;
    }
    const board = norm(cells[1] ?? null);
    if (!boards.has(board)) {
      issues.push({
        row,
        column: "B",
        message: `expected a board code of the cluster (${[...boards].join(", ")}), got ${shown(board)}`,
      });
      return;
    }
    const key = `${year}/${board}`;
    const earlier = rowOf.get(key);
    if (earlier !== undefined) {
      issues.push({ row, column: "B", message: `${board} ${year} is already on row ${earlier}` });
      return;
    }
    rowOf.set(key, row);
    const planned: Record<string, number> = {};
    for (const { index, code } of columns) {
      const cell = cells[index] ?? null;
      if (norm(cell) === "") continue;
      const value = typeof cell === "number" ? cell : parseCellNumber(norm(cell));
      if (value === null || !Number.isFinite(value) || value < 0) {
        issues.push({
          row,
          column: columnLetter(index),
          message: norm(cell).startsWith("=")
            ? `a formula without a saved result (${shown(norm(cell))}): formulas are not calculated here; open the file in Excel, save it, and import again`
            : `expected a planned figure ≥ 0, got ${shown(norm(cell))}`,
        });
        continue;
      }
      planned[code] = value;
    }
    const forYear: BoardPlans = plans[String(year)] ?? {};
    forYear[board] = planned;
    plans[String(year)] = forYear;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plans };
}

/** A typed figure the Vietnamese way ("5.000", "1,5"); null when it is not one. */
function parseCellNumber(text: string): number | null {
  const r = parseNumber(text);
  return r.ok ? r.value : null;
}
