// People over a year, the pure part: which roles belong to a board or have one holder,
// and which chair term covers an instant (documents name the chair board of their period).
// The role words typed after /moi are read by parseInviteTarget (chat-words.ts).
import { quarterEndLocal } from "./period.ts";
import type { PeriodRef, Role } from "./types.ts";
import { zonedLocalToInstant } from "./zoned-time.ts";

/** Roles that belong to a board (a board code comes with them). */
export const BOARD_ROLES: readonly Role[] = ["secretary", "leader"];
/** Roles a cluster has one holder of at a time: a new holder takes over from the previous one. */
export const SINGLE_HOLDER_ROLES: readonly Role[] = ["chair", "deputy"];

export const isBoardRole = (role: Role) => BOARD_ROLES.includes(role);

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

/** Ký duyệt of a report, when the cluster requires it: none (not asked), pending, approved, returned. */
export type Approval = "none" | "pending" | "approved" | "returned";

/**
 * Whether a report's figures count in summaries and rankings: submitted, and not waiting
 * for its board leader's approval (a returned report is a draft again). With approval off
 * a report is never pending, so nothing changes.
 */
export function countsInSummary(r: { status: string; approval?: Approval | undefined }): boolean {
  return r.status === "submitted" && r.approval !== "pending";
}
