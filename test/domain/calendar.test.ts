import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyQuietHours,
  CalendarConfigError,
  checkCalendarConfig,
  computePeriodDates,
  correctableUntil,
  DEFAULT_CALENDAR,
  isInQuietHours,
  isLate,
  opensAtRule,
  parseOffset,
  periodDates,
  periodStatus,
  reminderTimes,
  scheduledEvents,
  timeLeft,
} from "../../src/domain/calendar.ts";
import { parsePeriod } from "../../src/domain/period.ts";
import type { CalendarConfig, PeriodDates } from "../../src/domain/types.ts";
import { instantToZonedParts } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const BER = "Europe/Berlin";
const Q3 = { year: 2026, quarter: 3 } as const;
const iso = (d: Date) => d.toISOString();
const local = (d: Date, tz: string) => {
  const p = instantToZonedParts(d, tz);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${p2(p.month)}-${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}`;
};

describe("computePeriodDates", () => {
  it("follows the default calendar for Q3/2026 in Hà Nội", () => {
    const d = computePeriodDates(Q3, DEFAULT_CALENDAR, HCM);
    expect(local(d.opensAt, HCM)).toBe("2026-09-20 08:00");
    expect(local(d.deadline, HCM)).toBe("2026-10-05 17:00");
    expect(local(d.briefingAt, HCM)).toBe("2026-10-10 08:00");
    expect(local(d.summaryPostAt, HCM)).toBe("2026-10-09 16:00");
    expect(iso(d.opensAt)).toBe("2026-09-20T01:00:00.000Z");
  });

  it.each([
    [1, "2026-03-21 08:00", "2026-04-05 17:00", "2026-04-10 08:00", "2026-04-09 16:00"],
    [2, "2026-06-20 08:00", "2026-07-05 17:00", "2026-07-10 08:00", "2026-07-09 16:00"],
    [4, "2026-12-21 08:00", "2027-01-05 17:00", "2027-01-10 08:00", "2027-01-09 16:00"],
  ] as const)("Q%d/2026", (quarter, opens, deadline, briefing, post) => {
    const d = computePeriodDates({ year: 2026, quarter }, DEFAULT_CALENDAR, HCM);
    expect([d.opensAt, d.deadline, d.briefingAt, d.summaryPostAt].map((x) => local(x, HCM))).toEqual([
      opens,
      deadline,
      briefing,
      post,
    ]);
  });

  it("uses the zone's offset of each date (Berlin, DST ends 25 Oct 2026)", () => {
    const cal: CalendarConfig = { ...DEFAULT_CALENDAR, briefing: { daysAfterQuarterEnd: 30, time: "08:00" } };
    const d = computePeriodDates(Q3, cal, BER);
    expect(iso(d.opensAt)).toBe("2026-09-20T06:00:00.000Z"); // CEST
    expect(iso(d.briefingAt)).toBe("2026-10-30T07:00:00.000Z"); // CET
    expect(local(d.summaryPostAt, BER)).toBe("2026-10-29 16:00");
  });

  it("applies overrides and moves the summary post with an overridden briefing", () => {
    const d = computePeriodDates({ year: 2026, quarter: 4 }, DEFAULT_CALENDAR, HCM, {
      opens: "2026-12-18T09:30",
      briefing: "2027-01-14T08:00",
    });
    expect(local(d.opensAt, HCM)).toBe("2026-12-18 09:30");
    expect(local(d.deadline, HCM)).toBe("2027-01-05 17:00");
    expect(local(d.briefingAt, HCM)).toBe("2027-01-14 08:00");
    expect(local(d.summaryPostAt, HCM)).toBe("2027-01-13 16:00");
  });

  it("looks overrides up by period key", () => {
    const overrides = {
      "2026-Q4": {
        opens: "2026-12-21T08:00",
        deadline: "2027-01-06T17:00",
        briefing: "2027-01-10T08:00",
        summaryPost: "2027-01-08T15:00",
      },
    };
    const d = periodDates({ year: 2026, quarter: 4 }, DEFAULT_CALENDAR, HCM, overrides);
    expect(local(d.deadline, HCM)).toBe("2027-01-06 17:00");
    expect(local(d.summaryPostAt, HCM)).toBe("2027-01-08 15:00");
    expect(local(periodDates(Q3, DEFAULT_CALENDAR, HCM, overrides).deadline, HCM)).toBe("2026-10-05 17:00");
  });

  it("throws a CalendarConfigError naming the field", () => {
    expect(() =>
      computePeriodDates(Q3, { ...DEFAULT_CALENDAR, deadline: { daysAfterQuarterEnd: 5, time: "5pm" } }, HCM),
    ).toThrow(CalendarConfigError);
    try {
      computePeriodDates(Q3, DEFAULT_CALENDAR, HCM, { deadline: "5/10/2026" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarConfigError);
      expect((e as CalendarConfigError).field).toBe("periods.2026-Q3.deadline");
    }
  });

  it("gives parsePeriod the cluster's opening rule", () => {
    const rule = opensAtRule(DEFAULT_CALENDAR, HCM);
    expect(parsePeriod("Q3", new Date("2026-09-20T00:59:00Z"), HCM, rule)).toEqual({
      ok: true,
      value: { year: 2025, quarter: 3 },
    });
    expect(parsePeriod("Q3", new Date("2026-09-20T01:00:00Z"), HCM, rule)).toEqual({ ok: true, value: Q3 });
    // Q4/2026 opens 21 Dec 2026; on 1 Jan 2027 "Q4" still means Q4/2026
    expect(parsePeriod("Q4", new Date("2027-01-01T05:00:00Z"), HCM, rule)).toEqual({
      ok: true,
      value: { year: 2026, quarter: 4 },
    });
  });
});

describe("checkCalendarConfig", () => {
  it("accepts the default", () => {
    expect(checkCalendarConfig(DEFAULT_CALENDAR)).toEqual([]);
  });
  it("lists every problem with its field", () => {
    const bad: CalendarConfig = {
      opens: { daysBeforeQuarterEnd: -1, time: "8h" },
      deadline: { daysAfterQuarterEnd: 1.5, time: "17:00" },
      briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
      summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
      reminders: ["3d", "soon"],
      quietHours: { from: "21:00", to: "7" },
    };
    const problems = checkCalendarConfig(bad, { "2026-Q4": { opens: "tomorrow" } });
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "calendar.opens.time",
      "calendar.quietHours.to",
      "calendar.opens.daysBeforeQuarterEnd",
      "calendar.deadline.daysAfterQuarterEnd",
      "calendar.reminders[1]",
      "periods.2026-Q4.opens",
    ]);
  });
});

describe("parseOffset", () => {
  it.each([
    ["3d", 3 * 86_400_000],
    ["1d", 86_400_000],
    ["2h", 7_200_000],
    ["30m", 1_800_000],
    [" 2 H ", 7_200_000],
    ["366d", 366 * 86_400_000],
  ])("%j → %d ms", (s, ms) => {
    expect(parseOffset(s)).toEqual({ ok: true, value: ms });
  });
  it.each(["", "3", "d", "0h", "-1d", "1d2h", "1w", "1.5h", "367d", "abc"])("%j → bad_offset", (s) => {
    expect(parseOffset(s)).toEqual({ ok: false, error: { code: "bad_offset", params: { value: s } } });
  });
});

const q3 = computePeriodDates(Q3, DEFAULT_CALENDAR, HCM);

describe("reminderTimes", () => {
  it("subtracts offsets from the deadline, earliest first", () => {
    const t = reminderTimes(q3, [2 * 3_600_000, 3 * 86_400_000, 86_400_000, 86_400_000]);
    expect(t.map((d) => local(d, HCM))).toEqual(["2026-10-02 17:00", "2026-10-04 17:00", "2026-10-05 15:00"]);
  });
  it("drops those before the opening and non-positive offsets", () => {
    const t = reminderTimes(q3, [30 * 86_400_000, 15 * 86_400_000, 0, -5]);
    expect(t.map((d) => local(d, HCM))).toEqual(["2026-09-20 17:00"]);
  });
});

const quiet = { from: "21:00", to: "07:00" };
const day = { from: "12:00", to: "13:30" };

describe("quiet hours", () => {
  it.each([
    ["2026-10-04T13:59:00Z", quiet, false], // 20:59
    ["2026-10-04T14:00:00Z", quiet, true], // 21:00
    ["2026-10-04T16:59:00Z", quiet, true], // 23:59
    ["2026-10-04T17:00:00Z", quiet, true], // 00:00
    ["2026-10-04T23:59:00Z", quiet, true], // 06:59
    ["2026-10-05T00:00:00Z", quiet, false], // 07:00
    ["2026-10-05T04:59:00Z", day, false], // 11:59
    ["2026-10-05T05:00:00Z", day, true], // 12:00
    ["2026-10-05T06:29:00Z", day, true], // 13:29
    ["2026-10-05T06:30:00Z", day, false], // 13:30
  ])("isInQuietHours(%s)", (at, window, inside) => {
    expect(isInQuietHours(new Date(at), window, HCM)).toBe(inside);
  });

  it("no window, or an empty one, is never quiet", () => {
    expect(isInQuietHours(new Date("2026-10-04T16:00:00Z"), undefined, HCM)).toBe(false);
    expect(isInQuietHours(new Date("2026-10-04T16:00:00Z"), { from: "22:00", to: "22:00" }, HCM)).toBe(false);
  });

  it.each([
    ["2026-10-04T15:30:00Z", quiet, "2026-10-05 07:00"], // 22:30 → next morning
    ["2026-10-04T20:00:00Z", quiet, "2026-10-05 07:00"], // 03:00 → same morning
    ["2026-10-04T13:00:00Z", quiet, "2026-10-04 20:00"], // 20:00 unchanged
    ["2026-10-05T05:15:00Z", day, "2026-10-05 13:30"], // 12:15 → 13:30
    ["2026-12-31T15:00:00Z", quiet, "2027-01-01 07:00"], // 22:00 on New Year's Eve
  ])("applyQuietHours(%s)", (at, window, expected) => {
    expect(local(applyQuietHours(new Date(at), window, HCM), HCM)).toBe(expected);
  });

  it("handles DST in Berlin", () => {
    // 29 March 2026 01:30 CET, window 01:00–02:30: 02:30 does not exist → 03:30 CEST
    const r = applyQuietHours(new Date("2026-03-29T00:30:00Z"), { from: "01:00", to: "02:30" }, BER);
    expect(iso(r)).toBe("2026-03-29T01:30:00.000Z");
    // 25 Oct 2026, second 02:10 (CET), window 01:00–02:30 → the later 02:30, never earlier than the input
    const s = applyQuietHours(new Date("2026-10-25T01:10:00Z"), { from: "01:00", to: "02:30" }, BER);
    expect(iso(s)).toBe("2026-10-25T01:30:00.000Z");
    // a window whose end is swallowed by the gap and lands back inside it
    const t = applyQuietHours(new Date("2026-03-29T00:50:00Z"), { from: "02:45", to: "02:30" }, BER);
    expect(isInQuietHours(t, { from: "02:45", to: "02:30" }, BER)).toBe(false);
    expect(t.getTime()).toBeGreaterThan(Date.parse("2026-03-29T00:50:00Z"));
  });

  it("property: never earlier than the input and never inside the window", () => {
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        hhmm,
        hhmm,
        fc.constantFrom(HCM, BER, "America/New_York", "Australia/Lord_Howe"),
        (ms, from, to, tz) => {
          const input = new Date(ms);
          const out = applyQuietHours(input, { from, to }, tz);
          expect(out.getTime()).toBeGreaterThanOrEqual(ms);
          expect(isInQuietHours(out, { from, to }, tz)).toBe(false);
          if (!isInQuietHours(input, { from, to }, tz)) expect(out.getTime()).toBe(ms);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: DST transition days in Berlin", () => {
    const around = fc.oneof(
      fc.integer({ min: Date.UTC(2026, 2, 28, 12), max: Date.UTC(2026, 2, 29, 12) }),
      fc.integer({ min: Date.UTC(2026, 9, 24, 12), max: Date.UTC(2026, 9, 25, 12) }),
    );
    fc.assert(
      fc.property(around, fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), (ms, f, t) => {
        const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
        const window = { from: fmt(f), to: fmt(t) };
        const out = applyQuietHours(new Date(ms), window, BER);
        expect(out.getTime()).toBeGreaterThanOrEqual(ms);
        expect(isInQuietHours(out, window, BER)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("status and time left", () => {
  it.each([
    ["2026-09-20T00:59:59Z", "not_open"],
    ["2026-09-20T01:00:00Z", "open"],
    ["2026-10-05T09:59:59Z", "open"],
    ["2026-10-05T10:00:00Z", "closed"],
    ["2026-12-01T00:00:00Z", "closed"],
  ])("periodStatus at %s → %s", (now, status) => {
    expect(periodStatus(q3, new Date(now))).toBe(status);
  });
  it("isLate from the deadline on", () => {
    expect(isLate(new Date("2026-10-05T09:59:59Z"), q3.deadline)).toBe(false);
    expect(isLate(new Date("2026-10-05T10:00:00Z"), q3.deadline)).toBe(true);
  });
  it("correctableUntil: the deadline before it, then only a running unlock", () => {
    const before = new Date("2026-10-05T09:59:59Z");
    const after = new Date("2026-10-06T03:00:00Z");
    const unlock = new Date("2026-10-07T03:00:00Z");
    expect(correctableUntil(q3.deadline, null, before)).toEqual(q3.deadline);
    expect(correctableUntil(q3.deadline, unlock, before)).toEqual(q3.deadline);
    expect(correctableUntil(q3.deadline, null, after)).toBeNull();
    expect(correctableUntil(q3.deadline, unlock, after)).toEqual(unlock);
    expect(correctableUntil(q3.deadline, unlock, unlock)).toBeNull();
  });
  it.each([
    ["2026-10-02T08:30:00Z", { days: 3, hours: 1, minutes: 30, overdue: false }],
    ["2026-10-05T09:59:30Z", { days: 0, hours: 0, minutes: 0, overdue: false }],
    ["2026-10-05T09:00:00Z", { days: 0, hours: 1, minutes: 0, overdue: false }],
    ["2026-10-05T10:00:00Z", { days: 0, hours: 0, minutes: 0, overdue: true }],
    ["2026-10-06T10:00:00Z", { days: 0, hours: 0, minutes: 0, overdue: true }],
  ])("timeLeft at %s", (now, left) => {
    expect(timeLeft(q3.deadline, new Date(now))).toEqual(left);
  });
});

describe("scheduledEvents", () => {
  it("lists open, reminders, deadline and summary post in order", () => {
    const ev = scheduledEvents(q3, DEFAULT_CALENDAR, HCM);
    expect(ev.map((e) => [e.key, local(e.at, HCM)])).toEqual([
      ["open", "2026-09-20 08:00"],
      ["reminder:3d", "2026-10-02 17:00"],
      ["reminder:1d", "2026-10-04 17:00"],
      ["reminder:2h", "2026-10-05 15:00"],
      ["deadline", "2026-10-05 17:00"],
      ["summary_post", "2026-10-09 16:00"],
    ]);
    expect(ev[1]).toMatchObject({ kind: "reminder", offset: "3d" });
  });

  it("moves reminders out of quiet hours and drops those pushed past the deadline or onto another", () => {
    const cal: CalendarConfig = {
      ...DEFAULT_CALENDAR,
      opens: { daysBeforeQuarterEnd: 10, time: "06:00" },
      deadline: { daysAfterQuarterEnd: 5, time: "08:00" },
      reminders: ["2h", "3h", "12h", "bad", "60d"],
    };
    const d = computePeriodDates(Q3, cal, HCM);
    const ev = scheduledEvents(d, cal, HCM);
    // 2h → 06:00 → 07:00 (kept); 3h → 05:00 → 07:00 (same instant, dropped); 12h → 20:00 the day before
    expect(ev.map((e) => [e.key, local(e.at, HCM)])).toEqual([
      ["open", "2026-09-20 07:00"],
      ["reminder:12h", "2026-10-04 20:00"],
      ["reminder:2h", "2026-10-05 07:00"],
      ["deadline", "2026-10-05 08:00"],
      ["summary_post", "2026-10-09 16:00"],
    ]);
    const cal7: CalendarConfig = { ...cal, deadline: { daysAfterQuarterEnd: 5, time: "07:00" }, reminders: ["1h"] };
    const late = scheduledEvents(computePeriodDates(Q3, cal7, HCM), cal7, HCM);
    expect(late.map((e) => e.kind)).toEqual(["open", "deadline", "summary_post"]);
  });
});

describe("properties of default-like calendars", () => {
  it("opens < deadline < summaryPost <= briefing", () => {
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2090 }),
        fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        hhmm,
        hhmm,
        fc.constantFrom(HCM, BER, "America/New_York"),
        (year, quarter, before, deadlineDays, extra, postBefore, t1, t2, tz) => {
          const cal: CalendarConfig = {
            opens: { daysBeforeQuarterEnd: before, time: t1 },
            deadline: { daysAfterQuarterEnd: deadlineDays, time: t2 },
            briefing: { daysAfterQuarterEnd: deadlineDays + extra + postBefore, time: "08:00" },
            summaryPost: { daysBeforeBriefing: postBefore, time: "16:00" },
            reminders: [],
          };
          const d: PeriodDates = computePeriodDates({ year, quarter }, cal, tz);
          expect(d.opensAt.getTime()).toBeLessThan(d.deadline.getTime());
          expect(d.deadline.getTime()).toBeLessThan(d.summaryPostAt.getTime());
          expect(d.summaryPostAt.getTime()).toBeLessThanOrEqual(d.briefingAt.getTime());
        },
      ),
    );
  });
});
