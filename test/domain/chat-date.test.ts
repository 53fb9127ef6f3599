import { describe, expect, it } from "vitest";
import { parseChatDateTime, parseDateField } from "../../src/domain/chat-words.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const local = (y: number, mo: number, d: number, h: number, mi: number, tz = HCM) =>
  zonedLocalToInstant(y, mo, d, h, mi, tz);

describe("parseChatDateTime", () => {
  it("reads dates the way chairs type them, in the cluster's zone", () => {
    const expected = local(2026, 10, 7, 17, 0);
    for (const s of [
      "2026-10-07 17:00",
      "2026-10-07T17:00",
      "07/10/2026 17:00",
      "7/10/2026 17h",
      "17:00 07/10/2026",
      "17h 7.10.2026",
      "  07/10/2026   17:00 ",
    ]) {
      expect(parseChatDateTime(s, HCM), s).toEqual(expected);
    }
    expect(parseChatDateTime("7.10.2026 17h30", HCM)).toEqual(local(2026, 10, 7, 17, 30));
  });

  it("reads the bot's own wording back: '17:00 ngày 05/10/2026', with or without diacritics", () => {
    const expected = local(2026, 10, 5, 17, 0);
    expect(parseChatDateTime("17:00 ngày 05/10/2026", HCM)).toEqual(expected);
    expect(parseChatDateTime("17:00 NGÀY 05/10/2026", HCM)).toEqual(expected);
    expect(parseChatDateTime("17:00 ngay 05/10/2026", HCM)).toEqual(expected);
    expect(parseChatDateTime("17:00 nga\u0300y 05/10/2026", HCM)).toEqual(expected); // decomposed
  });

  it("takes the day first in the slash form and the zone from the cluster", () => {
    expect(parseChatDateTime("03/04/2026 08:00", HCM)).toEqual(local(2026, 4, 3, 8, 0));
    expect(parseChatDateTime("2026-10-07 17:00", "UTC")).toEqual(new Date("2026-10-07T17:00:00Z"));
    expect(parseChatDateTime("2026-10-07 17:00", HCM)).toEqual(new Date("2026-10-07T10:00:00Z"));
  });

  it("refuses what is not one real local date and time", () => {
    for (const s of [
      "31/02/2026 17:00",
      "29/02/2027 08:00",
      "2026-13-01 08:00",
      "07/10/2026",
      "17:00",
      "07/10/2026 25:00",
      "07/10/2026 17:60",
      "07/10/1989 08:00",
      "07/10/2101 08:00",
      "mai 17:00",
      "2026/10/07 17:00",
      "",
    ]) {
      expect(parseChatDateTime(s, HCM), s).toBeNull();
    }
    expect(parseChatDateTime("29/02/2028 08:00", HCM)).toEqual(local(2028, 2, 29, 8, 0));
  });
});

describe("parseDateField", () => {
  it("knows the field names and the Vietnamese words", () => {
    expect(
      ["opens", "Deadline", "briefing", "post", "hạn", "Hạn nộp", "giao ban", "tổng kết", "mở"].map(parseDateField),
    ).toEqual(["opens", "deadline", "briefing", "post", "deadline", "deadline", "briefing", "post", "opens"]);
    expect(parseDateField("later")).toBeNull();
    expect(parseDateField("")).toBeNull();
  });
});
