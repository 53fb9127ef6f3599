// Reports of boards for a period, and their values. Every value change and every
// submission is written together with its audit entry, in one transaction.
import type { Report, StoredValue } from "../domain/entities.ts";
import type { AnswerValue } from "../domain/types.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation, type LedgerAction } from "./ledger.repository.ts";
import { type Tx, toReport, toValue, writeAudit } from "./mappers.ts";

export interface SaveValueInput {
  reportId: number;
  indicatorId: number;
  value: AnswerValue;
  personId: number | null;
  at: Date;
}

export type SubmitResult =
  | { ok: true; report: Report; first: boolean }
  /** someone else submitted this revision first (two secretaries at once) */
  | { ok: false; reason: "stale"; report: Report };

export interface BoardReportRow {
  boardId: number;
  report: Report | null;
}

/** A notice written (claimed by `claimedBy`) in the transaction of the decision it follows. */
export interface ClaimedNotice {
  key: string;
  kind: string;
  periodId: number;
  claimedBy: string;
  detail: string;
}

async function writeClaimedNotice(tx: Tx, clusterId: number, n: ClaimedNotice, at: Date): Promise<LedgerAction> {
  return (await tx.scheduledAction.create({
    data: {
      key: n.key,
      clusterId,
      periodId: n.periodId,
      kind: n.kind,
      dueAt: at,
      status: "claimed",
      detail: n.detail,
      claimedBy: n.claimedBy,
      claimedAt: at,
    },
  })) as LedgerAction;
}

function valueColumns(v: AnswerValue) {
  return {
    number: v.kind === "number" ? v.value : null,
    text: v.kind === "text" ? v.value : null,
    skipped: v.kind === "skipped",
  };
}

export function createReportRepository(db: Db) {
  const withValues = { values: true } as const;

  async function clusterOfReport(reportId: number): Promise<number> {
    const r = await db.report.findUniqueOrThrow({
      where: { id: reportId },
      select: { period: { select: { clusterId: true } } },
    });
    return r.period.clusterId;
  }

  return {
    /**
     * Race-safe: Prisma runs this upsert as read-then-insert (not ON CONFLICT), so two
     * secretaries of a board opening the report at once make one insert fail on the
     * unique key; the loser reads the winner's row.
     */
    async getOrCreate(periodId: number, boardId: number): Promise<Report> {
      const where = { periodId_boardId: { periodId, boardId } };
      try {
        return toReport(
          await db.report.upsert({ where, create: { periodId, boardId }, update: {}, include: withValues }),
        );
      } catch (err) {
        if ((err as { code?: string } | null)?.code !== "P2002") throw err;
        return toReport(await db.report.findUniqueOrThrow({ where, include: withValues }));
      }
    },

    async find(periodId: number, boardId: number): Promise<Report | null> {
      const r = await db.report.findUnique({ where: { periodId_boardId: { periodId, boardId } }, include: withValues });
      return r ? toReport(r) : null;
    },

    async byId(id: number): Promise<Report | null> {
      const r = await db.report.findUnique({ where: { id }, include: withValues });
      return r ? toReport(r) : null;
    },

    /** Stores one answer at once (insert or replace) with its audit entry. */
    async saveValue(input: SaveValueInput): Promise<StoredValue> {
      const clusterId = await clusterOfReport(input.reportId);
      return db.$transaction(async (tx) => {
        const key = { reportId_indicatorId: { reportId: input.reportId, indicatorId: input.indicatorId } };
        const before = await tx.reportValue.findUnique({ where: key });
        const cols = valueColumns(input.value);
        const row = await tx.reportValue.upsert({
          where: key,
          create: {
            reportId: input.reportId,
            indicatorId: input.indicatorId,
            ...cols,
            answeredByPersonId: input.personId,
            answeredAt: input.at,
          },
          update: { ...cols, answeredByPersonId: input.personId, answeredAt: input.at },
        });
        await tx.report.update({ where: { id: input.reportId }, data: { updatedAt: input.at } });
        await writeAudit(tx, {
          clusterId,
          actorPersonId: input.personId,
          action: "value.set",
          entity: "report_value",
          entityId: `${input.reportId}:${input.indicatorId}`,
          before: before ? toValue(before).value : undefined,
          after: input.value,
          at: input.at,
        });
        return toValue(row);
      });
    },

    /**
     * Submits a report. `expectedRevision` is the revision the submitter saw: if another
     * submission got in first, nothing changes and the caller gets `stale`.
     * The first submission records lateness; later ones count as corrections.
     */
    async submit(
      reportId: number,
      expectedRevision: number,
      personId: number,
      at: Date,
      late: boolean,
      /** the cluster requires a board leader's approval: the report waits for it */
      pendingApproval = false,
    ): Promise<SubmitResult> {
      const clusterId = await clusterOfReport(reportId);
      return db.$transaction(async (tx) => {
        const first = expectedRevision === 0;
        const res = await tx.report.updateMany({
          where: { id: reportId, revision: expectedRevision },
          data: {
            status: "submitted",
            revision: expectedRevision + 1,
            submittedAt: at,
            submittedByPersonId: personId,
            ...(first ? { firstSubmittedAt: at, late } : {}),
            ...(pendingApproval
              ? { approval: "pending", approvalAt: null, approvalByPersonId: null, returnReason: null }
              : {}),
          },
        });
        const report = toReport(await tx.report.findUniqueOrThrow({ where: { id: reportId }, include: withValues }));
        if (res.count !== 1) return { ok: false as const, reason: "stale" as const, report };
        await writeAudit(tx, {
          clusterId,
          actorPersonId: personId,
          action: first ? "report.submit" : "report.resubmit",
          entity: "report",
          entityId: reportId,
          before: { revision: expectedRevision },
          after: { revision: expectedRevision + 1, late: report.late },
          at,
        });
        return { ok: true as const, report, first };
      });
    },

    /**
     * A board leader's decision on a report waiting for approval, once: the conditional
     * update (still pending, still this revision) makes a second press or a decision on
     * an older revision a no-op (null). A returned report is a draft again, with the reason.
     */
    async decideApproval(input: {
      reportId: number;
      revision: number;
      decision: "approved" | "returned";
      reason: string | null;
      personId: number;
      at: Date;
      /**
       * A ledger action written (claimed by `claimedBy`) in the same transaction: the notice to the board's
       * secretaries, so a crash between the commit and the notice leaves a claim another instance takes over.
       */
      notice?: ClaimedNotice;
    }): Promise<{ report: Report; notice?: LedgerAction } | null> {
      const clusterId = await clusterOfReport(input.reportId);
      return db.$transaction(async (tx) => {
        const res = await tx.report.updateMany({
          where: { id: input.reportId, revision: input.revision, approval: "pending" },
          data: {
            approval: input.decision,
            approvalAt: input.at,
            approvalByPersonId: input.personId,
            returnReason: input.reason,
            ...(input.decision === "returned" ? { status: "draft" } : {}),
          },
        });
        if (res.count !== 1) return null;
        await writeAudit(tx, {
          clusterId,
          actorPersonId: input.personId,
          action: input.decision === "approved" ? "report.approve" : "report.return",
          entity: "report",
          entityId: input.reportId,
          before: { revision: input.revision, approval: "pending" },
          after: { approval: input.decision, ...(input.reason ? { reason: input.reason } : {}) },
          at: input.at,
        });
        const report = toReport(
          await tx.report.findUniqueOrThrow({ where: { id: input.reportId }, include: withValues }),
        );
        if (!input.notice) return { report };
        return { report, notice: await writeClaimedNotice(tx, clusterId, input.notice, input.at) };
      });
    },

    /** Reports of these boards waiting for approval, oldest submission first. */
    async pendingApproval(boardIds: number[]): Promise<Report[]> {
      const rows = await db.report.findMany({
        where: { boardId: { in: boardIds }, approval: "pending", status: "submitted" },
        include: withValues,
        orderBy: { submittedAt: "asc" },
      });
      return rows.map(toReport);
    },

    /**
     * A chair lets a report be corrected after the deadline, until `until`, and the notice to the board's
     * secretaries is written (claimed by `notice.claimedBy`) in the same transaction: a crash after the commit
     * leaves a claim another instance takes over. The notice's key names the request, so the same request
     * again (a retried update) changes nothing and gets the action the first one wrote (`replay`).
     */
    async unlock(input: {
      reportId: number;
      until: Date;
      actorPersonId: number;
      at: Date;
      notice: ClaimedNotice;
    }): Promise<{ action: LedgerAction; replay: boolean }> {
      const { reportId, until, at, notice: n } = input;
      const clusterId = await clusterOfReport(reportId);
      try {
        return await db.$transaction(async (tx) => {
          const done = (await tx.scheduledAction.findUnique({ where: { key: n.key } })) as LedgerAction | null;
          if (done) return { action: done, replay: true };
          await tx.report.update({ where: { id: reportId }, data: { unlockedUntil: until } });
          await writeAudit(tx, {
            clusterId,
            actorPersonId: input.actorPersonId,
            action: "report.unlock",
            entity: "report",
            entityId: reportId,
            after: { unlockedUntil: until },
            at,
          });
          return { action: await writeClaimedNotice(tx, clusterId, n, at), replay: false };
        });
      } catch (err) {
        // the same request committed meanwhile (two deliveries of one update at once): its unlock stands
        const action = isUniqueViolation(err)
          ? ((await db.scheduledAction.findUnique({ where: { key: n.key } })) as LedgerAction | null)
          : null;
        if (!action) throw err;
        return { action, replay: true };
      }
    },

    /** All reports of a period (with values), one query. */
    async forPeriod(periodId: number): Promise<Report[]> {
      const rows = await db.report.findMany({ where: { periodId }, include: withValues, orderBy: { boardId: "asc" } });
      return rows.map(toReport);
    },

    /** Reports of several periods at once (summary and history): one query, no query per board. */
    async forPeriods(periodIds: number[]): Promise<Report[]> {
      if (periodIds.length === 0) return [];
      const rows = await db.report.findMany({ where: { periodId: { in: periodIds } }, include: withValues });
      return rows.map(toReport);
    },

    /** A board's reports for the given periods (history). */
    async forBoard(boardId: number, periodIds: number[]): Promise<Report[]> {
      const rows = await db.report.findMany({
        where: { boardId, periodId: { in: periodIds } },
        include: withValues,
      });
      return rows.map(toReport);
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;
