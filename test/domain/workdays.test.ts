// Working days: Monday–Friday, Vietnam's public holidays (lunar ones included), the
// compensatory days of the Labour Code, the cluster file's extra days, and what the
// calendar and the planner do with a date that falls on a day off.
import { describe, expect, it } from "vitest";
import {
  computePeriodDates,
  DEFAULT_CALENDAR,
  dateShifts,
  scheduledEvents,
  shiftOf,
} from "../../src/domain/calendar.ts";
import type { CalendarConfig } from "../../src/domain/types.ts";
import {
  dayOff,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  publicHolidays,
  type WorkdayRules,
} from "../../src/domain/workdays.ts";
import { instantToZonedParts, localDateTimeToInstant } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const WORK: CalendarConfig = { ...DEFAULT_CALENDAR, workdays: ["mon", "tue", "wed", "thu", "fri"] };
const RULES: WorkdayRules = WORK;
const day = (s: string) => {
  const [year, month, d] = s.split("-").map(Number) as [number, number, number];
  return { year, month, day: d };
};
const iso = (d: { year: number; month: number; day: number }) =>
  `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const local = (d: Date) => {
  const p = instantToZonedParts(d, HCM);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${p2(p.month)}-${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}`;
};
const at = (s: string) => {
  const [d, t] = s.split(" ") as [string, string];
  const [hour, minute] = t.split(":").map(Number) as [number, number];
  return localDateTimeToInstant({ ...day(d), hour, minute }, HCM);
};

describe("Vietnam's public holidays", () => {
  it("has the five days of Tết (Giao thừa and mùng 1–4), Giỗ Tổ 10/3 lunar and the solar holidays", () => {
    const y2027 = publicHolidays(2027);
    for (const d of ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09"])
      expect(y2027.has(d)).toBe(true);
    expect(y2027.has("2027-02-10")).toBe(false);
    expect(y2027.get("2027-04-16")).toMatch(/Hùng Vương/);
    for (const d of ["2027-01-01", "2027-04-30", "2027-05-01", "2027-09-02"]) expect(y2027.has(d)).toBe(true);
    // Tết 2026: mùng 1 is 17/02/2026; Giỗ Tổ 26/04/2026
    for (const d of ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]) {
      expect(publicHolidays(2026).has(d)).toBe(true);
    }
    expect(publicHolidays(2026).has("2026-04-26")).toBe(true);
    // any year: five Tết days, seven other public days
    for (const year of [2030, 2045]) expect(publicHolidays(year).size).toBe(10);
  });

  it("says why a day is off: weekend, holiday, compensatory day, or the cluster's extra day", () => {
    expect(dayOff(day("2026-10-03"), RULES)).toEqual({ kind: "weekend", weekday: "sat" });
    expect(dayOff(day("2026-10-05"), RULES)).toBeNull();
    expect(dayOff(day("2027-02-08"), RULES)).toMatchObject({ kind: "holiday" });
    // mùng 1 and mùng 2 Tết 2027 fall on Saturday and Sunday: given back on Wednesday 10 and Thursday 11
    expect(dayOff(day("2027-02-10"), RULES)).toMatchObject({ kind: "compensatory" });
    expect(dayOff(day("2027-02-11"), RULES)).toMatchObject({ kind: "compensatory" });
    expect(isWorkingDay(day("2027-02-12"), RULES)).toBe(true);
    // the cluster file: an extra day off, a Saturday worked
    const year: WorkdayRules = { ...RULES, holidays: ["2027-02-12"], makeupWorkdays: ["2027-02-20"] };
    expect(dayOff(day("2027-02-12"), year)).toEqual({ kind: "extra" });
    expect(isWorkingDay(day("2027-02-20"), year)).toBe(true);
    // no working-day rules: every day works; public holidays off: only the weekdays count
    expect(dayOff(day("2027-02-06"), {})).toBeNull();
    expect(dayOff(day("2027-02-08"), { ...RULES, publicHolidays: "none" })).toBeNull();
    expect(dayOff(day("2027-02-06"), { ...RULES, publicHolidays: "none" })).toEqual({
      kind: "weekend",
      weekday: "sat",
    });
  });

  it("finds the next and the previous working day across Tết", () => {
    expect(iso(nextWorkingDay(day("2027-02-05"), RULES))).toBe("2027-02-12");
    expect(iso(previousWorkingDay(day("2027-02-10"), RULES))).toBe("2027-02-04");
    expect(iso(nextWorkingDay(day("2026-10-05"), RULES))).toBe("2026-10-05");
  });
});

describe("period dates on working days", () => {
  it("a deadline on a Saturday moves to Monday; the demo quarter opens Monday and holds the briefing Monday", () => {
    const saturday: CalendarConfig = { ...WORK, deadline: { daysAfterQuarterEnd: 3, time: "17:00" } };
    const d = computePeriodDates({ year: 2026, quarter: 3 }, saturday, HCM);
    expect(local(d.deadline)).toBe("2026-10-05 17:00");
    expect(dateShifts({ year: 2026, quarter: 3 }, saturday, HCM)).toContainEqual({
      field: "deadline",
      from: at("2026-10-03 17:00"),
      to: at("2026-10-05 17:00"),
      reason: { kind: "weekend", weekday: "sat" },
    });

    const q3 = computePeriodDates({ year: 2026, quarter: 3 }, WORK, HCM);
    expect(local(q3.opensAt)).toBe("2026-09-21 08:00"); // Sunday 20/09 → Monday
    expect(local(q3.deadline)).toBe("2026-10-05 17:00"); // already a Monday
    expect(local(q3.briefingAt)).toBe("2026-10-12 08:00"); // Saturday 10/10 → Monday 12/10
    expect(local(q3.summaryPostAt)).toBe("2026-10-09 16:00"); // the day before (Sunday) → Friday
    expect(dateShifts({ year: 2026, quarter: 3 }, WORK, HCM).map((s) => s.field)).toEqual(["opensAt", "briefingAt"]);
    // the shift is told only of the date the period holds (a chair's /lich date is not "moved from Saturday")
    const shifts = dateShifts({ year: 2026, quarter: 3 }, saturday, HCM);
    expect(shiftOf(shifts, "deadline", at("2026-10-05 17:00"))?.from).toEqual(at("2026-10-03 17:00"));
    expect(shiftOf(shifts, "deadline", at("2026-10-07 17:00"))).toBeUndefined();
    expect(shiftOf(shifts, "briefingAt", at("2026-10-05 17:00"))).toBeUndefined();
  });

  it("follows each date's policy, never moves an override, and keeps deadline < briefing", () => {
    const keep: CalendarConfig = {
      ...WORK,
      deadline: { daysAfterQuarterEnd: 3, time: "17:00", nonWorkingDay: "keep" },
    };
    expect(local(computePeriodDates({ year: 2026, quarter: 3 }, keep, HCM).deadline)).toBe("2026-10-03 17:00");
    const back: CalendarConfig = {
      ...WORK,
      deadline: { daysAfterQuarterEnd: 3, time: "17:00", nonWorkingDay: "previous" },
    };
    expect(local(computePeriodDates({ year: 2026, quarter: 3 }, back, HCM).deadline)).toBe("2026-10-02 17:00");
    const overridden = computePeriodDates({ year: 2026, quarter: 3 }, WORK, HCM, { briefing: "2026-10-10T08:00" });
    expect(local(overridden.briefingAt)).toBe("2026-10-10 08:00");
    // moving both into the first working day after Tết would put the briefing before the deadline
    const tight: CalendarConfig = {
      ...WORK,
      deadline: { daysAfterQuarterEnd: 36, time: "17:00" }, // 05/02/2027 Giao thừa → 12/02
      briefing: { daysAfterQuarterEnd: 37, time: "08:00" }, // 06/02 mùng 1 → 12/02 08:00, before the deadline
      summaryPost: { daysBeforeBriefing: 0, time: "16:00" },
    };
    const t = computePeriodDates({ year: 2026, quarter: 4 }, tight, HCM);
    expect(local(t.deadline)).toBe("2027-02-12 17:00");
    expect(local(t.briefingAt)).toBe("2027-02-15 08:00");
    expect(t.summaryPostAt.getTime()).toBeGreaterThanOrEqual(t.deadline.getTime());
  });

  it("sends no reminder during Tết 2027 and holds an opening announcement until the next working day", () => {
    const cal: CalendarConfig = { ...WORK, reminders: ["10d", "8d", "6d", "4d", "3d"] };
    const dates = {
      opensAt: at("2027-02-06 08:00"),
      deadline: at("2027-02-15 17:00"),
      briefingAt: at("2027-02-19 08:00"),
      summaryPostAt: at("2027-02-18 16:00"),
    };
    const events = scheduledEvents(dates, cal, HCM);
    expect(events.map((e) => `${e.key} ${local(e.at)}`)).toEqual([
      "open 2027-02-12 08:00",
      "reminder:3d 2027-02-12 17:00",
      "deadline 2027-02-15 17:00",
      "summary_post 2027-02-18 16:00",
    ]);
    // without working-day rules every reminder after the opening goes (10d falls before it)
    expect(
      scheduledEvents(dates, { ...cal, workdays: undefined }, HCM).filter((e) => e.kind === "reminder"),
    ).toHaveLength(4);
  });
});
