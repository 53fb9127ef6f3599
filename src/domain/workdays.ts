// Working days of a cluster: Monday–Friday by default, without Vietnam's public holidays
// (the lunar ones included, computed by date-holidays for any year), with the year's
// extra days off and make-up working days from the cluster file. Pure: dates in, dates out.
import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import type { NonWorkingDayPolicy } from "./types.ts";
import { addDays, type LocalDate } from "./zoned-time.ts";

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
/** Indexed like Date#getUTCDay (0 = Sunday). */
export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
export const DEFAULT_WORKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

/** The calendar keys that decide working days (a subset of the cluster's `calendar`). */
export interface WorkdayRules {
  /** Absent: every day is a working day and no holiday applies (a calendar without working-day rules). */
  workdays?: readonly Weekday[] | undefined;
  /** extra days off, "YYYY-MM-DD" */
  holidays?: readonly string[] | undefined;
  /** make-up working days, "YYYY-MM-DD": worked even on a weekend */
  makeupWorkdays?: readonly string[] | undefined;
  /** "none": Vietnam's public holidays (and their compensatory days) do not apply; default "vn" */
  publicHolidays?: "vn" | "none" | undefined;
}

/** Why a day is not worked. */
export type DayOff =
  | { kind: "weekend"; weekday: Weekday }
  | { kind: "holiday"; name: string }
  | { kind: "compensatory"; name: string }
  | { kind: "extra" };

const pad = (n: number) => String(n).padStart(2, "0");
export const isoDate = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
export const weekdayOf = (d: LocalDate): Weekday =>
  WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()]!;

// Loaded at the first use, not at import: date-holidays and its lunar calendars take
// ~35 MB and ~0.5 s to load, and the bot answers its first updates without them.
let vn: Holidays | undefined;
function vnHolidays(): Holidays {
  if (!vn) {
    const HolidaysClass = createRequire(import.meta.url)("date-holidays") as typeof Holidays;
    vn = new HolidaysClass("VN");
  }
  return vn;
}
const byYear = new Map<number, Map<string, string>>();

/**
 * Vietnam's public holidays of a year ("YYYY-MM-DD" → name), as the Labour Code 2019 (art. 112) gives them:
 * date-holidays' public days (1/1, Giao thừa, mùng 1 Tết, Giỗ Tổ Hùng Vương 10/3 lunar, 30/4, 1/5, 2/9) plus
 * mùng 2, 3 and 4 Tết, which it lists as ordinary days: the law gives five days of Tết, and the usual split is
 * the last day of the lunar year and the first four of the new one. The second day of Quốc khánh (1/9 or 3/9)
 * and the government's yearly bridges are decided each year: they belong in the cluster file (`holidays`).
 */
export function publicHolidays(year: number): ReadonlyMap<string, string> {
  const cached = byYear.get(year);
  if (cached) return cached;
  const out = new Map<string, string>();
  for (const h of vnHolidays().getHolidays(year)) {
    if (h.type !== "public") continue;
    const iso = h.date.slice(0, 10);
    out.set(iso, h.name);
    if (h.rule === "vietnamese 1-0-1") {
      const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
      for (const n of [1, 2, 3])
        out.set(isoDate(addDays({ year: y, month: m, day: d }, n)), `${h.name} (mùng ${n + 1})`);
    }
  }
  byYear.set(year, out);
  return out;
}

function holidayName(d: LocalDate): string | undefined {
  return publicHolidays(d.year).get(isoDate(d));
}

/**
 * Compensatory days off of a year (Labour Code 2019 art. 111(3)): a public holiday that falls on a weekly rest
 * day is given back on the next working day. Depends on which weekdays are worked.
 */
function compensatoryDays(year: number, workdays: readonly Weekday[]): Map<string, string> {
  const out = new Map<string, string>();
  const holidays = publicHolidays(year);
  for (const [iso, name] of [...holidays].sort(([a], [b]) => a.localeCompare(b))) {
    const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
    const day = { year: y, month: m, day: d };
    if (workdays.includes(weekdayOf(day))) continue;
    let next = addDays(day, 1);
    for (let guard = 0; guard < 30; guard++, next = addDays(next, 1)) {
      const k = isoDate(next);
      if (workdays.includes(weekdayOf(next)) && !holidays.has(k) && !out.has(k)) break;
    }
    out.set(isoDate(next), name);
  }
  return out;
}

const compensatoryCache = new Map<string, Map<string, string>>();
function compensatoryName(d: LocalDate, workdays: readonly Weekday[]): string | undefined {
  const key = `${d.year}:${workdays.join(",")}`;
  let days = compensatoryCache.get(key);
  if (!days) {
    days = compensatoryDays(d.year, workdays);
    compensatoryCache.set(key, days);
  }
  return days.get(isoDate(d));
}

/** Why `date` is not a working day under `rules`, or null when it is one. */
export function dayOff(date: LocalDate, rules: WorkdayRules): DayOff | null {
  const workdays = rules.workdays;
  if (!workdays) return null;
  const iso = isoDate(date);
  if (rules.makeupWorkdays?.includes(iso)) return null;
  if (rules.holidays?.includes(iso)) return { kind: "extra" };
  const national = rules.publicHolidays !== "none";
  const name = national ? holidayName(date) : undefined;
  if (name) return { kind: "holiday", name };
  const weekday = weekdayOf(date);
  if (!workdays.includes(weekday)) return { kind: "weekend", weekday };
  const comp = national ? compensatoryName(date, workdays) : undefined;
  return comp ? { kind: "compensatory", name: comp } : null;
}

export const isWorkingDay = (date: LocalDate, rules: WorkdayRules): boolean => dayOff(date, rules) === null;

/**
 * Longest run of days off looked through (Tết with weekends and bridges is about ten days). A
 * longer run is a configuration mistake (a year of `holidays`, one working weekday that is always
 * a holiday), told as {@link NoWorkingDayError} rather than searched for ever or answered with a
 * day off.
 */
export const MAX_DAYS_OFF_RUN = 60;

/** No working day within {@link MAX_DAYS_OFF_RUN} days of `from`, in `direction`. */
export class NoWorkingDayError extends Error {
  constructor(
    readonly from: LocalDate,
    readonly direction: "next" | "previous",
  ) {
    super(
      `no working day within ${MAX_DAYS_OFF_RUN} days ${direction === "next" ? "after" : "before"} ${isoDate(from)}: ` +
        "check calendar.workdays and calendar.holidays",
    );
    this.name = "NoWorkingDayError";
  }
}

function search(date: LocalDate, rules: WorkdayRules, step: 1 | -1): LocalDate {
  let d = date;
  for (let i = 0; i <= MAX_DAYS_OFF_RUN; i++, d = addDays(d, step)) if (isWorkingDay(d, rules)) return d;
  throw new NoWorkingDayError(date, step === 1 ? "next" : "previous");
}

/**
 * `date` itself when it is a working day, else the first working day after it.
 * Throws {@link NoWorkingDayError} when there is none within {@link MAX_DAYS_OFF_RUN} days.
 */
export function nextWorkingDay(date: LocalDate, rules: WorkdayRules): LocalDate {
  return search(date, rules, 1);
}

/**
 * `date` itself when it is a working day, else the last working day before it.
 * Throws {@link NoWorkingDayError} when there is none within {@link MAX_DAYS_OFF_RUN} days.
 */
export function previousWorkingDay(date: LocalDate, rules: WorkdayRules): LocalDate {
  return search(date, rules, -1);
}

/**
 * The first run of more than {@link MAX_DAYS_OFF_RUN} days off that the cluster's extra `holidays`
 * make (with weekends and public holidays), as the holiday that starts it; null when there is none.
 * For validating a cluster file: a long run would leave dates with no working day to move to.
 */
export function overlongDaysOff(rules: WorkdayRules): string | null {
  for (const h of rules.holidays ?? []) {
    const [year, month, day] = h.split("-").map(Number) as [number, number, number];
    try {
      nextWorkingDay({ year, month, day }, rules);
    } catch (err) {
      if (err instanceof NoWorkingDayError) return h;
      throw err;
    }
  }
  return null;
}

export function shiftToWorkingDay(date: LocalDate, rules: WorkdayRules, policy: NonWorkingDayPolicy): LocalDate {
  if (policy === "keep") return date;
  return policy === "next" ? nextWorkingDay(date, rules) : previousWorkingDay(date, rules);
}
