// The chart PNG (decoded and inspected) and the spreadsheet (read back and compared
// with what the database holds).
import { createCanvas, loadImage } from "@napi-rs/canvas";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHART_MAX_BARS,
  CHART_MAX_IMAGES,
  chartLabel,
  summaryChartInput,
  summaryChartInputs,
  summaryWorkbookSpec,
} from "../../src/bot/views/summary.view.ts";
import { rankBoards } from "../../src/domain/ranking.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { CHART_WIDTH, chartSize, renderBarChart } from "../../src/render/chart.ts";
import { columnWidth, headerRowOf, renderWorkbook, safeSheetName } from "../../src/render/xlsx.ts";
import { createSummaryService, type Summary } from "../../src/services/summary.service.ts";
import { indicator } from "../helpers/fixtures.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const Q2 = { year: 2026, quarter: 2 } as const;
const Q3 = { year: 2026, quarter: 3 } as const;
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);

const boards = [
  { code: "HN", name: "Ban Tổ chức Thành ủy Hà Nội", shortName: "Hà Nội", active: true },
  { code: "HCM", name: "Ban Tổ chức Thành ủy TP. Hồ Chí Minh", shortName: "TP.HCM", active: true },
  { code: "HP", name: "Ban Tổ chức Thành ủy Hải Phòng", shortName: "Hải Phòng", active: true },
  { code: "DN", name: "Ban Tổ chức Thành ủy Đà Nẵng", shortName: "Đà Nẵng", active: true },
  { code: "CT", name: "Ban Tổ chức Thành ủy Cần Thơ", shortName: "Cần Thơ", active: true },
  { code: "HUE", name: "Ban Tổ chức Thành ủy Huế", shortName: "Huế", active: true },
];
const indicators = [
  indicator("ket_nap", { label: "Số đảng viên mới kết nạp", weight: 20 }),
  indicator("ty_le", { label: "Tỷ lệ chi bộ đạt chuẩn", kind: "percent", unit: "%", weight: 10, max: 100 }),
  indicator("ky_luat", { label: "Số đảng viên bị kỷ luật", weight: 10, better: "lower" }),
  indicator("ghi_chu", {
    label: "Kết quả nổi bật",
    kind: "text",
    unit: "",
    weight: 0,
    required: false,
    min: undefined,
  }),
];

describe.each(testDbKinds())("chart and spreadsheet on $name", (kind) => {
  let t: TestDb;
  let seeded: Seeded;
  let summary: Summary;

  beforeAll(async () => {
    t = await createTestDb(kind);
    seeded = await seedCluster(t.repos, { code: "cum-r", name: "Cụm thi đua các thành phố", boards, indicators });
    await seedPeriod(t.repos, seeded, Q2, {
      HN: { values: { ket_nap: 3000, ty_le: 91.5, ky_luat: 12 } },
      HCM: { values: { ket_nap: 2800, ty_le: 88, ky_luat: 9 } },
      DN: { values: { ket_nap: 400, ty_le: 95.25, ky_luat: 2 }, late: true },
    });
    await seedPeriod(t.repos, seeded, Q3, {
      HN: { values: { ket_nap: 3150, ty_le: 92.4, ky_luat: 10, ghi_chu: "Vượt kế hoạch" } },
      HCM: { values: { ket_nap: 2890, ty_le: 89.1, ky_luat: 8, ghi_chu: null } },
      HP: { values: { ket_nap: 1020, ty_le: 96.75, ky_luat: 3 }, late: true },
      DN: { values: { ket_nap: 460, ty_le: 97, ky_luat: 1 } },
      CT: { values: { ket_nap: 540, ty_le: 90, ky_luat: 4, ghi_chu: "Khó khăn <nhân sự> & kinh phí" } },
    });
    summary = (await createSummaryService(t.repos).build(seeded.cluster, Q3, AFTER))!;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("the chart's input names every board, ranked, with its score; missing boards last without a bar", () => {
    const input = summaryChartInput(summary);
    expect(input.title).toBe("Tổng kết thi đua quý III/2026");
    expect(input.subtitle[0]).toBe("Cụm thi đua các thành phố");
    expect(input.max).toBe(45);
    for (const b of boards) expect(input.bars.some((bar) => String(bar.label).endsWith(b.shortName))).toBe(true);
    expect(input.bars).toHaveLength(6);
    summary.boards.forEach((b, i) => {
      const bar = input.bars[i]!;
      expect(bar.label).toBe(b.rank === null ? `– ${b.shortName}` : `${b.rank}. ${b.shortName}`);
      expect(bar.value).toBe(b.score);
    });
    expect(input.bars[5]).toEqual({ label: "– Huế", value: null, valueLabel: "chưa nộp", tone: "missing" });
    const hp = input.bars.find((b) => String(b.label).endsWith("Hải Phòng"))!;
    expect(hp.valueLabel).toMatch(/\(nộp muộn\)$/);
    expect(input.footnote).toBe(
      "Nguồn: báo cáo của các đơn vị gửi qua bot của cụm; số liệu lập lúc 16:00 ngày 09/10/2026.",
    );
  });

  it("the PNG decodes to the expected size and is not blank", async () => {
    const png = await renderBarChart(summaryChartInput(summary));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const img = await loadImage(png);
    expect({ width: img.width, height: img.height }).toEqual(chartSize(6, { footnote: true }));
    expect(img.width).toBe(CHART_WIDTH);
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const colors = new Set<number>();
    let white = 0;
    let gold = 0;
    let translucent = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a !== 255) translucent++;
      colors.add((r << 16) | (g << 8) | b);
      if (r === 255 && g === 255 && b === 255) white++;
      if (r === 0xc9 && g === 0xa2 && b === 0x27) gold++;
    }
    expect(translucent).toBe(0); // opaque: readable in Telegram's dark theme
    // bars, text with anti-aliasing, grid: many colors; mostly white background; a real gold bar
    expect(colors.size).toBeGreaterThan(50);
    expect(white / (data.length / 4)).toBeGreaterThan(0.4);
    expect(gold).toBeGreaterThan(5_000);
    console.log(`chart PNG: ${img.width}×${img.height}, ${png.length} bytes, ${colors.size} colors`);
  });

  it("the spreadsheet reads back with the database's values, numbers as numbers", async () => {
    const spec = summaryWorkbookSpec(summary);
    const buffer = await renderWorkbook(spec);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Xếp hạng",
      "Số liệu",
      "Lũy kế, kế hoạch",
      "Điểm từng chỉ tiêu",
      "Xu hướng 4 quý",
      "Cách tính",
      "Mã (kỹ thuật)",
    ]);
    const headerRow = (name: string) => headerRowOf(spec.sheets.find((x) => x.name === name)!);
    for (const ws of wb.worksheets) {
      const head = headerRow(ws.name);
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: head });
      expect(ws.getRow(head).font?.bold).toBe(true);
      // printable: landscape A4 fitted to the width, the header repeated on every page
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${head}:${head}`,
      });
      ws.columns.forEach((c) => {
        expect(c.width).toBeGreaterThanOrEqual(6);
        expect(c.width).toBeLessThanOrEqual(48);
      });
      // internal codes only in the technical sheet
      if (ws.name !== "Mã (kỹ thuật)") {
        const cells: unknown[] = [];
        ws.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
        for (const code of ["HN", "HCM", "ket_nap", "cum-r"]) expect(cells).not.toContain(code);
      }
    }
    // title and period above the table
    const first = wb.getWorksheet("Xếp hạng")!;
    expect(first.getCell("A1").value).toBe("XẾP HẠNG — QUÝ III/2026");
    expect(first.getCell("A2").value).toBe("Cụm thi đua các thành phố");
    expect(first.getRow(headerRow("Xếp hạng")).getCell(1).value).toBe("STT");
    const codeOf = new Map(boards.map((b) => [b.shortName, b.code]));

    // Independent of the service: the rows as stored, ranked with the domain function.
    const period = (await t.db.period.findFirst({ where: { clusterId: seeded.cluster.id, year: 2026, quarter: 3 } }))!;
    const rows = await t.db.report.findMany({
      where: { periodId: period.id },
      include: { values: { include: { indicator: true } }, board: true },
    });
    const stored = new Map(rows.map((r) => [r.board.code, r]));
    const ranking = rankBoards({
      indicators: seeded.set.indicators,
      scoring: seeded.cluster.scoring,
      boards: boards.map((b) => ({ code: b.code, shortName: b.shortName })),
      reports: rows
        .filter((r) => r.status === "submitted")
        .map((r) => ({
          boardCode: r.board.code,
          values: Object.fromEntries(
            r.values.filter((v) => v.number !== null).map((v) => [v.indicator.code, v.number!]),
          ),
          submittedAt: r.firstSubmittedAt!,
          late: r.late,
        })),
    });

    // Rows below the header, keyed by header, with the board's code looked up from its name.
    const sheetRows = (name: string) => {
      const ws = wb.getWorksheet(name)!;
      const head = headerRow(name);
      const header = (ws.getRow(head).values as unknown[]).slice(1).map(String);
      const out: Record<string, unknown>[] = [];
      ws.eachRow((row, n) => {
        if (n <= head) return;
        const values = row.values as unknown[];
        const cells: Record<string, unknown> = Object.fromEntries(header.map((h, i) => [h, values[i + 1] ?? null]));
        out.push({ ...cells, Mã: codeOf.get(String(cells["Đơn vị"])) ?? null });
      });
      return out;
    };

    const ranked = sheetRows("Xếp hạng");
    expect(ranked.map((r) => r["Mã"])).toEqual(ranking.boards.map((b) => b.code));
    expect(ranked.map((r) => r.STT)).toEqual(ranking.boards.map((_, i) => i + 1));
    ranked.forEach((r, i) => {
      const expected = ranking.boards[i]!;
      expect(r["Hạng"]).toBe(expected.rank);
      expect(r["Điểm"]).toBe(expected.score);
      expect(r["Tình trạng"]).toBe(
        ({ on_time: "Đúng hạn", late: "Nộp muộn", not_submitted: "Chưa nộp" } as Record<string, string>)[
          expected.status
        ],
      );
      const report = stored.get(String(r["Mã"]));
      if (expected.submitted) {
        expect(r["Thời điểm nộp"]).toBeInstanceOf(Date);
        // wall-clock time of the cluster, stored as an Excel date
        const local = zonedLocalToInstant(
          (r["Thời điểm nộp"] as Date).getUTCFullYear(),
          (r["Thời điểm nộp"] as Date).getUTCMonth() + 1,
          (r["Thời điểm nộp"] as Date).getUTCDate(),
          (r["Thời điểm nộp"] as Date).getUTCHours(),
          (r["Thời điểm nộp"] as Date).getUTCMinutes(),
          TZ,
        );
        expect(local.getTime()).toBe(Math.floor(report!.firstSubmittedAt!.getTime() / 60_000) * 60_000);
      }
    });
    expect(ranked.find((r) => r["Mã"] === "HN")).toMatchObject({
      "Hạng kỳ trước": 1,
      "Điểm kỳ trước": expect.any(Number),
    });

    const values = sheetRows("Số liệu");
    expect(values).toHaveLength(7);
    // the cluster's row: the sum of what the submitted boards reported
    const total = values.pop()!;
    expect(total["Đơn vị"]).toBe("Toàn cụm");
    expect(total.STT).toBeNull();
    const ketNap = "Số đảng viên mới kết nạp (người)";
    expect(total[ketNap]).toBe(values.reduce((sum, r) => sum + (typeof r[ketNap] === "number" ? r[ketNap] : 0), 0));
    let compared = 0;
    for (const row of values) {
      const report = stored.get(String(row["Mã"]));
      for (const d of seeded.set.indicators) {
        const header = d.unit ? `${d.label} (${d.unit})` : d.label;
        const cell = row[header];
        const v = report?.status === "submitted" ? report.values.find((x) => x.indicatorId === d.id) : undefined;
        if (!v || v.skipped) expect(cell).toBeNull();
        else if (v.number !== null) expect(cell).toBe(v.number);
        else expect(cell).toBe(v.text);
        if (typeof cell === "number") compared++;
      }
    }
    expect(compared).toBe(15);

    const points = sheetRows("Điểm từng chỉ tiêu");
    expect(points).toHaveLength(5);
    for (const row of points) {
      const expected = ranking.boards.find((b) => b.code === row["Mã"])!;
      const parts = expected.indicators.map((p) => Math.round(p.points * 100) / 100);
      const cells = Object.entries(row)
        .filter(([h]) => h.includes("(trọng số") && !h.startsWith("Nộp đúng hạn"))
        .map(([, v]) => v);
      expect(cells).toEqual(parts);
      expect(row["Nộp đúng hạn (trọng số 5)"]).toBe(expected.onTimePoints);
      expect(row["Tổng điểm"]).toBe(expected.score);
    }

    const trend = sheetRows("Xu hướng 4 quý");
    const hn = trend.find((r) => r["Mã"] === "HN")!;
    expect(hn["Điểm quý III/2026"]).toBe(ranking.boards.find((b) => b.code === "HN")!.score);
    expect(hn["Hạng quý II/2026"]).toBe(1);
    expect(hn["Điểm quý IV/2025"]).toBeNull();
    expect(trend.find((r) => r["Mã"] === "HP")!["Hạng quý II/2026"]).toBeNull();
  });
});

describe("chart and spreadsheet helpers", () => {
  it("a large cluster's chart shows every board over several images, each within Telegram's photo limits", () => {
    const big = (n: number) =>
      ({
        scope: "quarter",
        cluster: { id: 1, code: "big", name: "Cụm lớn", timezone: TZ },
        ref: Q3,
        closed: true,
        generatedAt: AFTER,
        counts: { total: n, submitted: n, late: 0, missing: 0 },
        method: { maxScore: 105 },
        boards: Array.from({ length: n }, (_, i) => ({
          shortName: `Bà Rịa–Vũng Tàu mở rộng ${i + 1}`,
          rank: i + 1,
          score: 100 - i / 10,
          status: "on_time",
        })),
      }) as unknown as Summary;
    const pages = summaryChartInputs(big(120));
    expect(pages.map((p) => p.bars.length)).toEqual([40, 40, 40]);
    expect(pages[1]!.subtitle).toContain("Hình 2/3: đơn vị thứ 41–80 trên 120");
    // every board appears once, its name's distinguishing end kept
    const labels = pages.flatMap((p) => p.bars.map((b) => [b.label].flat().join(" ")));
    expect(pages[0]!.bars[0]!.label).toEqual(["1. Bà Rịa–Vũng Tàu mở rộng", "1"]);
    expect(new Set(labels).size).toBe(120);
    expect(labels[119]).toMatch(/mở rộng 120$/);
    for (const p of pages) {
      const { width, height } = chartSize(p.bars.length, { wrapped: true, footnote: true });
      expect(width + height).toBeLessThanOrEqual(10_000);
      expect(height / width).toBeLessThanOrEqual(20);
    }
    // beyond ten images the leaders are shown and the spreadsheet has the rest
    const huge = summaryChartInputs(big(1000));
    expect(huge).toHaveLength(CHART_MAX_IMAGES);
    expect(huge.flatMap((p) => p.bars)).toHaveLength(CHART_MAX_BARS * CHART_MAX_IMAGES);
  });

  it("board names stay distinguishable in chart labels: whole, wrapped, or cut in the middle", () => {
    expect(chartLabel("Hà Nội")).toEqual(["Hà Nội"]);
    expect(chartLabel("Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh")).toEqual([
      "Ban Tổ chức Thành ủy",
      "Thành phố Hồ Chí Minh",
    ]);
    const a = chartLabel("Ban Tổ chức Tỉnh ủy Bà Rịa–Vũng Tàu mở rộng khu vực 1");
    const b = chartLabel("Ban Tổ chức Tỉnh ủy Bà Rịa–Vũng Tàu mở rộng khu vực 2");
    expect(a).not.toEqual(b);
    expect(a[1]).toBe("…Tàu mở rộng khu vực 1"); // cut at a word, the distinguishing end kept
    for (const line of [...a, ...b]) expect(Array.from(line).length).toBeLessThanOrEqual(24);
    expect(chartLabel("X".repeat(60))).toEqual(["X".repeat(24), `…${"X".repeat(23)}`]);
  });

  it("sheet names and column widths", () => {
    expect(safeSheetName("Điểm: quý III/2026 [tạm tính] và rất nhiều chữ nữa")).toHaveLength(31);
    expect(safeSheetName("a/b\\c*d?e")).toBe("a b c d e");
    expect(columnWidth("Mã", ["HN", "HCM"])).toBe(6);
    expect(columnWidth("Số đảng viên mới kết nạp (người)", [3150])).toBe(24);
    expect(columnWidth("Ghi chú", ["x".repeat(200)])).toBe(48);
  });
});
