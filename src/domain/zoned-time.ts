// Wall-clock <-> instant conversion for any IANA time zone, built on Intl.DateTimeFormat only.
// Pure: no clock is read here.

/** Default time zone of a cluster. */
export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Wall-clock parts of an instant in a zone. `weekday` is 0 = Sunday … 6 = Saturday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** A calendar date without a zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock date and time without a zone. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

/**
 * How to resolve a wall-clock time that occurs twice (DST fall-back) or never (DST spring-forward).
 * - "compatible" (default, like Temporal): repeated → the earlier instant; skipped → shifted forward by the gap.
 * - "earlier" / "later": repeated → that occurrence; skipped → like "compatible".
 */
export type Disambiguation = "compatible" | "earlier" | "later";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
      era: "short",
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** True when `tz` is an IANA zone name this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock parts of `date` in `tz`.
 * @example instantToZonedParts(new Date("2026-09-30T01:00:00Z"), "Asia/Ho_Chi_Minh") // 2026-09-30 08:00
 */
export function instantToZonedParts(date: Date, tz: string): ZonedParts {
  const parts = formatterFor(tz).formatToParts(date);
  const out: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case "year":
        out.year = Number(p.value);
        break;
      case "month":
        out.month = Number(p.value);
        break;
      case "day":
        out.day = Number(p.value);
        break;
      case "hour":
        out.hour = Number(p.value) % 24;
        break;
      case "minute":
        out.minute = Number(p.value);
        break;
      case "second":
        out.second = Number(p.value);
        break;
      case "weekday":
        out.weekday = WEEKDAYS[p.value] ?? 0;
        break;
      case "era":
        bc = p.value.startsWith("B");
        break;
    }
  }
  if (bc) out.year = 1 - out.year;
  return out;
}

/** Offset of `tz` from UTC at an instant, in milliseconds (UTC+7 → 25_200_000). Sub-minute precision dropped. */
export function zoneOffsetMs(epochMs: number, tz: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const p = instantToZonedParts(new Date(wholeSecond), tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - wholeSecond;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the wall clock in `tz` shows the given local date and time.
 * Out-of-range fields roll over like Date.UTC (day 32 → next month).
 * @example zonedLocalToInstant(2026, 9, 20, 8, 0, "Asia/Ho_Chi_Minh") // 2026-09-20T01:00:00.000Z
 * @example zonedLocalToInstant(2026, 3, 29, 2, 30, "Europe/Berlin") // skipped hour → 03:30 CEST = 01:30Z
 */
export function zonedLocalToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  tz: string,
  disambiguation: Disambiguation = "compatible",
): Date {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets a day either side bracket at most one transition for every real zone.
  const before = zoneOffsetMs(local - DAY_MS, tz);
  const after = zoneOffsetMs(local + DAY_MS, tz);
  const candidates = [...new Set([local - before, local - after])]
    .filter((t) => t + zoneOffsetMs(t, tz) === local)
    .sort((a, b) => a - b);
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  if (first === undefined || last === undefined) {
    // Skipped wall-clock time: read it with the offset in force before the gap, which moves it forward.
    return new Date(local - before);
  }
  return new Date(disambiguation === "later" ? last : first);
}

/** Same as {@link zonedLocalToInstant} with a {@link LocalDateTime}. */
export function localDateTimeToInstant(l: LocalDateTime, tz: string, disambiguation?: Disambiguation): Date {
  return zonedLocalToInstant(l.year, l.month, l.day, l.hour, l.minute, tz, disambiguation);
}

/** Calendar arithmetic on a local date (no zone involved). addDays({2026,9,30}, 5) → {2026,10,5}. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Number of days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses "HH:MM" (00:00–23:59, one-digit hour allowed) into minutes since midnight; null when malformed. */
export function parseLocalTime(value: string): { hour: number; minute: number } | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(value);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/**
 * Parses a zone-less local date-time "2026-12-21T08:00" (a space instead of "T" and ":SS" seconds also accepted,
 * seconds ignored); null when malformed or not a real calendar date.
 */
export function parseLocalDateTime(value: string): LocalDateTime | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::\d{2})?\s*$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

/** Formats a local date-time as "2026-12-21T08:00". */
export function formatLocalDateTime(l: LocalDateTime): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${String(l.year).padStart(4, "0")}-${p2(l.month)}-${p2(l.day)}T${p2(l.hour)}:${p2(l.minute)}`;
}
