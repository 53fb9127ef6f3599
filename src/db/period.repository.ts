// Reporting periods (quarters) of a cluster and their dates.
import type { Period } from "../domain/entities.ts";
import type { PeriodDates, PeriodRef, PeriodScoring } from "../domain/types.ts";
import type { Db } from "./client.ts";
import { toPeriod, writeAudit } from "./mappers.ts";

export type PeriodField = "opensAt" | "deadline" | "briefingAt" | "summaryPostAt";

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export function createPeriodRepository(db: Db) {
  return {
    /**
     * The period row for a quarter, created with the given dates and the cluster's
     * current indicator set if it does not exist yet. Race-safe: a concurrent creator
     * loses on the unique key and reads the winner's row.
     */
    async ensure(
      clusterId: number,
      ref: PeriodRef,
      dates: PeriodDates,
      indicatorSetId: number,
      scoring: PeriodScoring | null = null,
    ): Promise<Period> {
      const where = { clusterId_year_quarter: { clusterId, year: ref.year, quarter: ref.quarter } };
      const found = await db.period.findUnique({ where });
      if (found) return toPeriod(found);
      try {
        return toPeriod(
          await db.period.create({
            data: {
              clusterId,
              year: ref.year,
              quarter: ref.quarter,
              indicatorSetId,
              ...dates,
              scoring: scoring ? JSON.stringify(scoring) : null,
            },
          }),
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return toPeriod(await db.period.findUniqueOrThrow({ where }));
      }
    },

    async find(clusterId: number, ref: PeriodRef): Promise<Period | null> {
      const r = await db.period.findUnique({
        where: { clusterId_year_quarter: { clusterId, year: ref.year, quarter: ref.quarter } },
      });
      return r ? toPeriod(r) : null;
    },

    async byId(id: number): Promise<Period | null> {
      const r = await db.period.findUnique({ where: { id } });
      return r ? toPeriod(r) : null;
    },

    /** Every stored period of the given years, oldest first. */
    async inYears(clusterId: number, years: number[]): Promise<Period[]> {
      const rows = await db.period.findMany({
        where: { clusterId, year: { in: years } },
        orderBy: [{ year: "asc" }, { quarter: "asc" }],
      });
      return rows.map(toPeriod);
    },

    /** Most recent first. */
    async list(clusterId: number, limit = 100): Promise<Period[]> {
      const rows = await db.period.findMany({
        where: { clusterId },
        orderBy: [{ year: "desc" }, { quarter: "desc" }],
        take: limit,
      });
      return rows.map(toPeriod);
    },

    /** Fields moved by hand (/lich); configuration re-apply leaves them alone. */
    async movedFields(periodId: number): Promise<PeriodField[]> {
      const r = await db.period.findUniqueOrThrow({ where: { id: periodId }, select: { movedFields: true } });
      return JSON.parse(r.movedFields);
    },

    /** Recomputed dates after a configuration change (only for periods not closed). */
    async updateDates(periodId: number, dates: Partial<PeriodDates>, at: Date): Promise<boolean> {
      const before = await db.period.findUniqueOrThrow({ where: { id: periodId } });
      const changed = (Object.keys(dates) as PeriodField[]).filter(
        (k) => dates[k] !== undefined && before[k].getTime() !== dates[k]!.getTime(),
      );
      if (changed.length === 0 || before.closedAt) return false;
      const data = Object.fromEntries(changed.map((k) => [k, dates[k]]));
      await db.$transaction(async (tx) => {
        await tx.period.update({ where: { id: periodId }, data });
        await writeAudit(tx, {
          clusterId: before.clusterId,
          actorPersonId: null,
          action: "period.dates",
          entity: "period",
          entityId: periodId,
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: data,
          at,
        });
      });
      return true;
    },

    /** A new scoring snapshot for a period that has not closed (after `apply` or `plans import`); audited. */
    async updateScoring(periodId: number, scoring: PeriodScoring, at: Date): Promise<boolean> {
      const before = await db.period.findUniqueOrThrow({ where: { id: periodId } });
      const after = JSON.stringify(scoring);
      if (before.closedAt || before.scoring === after) return false;
      await db.$transaction(async (tx) => {
        await tx.period.update({ where: { id: periodId }, data: { scoring: after } });
        await writeAudit(tx, {
          clusterId: before.clusterId,
          actorPersonId: null,
          action: "period.scoring",
          entity: "period",
          entityId: periodId,
          before: before.scoring ? JSON.parse(before.scoring) : null,
          after: scoring,
          at,
        });
      });
      return true;
    },

    /** A chair moves one date of one period from the chat. */
    async moveDate(
      periodId: number,
      field: PeriodField,
      value: Date,
      actorPersonId: number,
      at: Date,
    ): Promise<Period> {
      return db.$transaction(async (tx) => {
        const before = await tx.period.findUniqueOrThrow({ where: { id: periodId } });
        const moved = new Set<string>(JSON.parse(before.movedFields));
        moved.add(field);
        const r = await tx.period.update({
          where: { id: periodId },
          data: { [field]: value, movedFields: JSON.stringify([...moved]) },
        });
        await writeAudit(tx, {
          clusterId: before.clusterId,
          actorPersonId,
          action: "period.move",
          entity: "period",
          entityId: periodId,
          before: { [field]: before[field] },
          after: { [field]: value },
          at,
        });
        return toPeriod(r);
      });
    },

    async close(periodId: number, at: Date): Promise<void> {
      await db.period.updateMany({ where: { id: periodId, closedAt: null }, data: { closedAt: at } });
    },
  };
}

export type PeriodRepository = ReturnType<typeof createPeriodRepository>;
