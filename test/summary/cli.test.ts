// `cli summary`: plain text with every board's figures; the chart, the spreadsheet and the
// report document in the folder, named after the cluster and the period.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadImage } from "@napi-rs/canvas";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSummaryCommand, SummaryCommandError } from "../../src/cli/summary.command.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { readDocx } from "../helpers/office.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, "Asia/Ho_Chi_Minh");

describe.each(testDbKinds())("cli summary on $name", (kind) => {
  let t: TestDb;
  let s: Seeded;
  let out: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    s = await seedCluster(t.repos, { name: "Cụm <thử> & nghiệm" });
    await seedPeriod(
      t.repos,
      s,
      { year: 2026, quarter: 3 },
      {
        HN: { values: { ket_nap: 1234, chinh_thuc: 12, ghi_chu: "Tốt <lắm>" } },
        HCM: { values: { ket_nap: 1000, chinh_thuc: 15 }, late: true },
      },
    );
    out = mkdtempSync(join(tmpdir(), "cli-summary-"));
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it("prints plain text and writes the chart, the spreadsheet and the document", async () => {
    const lines: string[] = [];
    const res = await runSummaryCommand(
      { cluster: s.cluster.code, period: "2026-Q3", out: join(out, "new-folder") },
      { repos: t.repos, clock: fixedClock(AFTER), print: (l) => lines.push(l) },
    );
    const text = lines.join("\n");
    expect(lines[0]).toBe("🏆 Tổng kết thi đua quý III/2026");
    expect(lines[1]).toBe("Cụm <thử> & nghiệm");
    expect(text).not.toMatch(/<\/?b>|&amp;|&lt;|&gt;/);
    expect(text).toContain("🥇 Hà Nội — ");
    expect(text).toContain("⏰ nộp muộn");
    expect(text).toContain("⬜ Hải Phòng — chưa nộp");
    expect(text).toContain("  • Chỉ tiêu ket_nap: 1.234 người");
    expect(text).toContain("  • Chỉ tiêu ghi_chu: Tốt <lắm>");
    expect(lines.slice(-2)).toEqual([`spreadsheet: ${res.workbookPath}`, `document: ${res.documentPath}`]);
    expect(res.chartPath).toBe(join(out, "new-folder", "tong-ket-btc-test-2026-Q3.png"));
    expect(res.workbookPath).toBe(join(out, "new-folder", "tong-ket-btc-test-2026-Q3.xlsx"));
    expect(res.documentPath).toBe(join(out, "new-folder", "bao-cao-btc-test-2026-Q3.docx"));
    const doc = await readDocx(readFileSync(res.documentPath));
    expect(doc.paragraphs).toContain("tổng hợp kết quả thực hiện các chỉ tiêu thi đua quý III/2026");
    expect(doc.tables[1]!.at(-1)).toEqual(["", "Toàn cụm", "2.234", "27"]);

    const img = await loadImage(readFileSync(res.chartPath!));
    expect(img.width).toBe(1080);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(res.workbookPath);
    const ranked = wb.getWorksheet("Xếp hạng")!;
    expect(ranked.getCell("A1").value).toBe("XẾP HẠNG — QUÝ III/2026");
    expect((ranked.getRow(5).values as unknown[]).slice(1, 4)).toEqual(["STT", "Hạng", "Đơn vị"]);
    expect((ranked.getRow(6).values as unknown[]).slice(1, 4)).toEqual([1, 1, "Hà Nội"]);
    expect(wb.getWorksheet("Mã (kỹ thuật)")!.getRow(3).values).toEqual([
      undefined,
      "Đơn vị",
      "HN",
      "Ban Tổ chức Thành ủy Hà Nội",
      "Hà Nội",
    ]);
  });

  it("fails with a one-line reason for an unknown cluster, a bad period or a period without data", async () => {
    const deps = { repos: t.repos, clock: fixedClock(AFTER), print: () => {} };
    await expect(runSummaryCommand({ cluster: "khong-co", out }, deps)).rejects.toThrow(
      new SummaryCommandError('unknown cluster "khong-co"'),
    );
    await expect(runSummaryCommand({ cluster: s.cluster.code, period: "Q9", out }, deps)).rejects.toThrow(
      /^Quý phải là 1, 2, 3 hoặc 4/,
    );
    await expect(runSummaryCommand({ cluster: s.cluster.code, period: "Q1/2020", out }, deps)).rejects.toThrow(
      "no data for quý I/2020 in cluster btc-test",
    );
  });
});
