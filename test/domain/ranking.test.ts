import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeScoringMethod,
  isScored,
  normalizeValue,
  type RankedBoard,
  rankBoards,
  roundScore,
} from "../../src/domain/ranking.ts";
import type { BoardRef, BoardReport, IndicatorDef, ScoringConfig } from "../../src/domain/types.ts";

function ind(code: string, over: Partial<IndicatorDef> = {}): IndicatorDef {
  return { code, label: code, unit: "người", kind: "integer", required: true, weight: 10, better: "higher", ...over };
}

const boards: BoardRef[] = ["HN", "HCM", "HP", "DN", "CT"].map((code) => ({ code, shortName: code }));
const at = new Date("2026-10-03T00:00:00Z");
function report(boardCode: string, values: Record<string, number>, late = false): BoardReport {
  return { boardCode, values, submittedAt: at, late };
}
const best: ScoringConfig = { method: "relative-to-best", onTimeWeight: 0 };

describe("normalizeValue", () => {
  it.each([
    [30, 40, "higher", "best", 0.75],
    [40, 40, "higher", "best", 1],
    [0, 40, "higher", "best", 0],
    [0, 0, "higher", "best", 0],
    [5, 0, "higher", "best", 0],
    [-5, 10, "higher", "best", 0],
    [undefined, 40, "higher", "best", 0],
    [5, undefined, "higher", "best", 0],
    [2, 2, "lower", "best", 1],
    [4, 2, "lower", "best", 0.5],
    [0, 0, "lower", "best", 1],
    [3, 0, "lower", "best", 0],
    [250, 500, "higher", "target", 0.5],
    [600, 500, "higher", "target", 1],
    [7, 0, "higher", "target", 1],
    [3, 4, "lower", "target", 1],
    [8, 4, "lower", "target", 0.5],
    [0, 4, "lower", "target", 1],
    [5, 0, "lower", "target", 0],
  ] as const)("%s vs %s (%s, %s) → %d", (value, reference, better, basis, expected) => {
    expect(normalizeValue(value, reference, better, basis)).toBeCloseTo(expected, 10);
  });
});

describe("roundScore", () => {
  it.each([
    [0.1 + 0.2, 0.3],
    [1.005, 1.01],
    [12.3449, 12.34],
    [12.344999999999, 12.35], // float noise below 1e-6 is ignored
    [12.345, 12.35],
    [66.666666, 66.67],
    [0, 0],
  ])("%d → %d", (x, r) => {
    expect(roundScore(x)).toBe(r);
  });
});

describe("rankBoards", () => {
  const indicators = [
    ind("ket_nap", { weight: 20 }),
    ind("dao_tao", { weight: 10 }),
    ind("kho_khan", { kind: "text", weight: 5 }),
  ];

  it("scores relative to the best and ranks with ties (1, 2, 2, 4)", () => {
    const r = rankBoards({
      indicators,
      scoring: { method: "relative-to-best", onTimeWeight: 5 },
      boards,
      reports: [
        report("HN", { ket_nap: 100, dao_tao: 50 }), // 20 + 10 + 5 = 35
        report("HCM", { ket_nap: 50, dao_tao: 50 }), // 10 + 10 + 5 = 25
        report("HP", { ket_nap: 100, dao_tao: 0 }, true), // 20 + 0 + 0 = 20
        report("CT", { ket_nap: 75, dao_tao: 25 }), // 15 + 5 + 5 = 25
      ],
    });
    expect(r.boards.map((b) => [b.code, b.rank, b.score, b.status])).toEqual([
      ["HN", 1, 35, "on_time"],
      ["HCM", 2, 25, "on_time"],
      ["CT", 2, 25, "on_time"],
      ["HP", 4, 20, "late"],
      ["DN", null, null, "not_submitted"],
    ]);
    const hn = r.boards[0]!;
    expect(hn.indicators).toEqual([
      { code: "ket_nap", value: 100, ytd: 100, plan: null, normalized: 1, points: 20, noPlan: false },
      { code: "dao_tao", value: 50, ytd: 50, plan: null, normalized: 1, points: 10, noPlan: false },
    ]);
    expect(hn.onTimePoints).toBe(5);
    expect(r.boards[3]).toMatchObject({ late: true, submitted: true, onTimePoints: 0 });
    expect(r.boards[4]).toMatchObject({
      submitted: false,
      late: false,
      indicators: [],
      scoreDelta: null,
      rankDelta: null,
    });
  });

  it("ranks on the score rounded to 2 decimals", () => {
    // 10 × 1/3 + 10 × 1/3 = 6.666…, and 10 × 2/3 = 6.666…: equal once rounded
    const r = rankBoards({
      indicators: [ind("a"), ind("b")],
      scoring: best,
      boards: boards.slice(0, 3),
      reports: [report("HN", { a: 1, b: 1 }), report("HCM", { a: 2, b: 0 }), report("HP", { a: 3, b: 3 })],
    });
    expect(r.boards.map((b) => [b.code, b.rank, b.score])).toEqual([
      ["HP", 1, 20],
      ["HN", 2, 6.67],
      ["HCM", 2, 6.67],
    ]);
  });

  it("inverts lower-is-better, scores a missing value 0, and ignores unscored indicators", () => {
    const r = rankBoards({
      indicators: [ind("loi", { better: "lower" }), ind("x", { weight: 0 }), ind("y", { required: false })],
      scoring: best,
      boards: boards.slice(0, 3),
      reports: [
        report("HN", { loi: 2, x: 100, y: 4 }),
        report("HCM", { loi: 4, x: 1 }),
        report("HP", { loi: 8, y: 2 }),
      ],
    });
    expect(r.boards.map((b) => [b.code, b.score])).toEqual([
      ["HN", 20],
      ["HP", 7.5],
      ["HCM", 5],
    ]);
    expect(r.boards[2]!.indicators[1]).toEqual({
      code: "y",
      value: null,
      ytd: null,
      plan: null,
      normalized: 0,
      points: 0,
      noPlan: false,
    });
  });

  it("scores relative to the target, falling back to the best without a target", () => {
    const r = rankBoards({
      indicators: [ind("a", { target: 100 }), ind("b", { better: "lower", target: 2 }), ind("c")],
      scoring: { method: "relative-to-target", onTimeWeight: 0 },
      boards: boards.slice(0, 2),
      reports: [report("HN", { a: 150, b: 4, c: 10 }), report("HCM", { a: 50, b: 1, c: 20 })],
    });
    // HN: 10 + 5 + 5 = 20; HCM: 5 + 10 + 10 = 25
    expect(r.boards.map((b) => [b.code, b.score])).toEqual([
      ["HCM", 25],
      ["HN", 20],
    ]);
  });

  it("gives everybody 0 when the best is 0 (higher is better) and 1 when all are 0 (lower)", () => {
    const r = rankBoards({
      indicators: [ind("a"), ind("b", { better: "lower" })],
      scoring: best,
      boards: boards.slice(0, 2),
      reports: [report("HN", { a: 0, b: 0 }), report("HCM", { a: 0, b: 0 })],
    });
    expect(r.boards.map((b) => [b.code, b.rank, b.score])).toEqual([
      ["HN", 1, 10],
      ["HCM", 1, 10],
    ]);
  });

  it("computes deltas against the previous period", () => {
    const previous = rankBoards({
      indicators: [ind("a")],
      scoring: best,
      boards: boards.slice(0, 4),
      reports: [report("HN", { a: 10 }), report("HCM", { a: 5 }), report("HP", { a: 8 })],
    }).boards;
    const r = rankBoards({
      indicators: [ind("a")],
      scoring: best,
      boards: boards.slice(0, 4),
      reports: [report("HN", { a: 5 }), report("HCM", { a: 10 }), report("DN", { a: 1 })],
      previous,
    });
    expect(r.boards.map((b) => [b.code, b.rank, b.rankDelta, b.scoreDelta])).toEqual([
      ["HCM", 1, 2, 5],
      ["HN", 2, -1, -5],
      ["DN", 3, null, null],
      ["HP", null, null, null],
    ]);
  });

  it("ignores reports of unknown boards, and a later report of a board wins", () => {
    const r = rankBoards({
      indicators: [ind("a")],
      scoring: best,
      boards: boards.slice(0, 2),
      reports: [report("XX", { a: 1000 }), report("HN", { a: 1 }), report("HCM", { a: 4 }), report("HN", { a: 8 })],
    });
    expect(r.boards.map((b) => [b.code, b.score])).toEqual([
      ["HN", 10],
      ["HCM", 5],
    ]);
  });

  it("ranks nobody when nobody submitted", () => {
    const r = rankBoards({ indicators, scoring: best, boards, reports: [] });
    expect(r.boards.map((b) => b.rank)).toEqual([null, null, null, null, null]);
    expect(r.boards.map((b) => b.code)).toEqual(boards.map((b) => b.code));
  });
});

describe("describeScoringMethod", () => {
  it("describes weights, basis, unscored indicators and the maximum", () => {
    const d = describeScoringMethod(
      [
        ind("a", { weight: 20, target: 500 }),
        ind("b", { better: "lower" }),
        ind("t", { kind: "text" }),
        ind("z", { weight: 0 }),
      ],
      { method: "relative-to-target", onTimeWeight: 5 },
    );
    expect(d).toEqual({
      method: "relative-to-target",
      indicators: [
        { code: "a", label: "a", weight: 20, better: "higher", basis: "target", target: 500 },
        { code: "b", label: "b", weight: 10, better: "lower", basis: "best" },
      ],
      unscored: ["t", "z"],
      onTimeWeight: 5,
      cap: null,
      maxScore: 35,
    });
    expect(isScored(ind("t", { kind: "text" }))).toBe(false);
  });
});

describe("properties", () => {
  interface Scenario {
    weights: number[];
    better: ("higher" | "lower")[];
    targets: (number | undefined)[];
    method: "relative-to-best" | "relative-to-target";
    onTime: number;
    reports: { submitted: boolean; late: boolean; values: (number | undefined)[] }[];
  }
  const weightsArb = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 5 });
  const scenario: fc.Arbitrary<Scenario> = weightsArb.chain((weights) =>
    fc.record({
      weights: fc.constant(weights),
      better: fc.array(fc.constantFrom("higher" as const, "lower" as const), {
        minLength: weights.length,
        maxLength: weights.length,
      }),
      targets: fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), {
        minLength: weights.length,
        maxLength: weights.length,
      }),
      method: fc.constantFrom("relative-to-best" as const, "relative-to-target" as const),
      onTime: fc.integer({ min: 0, max: 10 }),
      reports: fc.array(
        fc.record({
          submitted: fc.boolean(),
          late: fc.boolean(),
          values: fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }), {
            minLength: weights.length,
            maxLength: weights.length,
          }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    }),
  );

  function run(s: Scenario) {
    const indicators = s.weights.map((w, i) =>
      ind(`i${i}`, { weight: w, better: s.better[i] ?? "higher", target: s.targets[i] }),
    );
    const bs = s.reports.map((_, i) => ({ code: `B${i}`, shortName: `B${i}` }));
    const reports = s.reports.flatMap((r, i) => {
      if (!r.submitted) return [];
      const values: Record<string, number> = {};
      r.values.forEach((v, j) => {
        if (v !== undefined) values[`i${j}`] = v;
      });
      return [report(`B${i}`, values, r.late)];
    });
    return {
      result: rankBoards({ indicators, scoring: { method: s.method, onTimeWeight: s.onTime }, boards: bs, reports }),
      bs,
    };
  }

  it("ranks form a competition ranking over non-increasing scores, unsubmitted last in board order", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { result, bs } = run(s);
        const ranked = result.boards.filter((b) => b.rank !== null);
        const unranked = result.boards.filter((b) => b.rank === null);
        expect(result.boards).toEqual([...ranked, ...unranked]);
        expect(result.boards.map((b) => b.code).sort()).toEqual(bs.map((b) => b.code).sort());
        ranked.forEach((b: RankedBoard, i) => {
          const prev = ranked[i - 1];
          if (!prev) {
            expect(b.rank).toBe(1);
            return;
          }
          expect(b.score!).toBeLessThanOrEqual(prev.score!);
          if (b.score === prev.score) {
            expect(b.rank).toBe(prev.rank);
            expect(Number(b.code.slice(1))).toBeGreaterThan(Number(prev.code.slice(1)));
          } else expect(b.rank).toBe(i + 1);
        });
        const order = unranked.map((b) => Number(b.code.slice(1)));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
    );
  });

  it("scores stay within [0, Σ weights + onTime] and each normalized value within [0, 1]", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { result } = run(s);
        const max = s.weights.reduce((a, b) => a + b, 0) + s.onTime;
        expect(result.method.maxScore).toBe(max);
        for (const b of result.boards) {
          if (b.score === null) continue;
          expect(b.score).toBeGreaterThanOrEqual(0);
          expect(b.score).toBeLessThanOrEqual(max);
          for (const p of b.indicators) {
            expect(p.normalized).toBeGreaterThanOrEqual(0);
            expect(p.normalized).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it("the board with the best value of every indicator, on time, has rank 1", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const champion = {
          submitted: true,
          late: false,
          values: s.better.map((b) => (b === "higher" ? 1000 : 0)),
        };
        const { result } = run({ ...s, method: "relative-to-best", reports: [...s.reports, champion] });
        const c = result.boards.find((b) => b.code === `B${s.reports.length}`)!;
        expect(c.rank).toBe(1);
      }),
    );
  });
});
