// The notice to the chair and deputy that a board submitted its report, as a ledger action:
// written with the submission in one transaction (src/db/hot-path.ts), run at once by the
// ledger executor, and taken over by another instance if this one dies before it is sent.
import type { LedgerAction } from "../db/ledger.repository.ts";
import { periodKey } from "../domain/period.ts";
import type { PeriodRef } from "../domain/types.ts";

export const SUBMISSION_NOTICE_KIND = "report_submitted";

/** What the notice says, stored on the ledger row so whoever runs it needs nothing else. */
export interface SubmissionNoticeDetail {
  boardShortName: string;
  late: boolean;
  revision: number;
  /** the secretary who submitted (a chair submitting for a board is not told of it) */
  submitterPersonId: number;
}

/** "#12:2026-Q3:submitted:345:2": one action per submitted revision of a report. */
export function submissionNoticeKey(clusterId: number, ref: PeriodRef, reportId: number, revision: number): string {
  return `#${clusterId}:${periodKey(ref)}:submitted:${reportId}:${revision}`;
}

export function parseSubmissionNotice(detail: string | null): SubmissionNoticeDetail | null {
  try {
    const d = JSON.parse(detail ?? "") as Partial<SubmissionNoticeDetail>;
    return typeof d.boardShortName === "string" &&
      typeof d.late === "boolean" &&
      typeof d.revision === "number" &&
      typeof d.submitterPersonId === "number"
      ? (d as SubmissionNoticeDetail)
      : null;
  } catch {
    return null;
  }
}

/** Runs a submission's notice action (the ledger executor, bound in the composition root). */
export interface SubmissionNotices {
  /** who claims the action in the ledger */
  instanceId: string;
  deliver(action: LedgerAction): Promise<void>;
}
