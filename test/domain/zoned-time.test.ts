import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysInMonth,
  formatLocalDateTime,
  instantToZonedParts,
  isValidTimeZone,
  parseLocalDateTime,
  parseLocalTime,
  zonedLocalToInstant,
  zoneOffsetMs,
} from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const BER = "Europe/Berlin";

describe("zonedLocalToInstant", () => {
  it.each([
    [2026, 9, 20, 8, 0, HCM, "2026-09-20T01:00:00.000Z"],
    [2026, 1, 1, 0, 0, HCM, "2025-12-31T17:00:00.000Z"],
    [2026, 1, 15, 12, 0, BER, "2026-01-15T11:00:00.000Z"],
    [2026, 7, 15, 12, 0, BER, "2026-07-15T10:00:00.000Z"],
    // spring forward: 02:30 does not exist on 29 March 2026 in Berlin → 03:30 CEST
    [2026, 3, 29, 2, 30, BER, "2026-03-29T01:30:00.000Z"],
    [2026, 3, 29, 3, 0, BER, "2026-03-29T01:00:00.000Z"],
    // fall back: 02:30 happens twice on 25 October 2026 → the earlier one (CEST)
    [2026, 10, 25, 2, 30, BER, "2026-10-25T00:30:00.000Z"],
    [2026, 10, 25, 3, 0, BER, "2026-10-25T02:00:00.000Z"],
    [2026, 3, 8, 2, 30, "America/New_York", "2026-03-08T07:30:00.000Z"],
    [2026, 9, 31, 8, 0, HCM, "2026-10-01T01:00:00.000Z"],
    [2026, 6, 1, 0, 0, "UTC", "2026-06-01T00:00:00.000Z"],
    [2026, 6, 1, 0, 0, "Asia/Kolkata", "2026-05-31T18:30:00.000Z"],
  ])("%d-%d-%d %d:%d %s", (y, m, d, hh, mm, tz, iso) => {
    expect(zonedLocalToInstant(y, m, d, hh, mm, tz).toISOString()).toBe(iso);
  });

  it("picks the later occurrence when asked", () => {
    expect(zonedLocalToInstant(2026, 10, 25, 2, 30, BER, "later").toISOString()).toBe("2026-10-25T01:30:00.000Z");
    expect(zonedLocalToInstant(2026, 10, 25, 2, 30, BER, "earlier").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("instantToZonedParts", () => {
  it("reads wall-clock parts", () => {
    expect(instantToZonedParts(new Date("2026-09-30T17:30:15Z"), HCM)).toEqual({
      year: 2026,
      month: 10,
      day: 1,
      hour: 0,
      minute: 30,
      second: 15,
      weekday: 4,
    });
    expect(instantToZonedParts(new Date("2026-10-25T00:30:00Z"), BER).hour).toBe(2);
    expect(instantToZonedParts(new Date("2026-10-25T01:30:00Z"), BER).hour).toBe(2);
  });
  it("offsets", () => {
    expect(zoneOffsetMs(Date.parse("2026-01-01T00:00:00Z"), HCM)).toBe(7 * 3600_000);
    expect(zoneOffsetMs(Date.parse("2026-07-01T00:00:00Z"), BER)).toBe(2 * 3600_000);
  });
});

describe("local date and time helpers", () => {
  it("addDays crosses months and years", () => {
    expect(addDays({ year: 2026, month: 9, day: 30 }, 5)).toEqual({ year: 2026, month: 10, day: 5 });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 10)).toEqual({ year: 2027, month: 1, day: 10 });
    expect(addDays({ year: 2024, month: 3, day: 1 }, -1)).toEqual({ year: 2024, month: 2, day: 29 });
  });
  it("daysInMonth", () => {
    expect([daysInMonth(2026, 2), daysInMonth(2024, 2), daysInMonth(2026, 9), daysInMonth(2026, 12)]).toEqual([
      28, 29, 30, 31,
    ]);
  });
  it.each([
    ["08:00", { hour: 8, minute: 0 }],
    ["8:05", { hour: 8, minute: 5 }],
    [" 23:59 ", { hour: 23, minute: 59 }],
    ["24:00", null],
    ["12:60", null],
    ["0800", null],
    ["", null],
  ])("parseLocalTime(%j)", (s, expected) => {
    expect(parseLocalTime(s)).toEqual(expected);
  });
  it.each([
    ["2026-12-21T08:00", { year: 2026, month: 12, day: 21, hour: 8, minute: 0 }],
    ["2027-01-05 17:00", { year: 2027, month: 1, day: 5, hour: 17, minute: 0 }],
    ["2027-01-05T17:00:00", { year: 2027, month: 1, day: 5, hour: 17, minute: 0 }],
    ["2026-02-29T08:00", null],
    ["2026-13-01T08:00", null],
    ["2026-12-21T25:00", null],
    ["2026-12-21", null],
    ["2026-12-21T08:00Z", null],
  ])("parseLocalDateTime(%j)", (s, expected) => {
    expect(parseLocalDateTime(s)).toEqual(expected);
  });
  it("formatLocalDateTime", () => {
    expect(formatLocalDateTime({ year: 2026, month: 1, day: 5, hour: 7, minute: 3 })).toBe("2026-01-05T07:03");
  });
  it("isValidTimeZone", () => {
    expect(isValidTimeZone(HCM)).toBe(true);
    expect(isValidTimeZone(BER)).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("properties", () => {
  const zones = fc.constantFrom(HCM, BER, "America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kathmandu");
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }).map((n) => n - (n % 60_000));

  it("local → instant → local is the identity for existing wall-clock times", () => {
    fc.assert(
      fc.property(instant, zones, (ms, tz) => {
        const p = instantToZonedParts(new Date(ms), tz);
        const back = zonedLocalToInstant(p.year, p.month, p.day, p.hour, p.minute, tz);
        const q = instantToZonedParts(back, tz);
        expect([q.year, q.month, q.day, q.hour, q.minute]).toEqual([p.year, p.month, p.day, p.hour, p.minute]);
        const earlier = zonedLocalToInstant(p.year, p.month, p.day, p.hour, p.minute, tz, "earlier").getTime();
        const later = zonedLocalToInstant(p.year, p.month, p.day, p.hour, p.minute, tz, "later").getTime();
        expect(earlier <= ms && ms <= later).toBe(true);
      }),
    );
  });
});
