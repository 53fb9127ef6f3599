// Use cases of a board's quarterly report: open (or resume) it, store one answer,
// submit it, and tell the chair. They return typed outcomes; the bot layer renders them.
// A conversation resolves who the secretary is, their board, cluster, period and
// indicator set once, when it opens (`open`); storing an answer then checks the right
// to write inside its one write transaction (src/db/hot-path.ts) instead of reading
// them all again.

import type { HotPath, StateWrite, StoreOutcome, SubmitInput } from "../db/hot-path.ts";
import type { Repositories } from "../db/index.ts";
import { correctableUntil, dateShifts, isLate, shiftOf } from "../domain/calendar.ts";
import type { Cluster, Indicator, Report } from "../domain/entities.ts";
import { previousPeriod } from "../domain/period.ts";
import type { AnswerValue, IndicatorRule, InputError, PeriodRef } from "../domain/types.ts";
import type { DayOff } from "../domain/workdays.ts";
import type { Logger } from "../logger.ts";
import type { Actor } from "./access.service.ts";
import type { Clock } from "./clock.ts";
import type { PeriodService } from "./period.service.ts";
import {
  APPROVAL_REQUEST_KIND,
  type ApprovalRequestDetail,
  approvalRequestKey,
  type LedgerNotices,
  SUBMISSION_NOTICE_KIND,
  type SubmissionNoticeDetail,
  submissionNoticeKey,
} from "./submission-notice.ts";

export interface IndicatorDto {
  id: number;
  code: string;
  label: string;
  unit: string;
  kind: Indicator["kind"];
  min?: number | undefined;
  max?: number | undefined;
  required: boolean;
  weight: number;
  better: Indicator["better"];
  target?: number | undefined;
  help?: string | undefined;
}

export interface ReportSession {
  personId: number;
  reportId: number;
  periodId: number;
  ref: PeriodRef;
  clusterId: number;
  boardId: number;
  boardName: string;
  boardShortName: string;
  tz: string;
  /** epoch ms */
  deadline: number;
  status: Report["status"];
  revision: number;
  submittedAt: number | null;
  /** the period's indicator set (immutable: a changed list is a new set) */
  setId: number;
  indicators: IndicatorDto[];
  /** indicator id → stored answer */
  values: Record<string, AnswerValue>;
  /** indicator id → last period's value of this board (matched by indicator code) */
  previous: Record<string, AnswerValue>;
  /** the cluster requires a board leader's approval (ký duyệt) of a submitted report */
  approval?: boolean;
  /** the rules between indicators the period keeps (absent in conversations stored before rules) */
  rules?: IndicatorRule[] | undefined;
  /** what only the opening screen shows; not kept with the stored conversation */
  header?: ReportHeaderFacts | undefined;
}

/** Facts of the opening screen beyond the session's own: a moved deadline, an unlock. */
export interface ReportHeaderFacts {
  /** working days moved the deadline here: where the calendar had put it (epoch ms) and why that day is off */
  deadlineMovedFrom?: { at: number; reason: DayOff } | undefined;
  /** a submitted report the chair unlocked after the deadline: correctable until then (epoch ms) */
  unlockedUntil?: number | undefined;
}

export type OpenRefusal =
  | { code: "not_secretary" }
  | { code: "no_open_period"; next: PeriodRef | null; opensAt: number | null; tz: string }
  | { code: "locked"; ref: PeriodRef; deadline: number; tz: string }
  /** the board joined the cluster after this period opened: it takes no part in it */
  | { code: "not_taking_part"; ref: PeriodRef };

export type AnswerFailure = InputError | { code: "cannot_skip" } | { code: "locked" } | { code: "not_allowed" };

export type SubmitOutcome =
  | {
      ok: true;
      revision: number;
      late: boolean;
      submittedAt: number;
      /** until when a correction is still possible (the deadline, or a chair's unlock); null: no longer */
      correctableUntil: number | null;
      session: ReportSession;
      /** the cluster requires approval: the board's leaders were asked */
      pendingApproval?: boolean;
    }
  | { ok: false; code: "missing_required"; missing: number }
  | { ok: false; code: "stale"; session: ReportSession }
  | { ok: false; code: "locked" }
  | { ok: false; code: "not_allowed" }
  /** the conversation moved meanwhile (another instance): nothing was submitted */
  | { ok: false; code: "conflict" }
  /** the update was handled before (a redelivery): nothing was submitted again */
  | { ok: false; code: "duplicate" };

function dto(i: Indicator): IndicatorDto {
  return {
    id: i.id,
    code: i.code,
    label: i.label,
    unit: i.unit,
    kind: i.kind,
    min: i.min,
    max: i.max,
    required: i.required,
    weight: i.weight,
    better: i.better,
    target: i.target,
    help: i.help,
  };
}

/** Required indicators without an answer. */
export function missingRequired(session: Pick<ReportSession, "indicators" | "values">): IndicatorDto[] {
  return session.indicators.filter((i) => {
    const v = session.values[String(i.id)];
    return i.required && (!v || v.kind === "skipped");
  });
}

export function createReportService(deps: {
  repos: Repositories;
  hot: HotPath;
  periods: PeriodService;
  clock: Clock;
  /** runs the chair's notice of a submission, a ledger action written with the submission */
  notices: LedgerNotices;
  logger: Logger;
}) {
  const { repos, hot, periods, clock, notices, logger } = deps;

  /** Corrections of a submitted report are allowed before the deadline or while unlocked. */
  function isLocked(report: Report, deadline: Date, now: Date): boolean {
    return report.status === "submitted" && correctableUntil(deadline, report.unlockedUntil, now) === null;
  }

  async function previousValues(cluster: Cluster, boardId: number, ref: PeriodRef, indicators: Indicator[]) {
    const before = previousPeriod(ref);
    const prev = await hot.periodHead(cluster.id, before.year, before.quarter);
    if (!prev) return {};
    const report = await hot.report(prev.id, boardId);
    if (report?.status !== "submitted") return {};
    const prevSet = await repos.clusters.indicatorSet(prev.indicatorSetId);
    const codeById = new Map(prevSet?.indicators.map((i) => [i.id, i.code]));
    const byCode = new Map(report.values.map((v) => [codeById.get(v.indicatorId), v.value]));
    const out: Record<string, AnswerValue> = {};
    for (const i of indicators) {
      const v = byCode.get(i.code);
      if (v && v.kind !== "skipped") out[String(i.id)] = v;
    }
    return out;
  }

  const valuesOf = (report: Report): Record<string, AnswerValue> =>
    Object.fromEntries(report.values.map((v) => [String(v.indicatorId), v.value]));

  /** The request to the board's leaders (lãnh đạo ban) to approve the submitted report, showing it. */
  function approvalRequest(session: ReportSession, revision: number): ApprovalRequestDetail {
    return {
      boardId: session.boardId,
      request: {
        reportId: session.reportId,
        revision,
        boardName: session.boardName,
        ref: session.ref,
        lines: session.indicators.map((i) => ({
          label: i.label,
          unit: i.unit,
          kind: i.kind,
          value: session.values[String(i.id)] ?? null,
        })),
      },
    };
  }

  return {
    /**
     * Opens or resumes the report of the current period for a secretary (of `boardId`,
     * for a secretary of several boards). Everything the
     * conversation needs afterwards (board, cluster, period, indicators, last quarter's
     * values) is in the session.
     */
    async open(
      actor: Actor | null,
      /** the board chosen by a secretary of several (default: their first) */
      boardId?: number,
    ): Promise<{ ok: true; session: ReportSession } | { ok: false; refusal: OpenRefusal }> {
      const scope = actor?.active;
      const board = boardId === undefined ? scope?.board : (scope?.boards ?? []).find((b) => b.id === boardId);
      if (!actor || !scope || !board || !scope.roles.includes("secretary")) {
        return { ok: false, refusal: { code: "not_secretary" } };
      }
      const { cluster } = scope;
      const now = clock.now();
      const current = await periods.current(cluster, now);
      // Late reports are taken until the briefing; after it the period is over for a
      // board that never started (a submitted one still gets the "locked" answer).
      const over =
        current.status === "closed" &&
        now.getTime() >= current.dates.briefingAt.getTime() &&
        (!current.period || (await hot.report(current.period.id, board.id))?.status !== "submitted");
      if (current.status === "not_open" || over) {
        const next = await periods.upcoming(cluster, now);
        return {
          ok: false,
          refusal: {
            code: "no_open_period",
            next: next.ref,
            opensAt: next.dates.opensAt.getTime(),
            tz: cluster.timezone,
          },
        };
      }
      // the period `current` read is the stored one; ensure only creates a missing one
      const period = current.period ?? (await periods.ensure(cluster, current.ref));
      const members = period.scoring?.members;
      if (members && !members.includes(board.code)) {
        return { ok: false, refusal: { code: "not_taking_part", ref: current.ref } };
      }
      const report = await hot.reportOrCreate(period.id, board.id, now);
      if (isLocked(report, period.deadline, now)) {
        return {
          ok: false,
          refusal: { code: "locked", ref: current.ref, deadline: period.deadline.getTime(), tz: cluster.timezone },
        };
      }
      const set = (await repos.clusters.indicatorSet(period.indicatorSetId))!;
      const shifts = dateShifts(current.ref, cluster.calendar, cluster.timezone, cluster.overrides);
      const moved = shiftOf(shifts, "deadline", period.deadline);
      // a submitted report open past the deadline is open by an unlock, until its end
      const unlocked = report.status === "submitted" && now.getTime() >= period.deadline.getTime();
      return {
        ok: true,
        session: {
          personId: actor.person.id,
          reportId: report.id,
          periodId: period.id,
          ref: { year: period.year, quarter: period.quarter },
          clusterId: cluster.id,
          boardId: board.id,
          boardName: board.name,
          boardShortName: board.shortName,
          tz: cluster.timezone,
          deadline: period.deadline.getTime(),
          status: report.status,
          revision: report.revision,
          submittedAt: report.submittedAt?.getTime() ?? null,
          setId: set.id,
          indicators: set.indicators.map(dto),
          values: valuesOf(report),
          previous: await previousValues(cluster, board.id, period, set.indicators),
          rules: period.scoring?.rules ?? [],
          ...(cluster.approvalRequired ? { approval: true } : {}),
          header: {
            deadlineMovedFrom: moved ? { at: moved.from.getTime(), reason: moved.reason } : undefined,
            // not locked past the deadline: unlocked by the chair until then
            unlockedUntil: unlocked ? report.unlockedUntil?.getTime() : undefined,
          },
        },
      };
    },

    /** Whether the session's person is still a secretary of its board (a removal ends the conversation at once). */
    async stillSecretary(session: ReportSession): Promise<boolean> {
      return hot.isSecretary(session.personId, session.boardId);
    },

    /** The indicators of a set (cached: sets never change), for a conversation read back from storage. */
    async indicators(setId: number): Promise<IndicatorDto[] | null> {
      const set = await repos.clusters.indicatorSet(setId);
      return set ? set.indicators.map(dto) : null;
    },

    /**
     * Stores one answer (a validated value, or a skip) with its audit row and the
     * conversation's next state, in one transaction. The right to write is checked in it:
     * still a secretary of the board, the report not locked. `conflict`: the conversation
     * state changed meanwhile (another instance), nothing was stored.
     */
    async answer(
      session: ReportSession,
      indicatorId: number,
      value: AnswerValue,
      state: StateWrite,
    ): Promise<StoreOutcome> {
      return hot.storeAnswer({
        reportId: session.reportId,
        boardId: session.boardId,
        clusterId: session.clusterId,
        indicatorId,
        value,
        personId: session.personId,
        at: clock.now(),
        state,
      });
    },

    /**
     * Submits (or re-submits a correction) and tells the chair and deputy. The rights, the
     * lock, the revision and the required answers are checked in the one transaction that
     * submits, writes the audit row and ends the conversation (`state`).
     */
    async submit(
      session: ReportSession,
      expectedRevision: number,
      state: SubmitInput["state"],
    ): Promise<SubmitOutcome> {
      const [period, now] = [await hot.periodHeadById(session.periodId), clock.now()];
      if (!period) return { ok: false, code: "not_allowed" };
      const revision = expectedRevision + 1;
      const res = await hot.submit({
        reportId: session.reportId,
        boardId: session.boardId,
        clusterId: session.clusterId,
        personId: session.personId,
        expectedRevision,
        at: now,
        late: isLate(now, period.deadline),
        required: session.indicators.filter((i) => i.required).map((i) => i.id),
        state,
        pendingApproval: session.approval === true,
        notices: [
          {
            key: submissionNoticeKey(session.clusterId, session.ref, session.reportId, revision),
            kind: SUBMISSION_NOTICE_KIND,
            periodId: session.periodId,
            claimedBy: notices.instanceId,
            detail: (report: Report) =>
              JSON.stringify({
                boardShortName: session.boardShortName,
                late: report.late,
                revision: report.revision,
                submitterPersonId: session.personId,
              } satisfies SubmissionNoticeDetail),
          },
          ...(session.approval
            ? [
                {
                  key: approvalRequestKey(session.clusterId, session.ref, session.reportId, revision),
                  kind: APPROVAL_REQUEST_KIND,
                  periodId: session.periodId,
                  claimedBy: notices.instanceId,
                  detail: () => JSON.stringify(approvalRequest(session, revision)),
                },
              ]
            : []),
        ],
      });
      const fresh = (report: Report): ReportSession => ({
        ...session,
        deadline: period.deadline.getTime(),
        status: report.status,
        revision: report.revision,
        submittedAt: report.submittedAt?.getTime() ?? null,
        values: valuesOf(report),
      });
      if (!res.ok) {
        if (res.code === "missing_required") return { ok: false, code: "missing_required", missing: res.missing };
        if (res.code === "stale" && res.report) return { ok: false, code: "stale", session: fresh(res.report) };
        if (res.code === "locked") return { ok: false, code: "locked" };
        if (res.code === "conflict") return { ok: false, code: "conflict" };
        if (res.code === "duplicate") return { ok: false, code: "duplicate" };
        return { ok: false, code: "not_allowed" };
      }
      const submitted = fresh(res.report);
      try {
        // the ledger executor logs and records its own failures; the row it leaves unfinished is taken over
        for (const action of res.notices) await notices.deliver(action);
      } catch (err) {
        // the submission stands; a failed notice must not undo or hide it, but it is logged
        logger.error({ err, reportId: session.reportId }, "notice after a submission failed");
      }
      return {
        ok: true,
        revision: res.report.revision,
        late: res.report.late,
        submittedAt: now.getTime(),
        correctableUntil: correctableUntil(period.deadline, res.report.unlockedUntil, now)?.getTime() ?? null,
        session: submitted,
        ...(session.approval ? { pendingApproval: true } : {}),
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
