// The holiday calendar across every year 2025–2100, as properties: Tết (Giao thừa and
// mùng 1–4) and Giỗ Tổ are days off in every year and fall where the lunar calendar puts
// them (within a day of the Chinese calendar, which counts in UTC+8 where Vietnam counts
// in UTC+7); a date moved to a working day is one, and never moves the wrong way; the
// cluster's working weekdays and make-up Saturdays are honoured; and a cluster file whose
// extra holidays leave no working day for weeks is refused with the field named, while the
// search for a working day is bounded whatever the rules.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import { CalendarConfigError, computePeriodDates, DEFAULT_CALENDAR } from "../../src/domain/calendar.ts";
import type { CalendarConfig } from "../../src/domain/types.ts";
import {
  dayOff,
  isoDate,
  isWorkingDay,
  MAX_DAYS_OFF_RUN,
  NoWorkingDayError,
  nextWorkingDay,
  previousWorkingDay,
  publicHolidays,
  shiftToWorkingDay,
  WEEKDAYS,
  type Weekday,
  type WorkdayRules,
  weekdayOf,
} from "../../src/domain/workdays.ts";
import { addDays, instantToZonedParts, type LocalDate } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const YEARS = Array.from({ length: 2100 - 2025 + 1 }, (_, i) => 2025 + i);
const MON_FRI: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const day = (s: string): LocalDate => {
  const [year, month, d] = s.split("-").map(Number) as [number, number, number];
  return { year, month, day: d };
};
const dayNo = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
const runs = Number(process.env.SOAK === "1" ? 20_000 : 2_000);

/** Month and day of a date in the Chinese lunar calendar (the independent reference). */
const chinese = new Intl.DateTimeFormat("en-u-ca-chinese", { timeZone: "UTC", month: "numeric", day: "numeric" });
function chineseDate(iso: string): { month: string; day: number } {
  const parts = chinese.formatToParts(new Date(`${iso}T00:00:00Z`));
  return {
    month: parts.find((p) => p.type === "month")!.value,
    day: Number(parts.find((p) => p.type === "day")!.value),
  };
}

describe("Tết and Giỗ Tổ, every year 2025–2100", () => {
  const lunarDiffs: string[] = [];

  it.each(YEARS)("%i: five days of Tết and Giỗ Tổ are days off, where the lunar calendar puts them", (year) => {
    const holidays = [...publicHolidays(year)];
    const tet = holidays.filter(([, name]) => /Tết Nguyên Đán/i.test(name)).map(([iso]) => iso);
    const gioTo = holidays.filter(([, name]) => /Hùng Vương/i.test(name)).map(([iso]) => iso);
    expect(tet).toHaveLength(5);
    expect(gioTo).toHaveLength(1);
    // five consecutive days: Giao thừa, then mùng 1–4
    const first = day(tet[0]!);
    expect(tet).toEqual([0, 1, 2, 3, 4].map((n) => isoDate(addDays(first, n))));
    const mung1 = addDays(first, 1);
    // Tết (mùng 1) between 21 January and 20 February
    expect(dayNo(mung1)).toBeGreaterThanOrEqual(dayNo({ year, month: 1, day: 21 }));
    expect(dayNo(mung1)).toBeLessThanOrEqual(dayNo({ year, month: 2, day: 20 }));
    // Giỗ Tổ is 10/3: two lunar months (three with a leap month) and nine days after mùng 1
    const gap = dayNo(day(gioTo[0]!)) - dayNo(mung1);
    expect(gap === 67 || gap === 68 || gap === 69 || (gap >= 96 && gap <= 99), `gap ${gap}`).toBe(true);
    // within a day of the Chinese calendar's 1/1 and 10/3
    for (const [iso, month, d] of [
      [isoDate(mung1), "1", 1],
      [gioTo[0]!, "3", 10],
    ] as const) {
      const ref = chineseDate(iso);
      if (ref.month === month && ref.day === d) continue;
      const prev = chineseDate(isoDate(addDays(day(iso), -1)));
      const next = chineseDate(isoDate(addDays(day(iso), 1)));
      const near = [prev, next].some((r) => r.month === month && r.day === d);
      expect(near, `${iso} is ${ref.month}/${ref.day} in the Chinese calendar, expected ${month}/${d} ± 1 day`).toBe(
        true,
      );
      lunarDiffs.push(`${iso} (${month}/${d}; Chinese ${ref.month}/${ref.day})`);
    }
    // every one of them is a day off under any working-day rules, whatever the weekday
    for (const workdays of [MON_FRI, WEEKDAYS, ["sat"] as Weekday[]]) {
      for (const iso of [...tet, ...gioTo]) {
        expect(isWorkingDay(day(iso), { workdays }), `${iso} with ${workdays.join(",")}`).toBe(false);
        expect(dayOff(day(iso), { workdays })).toMatchObject({ kind: "holiday" });
      }
    }
  });

  it("the years where Vietnam's lunar date differs from China's by a day are known ones", () => {
    // 2027's Tết is on 6 February in Vietnam, on 7 February in China (UTC+7 vs UTC+8)
    expect(lunarDiffs).toContain("2027-02-06 (1/1; Chinese 12/30)");
    console.log(`lunar dates a day apart from the Chinese calendar, 2025–2100: ${lunarDiffs.join(", ")}`);
  });
});

/** Arbitrary working-day rules: any non-empty set of weekdays, extra holidays, make-up days. */
const rulesArb = fc
  .record({
    workdays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    holidays: fc.array(fc.date({ min: new Date("2025-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }), {
      maxLength: 30,
    }),
    makeup: fc.array(fc.date({ min: new Date("2025-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }), {
      maxLength: 10,
    }),
    national: fc.boolean(),
  })
  .map(
    (r): WorkdayRules => ({
      workdays: r.workdays,
      holidays: r.holidays.map((d) => d.toISOString().slice(0, 10)),
      makeupWorkdays: r.makeup.map((d) => d.toISOString().slice(0, 10)),
      publicHolidays: r.national ? "vn" : "none",
    }),
  );
const dateArb = fc
  .date({ min: new Date("2025-01-01"), max: new Date("2100-12-31"), noInvalidDate: true })
  .map((d) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));

describe("moving a date to a working day", () => {
  it(`${runs} random dates and rules: the next working day is one and not earlier, the previous one not later`, () => {
    fc.assert(
      fc.property(dateArb, rulesArb, (d, rules) => {
        const next = nextWorkingDay(d, rules);
        const prev = previousWorkingDay(d, rules);
        expect(isWorkingDay(next, rules)).toBe(true);
        expect(isWorkingDay(prev, rules)).toBe(true);
        expect(dayNo(next)).toBeGreaterThanOrEqual(dayNo(d));
        expect(dayNo(prev)).toBeLessThanOrEqual(dayNo(d));
        // nothing in between is a working day
        for (let x = d; dayNo(x) < dayNo(next); x = addDays(x, 1)) expect(isWorkingDay(x, rules)).toBe(false);
        expect(shiftToWorkingDay(d, rules, "keep")).toEqual(d);
        if (isWorkingDay(d, rules)) expect(next).toEqual(d);
      }),
      { numRuns: runs, seed: 20_261_130 },
    );
  });

  it.each(YEARS)("%i: every quarter's dates fall on working days, moved forward (the summary post back)", (year) => {
    const config: CalendarConfig = { ...DEFAULT_CALENDAR, workdays: [...MON_FRI] };
    const raw: CalendarConfig = { ...DEFAULT_CALENDAR };
    for (const quarter of [1, 2, 3, 4] as const) {
      const ref = { year, quarter };
      const moved = computePeriodDates(ref, config, HCM);
      const plain = computePeriodDates(ref, raw, HCM);
      for (const field of ["opensAt", "deadline", "briefingAt", "summaryPostAt"] as const) {
        const local = instantToZonedParts(moved[field], HCM);
        if (field === "summaryPostAt" && moved.summaryPostAt.getTime() === moved.deadline.getTime()) continue;
        expect(isWorkingDay(local, config), `${year}-Q${quarter} ${field} ${isoDate(local)}`).toBe(true);
        if (field === "summaryPostAt") continue;
        expect(moved[field].getTime(), `${year}-Q${quarter} ${field}`).toBeGreaterThanOrEqual(plain[field].getTime());
      }
      expect(moved.deadline.getTime()).toBeLessThan(moved.briefingAt.getTime());
      expect(moved.summaryPostAt.getTime()).toBeGreaterThanOrEqual(moved.deadline.getTime());
      expect(moved.summaryPostAt.getTime()).toBeLessThanOrEqual(moved.briefingAt.getTime());
    }
  });
});

describe("the cluster's working weekdays and make-up days", () => {
  it("make-up Saturdays are worked, holidays on them included; a six-day week works Saturdays", () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const iso = isoDate(d);
        const withMakeup: WorkdayRules = { workdays: MON_FRI, makeupWorkdays: [iso] };
        expect(isWorkingDay(d, withMakeup)).toBe(true);
        const sixDays: WorkdayRules = { workdays: [...MON_FRI, "sat"] };
        if (weekdayOf(d) === "sat" && !publicHolidays(d.year).has(iso)) {
          expect(isWorkingDay(d, sixDays)).toBe(true);
          expect(isWorkingDay(d, { workdays: MON_FRI })).toBe(false);
        }
        if (weekdayOf(d) === "sun") expect(isWorkingDay(d, sixDays)).toBe(false);
      }),
      { numRuns: runs, seed: 7 },
    );
    // 2027-02-20 is a Saturday: the interface's example make-up day
    expect(isWorkingDay(day("2027-02-20"), { workdays: MON_FRI })).toBe(false);
    expect(isWorkingDay(day("2027-02-20"), { workdays: MON_FRI, makeupWorkdays: ["2027-02-20"] })).toBe(true);
    // a deadline that would fall on a Saturday is kept there when the Saturday is a make-up day
    const sat = { year: 2027, month: 2, day: 20 };
    expect(nextWorkingDay(sat, { workdays: MON_FRI, makeupWorkdays: ["2027-02-20"] })).toEqual(sat);
    expect(nextWorkingDay(sat, { workdays: MON_FRI })).toEqual({ year: 2027, month: 2, day: 22 });
  });
});

describe("a run of days off longer than the search", () => {
  const ninetyDays = Array.from({ length: 90 }, (_, i) => isoDate(addDays({ year: 2027, month: 9, day: 1 }, i)));

  it(`the search stops after ${MAX_DAYS_OFF_RUN} days with an error naming the date, however the rules are made`, () => {
    const rules: WorkdayRules = { workdays: MON_FRI, holidays: ninetyDays };
    const started = performance.now();
    expect(() => nextWorkingDay({ year: 2027, month: 9, day: 1 }, rules)).toThrow(NoWorkingDayError);
    expect(() => previousWorkingDay({ year: 2027, month: 11, day: 29 }, rules)).toThrow(
      /no working day within 60 days before 2027-11-29: check calendar\.workdays and calendar\.holidays/,
    );
    // one working weekday, Monday, and every Monday of the autumn a holiday
    const mondays = Array.from({ length: 20 }, (_, i) => isoDate(addDays({ year: 2027, month: 9, day: 6 }, 7 * i)));
    expect(() => nextWorkingDay({ year: 2027, month: 9, day: 6 }, { workdays: ["mon"], holidays: mondays })).toThrow(
      NoWorkingDayError,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("period dates computed over such a run fail with a calendar error, not a date on a day off", () => {
    const config: CalendarConfig = { ...DEFAULT_CALENDAR, workdays: [...MON_FRI], holidays: ninetyDays };
    expect(() => computePeriodDates({ year: 2027, quarter: 3 }, config, HCM)).toThrow(CalendarConfigError);
    expect(() => computePeriodDates({ year: 2027, quarter: 3 }, config, HCM)).toThrow(/calendar\.holidays/);
  });

  it("a cluster file declaring 90 consecutive holidays is refused, naming the field", () => {
    const yaml = `
cluster: { code: cum-nghi, name: Cụm nghỉ dài }
boards: [{ code: A, name: Ban A, shortName: A }]
indicators: [{ code: a, label: A, unit: người, kind: integer, weight: 1 }]
calendar:
  holidays: [${ninetyDays.map((d) => `"${d}"`).join(", ")}]
`;
    const started = performance.now();
    expect(() => parseClusterConfigText(yaml, "nghi.yaml", "yaml")).toThrow(
      /nghi\.yaml: calendar\.holidays\[0\]: expected a working day within 60 days: from 2027-09-01 on, every day is off/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    // a long Tết break of twenty days is fine
    const twenty = ninetyDays.slice(0, 20).map((d) => `"${d}"`);
    expect(() =>
      parseClusterConfigText(yaml.replace(/holidays: \[.*\]/, `holidays: [${twenty.join(", ")}]`), "ok.yaml", "yaml"),
    ).not.toThrow();
  });
});
