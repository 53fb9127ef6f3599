// People over a year, the pure part: the role words people type after /moi, and which
// chair term covers an instant (documents name the chair board of their period).
import { quarterEndLocal } from "./period.ts";
import type { PeriodRef, Role } from "./types.ts";
import { zonedLocalToInstant } from "./zoned-time.ts";

/** Roles that belong to a board (a board code comes with them). */
export const BOARD_ROLES: readonly Role[] = ["secretary", "leader"];
/** Roles a cluster has one holder of at a time: a new holder takes over from the previous one. */
export const SINGLE_HOLDER_ROLES: readonly Role[] = ["chair", "deputy"];

export const isBoardRole = (role: Role) => BOARD_ROLES.includes(role);

/** Words accepted for each role: Vietnamese without diacritics first, the English names kept working. */
const ROLE_WORDS: Record<string, Role> = {
  cumtruong: "chair",
  chair: "chair",
  cumpho: "deputy",
  deputy: "deputy",
  thuky: "secretary",
  secretary: "secretary",
  lanhdao: "leader",
  leader: "leader",
};

export interface InviteTarget {
  role: Role;
  /** the board (secretary, leader: required; chair, deputy: optional, the chair board they come from) */
  boardCode: string | null;
}

export type InviteArgsError = { code: "empty" } | { code: "bad_role"; word: string } | { code: "too_many" };

/**
 * What follows /moi: `cumtruong`, `cumpho` (optionally with the board they come from),
 * `<board code>` (a secretary), `<board code> thuky|lanhdao`. Case does not matter; the
 * board code is returned as typed (the caller matches it against the cluster's boards).
 *
 * parseInviteArgs("HN lanhdao") → { ok: true, value: { role: "leader", boardCode: "HN" } }
 * parseInviteArgs("cumtruong HCM") → { ok: true, value: { role: "chair", boardCode: "HCM" } }
 */
export function parseInviteArgs(
  text: string,
): { ok: true; value: InviteTarget } | { ok: false; error: InviteArgsError } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, error: { code: "empty" } };
  if (words.length > 2) return { ok: false, error: { code: "too_many" } };
  const [first, second] = words as [string, string | undefined];
  const firstRole = ROLE_WORDS[first.toLowerCase()];
  if (firstRole && !isBoardRole(firstRole)) {
    return { ok: true, value: { role: firstRole, boardCode: second ?? null } };
  }
  if (firstRole) {
    // "thuky HN" reads as well as "HN thuky"
    if (!second) return { ok: false, error: { code: "empty" } };
    return { ok: true, value: { role: firstRole, boardCode: second } };
  }
  if (second === undefined) return { ok: true, value: { role: "secretary", boardCode: first } };
  const secondRole = ROLE_WORDS[second.toLowerCase()];
  if (!secondRole || !isBoardRole(secondRole)) return { ok: false, error: { code: "bad_role", word: second } };
  return { ok: true, value: { role: secondRole, boardCode: first } };
}

export interface Term {
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * The term in force at `at` (started at or before it, not ended by then). When none
 * covers it (the history starts later, or nobody held the role then), the earliest term
 * that started after `at`, else the latest that ended before it: a document of an old
 * quarter still names a chair rather than nobody.
 */
export function termAt<T extends Term>(terms: readonly T[], at: Date): T | null {
  const t = at.getTime();
  const sorted = [...terms].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  let covering: T | null = null;
  for (const term of sorted) {
    if (term.startedAt.getTime() <= t && (term.endedAt === null || term.endedAt.getTime() > t)) covering = term;
  }
  if (covering) return covering;
  const after = sorted.find((term) => term.startedAt.getTime() > t);
  if (after) return after;
  return sorted.at(-1) ?? null;
}

/**
 * The instant whose chair term names the chair of a quarter: the quarter's last minute on
 * the cluster's wall clock (a handover at the year-end meeting, after the quarter ended,
 * leaves quý IV to the outgoing chair).
 */
export function periodChairInstant(ref: PeriodRef, tz: string): Date {
  const end = quarterEndLocal(ref);
  return zonedLocalToInstant(end.year, end.month, end.day, 23, 59, tz);
}
