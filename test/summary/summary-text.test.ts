// Golden tests of the ranked summary text, built by the service from a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlToPlain, summaryHtml, summaryMessages, summaryPlainText } from "../../src/bot/views/summary.view.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { createSummaryService, type Summary } from "../../src/services/summary.service.ts";
import { indicator } from "../helpers/fixtures.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const Q2 = { year: 2026, quarter: 2 } as const;
const Q3 = { year: 2026, quarter: 3 } as const;
/** after the quý III/2026 deadline (5 October 17:00) */
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);

const boards = [
  { code: "HN", name: "Ban Tổ chức Thành ủy Hà Nội", shortName: "Hà Nội", active: true },
  { code: "HCM", name: "Ban Tổ chức Thành ủy TP. Hồ Chí Minh", shortName: "TP.HCM", active: true },
  { code: "HP", name: "Ban Tổ chức Thành ủy Hải Phòng", shortName: "Hải Phòng", active: true },
  { code: "DN", name: "Ban Tổ chức Thành ủy Đà Nẵng", shortName: "Đà Nẵng", active: true },
  { code: "CT", name: "Ban Tổ chức Thành ủy Cần Thơ", shortName: "Cần Thơ <CT>", active: true },
];
const indicators = [
  indicator("ket_nap", { label: "Số đảng viên mới kết nạp", weight: 10 }),
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

// Quý III: HN 10 + 10×1/2 + 5 = 20; DN (late) 8 + 10 = 18; HCM and HP 5 + 2,5 + 5 = 12,5 (tied); CT missing.
const q3Reports = {
  HN: { values: { ket_nap: 100, ky_luat: 2, ghi_chu: "Vượt kế hoạch <quý> & năm" } },
  HCM: { values: { ket_nap: 50, ky_luat: 4, ghi_chu: null } },
  HP: { values: { ket_nap: 50, ky_luat: 4 } },
  DN: { values: { ket_nap: 80, ky_luat: 1 }, late: true },
  CT: { values: { ket_nap: 999 }, draft: true },
};
// Quý II: HCM 6,67 + 10 + 5 = 21,67 (1); HN 10 + 3,33 + 5 = 18,33 (2); CT 3,33 + 5 + 5 = 13,33 (3); HP (late) 10 (4).
const q2Reports = {
  HN: { values: { ket_nap: 90, ky_luat: 3 } },
  HCM: { values: { ket_nap: 60, ky_luat: 1 } },
  HP: { values: { ket_nap: 45, ky_luat: 2 }, late: true },
  CT: { values: { ket_nap: 30, ky_luat: 2 } },
};

const legend = "Số liệu chính: ① Số đảng viên mới kết nạp (người); ② Số đảng viên bị kỷ luật (người).";
const methodLine =
  "ℹ️ Cách tính: điểm mỗi chỉ tiêu = trọng số × giá trị ÷ giá trị tốt nhất trong cụm; " +
  "càng thấp càng tốt (tính ngược): Số đảng viên bị kỷ luật; nộp đúng hạn +5 điểm; tối đa 25 điểm.";

describe.each(testDbKinds())("summary text on $name", (kind) => {
  let t: TestDb;
  let first: Seeded;
  let second: Seeded;

  beforeAll(async () => {
    t = await createTestDb(kind);
    // One cluster with only quý III (no previous period), one with quý II and III.
    first = await seedCluster(t.repos, { code: "cum-a", name: "Cụm A & B", boards, indicators });
    await seedPeriod(t.repos, first, Q3, q3Reports);
    second = await seedCluster(t.repos, { code: "cum-b", name: "Cụm thi đua thử nghiệm", boards, indicators });
    await seedPeriod(t.repos, second, Q2, q2Reports);
    await seedPeriod(t.repos, second, Q3, q3Reports);
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function build(s: Seeded, now = AFTER): Promise<Summary> {
    return (await createSummaryService(t.repos, t.hot).build(s.cluster, Q3, now))!;
  }

  it("no previous period: ties share a rank, lower-is-better inverted, late and missing flagged", async () => {
    const html = summaryHtml(await build(first));
    expect(html).toBe(
      [
        "🏆 <b>Tổng kết thi đua quý III/2026</b>",
        "Cụm A &amp; B",
        "Đã nộp: <b>4/5</b> đơn vị, trong đó 1 nộp muộn.",
        "Chưa có kỳ trước để so sánh.",
        legend,
        "",
        "🥇 <b>Hà Nội</b> — <b>20</b> điểm · ① 100 · ② 2",
        "🥈 <b>Đà Nẵng</b> — <b>18</b> điểm ⏰ nộp muộn · ① 80 · ② 1",
        "🥉 <b>TP.HCM</b> — <b>12,5</b> điểm · ① 50 · ② 4",
        "🥉 <b>Hải Phòng</b> — <b>12,5</b> điểm · ① 50 · ② 4",
        "",
        "<b>Chưa nộp (1):</b>",
        "⬜ Cần Thơ &lt;CT&gt; — chưa nộp",
        "",
        methodLine,
      ].join("\n"),
    );
  });

  it("with a previous period: ▲▼ rank and score changes; a board missing last time has none", async () => {
    const html = summaryHtml(await build(second));
    expect(html).toBe(
      [
        "🏆 <b>Tổng kết thi đua quý III/2026</b>",
        "Cụm thi đua thử nghiệm",
        "Đã nộp: <b>4/5</b> đơn vị, trong đó 1 nộp muộn.",
        "▲▼ là thay đổi hạng và điểm so với quý II/2026.",
        legend,
        // Q1 is not stored: lũy kế adds quý II and III
        "Trong ngoặc: lũy kế từ quý II/2026 đến quý III/2026.",
        "",
        "🥇 <b>Hà Nội</b> — <b>20</b> điểm ▲1 (+1,67) · ① 100 (lũy kế 190) · ② 2 (lũy kế 5)",
        "🥈 <b>Đà Nẵng</b> — <b>18</b> điểm ⏰ nộp muộn · ① 80 (lũy kế 80) · ② 1 (lũy kế 1)",
        "🥉 <b>TP.HCM</b> — <b>12,5</b> điểm ▼2 (−9,17) · ① 50 (lũy kế 110) · ② 4 (lũy kế 5)",
        "🥉 <b>Hải Phòng</b> — <b>12,5</b> điểm ▲1 (+2,5) · ① 50 (lũy kế 95) · ② 4 (lũy kế 6)",
        "",
        "<b>Chưa nộp (1):</b>",
        "⬜ Cần Thơ &lt;CT&gt; — chưa nộp",
        "",
        methodLine,
      ].join("\n"),
    );
  });

  it("before the deadline the result is marked provisional", async () => {
    const before = zonedLocalToInstant(2026, 10, 3, 9, 0, TZ);
    const s = await build(second, before);
    expect(s.closed).toBe(false);
    expect(summaryHtml(s).split("\n")[2]).toBe("⏳ Chưa hết hạn nộp (17:00 ngày 05/10/2026): kết quả tạm tính.");
  });

  it("the service's data: raw values, points, deltas and the trend", async () => {
    const s = await build(second);
    const hn = s.boards[0]!;
    expect(hn).toMatchObject({
      code: "HN",
      rank: 1,
      score: 20,
      rankDelta: 1,
      scoreDelta: 1.67,
      previousRank: 2,
      previousScore: 18.33,
      status: "on_time",
      values: { ket_nap: 100, ky_luat: 2, ghi_chu: "Vượt kế hoạch <quý> & năm" },
      points: { ket_nap: 10, ky_luat: 5 },
      onTimePoints: 5,
    });
    expect(s.boards.map((b) => [b.code, b.rank])).toEqual([
      ["HN", 1],
      ["DN", 2],
      ["HCM", 3],
      ["HP", 3],
      ["CT", null],
    ]);
    expect(s.boards[2]!.values).toEqual({ ket_nap: 50, ky_luat: 4, ghi_chu: null });
    // The draft of Cần Thơ is not a submission: no values leak into the summary's ranking.
    expect(s.boards[4]).toMatchObject({ submitted: false, score: null, points: {} });
    expect(s.counts).toEqual({ total: 5, submitted: 4, late: 1, missing: 1, notTakingPart: 0 });
    expect(s.keyIndicators).toEqual(["ket_nap", "ky_luat"]);
    expect(s.previousRef).toEqual(Q2);
    expect(s.trend.periods).toEqual([{ year: 2025, quarter: 4 }, { year: 2026, quarter: 1 }, Q2, Q3]);
    const ct = s.trend.rows.find((r) => r.code === "CT")!;
    expect(ct.cells).toEqual([
      null,
      null,
      { rank: 3, score: 13.33, status: "on_time" },
      { rank: null, score: null, status: "not_submitted" },
    ]);
  });

  it("a quarter without a stored period has no summary", async () => {
    expect(await createSummaryService(t.repos).build(first.cluster, Q2, AFTER)).toBeNull();
  });

  it("plain text for the CLI has no tags and unescaped names, and lists every board's figures", async () => {
    const plain = summaryPlainText(await build(first));
    expect(plain).not.toMatch(/<\/?b>|&amp;|&lt;/);
    expect(plain).toContain("Cụm A & B");
    expect(plain).toContain("⬜ Cần Thơ <CT> — chưa nộp");
    expect(plain).toContain("Hà Nội — hạng 1, 20 điểm, đúng hạn");
    expect(plain).toContain("  • Số đảng viên mới kết nạp: 100 người");
    expect(plain).toContain("  • Kết quả nổi bật: Vượt kế hoạch <quý> & năm");
    expect(plain).toContain("  • Kết quả nổi bật: —");
  });
});

describe("summary text for a 1,000-board cluster", () => {
  function bigSummary(n: number): Summary {
    const boardsBig = Array.from({ length: n }, (_, i) => ({
      code: `B${i + 1}`,
      name: `Ban Tổ chức Đảng ủy số ${i + 1}`,
      shortName: `Đảng ủy <Khối> & Cơ quan ${i + 1}`,
      rank: i < n - 10 ? i + 1 : null,
      score: i < n - 10 ? 100 - i / 20 : null,
      status: (i < n - 10 ? (i % 7 === 0 ? "late" : "on_time") : "not_submitted") as
        | "late"
        | "on_time"
        | "not_submitted",
      submitted: i < n - 10,
      late: i < n - 10 && i % 7 === 0,
      submittedAt: null,
      rankDelta: i % 3 === 0 ? 2 : -1,
      scoreDelta: 1.5,
      previousRank: null,
      previousScore: null,
      values: { a: 1234.5, b: 7 },
      points: {},
      figures: {},
      onTimePoints: 5,
      missingPlans: [],
      record: { onTime: 1, late: 0, missing: 0 },
    }));
    return {
      scope: "quarter",
      cluster: { id: 1, code: "big", name: "Cụm <lớn> & đông", timezone: TZ, place: null },
      ref: Q3,
      year: Q3.year,
      lastYearRef: null,
      ytdPeriods: [Q3],
      yearBasis: null,
      status: "closed",
      closed: true,
      deadline: new Date(0),
      generatedAt: new Date(0),
      previousRef: Q2,
      previousYear: null,
      indicators: [
        {
          code: "a",
          label: "Chỉ tiêu A",
          unit: "người",
          kind: "decimal",
          weight: 10,
          better: "higher",
          target: null,
          scored: true,
          aggregate: "sum",
          section: null,
        },
        {
          code: "b",
          label: "Chỉ tiêu B",
          unit: "",
          kind: "integer",
          weight: 5,
          better: "higher",
          target: null,
          scored: true,
          aggregate: "sum",
          section: null,
        },
      ],
      keyIndicators: ["a", "b"],
      method: { method: "relative-to-best", indicators: [], unscored: [], onTimeWeight: 5, cap: null, maxScore: 20 },
      boards: boardsBig,
      counts: { total: n, submitted: n - 10, late: 0, missing: 10, notTakingPart: 0 },
      trend: { periods: [], rows: [] },
    };
  }

  it("splits under 4,096 characters at line breaks, every tag closed in its chunk, nothing lost", () => {
    const s = bigSummary(1000);
    const chunks = summaryMessages(s);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(4096);
      expect(chunk.match(/<b>/g)?.length ?? 0).toBe(chunk.match(/<\/b>/g)?.length ?? 0);
      // no raw < or & except in tags and entities
      expect(chunk.replace(/<\/?b>/g, "").replace(/&(amp|lt|gt|quot);/g, "")).not.toMatch(/[<>&]/);
    }
    expect(chunks.join("\n")).toBe(summaryHtml(s));
    const plain = htmlToPlain(chunks.join("\n"));
    for (const b of s.boards) expect(plain).toContain(`${b.shortName} —`);
  });
});
