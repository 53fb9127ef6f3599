import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  comparePeriods,
  formatPeriodVi,
  isQuarter,
  mostRecentOpened,
  nextPeriod,
  parsePeriod,
  parsePeriodKey,
  periodKey,
  previousPeriod,
  quarterEndLocal,
  quarterOf,
  quarterStartLocal,
  samePeriod,
  toRoman,
} from "../../src/domain/period.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const now = new Date("2026-09-25T03:00:00Z"); // 25 Sep 2026 10:00 in Hà Nội: Q4/2026 not yet started

describe("parsePeriod with a year", () => {
  it.each([
    "Q3/2026",
    "q3/2026",
    "Q3 2026",
    "Q3-2026",
    "Q3 - 2026",
    "2026-Q3",
    "2026-q3",
    "2026 Q3",
    "2026/quý III",
    "III/2026",
    "iii/2026",
    "quý III/2026",
    "Quý 3/2026",
    "QUÝ III / 2026",
    "quy 3 2026",
    "quý 3 năm 2026",
    "3/2026",
    "Q3/26",
    "  q.3/2026  ",
  ])("%j → 2026-Q3", (input) => {
    expect(parsePeriod(input, now, HCM)).toEqual({ ok: true, value: { year: 2026, quarter: 3 } });
  });
});

describe("parsePeriod without a year (quarter opens on its first day by default)", () => {
  it.each([
    ["Q3", 2026, 3],
    ["q3", 2026, 3],
    ["3", 2026, 3],
    ["III", 2026, 3],
    ["iii", 2026, 3],
    ["quý 3", 2026, 3],
    ["Quý III", 2026, 3],
    ["quy 3", 2026, 3],
    [" Q1 ", 2026, 1],
    ["IV", 2025, 4],
    ["quý IV", 2025, 4],
  ])("%j → %d-Q%d", (input, year, quarter) => {
    expect(parsePeriod(input, now, HCM)).toEqual({ ok: true, value: { year, quarter } });
  });

  it("uses the caller's opening rule", () => {
    // Q4 opens 10 days before its end: 21 Dec 08:00
    const opensAt = (ref: PeriodRef) => {
      const q4 = ref.quarter === 4;
      return zonedLocalToInstant(ref.year, q4 ? 12 : ref.quarter * 3, q4 ? 21 : 20, 8, 0, HCM);
    };
    const before = new Date("2026-12-21T00:59:00Z");
    const after = new Date("2026-12-21T01:00:00Z");
    expect(parsePeriod("Q4", before, HCM, opensAt)).toEqual({ ok: true, value: { year: 2025, quarter: 4 } });
    expect(parsePeriod("Q4", after, HCM, opensAt)).toEqual({ ok: true, value: { year: 2026, quarter: 4 } });
    // Q3 opened 20 Sep: on 25 Sep it means this year's
    expect(parsePeriod("Q3", now, HCM, opensAt)).toEqual({ ok: true, value: { year: 2026, quarter: 3 } });
  });

  it("takes next year's quarter when it has already opened", () => {
    const early = (ref: PeriodRef) => zonedLocalToInstant(ref.year - 1, 12, 1, 0, 0, HCM);
    expect(mostRecentOpened(1, new Date("2026-12-15T00:00:00Z"), HCM, early)).toEqual({ year: 2027, quarter: 1 });
  });

  it("falls back to last year when nothing has opened", () => {
    const never = () => new Date("2100-01-01T00:00:00Z");
    expect(mostRecentOpened(2, now, HCM, never)).toEqual({ year: 2025, quarter: 2 });
  });

  it("reads the year in the cluster's time zone", () => {
    // 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Hà Nội: Q1 means Q1/2027
    expect(parsePeriod("Q1", new Date("2026-12-31T18:00:00Z"), HCM)).toEqual({
      ok: true,
      value: { year: 2027, quarter: 1 },
    });
    expect(parsePeriod("Q1", new Date("2026-12-31T18:00:00Z"), "UTC")).toEqual({
      ok: true,
      value: { year: 2026, quarter: 1 },
    });
  });
});

describe("parsePeriod errors", () => {
  it.each([
    ["", "bad_period"],
    ["   ", "bad_period"],
    ["abc", "bad_period"],
    ["quý", "bad_period"],
    ["Q3/2026/1", "bad_period"],
    ["hôm qua", "bad_period"],
    ["Q5", "bad_quarter"],
    ["0", "bad_quarter"],
    ["V", "bad_quarter"],
    ["IIII", "bad_quarter"],
    ["quý 12", "bad_quarter"],
    ["2026", "bad_quarter"],
    ["Q3/1989", "bad_year"],
    ["Q3/2101", "bad_year"],
    ["Q3/202", "bad_year"],
    ["Q3/1", "bad_year"],
  ])("%j → %s", (input, code) => {
    const r = parsePeriod(input, now, HCM);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe("formatting and keys", () => {
  it("toRoman", () => {
    expect([1, 2, 3, 4].map((q) => toRoman(q as 1 | 2 | 3 | 4))).toEqual(["I", "II", "III", "IV"]);
  });
  it("formatPeriodVi", () => {
    expect(formatPeriodVi({ year: 2026, quarter: 3 })).toBe("quý III/2026");
    expect(formatPeriodVi({ year: 2011, quarter: 4 })).toBe("quý IV/2011");
  });
  it("periodKey / parsePeriodKey", () => {
    expect(periodKey({ year: 2026, quarter: 3 })).toBe("2026-Q3");
    expect(parsePeriodKey("2026-Q4")).toEqual({ year: 2026, quarter: 4 });
    for (const bad of ["2026-Q5", "2026-q3", "26-Q3", "2026Q3", " 2026-Q3", ""]) expect(parsePeriodKey(bad)).toBeNull();
  });
  it("isQuarter", () => {
    expect([0, 1, 4, 5, 2.5].map(isQuarter)).toEqual([false, true, true, false, false]);
  });
});

describe("neighbours and boundaries", () => {
  it("previous and next cross years", () => {
    expect(previousPeriod({ year: 2026, quarter: 1 })).toEqual({ year: 2025, quarter: 4 });
    expect(previousPeriod({ year: 2026, quarter: 3 })).toEqual({ year: 2026, quarter: 2 });
    expect(nextPeriod({ year: 2026, quarter: 4 })).toEqual({ year: 2027, quarter: 1 });
    expect(nextPeriod({ year: 2026, quarter: 2 })).toEqual({ year: 2026, quarter: 3 });
  });
  it.each([
    [1, { year: 2026, month: 3, day: 31 }],
    [2, { year: 2026, month: 6, day: 30 }],
    [3, { year: 2026, month: 9, day: 30 }],
    [4, { year: 2026, month: 12, day: 31 }],
  ] as const)("quarterEndLocal Q%d", (quarter, end) => {
    expect(quarterEndLocal({ year: 2026, quarter })).toEqual(end);
  });
  it("quarterStartLocal", () => {
    expect(quarterStartLocal({ year: 2026, quarter: 4 })).toEqual({ year: 2026, month: 10, day: 1 });
  });
  it("quarterOf uses the zone's wall clock", () => {
    const t = new Date("2026-09-30T17:30:00Z");
    expect(quarterOf(t, HCM)).toEqual({ year: 2026, quarter: 4 });
    expect(quarterOf(t, "UTC")).toEqual({ year: 2026, quarter: 3 });
    expect(quarterOf(new Date("2026-01-01T00:00:00Z"), "Europe/Berlin")).toEqual({ year: 2026, quarter: 1 });
  });
  it("compare / same", () => {
    expect(comparePeriods({ year: 2026, quarter: 1 }, { year: 2025, quarter: 4 })).toBeGreaterThan(0);
    expect(comparePeriods({ year: 2026, quarter: 1 }, { year: 2026, quarter: 2 })).toBeLessThan(0);
    expect(samePeriod({ year: 2026, quarter: 1 }, { year: 2026, quarter: 1 })).toBe(true);
    expect(samePeriod({ year: 2026, quarter: 1 }, { year: 2026, quarter: 2 })).toBe(false);
  });
});

describe("properties", () => {
  const ref = fc.record({
    year: fc.integer({ min: 1990, max: 2100 }),
    quarter: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
  });
  it("key round-trip", () => {
    fc.assert(
      fc.property(ref, (r) => {
        expect(parsePeriodKey(periodKey(r))).toEqual(r);
      }),
    );
  });
  it("parsePeriod reads back every format it is given", () => {
    fc.assert(
      fc.property(ref, fc.integer({ min: 0, max: 5 }), (r, f) => {
        const texts = [
          periodKey(r),
          formatPeriodVi(r),
          `Q${r.quarter}/${r.year}`,
          `${toRoman(r.quarter)}/${r.year}`,
          `quy ${r.quarter} ${r.year}`,
          `Quý ${toRoman(r.quarter)} năm ${r.year}`,
        ];
        expect(parsePeriod(texts[f]!, now, HCM)).toEqual({ ok: true, value: r });
      }),
    );
  });
  it("next and previous are inverse and ordered", () => {
    fc.assert(
      fc.property(ref, (r) => {
        expect(previousPeriod(nextPeriod(r))).toEqual(r);
        expect(comparePeriods(nextPeriod(r), r)).toBeGreaterThan(0);
      }),
    );
  });
  it("a yearless quarter is never in the future and at most a year back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.constantFrom(1, 2, 3, 4),
        (ms, q) => {
          const at = new Date(ms);
          const r = parsePeriod(`Q${q}`, at, HCM);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const current = quarterOf(at, HCM);
          expect(comparePeriods(r.value, current)).toBeLessThanOrEqual(0);
          expect(comparePeriods(r.value, { year: current.year - 1, quarter: current.quarter })).toBeGreaterThan(0);
        },
      ),
    );
  });
});
