// Annual plans from the chair's spreadsheet: the pure table reader (every problem with its
// row and column, all or nothing) and `cli plans template` / `cli plans import` on a real
// database: the template round-trips, a bad sheet changes nothing, an import reaches the
// periods that have not closed and leaves a closed one alone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlansCommandError, parseCsv, runPlansImport, runPlansTemplate } from "../../src/cli/plans.command.ts";
import { columnLetter, readPlanTable } from "../../src/domain/plans.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster } from "../summary/helpers.ts";

const ctx = {
  boards: ["HN", "HCM"],
  indicators: [
    { code: "ket_nap", label: "Kết nạp", kind: "integer" as const },
    { code: "ty_le", label: "Tỷ lệ", kind: "percent" as const },
    { code: "ghi_chu", label: "Ghi chú", kind: "text" as const },
  ],
};
const HEADER = ["Năm", "Mã đơn vị", "Đơn vị", "Kết nạp [ket_nap]", "ty_le"];

describe("readPlanTable", () => {
  it("reads years, boards and figures (numbers, Vietnamese-typed texts, empty = no plan)", () => {
    const r = readPlanTable(
      [HEADER, [2027, "HN", "Hà Nội", 5000, "90,5"], ["2027", "HCM", "", "6.000", null], [], [2028, "HN", "", 1, 2]],
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        "2027": { HN: { ket_nap: 5000, ty_le: 90.5 }, HCM: { ket_nap: 6000 } },
        "2028": { HN: { ket_nap: 1, ty_le: 2 } },
      },
    });
  });

  it.each([
    [[["Year", "Mã đơn vị", "Đơn vị"]], [{ row: 1, column: "A" }]],
    [[[...HEADER, "Ghi chú [ghi_chu]"]], [{ row: 1, column: "F" }]],
    [[[...HEADER, "không rõ"]], [{ row: 1, column: "F" }]],
    [[[...HEADER, "ket_nap"]], [{ row: 1, column: "F" }]],
    [[HEADER, [27, "HN", "", 1]], [{ row: 2, column: "A" }]],
    [[HEADER, [2027, "XX", "", 1]], [{ row: 2, column: "B" }]],
    [
      [HEADER, [2027, "HN", "", -1, "abc"]],
      [
        { row: 2, column: "D" },
        { row: 2, column: "E" },
      ],
    ],
    [[HEADER, [2027, "HN", "", 1], [2027, "HN", "", 2]], [{ row: 3, column: "B" }]],
  ])("%j → problems at %j, nothing read", (rows, at) => {
    const r = readPlanTable(rows, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map(({ row, column }) => ({ row, column }))).toEqual(at);
  });

  it("column letters and CSV (quotes, ; separator, BOM)", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
    expect(parseCsv('\uFEFFNăm;"Mã; đơn vị";x\r\n2027;"HN ""A""";1\n')).toEqual([
      ["Năm", "Mã; đơn vị", "x"],
      ["2027", 'HN "A"', "1"],
    ]);
    expect(parseCsv("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});

describe.each(testDbKinds())("cli plans on $name", (kind) => {
  let t: TestDb;
  let s: Seeded;
  let dir: string;
  const TZ = "Asia/Ho_Chi_Minh";
  // quý II/2026 closed, quý III open
  const NOW = zonedLocalToInstant(2026, 9, 25, 10, 0, TZ);
  const lines: string[] = [];
  const deps = () => ({
    repos: t.repos,
    periods: createPeriodService(t.repos),
    clock: fixedClock(NOW),
    print: (l: string) => lines.push(l),
  });

  beforeAll(async () => {
    t = await createTestDb(kind);
    s = await seedCluster(t.repos, { scoring: { method: "relative-to-plan", onTimeWeight: 5 } });
    const periods = createPeriodService(t.repos);
    await periods.ensure(s.cluster, { year: 2026, quarter: 2 });
    await periods.ensure(s.cluster, { year: 2026, quarter: 3 });
    dir = mkdtempSync(join(tmpdir(), "plans-"));
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the template lists the boards and numeric indicators; filled in, it imports; open periods take it", async () => {
    const file = join(dir, "plans-2026.xlsx");
    await runPlansTemplate({ cluster: s.cluster.code, year: "2026", out: file }, deps());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet("Kế hoạch")!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      "Năm",
      "Mã đơn vị",
      "Đơn vị",
      "Chỉ tiêu ket_nap [ket_nap]",
      "Chỉ tiêu chinh_thuc [chinh_thuc]",
    ]);
    expect([2, 3, 4].map((r) => ws.getRow(r).getCell(2).value)).toEqual(["HN", "HCM", "HP"]);
    ws.getRow(2).getCell(4).value = 5000;
    ws.getRow(2).getCell(5).value = 4000;
    ws.getRow(3).getCell(4).value = { formula: "2*3000", result: 6000 };
    await wb.xlsx.writeFile(file);

    lines.length = 0;
    await runPlansImport({ cluster: s.cluster.code, file }, deps());
    expect(lines).toEqual([
      "btc-test: plans 2026 imported (3 board(s), 3 figure(s))",
      "btc-test: scoring of 1 period(s) not closed updated",
    ]);
    const cluster = (await t.repos.clusters.findById(s.cluster.id))!;
    expect(cluster.plans["2026"]).toEqual({ HN: { ket_nap: 5000, chinh_thuc: 4000 }, HCM: { ket_nap: 6000 }, HP: {} });
    const q2 = await t.repos.periods.find(s.cluster.id, { year: 2026, quarter: 2 });
    const q3 = await t.repos.periods.find(s.cluster.id, { year: 2026, quarter: 3 });
    expect(q2?.scoring?.plans).toEqual({}); // closed before the import: kept as it was
    expect(q3?.scoring?.plans.HCM).toEqual({ ket_nap: 6000 });

    // a template of a year with plans is filled with them
    const again = join(dir, "again.xlsx");
    await runPlansTemplate({ cluster: s.cluster.code, year: "2026", out: again }, deps());
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.readFile(again);
    expect(wb2.getWorksheet("Kế hoạch")!.getRow(2).values).toEqual([
      undefined,
      2026,
      "HN",
      "Ban Tổ chức Thành ủy Hà Nội",
      5000,
      4000,
    ]);
  });

  it("a sheet with problems names sheet, row and column of each and imports nothing", async () => {
    const file = join(dir, "bad.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Kế hoạch");
    ws.addRow(["Năm", "Mã đơn vị", "Đơn vị", "[ket_nap]"]);
    ws.addRow([2027, "HN", "", 100]);
    ws.addRow([2027, "ZZ", "", 100]);
    ws.addRow([2027, "HCM", "", "nhiều"]);
    await wb.xlsx.writeFile(file);
    const before = (await t.repos.clusters.findById(s.cluster.id))!.plans;
    const err = await runPlansImport({ cluster: s.cluster.code, file }, deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlansCommandError);
    expect((err as Error).message.split("\n")).toEqual([
      'bad.xlsx: sheet "Kế hoạch", row 3, column B: expected a board code of the cluster (HN, HCM, HP), got "ZZ"',
      'bad.xlsx: sheet "Kế hoạch", row 4, column D: expected a planned figure ≥ 0, got "nhiều"',
      "nothing was imported",
    ]);
    expect((await t.repos.clusters.findById(s.cluster.id))!.plans).toEqual(before);

    const csv = join(dir, "plans.txt");
    writeFileSync(csv, "x");
    await expect(runPlansImport({ cluster: s.cluster.code, file: csv }, deps())).rejects.toThrow(
      "plans.txt: expected a .xlsx or .csv file",
    );
  });
});
