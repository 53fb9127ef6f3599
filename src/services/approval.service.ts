// Ký duyệt: when a cluster requires it (`approval: required`), a board's leader (lãnh đạo
// ban) approves its submitted report before the figures count, or returns it to the
// secretaries with a reason. Decisions are taken once (conditional update), audited, and
// the secretaries are told (a ledger action written with the decision, run by the ledger
// executor: a crash between the two cannot lose it). With approval off no report is ever pending.
import type { Repositories } from "../db/index.ts";
import type { Report } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import type { ApprovalRequestNotice } from "./messenger.ts";
import {
  APPROVAL_NOTICE_KIND,
  type ApprovalNoticeDetail,
  approvalNoticeKey,
  type LedgerNotices,
} from "./submission-notice.ts";

export type DecisionError = { code: "not_found" } | { code: "not_leader" } | { code: "stale" };

export interface DecisionTarget {
  reportId: number;
  revision: number;
  boardName: string;
  ref: PeriodRef;
}

/** A leader's pending "return with a reason", per chat: which report it is about. */
export interface PendingReturn {
  reportId: number;
  revision: number;
}
const pendingReturnKey = (chatId: number) => `approval:${chatId}`;

export function createApprovalService(deps: {
  repos: Repositories;
  clock: Clock;
  /** runs the secretaries' notice of a decision, a ledger action written with the decision */
  notices: LedgerNotices;
  logger: Logger;
}) {
  const { repos, clock, notices, logger } = deps;

  /** The report, if this person leads its board and it still waits for approval at this revision. */
  async function target(
    reportId: number,
    revision: number,
    personId: number,
  ): Promise<
    | { ok: true; report: Report; clusterId: number; boardId: number; value: DecisionTarget }
    | { ok: false; error: DecisionError }
  > {
    const report = await repos.reports.byId(reportId);
    if (!report) return { ok: false, error: { code: "not_found" } };
    const memberships = await repos.people.memberships(personId);
    if (!memberships.some((m) => m.role === "leader" && m.boardId === report.boardId)) {
      return { ok: false, error: { code: "not_leader" } };
    }
    if (report.approval !== "pending" || report.revision !== revision || report.status !== "submitted") {
      return { ok: false, error: { code: "stale" } };
    }
    const [period, board] = await Promise.all([
      repos.periods.byId(report.periodId),
      repos.clusters.boardById(report.boardId),
    ]);
    if (!period || !board) return { ok: false, error: { code: "not_found" } };
    return {
      ok: true,
      report,
      clusterId: period.clusterId,
      boardId: board.id,
      value: { reportId, revision, boardName: board.name, ref: { year: period.year, quarter: period.quarter } },
    };
  }

  return {
    /** The report a leader is typing a return reason for in this chat, if any. */
    async pendingReturn(chatId: number): Promise<PendingReturn | null> {
      const raw = await repos.conversations.read(pendingReturnKey(chatId));
      return raw === undefined ? null : (JSON.parse(raw) as PendingReturn);
    },

    /** The next text in this chat is the reason for returning this report. */
    async awaitReturnReason(chatId: number, pending: PendingReturn): Promise<void> {
      await repos.conversations.write(pendingReturnKey(chatId), JSON.stringify(pending));
    },

    async dropPendingReturn(chatId: number): Promise<void> {
      await repos.conversations.delete(pendingReturnKey(chatId));
    },

    /** Whether the person may decide on this report now (asked before prompting for a reason). */
    async check(reportId: number, revision: number, personId: number) {
      const t = await target(reportId, revision, personId);
      return t.ok ? { ok: true as const, value: t.value } : t;
    },

    /** Approves, or returns with a reason; the board's secretaries are told. */
    async decide(input: {
      reportId: number;
      revision: number;
      personId: number;
      decision: "approved" | "returned";
      reason: string | null;
    }): Promise<{ ok: true; value: DecisionTarget } | { ok: false; error: DecisionError }> {
      const t = await target(input.reportId, input.revision, input.personId);
      if (!t.ok) return t;
      const { reportId, revision, boardName, ref } = t.value;
      const detail: ApprovalNoticeDetail = {
        boardId: t.boardId,
        boardName,
        ref,
        decision: input.decision,
        reason: input.reason,
      };
      const decided = await repos.reports.decideApproval({
        ...input,
        at: clock.now(),
        notice: {
          key: approvalNoticeKey(t.clusterId, ref, reportId, revision),
          kind: APPROVAL_NOTICE_KIND,
          periodId: t.report.periodId,
          claimedBy: notices.instanceId,
          detail: JSON.stringify(detail),
        },
      });
      if (!decided) return { ok: false, error: { code: "stale" } };
      try {
        // the ledger executor logs and records its own failures; the row it leaves unfinished is taken over
        if (decided.notice) await notices.deliver(decided.notice);
      } catch (err) {
        // the decision stands; the secretaries also see it in /baocao
        logger.error({ err, reportId }, "notice after an approval decision failed");
      }
      return { ok: true, value: t.value };
    },

    /** The reports of this leader's boards waiting for approval, as the requests they were sent. */
    async waiting(personId: number): Promise<ApprovalRequestNotice[]> {
      const boardIds = (await repos.people.memberships(personId))
        .filter((m) => m.role === "leader" && m.boardId !== null)
        .map((m) => m.boardId!);
      if (boardIds.length === 0) return [];
      const out: ApprovalRequestNotice[] = [];
      for (const report of await repos.reports.pendingApproval(boardIds)) {
        const period = await repos.periods.byId(report.periodId);
        const board = await repos.clusters.boardById(report.boardId);
        const set = period ? await repos.clusters.indicatorSet(period.indicatorSetId) : null;
        if (!period || !board || !set) continue;
        const values = new Map(report.values.map((v) => [v.indicatorId, v.value]));
        out.push({
          kind: "approval_requested",
          reportId: report.id,
          revision: report.revision,
          boardName: board.name,
          ref: { year: period.year, quarter: period.quarter },
          lines: set.indicators.map((i) => ({
            label: i.label,
            unit: i.unit,
            kind: i.kind,
            value: values.get(i.id) ?? null,
          })),
        });
      }
      return out;
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
