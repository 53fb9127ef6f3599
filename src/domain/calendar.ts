// The dates of a period, reminders, quiet hours and what is scheduled when.
import { periodKey, quarterEndLocal } from "./period.ts";
import type {
  CalendarConfig,
  LocalTime,
  NonWorkingDayPolicy,
  OffsetError,
  PeriodDates,
  PeriodOverrides,
  PeriodRef,
  PeriodStatus,
  Result,
} from "./types.ts";
import { type DayOff, dayOff, isWorkingDay, NoWorkingDayError, nextWorkingDay, shiftToWorkingDay } from "./workdays.ts";
import {
  addDays,
  instantToZonedParts,
  type LocalDate,
  localDateTimeToInstant,
  parseLocalDateTime,
  parseLocalTime,
  zonedLocalToInstant,
} from "./zoned-time.ts";

/** The calendar of interface.md's example, used when a cluster configures none. */
export const DEFAULT_CALENDAR: CalendarConfig = {
  opens: { daysBeforeQuarterEnd: 10, time: "08:00" },
  deadline: { daysAfterQuarterEnd: 5, time: "17:00" },
  briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
  summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
  reminders: ["3d", "1d", "2h"],
  quietHours: { from: "21:00", to: "07:00" },
};

/** A calendar setting that cannot be read; `field` is the configuration path, e.g. "calendar.deadline.time". */
export class CalendarConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    message: string,
  ) {
    super(`${field}: ${message} (got "${value}")`);
    this.name = "CalendarConfigError";
  }
}

type OverrideEntry = PeriodOverrides[string];

function timeOf(value: LocalTime, field: string): { hour: number; minute: number } {
  const t = parseLocalTime(value);
  if (!t) throw new CalendarConfigError(field, value, 'expected a local time "HH:MM"');
  return t;
}

function at(date: LocalDate, time: LocalTime, field: string, tz: string): Date {
  const t = timeOf(time, field);
  return zonedLocalToInstant(date.year, date.month, date.day, t.hour, t.minute, tz);
}

function overrideInstant(value: string | undefined, field: string, tz: string): Date | undefined {
  if (value === undefined) return undefined;
  const l = parseLocalDateTime(value);
  if (!l) throw new CalendarConfigError(field, value, 'expected a local date and time "YYYY-MM-DDTHH:MM"');
  return localDateTimeToInstant(l, tz);
}

/** Where a computed date on a day off goes when the calendar does not say: the summary post, due before the briefing, goes back. */
const DEFAULT_POLICY = { opens: "next", deadline: "next", briefing: "next", summaryPost: "previous" } as const;

function workingAt(
  date: LocalDate,
  entry: { time: LocalTime; nonWorkingDay?: NonWorkingDayPolicy | undefined },
  key: keyof typeof DEFAULT_POLICY,
  config: CalendarConfig,
  tz: string,
): Date {
  let day = date;
  try {
    if (config.workdays) day = shiftToWorkingDay(date, config, entry.nonWorkingDay ?? DEFAULT_POLICY[key]);
  } catch (err) {
    if (err instanceof NoWorkingDayError)
      throw new CalendarConfigError(
        "calendar.holidays",
        `${err.from.year}-${err.from.month}-${err.from.day}`,
        err.message,
      );
    throw err;
  }
  return at(day, entry.time, `calendar.${key}.time`, tz);
}

/**
 * The four dates of a period from the cluster calendar, in the cluster's zone, with optional overrides.
 * - opens = quarter end − daysBeforeQuarterEnd at opens.time (Q3, 10 days, 08:00 → 20 Sep 08:00);
 * - deadline = quarter end + daysAfterQuarterEnd at deadline.time (5, 17:00 → 5 Oct 17:00);
 * - briefing = quarter end + daysAfterQuarterEnd at briefing.time (10, 08:00 → 10 Oct 08:00);
 * - summaryPost = the briefing's local date − daysBeforeBriefing at summaryPost.time (1, 16:00 → 9 Oct 16:00).
 * With working-day rules (`config.workdays`), a computed date on a day off moves per its `nonWorkingDay` policy
 * (default: the next working day; the summary post the previous one, as it belongs before the briefing); the
 * order deadline < briefing and deadline ≤ summary post is kept after moving.
 * Overrides ("2026-12-21T08:00", local in `tz`) replace single dates and are never moved; a summary post that is
 * not overridden follows an overridden briefing. Throws {@link CalendarConfigError} for unreadable times.
 */
export function computePeriodDates(
  ref: PeriodRef,
  config: CalendarConfig,
  tz: string,
  override?: OverrideEntry,
): PeriodDates {
  const end = quarterEndLocal(ref);
  const key = periodKey(ref);
  const opensAt =
    overrideInstant(override?.opens, `periods.${key}.opens`, tz) ??
    workingAt(addDays(end, -config.opens.daysBeforeQuarterEnd), config.opens, "opens", config, tz);
  const deadline =
    overrideInstant(override?.deadline, `periods.${key}.deadline`, tz) ??
    workingAt(addDays(end, config.deadline.daysAfterQuarterEnd), config.deadline, "deadline", config, tz);
  let briefingAt =
    overrideInstant(override?.briefing, `periods.${key}.briefing`, tz) ??
    workingAt(addDays(end, config.briefing.daysAfterQuarterEnd), config.briefing, "briefing", config, tz);
  if (!override?.briefing && briefingAt.getTime() <= deadline.getTime()) {
    // moving pushed the briefing to or before the deadline: the working day after the deadline's
    briefingAt = workingAt(addDays(instantToZonedParts(deadline, tz), 1), config.briefing, "briefing", config, tz);
  }
  const briefingDay = instantToZonedParts(briefingAt, tz);
  let summaryPostAt =
    overrideInstant(override?.summaryPost, `periods.${key}.summaryPost`, tz) ??
    workingAt(
      addDays(briefingDay, -config.summaryPost.daysBeforeBriefing),
      config.summaryPost,
      "summaryPost",
      config,
      tz,
    );
  if (!override?.summaryPost && summaryPostAt.getTime() < deadline.getTime()) summaryPostAt = deadline;
  return { opensAt, deadline, briefingAt, summaryPostAt };
}

/** One date of a period that working days moved: where the calendar put it, where it went, and why. */
export interface DateShift {
  field: keyof PeriodDates;
  from: Date;
  to: Date;
  /** why `from` is not a working day */
  reason: DayOff;
}

/**
 * The dates of a period that working days moved (compared with the same calendar without working-day rules),
 * for telling people "moved from Saturday 03/10". Overridden dates are never moved, so never listed.
 */
export function dateShifts(
  ref: PeriodRef,
  config: CalendarConfig,
  tz: string,
  overrides: PeriodOverrides = {},
): DateShift[] {
  if (!config.workdays) return [];
  const moved = periodDates(ref, config, tz, overrides);
  const raw = periodDates(ref, { ...config, workdays: undefined }, tz, overrides);
  const out: DateShift[] = [];
  for (const field of ["opensAt", "deadline", "briefingAt", "summaryPostAt"] as const) {
    if (moved[field].getTime() === raw[field].getTime()) continue;
    const reason = dayOff(instantToZonedParts(raw[field], tz), config);
    if (reason) out.push({ field, from: raw[field], to: moved[field], reason });
  }
  return out;
}

/**
 * The shift behind a date the period holds now (`actual`), if working days put it there; none when the date is
 * elsewhere (a chair set another one with /lich), so "moved from Saturday" is only said of the date it explains.
 */
export function shiftOf(shifts: readonly DateShift[], field: keyof PeriodDates, actual: Date): DateShift | undefined {
  return shifts.find((x) => x.field === field && x.to.getTime() === actual.getTime());
}

/** {@link computePeriodDates} looking the period's override up by its key ("2026-Q4") in `overrides`. */
export function periodDates(
  ref: PeriodRef,
  config: CalendarConfig,
  tz: string,
  overrides: PeriodOverrides = {},
): PeriodDates {
  return computePeriodDates(ref, config, tz, overrides[periodKey(ref)]);
}

/** The opening rule of a cluster, in the shape period.ts `parsePeriod(input, now, tz, opensAt)` wants. */
export function opensAtRule(
  config: CalendarConfig,
  tz: string,
  overrides: PeriodOverrides = {},
): (ref: PeriodRef) => Date {
  return (ref) => periodDates(ref, config, tz, overrides).opensAt;
}

/** Problems in a calendar configuration, as "field: message" lines (empty when it is usable). */
export function checkCalendarConfig(config: CalendarConfig, overrides: PeriodOverrides = {}): string[] {
  const problems: string[] = [];
  const times: [string, string][] = [
    ["calendar.opens.time", config.opens.time],
    ["calendar.deadline.time", config.deadline.time],
    ["calendar.briefing.time", config.briefing.time],
    ["calendar.summaryPost.time", config.summaryPost.time],
  ];
  if (config.quietHours) {
    times.push(["calendar.quietHours.from", config.quietHours.from], ["calendar.quietHours.to", config.quietHours.to]);
  }
  for (const [field, value] of times) {
    if (!parseLocalTime(value)) problems.push(`${field}: expected "HH:MM", got "${value}"`);
  }
  const days: [string, number][] = [
    ["calendar.opens.daysBeforeQuarterEnd", config.opens.daysBeforeQuarterEnd],
    ["calendar.deadline.daysAfterQuarterEnd", config.deadline.daysAfterQuarterEnd],
    ["calendar.briefing.daysAfterQuarterEnd", config.briefing.daysAfterQuarterEnd],
    ["calendar.summaryPost.daysBeforeBriefing", config.summaryPost.daysBeforeBriefing],
  ];
  for (const [field, n] of days) {
    if (!Number.isInteger(n) || n < 0 || n > 366) problems.push(`${field}: expected a whole number 0–366, got ${n}`);
  }
  config.reminders.forEach((r, i) => {
    const p = parseOffset(r);
    if (!p.ok) problems.push(`calendar.reminders[${i}]: expected an offset like "3d", "2h" or "30m", got "${r}"`);
  });
  for (const [key, entry] of Object.entries(overrides)) {
    for (const [field, value] of Object.entries(entry)) {
      if (value !== undefined && !parseLocalDateTime(value)) {
        problems.push(`periods.${key}.${field}: expected "YYYY-MM-DDTHH:MM", got "${value}"`);
      }
    }
  }
  return problems;
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
/** Longest accepted reminder offset. */
export const MAX_OFFSET_MS = 366 * UNIT_MS.d;

/**
 * A reminder offset before the deadline: "3d" (days), "2h" (hours), "30m" (minutes), case-insensitive,
 * spaces allowed ("3 d"). Zero, negative, combined ("1d2h") or more than 366 days → bad_offset.
 * @example parseOffset("2h") // { ok: true, value: 7_200_000 }
 */
export function parseOffset(value: string): Result<number, OffsetError> {
  const m = /^\s*(\d{1,6})\s*([dhm])\s*$/i.exec(value);
  if (!m) return { ok: false, error: { code: "bad_offset", params: { value } } };
  const unit = (m[2] ?? "d").toLowerCase() as keyof typeof UNIT_MS;
  const ms = Number(m[1]) * UNIT_MS[unit];
  if (ms <= 0 || ms > MAX_OFFSET_MS) return { ok: false, error: { code: "bad_offset", params: { value } } };
  return { ok: true, value: ms };
}

/**
 * Reminder instants: deadline − each offset, earliest first, without duplicates, dropping those before
 * the period opens and non-positive offsets.
 */
export function reminderTimes(dates: PeriodDates, offsetsMs: readonly number[]): Date[] {
  const deadline = dates.deadline.getTime();
  const opens = dates.opensAt.getTime();
  const times = new Set<number>();
  for (const off of offsetsMs) {
    const t = deadline - off;
    if (off > 0 && t >= opens) times.add(t);
  }
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

type QuietHours = NonNullable<CalendarConfig["quietHours"]>;

function minutesOf(t: LocalTime, field: string): number {
  const p = timeOf(t, field);
  return p.hour * 60 + p.minute;
}

/**
 * Whether the wall clock in `tz` at `instant` is inside the quiet window [from, to). A window may cross
 * midnight (21:00–07:00). from = to means no quiet hours.
 */
export function isInQuietHours(instant: Date, quietHours: QuietHours | undefined, tz: string): boolean {
  if (!quietHours) return false;
  const from = minutesOf(quietHours.from, "calendar.quietHours.from");
  const to = minutesOf(quietHours.to, "calendar.quietHours.to");
  const p = instantToZonedParts(instant, tz);
  const m = p.hour * 60 + p.minute;
  if (from === to) return false;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/**
 * Moves an instant that falls inside the quiet hours to the end of the window (the next `to` on the wall clock);
 * other instants are returned unchanged. The result is never earlier than the input and never inside the window.
 * @example applyQuietHours(22:30 local, { from: "21:00", to: "07:00" }, tz) // 07:00 the next morning
 */
export function applyQuietHours(instant: Date, quietHours: QuietHours | undefined, tz: string): Date {
  let t = instant;
  // A second pass only matters when a DST gap swallowed `to` and pushed it back into the window.
  for (let i = 0; i < 3 && quietHours && isInQuietHours(t, quietHours, tz); i++) {
    const to = timeOf(quietHours.to, "calendar.quietHours.to");
    const p = instantToZonedParts(t, tz);
    const minute = p.hour * 60 + p.minute;
    const day = minute >= to.hour * 60 + to.minute ? addDays(p, 1) : { year: p.year, month: p.month, day: p.day };
    let next = zonedLocalToInstant(day.year, day.month, day.day, to.hour, to.minute, tz, "earlier");
    if (next.getTime() <= t.getTime()) {
      next = zonedLocalToInstant(day.year, day.month, day.day, to.hour, to.minute, tz, "later");
    }
    t = next;
  }
  return t;
}

/**
 * Where a period stands: "not_open" before opensAt, "open" from opensAt until just before the deadline,
 * "closed" from the deadline on (a report is on time only when submitted before the deadline).
 */
export function periodStatus(dates: PeriodDates, now: Date): PeriodStatus {
  if (now.getTime() < dates.opensAt.getTime()) return "not_open";
  return now.getTime() < dates.deadline.getTime() ? "open" : "closed";
}

/**
 * Until when a submitted report can still be corrected: the deadline while it has not passed, else an unlock
 * (/mokhoa) still running; null when it is locked.
 */
export function correctableUntil(deadline: Date, unlockedUntil: Date | null | undefined, now: Date): Date | null {
  if (now.getTime() < deadline.getTime()) return deadline;
  return unlockedUntil && unlockedUntil.getTime() > now.getTime() ? unlockedUntil : null;
}

/** A report is late when submitted at or after the deadline. */
export function isLate(submittedAt: Date, deadline: Date): boolean {
  return submittedAt.getTime() >= deadline.getTime();
}

export interface TimeLeft {
  days: number;
  hours: number;
  minutes: number;
  /** true once the deadline has passed (all counts are then 0) */
  overdue: boolean;
}

/** Whole days, hours and minutes (rounded down) until the deadline; zeros and overdue once it has passed. */
export function timeLeft(deadline: Date, now: Date): TimeLeft {
  const ms = deadline.getTime() - now.getTime();
  if (ms <= 0) return { days: 0, hours: 0, minutes: 0, overdue: true };
  const totalMinutes = Math.floor(ms / 60_000);
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
    overdue: false,
  };
}

export type ScheduledKind = "open" | "reminder" | "deadline" | "summary_post";

export interface ScheduledEvent {
  kind: ScheduledKind;
  at: Date;
  /** stable within a period: "open", "reminder:3d", "deadline", "summary_post" (for idempotency keys) */
  key: string;
  /** the configured offset, for reminders */
  offset?: string;
}

/** `instant` when its local day is a working day, else the same wall-clock time on the next working day. */
function onWorkingDay(instant: Date, config: CalendarConfig, tz: string): Date {
  if (!config.workdays) return instant;
  const p = instantToZonedParts(instant, tz);
  let day: LocalDate;
  try {
    day = nextWorkingDay(p, config);
  } catch (err) {
    // no working day for weeks (a configuration the cluster file check refuses): announce as computed
    if (err instanceof NoWorkingDayError) return instant;
    throw err;
  }
  if (day.year === p.year && day.month === p.month && day.day === p.day) return instant;
  return zonedLocalToInstant(day.year, day.month, day.day, p.hour, p.minute, tz);
}

const KIND_ORDER: Record<ScheduledKind, number> = { open: 0, reminder: 1, deadline: 2, summary_post: 3 };

/**
 * Everything scheduled for one period, in time order: the opening announcement, each reminder, the deadline
 * (the late list to the chair) and the summary post.
 * Quiet hours move the opening announcement and reminders (messages to secretaries) to the end of the window;
 * the deadline and summary post stay where configured. A reminder that quiet hours push to or past the deadline
 * is dropped, as is one landing on the same instant as an earlier-listed reminder, and unreadable offsets are
 * skipped (checkCalendarConfig reports them).
 * With working-day rules, nothing is sent to secretaries on a day off: the opening announcement waits for the
 * next working day (same wall-clock time) and a reminder falling on a day off is dropped.
 */
export function scheduledEvents(dates: PeriodDates, config: CalendarConfig, tz: string): ScheduledEvent[] {
  const events: ScheduledEvent[] = [
    { kind: "open", at: onWorkingDay(applyQuietHours(dates.opensAt, config.quietHours, tz), config, tz), key: "open" },
  ];
  const seen = new Set<number>();
  for (const offset of config.reminders) {
    const ms = parseOffset(offset);
    if (!ms.ok) continue;
    const [raw] = reminderTimes(dates, [ms.value]);
    if (!raw) continue;
    const when = applyQuietHours(raw, config.quietHours, tz);
    if (when.getTime() >= dates.deadline.getTime() || seen.has(when.getTime())) continue;
    if (config.workdays && !isWorkingDay(instantToZonedParts(when, tz), config)) continue;
    seen.add(when.getTime());
    events.push({ kind: "reminder", at: when, key: `reminder:${offset.trim().toLowerCase()}`, offset });
  }
  events.push({ kind: "deadline", at: dates.deadline, key: "deadline" });
  events.push({ kind: "summary_post", at: dates.summaryPostAt, key: "summary_post" });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
