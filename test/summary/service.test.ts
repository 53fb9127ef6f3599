// The summary service's cost (a bounded number of database operations, whatever the
// number of boards; 1,000 boards × 40 quarters timed) and a board's history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyHtml } from "../../src/bot/views/summary.view.ts";
import { createRepositories } from "../../src/db/index.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { indicator } from "../helpers/fixtures.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { countingDb, type Seeded, seedBulk, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const Q3 = { year: 2026, quarter: 3 } as const;
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);

const eightIndicators = [
  ...["a", "b", "c", "d", "e", "f", "g"].map((c, i) => indicator(c, { label: `Chỉ tiêu ${c}`, weight: 5 + i })),
  indicator("h", { label: "Chỉ tiêu h", weight: 10, better: "lower" }),
  indicator("ghi_chu", { kind: "text", unit: "", weight: 0, required: false, min: undefined }),
];

function manyBoards(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    code: `B${String(i + 1).padStart(4, "0")}`,
    name: `Ban Tổ chức Đảng ủy số ${i + 1}`,
    shortName: `Đảng ủy ${i + 1}`,
    active: true,
  }));
}

describe.each(testDbKinds())("summary service cost on $name", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("the number of database operations does not grow with the number of boards", async () => {
    const counts: number[] = [];
    for (const n of [5, 60]) {
      const s = await seedCluster(t.repos, {
        code: `cost-${n}`,
        boards: manyBoards(n),
        indicators: eightIndicators,
        indicatorHash: `cost-${n}`,
      });
      await seedBulk(t.db, t.repos, s, Q3, 6);
      const counter = countingDb(t.db);
      const service = createSummaryService(createRepositories(counter.db));
      const summary = await service.build(s.cluster, Q3, AFTER);
      expect(summary?.boards).toHaveLength(n);
      counts.push(counter.count());
    }
    console.log(`summary build: ${counts.join(" and ")} database operations for 5 and 60 boards`);
    expect(counts[0]).toBe(counts[1]);
    // 4 period lookups + boards + 1 indicator set + reports with values
    expect(counts[1]).toBeLessThanOrEqual(8);
  });

  // The full size (1,000 × 40) is a benchmark: `npm run bench`, or SOAK=1 here. The normal
  // suite checks the same path at a size that seeds in a couple of seconds.
  const size = process.env.SOAK ? { boards: 1000, quarters: 40 } : { boards: 200, quarters: 8 };
  it(`${size.boards} boards × ${size.quarters} quarters: every board ranked, timed`, async () => {
    const s = await seedCluster(t.repos, {
      code: "big",
      boards: manyBoards(size.boards),
      indicators: eightIndicators,
      indicatorHash: "big",
    });
    const seedStart = performance.now();
    await seedBulk(t.db, t.repos, s, Q3, size.quarters);
    const seedMs = performance.now() - seedStart;
    const service = createSummaryService(t.repos, t.hot);
    // the driver-level reader gives exactly what Prisma gives
    expect(await service.build(s.cluster, Q3, AFTER)).toEqual(
      await createSummaryService(t.repos).build(s.cluster, Q3, AFTER),
    );
    await service.build(s.cluster, Q3, AFTER); // warm-up (connection, statement cache)
    const times: number[] = [];
    let boards = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const summary = await service.build(s.cluster, Q3, AFTER);
      times.push(performance.now() - start);
      boards = summary!.boards.length;
    }
    const best = Math.min(...times);
    console.log(
      `[${kind.name}] summary of ${size.boards} boards × ${size.quarters} quarters: build ${times.map((x) => x.toFixed(0)).join(", ")} ms ` +
        `(best ${best.toFixed(0)} ms); seeding took ${(seedMs / 1000).toFixed(1)} s`,
    );
    expect(boards).toBe(size.boards);
    // Generous bound so a slow CI machine does not flake; the target (≤ 300 ms) is read from the log.
    expect(best).toBeLessThan(3000);
  }, 300_000);
});

describe.each(testDbKinds())("board history on $name", (kind) => {
  let t: TestDb;
  let s: Seeded;
  beforeAll(async () => {
    t = await createTestDb(kind);
    s = await seedCluster(t.repos, {
      indicators: [
        indicator("ket_nap", { label: "Số đảng viên mới kết nạp", weight: 10 }),
        indicator("ty_le", { label: "Tỷ lệ đạt chuẩn", kind: "percent", unit: "%", weight: 5 }),
        indicator("ghi_chu", {
          label: "Kết quả nổi bật",
          kind: "text",
          unit: "",
          weight: 0,
          required: false,
          min: undefined,
        }),
      ],
    });
    const periods = [
      { year: 2025, quarter: 4 },
      { year: 2026, quarter: 1 },
      { year: 2026, quarter: 2 },
      { year: 2026, quarter: 3 },
      { year: 2026, quarter: 4 },
    ] as const;
    for (const [i, ref] of periods.entries()) {
      if (i === 4) {
        await seedPeriod(t.repos, s, ref, { HN: { values: { ket_nap: 7 }, draft: true } });
        continue;
      }
      await seedPeriod(t.repos, s, ref, {
        HN: {
          values: { ket_nap: 10 + i, ty_le: 80.5 + i, ghi_chu: i === 3 ? "Vượt <kế hoạch>" : null },
          late: i === 1,
        },
        ...(i === 2 ? {} : { HCM: { values: { ket_nap: 12, ty_le: 90 } } }),
      });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("the last four quarters that have opened, oldest first, ranks only for closed ones", async () => {
    // 2026-12-25: quý IV/2026 has opened (21 December), its deadline has not passed.
    const now = zonedLocalToInstant(2026, 12, 25, 9, 0, TZ);
    const h = (await createSummaryService(t.repos).history(s.boardIds.get("HN")!, s.cluster.id, now))!;
    expect(h.board.shortName).toBe("Hà Nội");
    expect(h.periods.map((p) => `${p.ref.year}-Q${p.ref.quarter}`)).toEqual([
      "2026-Q1",
      "2026-Q2",
      "2026-Q3",
      "2026-Q4",
    ]);
    expect(h.periods.map((p) => p.state)).toEqual(["submitted", "submitted", "submitted", "draft"]);
    expect(h.periods.map((p) => p.late)).toEqual([true, false, false, false]);
    expect(h.periods.map((p) => p.values.ket_nap)).toEqual([11, 12, 13, 7]);
    expect(h.periods[3]!.standing).toBeNull();
    expect(h.periods[1]!.standing).toEqual({ rank: 1, score: 20, ranked: 1 });
    expect(h.periods[0]!.standing?.ranked).toBe(2);

    expect(historyHtml(h)).toBe(
      [
        "📈 <b>Số liệu 4 quý gần nhất — Hà Nội</b>",
        "Tình trạng: I/2026 ⏰ nộp muộn · II/2026 ✅ đã nộp · III/2026 ✅ đã nộp · IV/2026 ✏️ đang nhập",
        "Xếp hạng: I/2026: hạng <b>2/2</b> (13,69 điểm) · II/2026: hạng <b>1/1</b> (20 điểm) · III/2026: hạng <b>1/2</b> (19,64 điểm)",
        "Hạng của một quý chỉ hiện khi quý đó đã hết hạn nộp.",
        "",
        "<b>1. Số đảng viên mới kết nạp</b> (người)",
        "I/2026: <b>11</b> · II/2026: <b>12</b> · III/2026: <b>13</b> · IV/2026: <b>7</b>",
        "",
        "<b>2. Tỷ lệ đạt chuẩn</b> (%)",
        "I/2026: <b>81,5%</b> · II/2026: <b>82,5%</b> · III/2026: <b>83,5%</b> · IV/2026: <b>—</b>",
        "",
        "<b>3. Kết quả nổi bật</b>",
        "I/2026: <b>—</b> · II/2026: <b>—</b> · III/2026: <b>Vượt &lt;kế hoạch&gt;</b> · IV/2026: <b>—</b>",
      ].join("\n"),
    );
  });

  it("a board of another cluster has no history here", async () => {
    const other = await seedCluster(t.repos, {
      code: "other",
      boards: [{ code: "X", name: "X", shortName: "X", active: true }],
    });
    const service = createSummaryService(t.repos);
    expect(await service.history(other.boardIds.get("X")!, s.cluster.id, AFTER)).toBeNull();
  });
});
