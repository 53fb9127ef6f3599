// Notices that follow a decision a person took (a board submitted; a leader approved or returned
// a report; a chair unlocked one), as ledger actions: written in the decision's own transaction
// (src/db/hot-path.ts, src/db/report.repository.ts), run at once by the ledger executor, and taken over by another
// instance if this one dies before they are sent. The row's detail holds what the notice is about
// as data; the executor turns it into a Notice and the bot layer words it.
import type { LedgerAction } from "../db/ledger.repository.ts";
import { periodKey } from "../domain/period.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { ApprovalRequestNotice } from "./messenger.ts";

export const SUBMISSION_NOTICE_KIND = "report_submitted";
export const APPROVAL_NOTICE_KIND = "approval_decided";
export const APPROVAL_REQUEST_KIND = "approval_requested";
export const UNLOCK_NOTICE_KIND = "report_unlocked";

/** What the notice says, stored on the ledger row so whoever runs it needs nothing else. */
export interface SubmissionNoticeDetail {
  boardShortName: string;
  late: boolean;
  revision: number;
  /** the secretary who submitted (a chair submitting for a board is not told of it) */
  submitterPersonId: number;
}

/** A leader's decision on a report, told to the secretaries of its board. */
export interface ApprovalNoticeDetail {
  boardId: number;
  boardName: string;
  ref: PeriodRef;
  decision: "approved" | "returned";
  reason: string | null;
}

/** The request to a board's leaders to approve a submitted report: the report as submitted, with its board. */
export interface ApprovalRequestDetail {
  boardId: number;
  request: Omit<ApprovalRequestNotice, "kind">;
}

/** A chair's unlock of a submitted report, told to the secretaries of its board. */
export interface UnlockNoticeDetail {
  reportId: number;
  boardId: number;
  ref: PeriodRef;
  /** the end of the unlock (ISO 8601) */
  until: string;
  /** the cluster's time zone, for the wording of `until` */
  tz: string;
  /** who unlocked it (rows written before this field read as the chair) */
  by?: "chair" | "deputy";
}

/** "#12:2026-Q3:submitted:345:2": one action per submitted revision of a report. */
export function submissionNoticeKey(clusterId: number, ref: PeriodRef, reportId: number, revision: number): string {
  return `#${clusterId}:${periodKey(ref)}:submitted:${reportId}:${revision}`;
}

/** "#12:2026-Q3:decided:345:2": one decision per submitted revision (it is taken once, conditionally). */
export function approvalNoticeKey(clusterId: number, ref: PeriodRef, reportId: number, revision: number): string {
  return `#${clusterId}:${periodKey(ref)}:decided:${reportId}:${revision}`;
}

/** "#12:2026-Q3:approval-request:345:2": one request per submitted revision that waits for approval. */
export function approvalRequestKey(clusterId: number, ref: PeriodRef, reportId: number, revision: number): string {
  return `#${clusterId}:${periodKey(ref)}:approval-request:${reportId}:${revision}`;
}

/**
 * "#12:2026-Q3:unlocked:345:u7000-981": one notice per unlock request. `request` names the request that
 * asked for it (the bot's id and the update's), so a retried update finds its own row and unlocks and
 * notifies once, while a second /mokhoa (an extension) is a request of its own and is told again.
 */
export function unlockNoticeKey(clusterId: number, ref: PeriodRef, reportId: number, request: string): string {
  return `#${clusterId}:${periodKey(ref)}:unlocked:${reportId}:${request}`;
}

function parsed<T>(detail: string | null, valid: (d: Partial<T>) => boolean): T | null {
  try {
    const d = JSON.parse(detail ?? "") as Partial<T>;
    return d !== null && typeof d === "object" && valid(d) ? (d as T) : null;
  } catch {
    return null;
  }
}

export function parseSubmissionNotice(detail: string | null): SubmissionNoticeDetail | null {
  return parsed<SubmissionNoticeDetail>(
    detail,
    (d) =>
      typeof d.boardShortName === "string" &&
      typeof d.late === "boolean" &&
      typeof d.revision === "number" &&
      typeof d.submitterPersonId === "number",
  );
}

export function parseApprovalNotice(detail: string | null): ApprovalNoticeDetail | null {
  return parsed<ApprovalNoticeDetail>(
    detail,
    (d) =>
      typeof d.boardId === "number" &&
      typeof d.boardName === "string" &&
      typeof d.ref?.year === "number" &&
      typeof d.ref?.quarter === "number" &&
      (d.decision === "approved" || d.decision === "returned") &&
      (d.reason === null || typeof d.reason === "string"),
  );
}

export function parseApprovalRequest(detail: string | null): ApprovalRequestDetail | null {
  return parsed<ApprovalRequestDetail>(
    detail,
    (d) =>
      typeof d.boardId === "number" &&
      typeof d.request?.reportId === "number" &&
      typeof d.request.revision === "number" &&
      typeof d.request.boardName === "string" &&
      Array.isArray(d.request.lines),
  );
}

export function parseUnlockNotice(detail: string | null): UnlockNoticeDetail | null {
  return parsed<UnlockNoticeDetail>(
    detail,
    (d) =>
      typeof d.reportId === "number" &&
      typeof d.boardId === "number" &&
      typeof d.ref?.year === "number" &&
      typeof d.ref?.quarter === "number" &&
      typeof d.until === "string" &&
      !Number.isNaN(Date.parse(d.until)) &&
      typeof d.tz === "string",
  );
}

/** What running a notice action here did. */
export interface NoticeRun {
  /** recipients told by this run */
  sent: number;
  /** false: this run stopped before the end (another instance took the action over and sends the rest) */
  finished: boolean;
}

/** Runs a notice action written with a decision (the ledger executor, bound in the composition root). */
export interface LedgerNotices {
  /** who claims the action in the ledger */
  instanceId: string;
  /** undefined: nothing is known of the run (the action stays claimed and is taken over after its lease) */
  deliver(action: LedgerAction): Promise<NoticeRun | undefined>;
}
