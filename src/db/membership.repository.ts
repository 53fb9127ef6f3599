// Members over time: who belongs to a cluster (and who did), ending a membership,
// open and cancelled invitations, the notice owed to a removed person, and the
// chair-term history. Rows are never deleted: an ended membership keeps its dates.
import type { ChairTerm, MembershipRecord, OpenInvitation, Person } from "../domain/entities.ts";
import type { Role } from "../domain/types.ts";
import type { Db } from "./client.ts";
import { type DbOrTx, toPerson, writeAudit } from "./mappers.ts";

type MembershipRow = Awaited<ReturnType<Db["membership"]["findFirstOrThrow"]>>;

export function toMembershipRecord(r: MembershipRow): MembershipRecord {
  return {
    id: r.id,
    personId: r.personId,
    clusterId: r.clusterId,
    role: r.role as Role,
    boardId: r.boardId,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    revokedByPersonId: r.revokedByPersonId,
  };
}

function toTerm(r: Awaited<ReturnType<Db["chairTerm"]["findFirstOrThrow"]>>): ChairTerm {
  return {
    id: r.id,
    clusterId: r.clusterId,
    role: r.role as ChairTerm["role"],
    personId: r.personId,
    boardId: r.boardId,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
}

export interface MemberEntry {
  membership: MembershipRecord;
  person: Person;
}

/** A removed membership the person has not been told about yet. */
export interface PendingNotice {
  membership: MembershipRecord;
  clusterName: string;
  timezone: string;
  boardName: string | null;
}

export type CancelInvitationResult =
  | { ok: true; invitation: OpenInvitation }
  | { ok: false; reason: "unknown" | "used" | "expired" | "cancelled" };

/**
 * Ends memberships inside a transaction: the conditional update (still active) makes a
 * second removal of the same membership a no-op; a chair's or deputy's open term ends
 * with it. Returns the memberships this call ended.
 */
export async function endMemberships(
  tx: DbOrTx,
  ids: number[],
  input: { actorPersonId: number | null; at: Date; action: "membership.revoke" | "membership.handover" },
): Promise<MembershipRecord[]> {
  const ended: MembershipRecord[] = [];
  for (const id of ids) {
    const res = await tx.membership.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: input.at, revokedByPersonId: input.actorPersonId },
    });
    if (res.count !== 1) continue;
    const m = toMembershipRecord(await tx.membership.findUniqueOrThrow({ where: { id } }));
    if (m.role === "chair" || m.role === "deputy") {
      await tx.chairTerm.updateMany({ where: { membershipId: id, endedAt: null }, data: { endedAt: input.at } });
    }
    await writeAudit(tx, {
      clusterId: m.clusterId,
      actorPersonId: input.actorPersonId,
      action: input.action,
      entity: "membership",
      entityId: id,
      before: { personId: m.personId, role: m.role, boardId: m.boardId, since: m.createdAt },
      after: { revokedAt: input.at },
      at: input.at,
    });
    ended.push(m);
  }
  return ended;
}

export function createMembershipRepository(db: Db) {
  return {
    /** The cluster's members (with `all`, also the ended memberships), oldest first. */
    async list(clusterId: number, opts: { all?: boolean } = {}): Promise<MemberEntry[]> {
      const rows = await db.membership.findMany({
        where: { clusterId, ...(opts.all ? {} : { revokedAt: null }) },
        include: { person: true },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => ({ membership: toMembershipRecord(r), person: toPerson(r.person) }));
    },

    async byId(id: number): Promise<MembershipRecord | null> {
      const r = await db.membership.findUnique({ where: { id } });
      return r ? toMembershipRecord(r) : null;
    },

    /** Active memberships of one person in one cluster. */
    async activeOf(personId: number, clusterId: number): Promise<MembershipRecord[]> {
      const rows = await db.membership.findMany({
        where: { personId, clusterId, revokedAt: null },
        orderBy: { id: "asc" },
      });
      return rows.map(toMembershipRecord);
    },

    async end(ids: number[], actorPersonId: number | null, at: Date): Promise<MembershipRecord[]> {
      return db.$transaction((tx) => endMemberships(tx, ids, { actorPersonId, at, action: "membership.revoke" }));
    },

    /** How many active secretaries a board has. */
    async secretaryCount(boardId: number): Promise<number> {
      return db.membership.count({ where: { boardId, role: "secretary", revokedAt: null } });
    },

    /** Ended memberships of this person nobody has told them about (oldest first). */
    async pendingNotices(personId: number): Promise<PendingNotice[]> {
      const rows = await db.membership.findMany({
        where: { personId, revokedAt: { not: null }, noticeAt: null },
        include: { cluster: true, board: true },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => ({
        membership: toMembershipRecord(r),
        clusterName: r.cluster.name,
        timezone: r.cluster.timezone,
        boardName: r.board?.name ?? null,
      }));
    },

    /**
     * Claims untold notices for telling now; returns the ids this call claimed. A claim older than
     * `staleBefore` is one whose teller died before telling (or before marking it told): it is claimed again.
     */
    async claimNotices(ids: number[], at: Date, staleBefore: Date): Promise<number[]> {
      const claimed: number[] = [];
      for (const id of ids) {
        const res = await db.membership.updateMany({
          where: {
            id,
            noticeAt: null,
            OR: [{ noticeClaimedAt: null }, { noticeClaimedAt: { lt: staleBefore } }],
          },
          data: { noticeClaimedAt: at },
        });
        if (res.count === 1) claimed.push(id);
      }
      return claimed;
    },

    /** Marks a claimed notice as told (the message went out). */
    async noticeTold(id: number, at: Date): Promise<void> {
      await db.membership.updateMany({ where: { id, noticeAt: null }, data: { noticeAt: at } });
    },

    /** Gives claimed notices back untold (their message failed): the person's next message tells them. */
    async releaseNotices(ids: number[]): Promise<void> {
      await db.membership.updateMany({ where: { id: { in: ids }, noticeAt: null }, data: { noticeClaimedAt: null } });
    },

    async openInvitations(clusterId: number, now: Date): Promise<OpenInvitation[]> {
      const rows = await db.invitation.findMany({
        where: { clusterId, usedAt: null, cancelledAt: null, expiresAt: { gt: now } },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => ({
        id: r.id,
        clusterId: r.clusterId,
        role: r.role as Role,
        boardId: r.boardId,
        expiresAt: r.expiresAt,
        createdAt: r.createdAt,
        createdByPersonId: r.createdByPersonId,
      }));
    },

    /** Cancels an unused invitation of the cluster (once: a second cancel reports it). */
    async cancelInvitation(
      clusterId: number,
      invitationId: number,
      actorPersonId: number | null,
      now: Date,
    ): Promise<CancelInvitationResult> {
      return db.$transaction(async (tx) => {
        const inv = await tx.invitation.findFirst({ where: { id: invitationId, clusterId } });
        if (!inv) return { ok: false, reason: "unknown" };
        if (inv.cancelledAt) return { ok: false, reason: "cancelled" };
        if (inv.usedAt) return { ok: false, reason: "used" };
        if (inv.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
        const res = await tx.invitation.updateMany({
          where: { id: inv.id, usedAt: null, cancelledAt: null },
          data: { cancelledAt: now, cancelledByPersonId: actorPersonId },
        });
        if (res.count !== 1) return { ok: false, reason: "used" };
        await writeAudit(tx, {
          clusterId,
          actorPersonId,
          action: "invitation.cancel",
          entity: "invitation",
          entityId: inv.id,
          before: { role: inv.role, boardId: inv.boardId, expiresAt: inv.expiresAt },
          after: { cancelledAt: now },
          at: now,
        });
        return {
          ok: true,
          invitation: {
            id: inv.id,
            clusterId: inv.clusterId,
            role: inv.role as Role,
            boardId: inv.boardId,
            expiresAt: inv.expiresAt,
            createdAt: inv.createdAt,
            createdByPersonId: inv.createdByPersonId,
          },
        };
      });
    },

    /** Every chair and deputy term of the cluster, oldest first. */
    async terms(clusterId: number, role?: ChairTerm["role"]): Promise<ChairTerm[]> {
      const rows = await db.chairTerm.findMany({
        where: { clusterId, ...(role ? { role } : {}) },
        orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      });
      return rows.map(toTerm);
    },
  };
}

export type MembershipRepository = ReturnType<typeof createMembershipRepository>;
