// Words people type after a command, in Vietnamese first (with or without diacritics),
// the English names of interface.md still accepted: who an invitation is for
// (`/moi cumpho`, `/moi HN thuky`), which date of a period `/lich` moves and to when.
import type { PeriodDateField } from "./types.ts";
import { daysInMonth, zonedLocalToInstant } from "./zoned-time.ts";

/** "Cụm phó" → "cumpho", "hạn_nộp" → "hannop": lower case, no diacritics, no spaces, dashes or underscores. */
export function foldWord(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[\s_-]/g, "");
}

/**
 * Who a `/moi` invitation is for. A chair or deputy may come with the chair board they
 * come from (`/moi cumtruong HCM`: the board heading the cluster next year).
 */
export type InviteTarget =
  | { role: "chair" | "deputy"; board: string | null }
  | { role: "secretary" | "leader"; board: string };

const CLUSTER_ROLE: Record<string, "chair" | "deputy"> = {
  cumtruong: "chair",
  chair: "chair",
  cumpho: "deputy",
  deputy: "deputy",
};

const BOARD_ROLE: Record<string, "secretary" | "leader"> = {
  thuky: "secretary",
  secretary: "secretary",
  lanhdao: "leader",
  leader: "leader",
};

/**
 * The argument of `/moi`: `cumtruong` | `cumpho` (also `cụm phó`, `chair`, `deputy`),
 * optionally followed by a board code, or a board code optionally followed by `thuky`
 * (default) or `lanhdao`. The board code is returned as typed (the caller matches it).
 * @example parseInviteTarget("cụm phó") // { role: "deputy", board: null }
 * @example parseInviteTarget("cumtruong HCM") // { role: "chair", board: "HCM" }
 * @example parseInviteTarget("HN lanhdao") // { role: "leader", board: "HN" }
 */
export function parseInviteTarget(input: string): InviteTarget | null {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  // "cumtruong", "cụm trưởng", then at most a board code
  for (const n of [1, 2]) {
    const role = CLUSTER_ROLE[foldWord(words.slice(0, n).join(""))];
    if (role && words.length <= n + 1) return { role, board: words[n] ?? null };
  }
  const [board, ...rest] = words as [string, ...string[]];
  if (rest.length === 0) return { role: "secretary", board };
  const role = BOARD_ROLE[foldWord(rest.join(""))];
  return role ? { role, board } : null;
}

/** Chat words for a period's dates: `mo`, `hannop`, `giaoban`, `tongket` (and interface.md's English names). */
const DATE_FIELD: Record<string, PeriodDateField> = {
  mo: "opens",
  moky: "opens",
  opens: "opens",
  open: "opens",
  hannop: "deadline",
  han: "deadline",
  deadline: "deadline",
  giaoban: "briefing",
  briefing: "briefing",
  tongket: "post",
  post: "post",
  summarypost: "post",
};

/** parseDateField("Hạn nộp") → "deadline"; null when the word names no date of a period. */
export function parseDateField(input: string): PeriodDateField | null {
  return DATE_FIELD[foldWord(input)] ?? null;
}

/** The words shown to people for each date (the first Vietnamese alias). */
export const DATE_FIELD_WORD: Record<PeriodDateField, string> = {
  opens: "mo",
  deadline: "hannop",
  briefing: "giaoban",
  post: "tongket",
};

/**
 * A local date and time as a chair types it, in zone `tz`: "2026-10-07 17:00", "2026-10-07T17:00",
 * "07/10/2026 17:00", "7/10/2026 17h", "17:00 07/10/2026", "17:00 ngày 07/10/2026". Day first in the
 * slash form (Vietnamese order). Null when the text is not such a date and time, or names no real day.
 * @example parseChatDateTime("07/10/2026 17:00", "Asia/Ho_Chi_Minh") // 2026-10-07T10:00:00.000Z
 */
export function parseChatDateTime(input: string, tz: string): Date | null {
  const s = foldSpaces(input);
  const date = String.raw`(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.](\d{1,2})[/.](\d{4})`;
  const time = String.raw`(\d{1,2})(?::|h)(\d{2})?`;
  const dateFirst = new RegExp(`^(?:${date})(?:t| )${time}$`).exec(s);
  const timeFirst = dateFirst ? null : new RegExp(`^${time} (?:ngay )?(?:${date})$`).exec(s);
  let y: number;
  let mo: number;
  let d: number;
  let h: number;
  let mi: number;
  if (dateFirst) {
    [y, mo, d] = dateFirst[1]
      ? [Number(dateFirst[1]), Number(dateFirst[2]), Number(dateFirst[3])]
      : [Number(dateFirst[6]), Number(dateFirst[5]), Number(dateFirst[4])];
    h = Number(dateFirst[7]);
    mi = Number(dateFirst[8] ?? 0);
  } else if (timeFirst) {
    h = Number(timeFirst[1]);
    mi = Number(timeFirst[2] ?? 0);
    [y, mo, d] = timeFirst[3]
      ? [Number(timeFirst[3]), Number(timeFirst[4]), Number(timeFirst[5])]
      : [Number(timeFirst[8]), Number(timeFirst[7]), Number(timeFirst[6])];
  } else {
    return null;
  }
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59) return null;
  return zonedLocalToInstant(y, mo, d, h, mi, tz);
}

/** Lower case, single spaces, "ngày" folded to "ngay" so the time-first form may name the day. */
function foldSpaces(input: string): string {
  return input.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ").replace(/ngày/g, "ngay");
}
