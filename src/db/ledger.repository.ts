// The ledger of scheduled actions: the basis of exactly-once sending. An action is
// claimed by inserting its unique key; whoever loses the insert does nothing.
// Each message of a fan-out is recorded too, so a resumed action skips recipients
// already served.
import type { Db } from "./client.ts";
import type { HotPath } from "./hot-path.ts";

export type ActionStatus = "claimed" | "done" | "skipped" | "failed";
export type DeliveryStatus = "pending" | "sent" | "blocked" | "failed";

export interface ActionClaim {
  key: string;
  clusterId: number;
  periodId: number | null;
  kind: string;
  dueAt: Date;
  claimedBy: string;
  /** claim straight into a final state (e.g. "skipped" for stale actions) */
  status?: ActionStatus;
  detail?: string;
}

export interface LedgerAction {
  id: number;
  key: string;
  clusterId: number;
  periodId: number | null;
  kind: string;
  dueAt: Date;
  status: ActionStatus;
  detail: string | null;
  claimedBy: string | null;
  claimedAt: Date;
  finishedAt: Date | null;
}

/** Prisma's unique-constraint violation (P2002): the key was inserted by someone else. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/** With `hot`, the per-message delivery rows of a fan-out go through its prepared statements. */
export function createLedgerRepository(db: Db, hot?: Pick<HotPath, "reserveDelivery" | "recordDelivery">) {
  return {
    /** Inserts the action; returns it if this caller won the claim, null if the key exists. */
    async claim(c: ActionClaim, at: Date): Promise<LedgerAction | null> {
      try {
        const r = await db.scheduledAction.create({
          data: {
            key: c.key,
            clusterId: c.clusterId,
            periodId: c.periodId,
            kind: c.kind,
            dueAt: c.dueAt,
            status: c.status ?? "claimed",
            detail: c.detail ?? null,
            claimedBy: c.claimedBy,
            claimedAt: at,
            finishedAt: c.status && c.status !== "claimed" ? at : null,
          },
        });
        return r as LedgerAction;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    /**
     * Takes over an action whose claimer died: its claim (claimed_at, renewed by a live claimer)
     * is older than `staleBefore`. The conditional update means only one taker wins.
     */
    async reclaimStale(key: string, staleBefore: Date, claimedBy: string, at: Date): Promise<LedgerAction | null> {
      const res = await db.scheduledAction.updateMany({
        where: { key, status: "claimed", claimedAt: { lt: staleBefore } },
        data: { claimedBy, claimedAt: at },
      });
      if (res.count !== 1) return null;
      return (await db.scheduledAction.findUnique({ where: { key } })) as LedgerAction | null;
    },

    /**
     * Renews the claim of `claimedBy` on an unfinished action (its lease, see services/lease.ts):
     * false when the action is no longer this claimer's (taken over, or finished).
     */
    async renew(id: number, claimedBy: string, at: Date): Promise<boolean> {
      const res = await db.scheduledAction.updateMany({
        where: { id, status: "claimed", claimedBy },
        data: { claimedAt: at },
      });
      return res.count === 1;
    },

    /**
     * Finishes an action this claimer holds; false (nothing written) when another instance took it
     * over meanwhile: the row is then the taker's to finish.
     */
    async finish(
      id: number,
      claimedBy: string,
      status: Exclude<ActionStatus, "claimed">,
      detail: string | null,
      at: Date,
    ): Promise<boolean> {
      const res = await db.scheduledAction.updateMany({
        where: { id, status: "claimed", claimedBy },
        data: { status, detail, finishedAt: at },
      });
      return res.count === 1;
    },

    async keys(clusterId: number, keys: string[]): Promise<Map<string, LedgerAction>> {
      if (keys.length === 0) return new Map();
      const rows = await db.scheduledAction.findMany({ where: { clusterId, key: { in: keys } } });
      return new Map(rows.map((r) => [r.key, r as LedgerAction]));
    },

    async list(clusterId?: number): Promise<LedgerAction[]> {
      const rows = await db.scheduledAction.findMany({
        where: clusterId === undefined ? {} : { clusterId },
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      });
      return rows as LedgerAction[];
    },

    /** Failed actions of `kind` finished before `before` (candidates for a retry). */
    async failedBefore(kind: string, before: Date): Promise<LedgerAction[]> {
      return (await db.scheduledAction.findMany({
        where: { kind, status: "failed", finishedAt: { lt: before } },
      })) as LedgerAction[];
    },

    /** Claims a failed action again for a retry; the conditional update means only one retrier wins. */
    async retryFailed(key: string, before: Date, claimedBy: string, at: Date): Promise<LedgerAction | null> {
      const res = await db.scheduledAction.updateMany({
        where: { key, status: "failed", finishedAt: { lt: before } },
        data: { status: "claimed", claimedBy, claimedAt: at, finishedAt: null },
      });
      if (res.count !== 1) return null;
      return (await db.scheduledAction.findUnique({ where: { key } })) as LedgerAction | null;
    },

    /** Unfinished claims (a crash mid-fan-out leaves these). */
    async unfinished(): Promise<LedgerAction[]> {
      return (await db.scheduledAction.findMany({ where: { status: "claimed" } })) as LedgerAction[];
    },

    /**
     * Reserves one recipient of an action. Returns false when that recipient was
     * already served (sent or blocked) by an earlier run of the same action.
     */
    async reserveDelivery(actionId: number, chatId: bigint): Promise<boolean> {
      if (hot) return hot.reserveDelivery(actionId, chatId, new Date());
      const r = await db.messageDelivery.upsert({
        where: { actionId_chatId: { actionId, chatId } },
        create: { actionId, chatId, status: "pending" },
        update: {},
      });
      return r.status === "pending" || r.status === "failed";
    },

    async recordDelivery(actionId: number, chatId: bigint, status: DeliveryStatus, error: string | null, at: Date) {
      if (hot) return hot.recordDelivery(actionId, chatId, status, error, at);
      await db.messageDelivery.update({
        where: { actionId_chatId: { actionId, chatId } },
        data: { status, error, sentAt: status === "sent" ? at : null },
      });
    },

    async deliveries(actionId: number) {
      return db.messageDelivery.findMany({ where: { actionId }, orderBy: { id: "asc" } });
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
