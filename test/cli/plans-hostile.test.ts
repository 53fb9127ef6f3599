// Hostile plan spreadsheets: formulas, a million rows, a sheet claiming its last cell at
// XFD1048576, wrong types, huge strings, zip bombs (honest and lying headers), files that
// are not zips, extra sheets, an oversized CSV. Every file is made here at run time. Each
// is read in a child process of its own (test/cli/plan-file-probe.ts) so that its time and
// peak memory are its own; the import must refuse with a one-line reason within the
// bounds below. Then the command on both databases: a refused file changes nothing and a
// sheet wrong on every row lists the first problems and counts the rest.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ISSUE_LINES, PlansCommandError, runPlansImport } from "../../src/cli/plans.command.ts";
import { SPREADSHEET_LIMITS } from "../../src/cli/spreadsheet-guard.ts";
import { columnLetter } from "../../src/domain/plans.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import {
  chunkedPart,
  numCell,
  repeatedPart,
  SHEET_HEAD,
  SHEET_TAIL,
  strCell,
  textPart,
  workbookParts,
  zip,
} from "../helpers/hostile-xlsx.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { seedCluster } from "../summary/helpers.ts";

/** Bounds for one hostile file, in a child process on a loaded 2-core machine. */
const MAX_MS = 5_000;
const MAX_PEAK_RSS_MB = 400;

const HEADER_ROW = `<row r="1">${strCell("A1", "Năm")}${strCell("B1", "Mã đơn vị")}${strCell("C1", "Đơn vị")}${strCell("D1", "Kết nạp [ket_nap]")}</row>`;
/** plan rows `from`…`to` (numbered: exceljs needs the row references) */
function planRows(from: number, to: number): string {
  let out = "";
  for (let r = from; r <= to; r++)
    out += `<row r="${r}">${numCell(`A${r}`, 2027)}${strCell(`B${r}`, r % 2 ? "HN" : "HCM")}${strCell(`C${r}`, "Hà Nội")}${numCell(`D${r}`, r)}</row>`;
  return out;
}

/** A sheet of the header and `rows` plan rows, made 10,000 rows at a time. */
function* planSheet(rows: number): Generator<string> {
  yield SHEET_HEAD + HEADER_ROW;
  for (let r = 2; r <= rows + 1; r += 10_000) yield planRows(r, Math.min(r + 9_999, rows + 1));
  yield SHEET_TAIL;
}

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface Case {
  name: string;
  file: string;
  make: () => Promise<Buffer | string> | Buffer | string;
  /** the refusal (or, with ok, what is read) */
  expect: RegExp;
  ok?: boolean;
}

const CASES: Case[] = [
  {
    name: "formulas with saved results are read by their results",
    file: "formulas-cached.xlsx",
    make: () =>
      workbook((wb) => {
        const ws = wb.addWorksheet("Kế hoạch");
        ws.addRow(["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]"]);
        ws.addRow([2027, "HN", "", { formula: "2*3000", result: 6000 }]);
        ws.addRow([2027, "HCM", "", { formula: "D2+1", result: 6001 }]);
      }),
    ok: true,
    expect: /"HN":\{"ket_nap":6000\},"HCM":\{"ket_nap":6001\}/,
  },
  {
    name: "a formula without a saved result is refused by name (never calculated)",
    file: "formulas-uncached.xlsx",
    make: () =>
      workbook((wb) => {
        const ws = wb.addWorksheet("Kế hoạch");
        ws.addRow(["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]"]);
        ws.addRow([2027, "HN", "", { formula: 'WEBSERVICE("http://127.0.0.1/x")' }]);
        ws.addRow([2027, "HCM", "", { formula: "1/0", result: { error: "#DIV/0!" } }]);
      }),
    expect:
      /row 2, column D: a formula without a saved result \("=WEBSERVICE\(\\?"http[\s\S]*row 3, column D: expected a planned figure ≥ 0, got "#DIV\/0!"/,
  },
  {
    name: "a million numbered plan rows (150 MB of XML in a 16 MB file): the file size",
    file: "million-rows.xlsx",
    make: () => zip([...workbookParts(), chunkedPart("xl/worksheets/sheet1.xml", planSheet(1_000_000))]),
    expect: /the file is 1\d\.\d MB; a plan sheet is at most 5 MB/,
  },
  {
    name: "a million identical rows (120 MB of XML in a 0.1 MB file): the unpacked size",
    file: "million-rows-small.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        repeatedPart(
          "xl/worksheets/sheet1.xml",
          SHEET_HEAD + HEADER_ROW,
          planRows(2, 10_001).replace(/ r="[A-Z]*\d+"/g, ""),
          100,
          SHEET_TAIL,
        ),
      ]),
    expect: /unpacks to more than 16 MB/,
  },
  {
    name: "20,000 rows (3 MB of XML): the rows are counted before the sheet is parsed",
    file: "rows-20000.xlsx",
    make: () => zip([...workbookParts(), chunkedPart("xl/worksheets/sheet1.xml", planSheet(20_000))]),
    expect: /a sheet has more than 2000 rows; a plan sheet has one row per board and year/,
  },
  {
    name: "one cell at XFD1048576 (a 1 kB file whose extent is 17 billion cells)",
    file: "last-cell.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        textPart(
          "xl/worksheets/sheet1.xml",
          `${SHEET_HEAD}${HEADER_ROW}<row r="1048576">${numCell("XFD1048576", 1)}</row>${SHEET_TAIL}`,
        ),
      ]),
    expect: /the sheet has 1048576 rows/,
  },
  {
    name: "one cell at XFD2 (16,384 columns)",
    file: "last-column.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        textPart(
          "xl/worksheets/sheet1.xml",
          `${SHEET_HEAD}${HEADER_ROW}<row r="2">${numCell("XFD2", 1)}</row>${SHEET_TAIL}`,
        ),
      ]),
    expect: /the sheet has 16384 columns; a plan sheet has at most 200/,
  },
  {
    name: "60,000 cells on 1,000 rows",
    file: "many-cells.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        textPart(
          "xl/worksheets/sheet1.xml",
          SHEET_HEAD +
            HEADER_ROW +
            Array.from(
              { length: 1000 },
              (_, k) =>
                `<row r="${k + 2}">${Array.from({ length: 60 }, (_, c) => numCell(`${columnLetter(c)}${k + 2}`, c)).join("")}</row>`,
            ).join("") +
            SHEET_TAIL,
        ),
      ]),
    expect: /the workbook has more than 50000 cells/,
  },
  {
    name: "wrong types: booleans, dates, error values, words, negatives, rich text",
    file: "wrong-types.xlsx",
    make: () =>
      workbook((wb) => {
        const ws = wb.addWorksheet("Kế hoạch");
        ws.addRow(["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]"]);
        ws.addRow([true, "HN", "", 1]);
        ws.addRow([new Date("2027-01-01T00:00:00Z"), "HCM", "", 1]);
        ws.addRow([2028, "HN", "", false]);
        ws.addRow([2028, "HCM", "", new Date("2027-05-01T00:00:00Z")]);
        ws.addRow([2029, "HN", "", { error: "#REF!" }]);
        ws.addRow([2029, "HCM", "", -5]);
        ws.addRow([2030, { richText: [{ text: "H" }, { text: "N" }] }, "", "nhiều"]);
        ws.addRow([2030, 12, "", Number.NaN]);
      }),
    expect:
      /row 2, column A: expected a year such as 2027, got "true"\nrow 3, column A: expected a year such as 2027, got "2027-01-01"\nrow 4, column D: expected a planned figure ≥ 0, got "false"\n\(8 problem\(s\)\)/,
  },
  {
    name: "huge strings: a 4 MB header and a 4 MB cell with control characters are quoted in 40 characters",
    file: "huge-strings.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        textPart(
          "xl/worksheets/sheet1.xml",
          `${SHEET_HEAD}<row r="1">${strCell("A1", "Năm")}${strCell("B1", "Mã đơn vị")}${strCell("C1", "Đơn vị")}${strCell("D1", "Kết nạp [ket_nap]")}${strCell("E1", `\u202e[2J${"x".repeat(4_000_000)}`)}</row>${SHEET_TAIL}`,
        ),
      ]),
    expect:
      /^row 1, column E: expected an indicator of the cluster as "label \[code\]" \(ket_nap\), got "\?\[2Jx{36}…" \(4000004 characters\)\n/,
  },
  {
    name: "a zip bomb: 2 GB of XML in 2 MB, sizes in the headers honest",
    file: "bomb-honest.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        repeatedPart("xl/worksheets/sheet1.xml", SHEET_HEAD, "<row/>".repeat(174_763), 2_000, SHEET_TAIL),
      ]),
    expect: /unpacks to more than 16 MB/,
  },
  {
    name: "a zip bomb whose headers lie (declared 1 kB each)",
    file: "bomb-lying.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        repeatedPart("xl/worksheets/sheet1.xml", SHEET_HEAD, "<row/>".repeat(174_763), 2_000, SHEET_TAIL, 1_000),
      ]),
    expect: /unpacks to more than 16 MB/,
  },
  {
    name: "many small parts that together unpack to 1 GB",
    file: "bomb-parts.xlsx",
    make: () =>
      zip([
        ...workbookParts(),
        ...Array.from({ length: 100 }, (_, i) =>
          repeatedPart(`xl/media/p${i}.xml`, "", " ".repeat(1 << 20), 10, "", 10),
        ),
      ]),
    expect: /unpacks to more than 16 MB/,
  },
  {
    name: "not a zip: a CSV saved as .xlsx",
    file: "csv-named.xlsx",
    make: () => "Năm,Mã đơn vị,Đơn vị,ket_nap\n2027,HN,,5000\n",
    expect: /^csv-named\.xlsx: not an \.xlsx file \(not a zip archive\): save it from Excel as \.xlsx/,
  },
  {
    name: "not a zip: random bytes",
    file: "random.xlsx",
    make: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
    expect: /not an \.xlsx file/,
  },
  {
    name: "a zip cut in half",
    file: "truncated.xlsx",
    make: async () => {
      const whole = await workbook((wb) => wb.addWorksheet("Kế hoạch").addRow(["Năm", "Mã đơn vị", "Đơn vị"]));
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
    expect: /not a readable \.xlsx file/,
  },
  {
    name: "an empty file",
    file: "empty.xlsx",
    make: () => Buffer.alloc(0),
    expect: /not an \.xlsx file/,
  },
  {
    name: "extra sheets: the one named Kế hoạch is read, the others are left alone",
    file: "extra-sheets.xlsx",
    make: () =>
      workbook((wb) => {
        wb.addWorksheet("Ghi chú").addRow(["không phải kế hoạch", "<b>&"]);
        const ws = wb.addWorksheet("Kế hoạch");
        ws.addRow(["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]"]);
        ws.addRow([2027, "HN", "", 5000]);
        const hidden = wb.addWorksheet("Ẩn", { state: "veryHidden" });
        hidden.getCell("XFD1048576").value = 1;
      }),
    ok: true,
    expect: /^\{"2027":\{"HN":\{"ket_nap":5000\}\}\}$/,
  },
  {
    name: "extra sheets and none named Kế hoạch: refused, saying which name is wanted",
    file: "no-plan-sheet.xlsx",
    make: () =>
      workbook((wb) => {
        wb.addWorksheet("Sheet1").addRow(["Năm", "Mã đơn vị", "Đơn vị"]);
        wb.addWorksheet("Sheet2").addRow(["Năm", "Mã đơn vị", "Đơn vị"]);
      }),
    expect: /the workbook has 2 sheets and none is named "Kế hoạch"; name the plan sheet "Kế hoạch"/,
  },
  {
    name: "a 6 MB file",
    file: "too-big.xlsx",
    make: () => Buffer.alloc(6 * 1024 * 1024, 0x50),
    expect: /the file is 6\.0 MB; a plan sheet is at most 5 MB/,
  },
  {
    name: "a CSV of 400,000 lines",
    file: "million-lines.csv",
    make: () => `Năm,Mã đơn vị,Đơn vị,ket_nap\n${"2027,HN,,1\n".repeat(400_000)}`,
    expect: /the file has more than 2000 lines; a plan sheet has one row per board and year/,
  },
];

interface Probe {
  file: string;
  ok: boolean;
  message: string;
  ms: number;
  peakRssMb: number;
}

/** Reads `files` in one child process; its lines, one per file. */
function probe(files: string[]): Promise<Probe[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "test/cli/plan-file-probe.ts", ...files], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    proc.once("exit", (code) => {
      if (code !== 0) reject(new Error(`probe exited ${code}: ${err.slice(0, 500)}`));
      else
        resolve(
          out
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Probe),
        );
    });
  });
}

// SOAK (or PLAN_PROBE_ISOLATED=1): one process per file, so that each peak is that file's own;
// otherwise one process reads them all (a peak is then the highest so far) and CI stays fast.
const ISOLATED = process.env.SOAK === "1" || process.env.PLAN_PROBE_ISOLATED === "1";

describe("hostile plan spreadsheets: refused in bounded time and memory", () => {
  let dir: string;
  const probes = new Map<string, Probe>();
  const results: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plans-hostile-"));
    for (const c of CASES) writeFileSync(join(dir, c.file), await c.make());
    const files = CASES.map((c) => join(dir, c.file));
    // one after the other: in parallel they would measure each other
    const runs = ISOLATED ? files.map((f) => [f]) : [files];
    for (const run of runs) for (const p of await probe(run)) probes.set(p.file, p);
  }, 300_000);
  afterAll(() => {
    console.log(
      `hostile plan files (limits: file ${SPREADSHEET_LIMITS.fileBytes} B, unpacked ${SPREADSHEET_LIMITS.unzippedBytes} B, ` +
        `${SPREADSHEET_LIMITS.rows} rows, ${SPREADSHEET_LIMITS.columns} columns; ${ISOLATED ? "one process per file" : "one process, peak so far"}):\n${results.join("\n")}`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)("$name", (c) => {
    const r = probes.get(join(dir, c.file))!;
    results.push(
      `  ${c.file.padEnd(22)} ${r.ok ? "read   " : "refused"} ${r.ms.toFixed(0).padStart(5)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB: ${r.message.split("\n")[0]!.slice(0, 110)}`,
    );
    expect(r.ok).toBe(c.ok ?? false);
    expect(r.message).toMatch(c.expect);
    // a one-line reason stays short whatever the file holds
    for (const line of r.message.split("\n")) expect(line.length).toBeLessThan(300);
    expect(r.ms).toBeLessThan(MAX_MS);
    expect(r.peakRssMb).toBeLessThan(MAX_PEAK_RSS_MB);
  });
});

describe.each(testDbKinds())("cli plans import of hostile files on $name", (kind) => {
  let t: TestDb;
  let dir: string;
  let code: string;
  let clusterId: number;
  const deps = () => ({
    repos: t.repos,
    periods: createPeriodService(t.repos),
    clock: fixedClock(new Date("2026-09-25T03:00:00Z")),
    print: () => undefined,
  });

  beforeAll(async () => {
    t = await createTestDb(kind);
    const s = await seedCluster(t.repos, {});
    code = s.cluster.code;
    clusterId = s.cluster.id;
    dir = mkdtempSync(join(tmpdir(), "plans-hostile-db-"));
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a bomb, a non-zip and a sheet wrong on 1,500 rows change nothing; the problems are listed 20 at most", async () => {
    const before = (await t.repos.clusters.findById(clusterId))!.plans;
    const bomb = join(dir, "bomb.xlsx");
    writeFileSync(
      bomb,
      zip([
        ...workbookParts(),
        repeatedPart("xl/worksheets/sheet1.xml", SHEET_HEAD, "<row/>".repeat(174_763), 100, SHEET_TAIL, 1),
      ]),
    );
    const notZip = join(dir, "plans.xlsx");
    writeFileSync(notZip, "%PDF-1.7\n");
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, `Năm,Mã đơn vị,Đơn vị,ket_nap\n${"2027,XX,,1\n".repeat(1_500)}`);
    const messages: string[] = [];
    for (const file of [bomb, notZip, wrong]) {
      const err = await runPlansImport({ cluster: code, file }, deps()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlansCommandError);
      messages.push((err as Error).message);
    }
    expect(messages[0]).toBe(
      "bomb.xlsx: the .xlsx file unpacks to more than 16 MB; a plan sheet is far smaller (is it the right file?); nothing was imported",
    );
    expect(messages[1]).toBe(
      "plans.xlsx: not an .xlsx file (not a zip archive): save it from Excel as .xlsx; nothing was imported",
    );
    const lines = messages[2]!.split("\n");
    expect(lines).toHaveLength(MAX_ISSUE_LINES + 2);
    expect(lines[0]).toMatch(
      /^wrong\.csv: row 2, column B: expected a board code of the cluster \(HN, HCM, HP\), got "XX"$/,
    );
    expect(lines.at(-2)).toBe("wrong.csv: … and 1480 more problem(s)");
    expect(lines.at(-1)).toBe("nothing was imported");
    expect((await t.repos.clusters.findById(clusterId))!.plans).toEqual(before);
  }, 60_000);
});
