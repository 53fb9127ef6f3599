// The year's ranking (tổng kết năm): `/tongket 2026` and `cli summary <cluster> 2026`.
// By plan: the year's lũy kế against each board's annual plan plus on-time points for the
// share of quarters on time; otherwise the mean of the quarters' scores.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { briefingDocSpec } from "../../src/bot/views/briefing.view.ts";
import { summaryHtml } from "../../src/bot/views/summary.view.ts";
import { runSummaryCommand } from "../../src/cli/summary.command.ts";
import { parseYearArg } from "../../src/domain/period.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const AFTER_Q2 = zonedLocalToInstant(2026, 7, 20, 9, 0, TZ);

describe("parseYearArg", () => {
  it.each([
    ["2026", 2026],
    [" năm 2026 ", 2026],
    ["Năm 2027", 2027],
    ["Q3 2026", null],
    ["3", null],
    ["1899", null],
    [undefined, null],
  ] as const)("%j → %s", (input, expected) => {
    expect(parseYearArg(input)).toBe(expected);
  });
});

describe.each(testDbKinds())("the year's ranking on $name", (kind) => {
  let t: TestDb;
  let byPlan: Seeded;
  let byBest: Seeded;
  let out: string;

  async function seedYear(s: Seeded) {
    const periods = createPeriodService(t.repos);
    // the periods keep the cluster's scoring and plans (as when they open)
    for (const quarter of [1, 2] as const) await periods.ensure(s.cluster, { year: 2026, quarter });
    await seedPeriod(
      t.repos,
      s,
      { year: 2026, quarter: 1 },
      {
        HN: { values: { ket_nap: 100, chinh_thuc: 10 } },
        HCM: { values: { ket_nap: 300, chinh_thuc: 10 }, late: true },
      },
    );
    await seedPeriod(
      t.repos,
      s,
      { year: 2026, quarter: 2 },
      {
        HN: { values: { ket_nap: 200, chinh_thuc: 10 } },
        HCM: { values: { ket_nap: 300, chinh_thuc: 30 } },
        HP: { values: { ket_nap: 50, chinh_thuc: 5 } },
      },
    );
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    byPlan = await seedCluster(t.repos, {
      code: "theo-ke-hoach",
      scoring: { method: "relative-to-plan", onTimeWeight: 4, cap: 120 },
      plans: {
        "2026": {
          HN: { ket_nap: 600, chinh_thuc: 40 },
          HCM: { ket_nap: 2000, chinh_thuc: 80 },
          HP: { ket_nap: 100, chinh_thuc: 10 },
        },
      },
    });
    byBest = await seedCluster(t.repos, { code: "theo-tot-nhat", indicatorHash: "h2" });
    await seedYear(byPlan);
    await seedYear(byBest);
    out = mkdtempSync(join(tmpdir(), "year-"));
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it("by plan: lũy kế of the year against the annual plan, on time × quarters on time ÷ quarters", async () => {
    const s = (await createSummaryService(t.repos, t.hot).buildYear(byPlan.cluster, 2026, AFTER_Q2))!;
    expect(s.scope).toBe("year");
    expect(s.yearBasis).toBe("plan");
    expect(s.ytdPeriods).toEqual([
      { year: 2026, quarter: 1 },
      { year: 2026, quarter: 2 },
    ]);
    // HN: 10 × 300/600 + 5 × 20/40 + 4 × 2/2 = 11.5; HCM: 10 × 600/2000 + 5 × 40/80 + 4 × 1/2 = 7.5
    // HP: 10 × min(50/100) + 5 × 5/10 + 4 × 1/2 = 9.5
    expect(s.boards.map((b) => [b.code, b.rank, b.score, b.record])).toEqual([
      ["HN", 1, 11.5, { onTime: 2, late: 0, missing: 0 }],
      ["HP", 2, 9.5, { onTime: 1, late: 0, missing: 1 }],
      ["HCM", 3, 7.5, { onTime: 1, late: 1, missing: 0 }],
    ]);
    expect(s.boards[0]!.figures.ket_nap).toMatchObject({ value: 300, ytd: 300, plan: 600, percentOfPlan: 50 });
    const html = summaryHtml(s);
    expect(html.split("\n")[0]).toBe("🏆 <b>Tổng kết thi đua năm 2026</b> (quý I, quý II)");
    expect(html).toContain("⏳ Năm chưa kết thúc");
    expect(html).toContain("🥇 <b>Hà Nội</b> — <b>11,5</b> điểm · đúng hạn 2/2 quý · ① 300 (50% KH)");
    expect(html).toContain(
      "ℹ️ Cách tính năm 2026: điểm mỗi chỉ tiêu = trọng số × lũy kế từ đầu năm ÷ kế hoạch năm được giao của chính đơn vị, tính tối đa 120% kế hoạch",
    );
    expect(html).toContain("chấp hành chế độ báo cáo: 4 điểm × số quý nộp đúng hạn ÷ 2 quý");
  });

  it("otherwise: the mean of the quarters' scores, a quarter not submitted counting 0", async () => {
    const service = createSummaryService(t.repos);
    const q1 = (await service.build(byBest.cluster, { year: 2026, quarter: 1 }, AFTER_Q2))!;
    const q2 = (await service.build(byBest.cluster, { year: 2026, quarter: 2 }, AFTER_Q2))!;
    const s = (await service.buildYear(byBest.cluster, 2026, AFTER_Q2))!;
    expect(s.yearBasis).toBe("quarters");
    const score = (x: typeof s, code: string) => x.boards.find((b) => b.code === code)!.score ?? 0;
    for (const code of ["HN", "HCM", "HP"]) {
      expect(score(s, code)).toBeCloseTo((score(q1, code) + score(q2, code)) / 2, 2);
    }
    expect(summaryHtml(s)).toContain("điểm năm = trung bình cộng điểm của 2 quý (quý không nộp tính 0 điểm)");
  });

  it("against the year before: its rank, ▲/▼ and the score change, when that year has a ranking", async () => {
    const twoYears = await seedCluster(t.repos, { code: "hai-nam", indicatorHash: "h3" });
    const periods = createPeriodService(t.repos);
    // 2025: Hải Phòng first, TP.HCM second, Hà Nội third, in both quarters
    for (const quarter of [3, 4] as const) {
      await periods.ensure(twoYears.cluster, { year: 2025, quarter });
      await seedPeriod(
        t.repos,
        twoYears,
        { year: 2025, quarter },
        {
          HN: { values: { ket_nap: 100, chinh_thuc: 10 } },
          HCM: { values: { ket_nap: 300, chinh_thuc: 30 } },
          HP: { values: { ket_nap: 500, chinh_thuc: 50 } },
        },
      );
    }
    await seedYear(twoYears);
    const service = createSummaryService(t.repos, t.hot);
    const before = (await service.buildYear(twoYears.cluster, 2025, AFTER_Q2))!;
    // weights 10 and 5 against the best, +5 on time: HP 20, HCM 6 + 3 + 5, HN 2 + 1 + 5
    expect(before.boards.map((b) => [b.code, b.rank, b.score])).toEqual([
      ["HP", 1, 20],
      ["HCM", 2, 14],
      ["HN", 3, 8],
    ]);
    // nothing stored for 2024: no comparison
    expect(before.previousYear).toBeNull();
    expect(before.boards.map((b) => [b.rankDelta, b.previousRank])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(summaryHtml(before)).not.toContain("so với năm");

    const s = (await service.buildYear(twoYears.cluster, 2026, AFTER_Q2))!;
    expect(s.previousYear).toBe(2025);
    const rows = s.boards.map((b) => [
      b.code,
      b.rank,
      b.previousRank,
      b.rankDelta,
      b.score,
      b.previousScore,
      b.scoreDelta,
    ]);
    const html = summaryHtml(s);
    // code, rank, rank in 2025, change (up is positive), score, score in 2025, change
    expect(rows).toEqual([
      ["HCM", 1, 2, 1, 17.5, 14, 3.5],
      ["HN", 2, 3, 1, 13.33, 8, 5.33],
      ["HP", 3, 1, -2, 3.75, 20, -16.25],
    ]);
    expect(html).toContain("▲▼ là thay đổi hạng và điểm so với năm 2025.");
    expect(html).toContain("🥇 <b>TP.HCM</b> — <b>17,5</b> điểm ▲1 (+3,5) · đúng hạn 1/2 quý");
    expect(html).toContain("🥉 <b>Hải Phòng</b> — <b>3,75</b> điểm ▼2 (−16,25) · đúng hạn 1/2 quý");
    // the briefing document's ranking table gets the column
    const spec = briefingDocSpec(s, { chair: { boardName: null, personName: null } });
    const table = spec.sections
      .flatMap((x) => x.blocks)
      .filter((b) => b.kind === "table")
      .at(-1);
    expect(table?.kind === "table" && table.columns.map((c) => c.header)).toContain("So với năm 2025");
  });

  it("cli summary <cluster> 2026 prints the year and names its files after it; no period of a year is an error", async () => {
    const lines: string[] = [];
    const res = await runSummaryCommand(
      { cluster: byPlan.cluster.code, period: "2026", out },
      { repos: t.repos, clock: fixedClock(AFTER_Q2), print: (l) => lines.push(l) },
    );
    expect(lines[0]).toBe("🏆 Tổng kết thi đua năm 2026 (quý I, quý II)");
    expect(res.workbookPath).toBe(join(out, "tong-ket-theo-ke-hoach-2026.xlsx"));
    await expect(
      runSummaryCommand(
        { cluster: byPlan.cluster.code, period: "2024", out },
        { repos: t.repos, clock: fixedClock(AFTER_Q2), print: () => undefined },
      ),
    ).rejects.toThrow("no period of 2024 in cluster theo-ke-hoach");
  });
});
