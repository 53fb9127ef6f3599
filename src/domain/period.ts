// Quarters: parsing what people type, keys, neighbours and boundaries.
import type { PeriodError, PeriodRef, Result } from "./types.ts";
import { instantToZonedParts, type LocalDate, zonedLocalToInstant } from "./zoned-time.ts";

export type Quarter = PeriodRef["quarter"];

/** Years accepted from user input. Two-digit years mean 20yy. */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

const ROMAN = ["I", "II", "III", "IV"] as const;

/** toRoman(3) → "III". */
export function toRoman(quarter: Quarter): string {
  return ROMAN[quarter - 1] ?? String(quarter);
}

/** True for 1, 2, 3, 4. */
export function isQuarter(n: number): n is Quarter {
  return n === 1 || n === 2 || n === 3 || n === 4;
}

/** formatPeriodVi({ year: 2026, quarter: 3 }) → "quý III/2026". */
export function formatPeriodVi(ref: PeriodRef): string {
  return `quý ${toRoman(ref.quarter)}/${ref.year}`;
}

/** periodKey({ year: 2026, quarter: 3 }) → "2026-Q3" (the key used in configuration and storage). */
export function periodKey(ref: PeriodRef): string {
  return `${ref.year}-Q${ref.quarter}`;
}

/** parsePeriodKey("2026-Q3") → { year: 2026, quarter: 3 }; null for anything not in that exact shape. */
export function parsePeriodKey(key: string): PeriodRef | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!m) return null;
  return { year: Number(m[1]), quarter: Number(m[2]) as Quarter };
}

export function previousPeriod(ref: PeriodRef): PeriodRef {
  return ref.quarter === 1
    ? { year: ref.year - 1, quarter: 4 }
    : { year: ref.year, quarter: (ref.quarter - 1) as Quarter };
}

export function nextPeriod(ref: PeriodRef): PeriodRef {
  return ref.quarter === 4
    ? { year: ref.year + 1, quarter: 1 }
    : { year: ref.year, quarter: (ref.quarter + 1) as Quarter };
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function comparePeriods(a: PeriodRef, b: PeriodRef): number {
  return a.year !== b.year ? a.year - b.year : a.quarter - b.quarter;
}

export function samePeriod(a: PeriodRef, b: PeriodRef): boolean {
  return a.year === b.year && a.quarter === b.quarter;
}

/** The quarter that contains `date` on the wall clock of `tz`. */
export function quarterOf(date: Date, tz: string): PeriodRef {
  const p = instantToZonedParts(date, tz);
  return { year: p.year, quarter: Math.ceil(p.month / 3) as Quarter };
}

/** First day of the quarter: Q3/2026 → 2026-07-01. */
export function quarterStartLocal(ref: PeriodRef): LocalDate {
  return { year: ref.year, month: ref.quarter * 3 - 2, day: 1 };
}

/** Last day of the quarter: Q3/2026 → 2026-09-30, Q1 → 31 March. */
export function quarterEndLocal(ref: PeriodRef): LocalDate {
  const month = ref.quarter * 3;
  return { year: ref.year, month, day: new Date(Date.UTC(ref.year, month, 0)).getUTCDate() };
}

/** Default opening rule when the caller has no calendar: a quarter opens at 00:00 local on its first day. */
export function quarterStartOpensAt(tz: string): (ref: PeriodRef) => Date {
  return (ref) => {
    const s = quarterStartLocal(ref);
    return zonedLocalToInstant(s.year, s.month, s.day, 0, 0, tz);
  };
}

/** Removes Vietnamese diacritics, lowercases and collapses spaces: " Quý  III " → "quy iii". */
function normalize(input: string): string {
  return input.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
}

function quarterFromToken(token: string): Quarter | null {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return isQuarter(n) ? n : null;
  }
  const i = ROMAN.indexOf(token.toUpperCase() as (typeof ROMAN)[number]);
  return i >= 0 ? ((i + 1) as Quarter) : null;
}

function yearFromToken(token: string): number | null {
  if (token.length === 2) return 2000 + Number(token);
  if (token.length !== 4) return null;
  const y = Number(token);
  return y >= MIN_YEAR && y <= MAX_YEAR ? y : null;
}

// quarter first: "q3", "quy iii", "3", "q3/2026", "quy 3 nam 2026", "iii-2026"
const QUARTER_FIRST = /^(?:(?:quy|q)\s?\.?\s?)?(\d+|[iv]+)(?:\s?[/\-\s]\s?(?:nam\s)?(\d+))?$/;
// year first: "2026-q3", "2026 quy iii", "2026/q3"
const YEAR_FIRST = /^(\d+)\s?[/\-\s]\s?(?:quy|q)\s?(\d+|[iv]+)$/;

/**
 * Parses a period as people type it, in any case and with or without diacritics:
 * `Q3`, `3`, `III`, `quý 3`, `Quý III`, `quy 3`, `Q3/2026`, `Q3 2026`, `2026-Q3`, `III/2026`, `quý III/2026`,
 * `quý 3 năm 2026`, `Q3/26` (two-digit year = 20yy).
 *
 * Without a year it means the most recent such quarter that has opened: the latest of that quarter in
 * next year, this year or last year (year of `now` in `tz`) whose `opensAt(ref) <= now`.
 * `opensAt` defaults to the quarter's first day 00:00 in `tz`; pass the cluster calendar's opening rule
 * (calendar.ts `opensAtRule`) to follow it.
 *
 * @example parsePeriod("q4", new Date("2027-01-02T00:00:00Z"), "Asia/Ho_Chi_Minh") // { year: 2026, quarter: 4 }
 * @example parsePeriod("Q5", now, tz) // { ok: false, error: { code: "bad_quarter" } }
 */
export function parsePeriod(
  input: string,
  now: Date,
  tz: string,
  opensAt: (ref: PeriodRef) => Date = quarterStartOpensAt(tz),
): Result<PeriodRef, PeriodError> {
  const s = normalize(input);
  let quarterToken: string | undefined;
  let yearToken: string | undefined;
  const qf = QUARTER_FIRST.exec(s);
  const yf = qf ? null : YEAR_FIRST.exec(s);
  if (qf) {
    quarterToken = qf[1];
    yearToken = qf[2];
  } else if (yf) {
    yearToken = yf[1];
    quarterToken = yf[2];
  }
  if (quarterToken === undefined) return { ok: false, error: { code: "bad_period", params: { input: input.trim() } } };
  const quarter = quarterFromToken(quarterToken);
  if (quarter === null) return { ok: false, error: { code: "bad_quarter", params: { quarter: quarterToken } } };
  if (yearToken !== undefined) {
    const year = yearFromToken(yearToken);
    if (year === null) {
      return { ok: false, error: { code: "bad_year", params: { year: yearToken, min: MIN_YEAR, max: MAX_YEAR } } };
    }
    return { ok: true, value: { year, quarter } };
  }
  return { ok: true, value: mostRecentOpened(quarter, now, tz, opensAt) };
}

/** The latest { year, quarter } (next, this or last year in `tz`) that has opened by `now`; last year as fallback. */
export function mostRecentOpened(
  quarter: Quarter,
  now: Date,
  tz: string,
  opensAt: (ref: PeriodRef) => Date = quarterStartOpensAt(tz),
): PeriodRef {
  const year = instantToZonedParts(now, tz).year;
  for (const y of [year + 1, year]) {
    const ref = { year: y, quarter };
    if (opensAt(ref).getTime() <= now.getTime()) return ref;
  }
  return { year: year - 1, quarter };
}

/**
 * A whole year typed where a period is expected (`/tongket 2026`, `/tongket năm 2026`,
 * `cli summary btc-5tp 2026`): the year, or null when the text is not a bare year.
 * @example parseYearArg("2026") // 2026
 * @example parseYearArg("Q3 2026") // null
 */
export function parseYearArg(input: string | undefined): number | null {
  const m = /^\s*(?:năm\s+)?(\d{4})\s*$/iu.exec(input?.normalize("NFC") ?? "");
  if (!m) return null;
  const year = Number(m[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : null;
}
