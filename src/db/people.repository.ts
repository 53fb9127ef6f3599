// People (Telegram users), their memberships in clusters, and invitations.
import type { Membership, Person } from "../domain/entities.ts";
import { SINGLE_HOLDER_ROLES } from "../domain/members.ts";
import type { Role } from "../domain/types.ts";
import type { Db } from "./client.ts";
import { toMembership, toPerson, writeAudit } from "./mappers.ts";
import { endMemberships } from "./membership.repository.ts";

export interface TelegramProfile {
  telegramId: bigint;
  firstName: string;
  lastName?: string | null | undefined;
  username?: string | null | undefined;
  locale?: string | undefined;
}

export interface NewInvitation {
  clusterId: number;
  role: Role;
  boardId: number | null;
  tokenHash: string;
  expiresAt: Date;
  createdByPersonId: number | null;
}

export type RedeemResult =
  | { ok: true; membership: Membership; replaced: Membership[] }
  | { ok: false; reason: "unknown" | "used" | "expired" | "cancelled" }
  | { ok: false; reason: "already_holds"; clusterId: number; role: Role; boardId: number | null };

export function createPeopleRepository(db: Db) {
  return {
    /** Records the person's latest Telegram profile; creates them on first contact. */
    async upsert(p: TelegramProfile): Promise<Person> {
      const data = {
        firstName: p.firstName,
        lastName: p.lastName ?? null,
        username: p.username ?? null,
      };
      const r = await db.person.upsert({
        where: { telegramId: p.telegramId },
        create: { telegramId: p.telegramId, locale: p.locale === "en" ? "en" : "vi", ...data },
        update: data,
      });
      return toPerson(r);
    },

    async byTelegramId(telegramId: bigint): Promise<Person | null> {
      const r = await db.person.findUnique({ where: { telegramId } });
      return r ? toPerson(r) : null;
    },

    async byId(id: number): Promise<Person | null> {
      const r = await db.person.findUnique({ where: { id } });
      return r ? toPerson(r) : null;
    },

    async memberships(personId: number): Promise<Membership[]> {
      const rows = await db.membership.findMany({
        where: { personId, revokedAt: null },
        orderBy: { id: "asc" },
      });
      return rows.map(toMembership);
    },

    /**
     * In one statement: the person's active memberships, and the ids of ended ones they
     * have not been told about (so that telling them costs nothing when there is none).
     */
    async membershipsAndUntold(personId: number): Promise<{ active: Membership[]; untold: number[] }> {
      const rows = await db.membership.findMany({
        where: { personId, OR: [{ revokedAt: null }, { noticeAt: null }] },
        orderBy: { id: "asc" },
      });
      return {
        active: rows.filter((r) => r.revokedAt === null).map(toMembership),
        untold: rows.filter((r) => r.revokedAt !== null).map((r) => r.id),
      };
    },

    /** Active members of a cluster with the given roles, with their person. */
    async members(clusterId: number, roles: Role[]): Promise<{ membership: Membership; person: Person }[]> {
      const rows = await db.membership.findMany({
        where: { clusterId, role: { in: roles }, revokedAt: null },
        include: { person: true },
        orderBy: { id: "asc" },
      });
      return rows.map((r) => ({ membership: toMembership(r), person: toPerson(r.person) }));
    },

    async setActiveCluster(personId: number, clusterId: number): Promise<void> {
      await db.person.update({ where: { id: personId }, data: { activeClusterId: clusterId } });
    },

    async setLocale(personId: number, locale: "vi" | "en"): Promise<void> {
      await db.person.update({ where: { id: personId }, data: { locale } });
    },

    /** Marks (or clears) that Telegram refused to deliver to this person (403). Returns true if it changed. */
    async setBlocked(telegramId: bigint, blockedAt: Date | null): Promise<boolean> {
      const res = await db.person.updateMany({
        where: { telegramId, blockedAt: blockedAt ? null : { not: null } },
        data: { blockedAt },
      });
      return res.count > 0;
    },

    /**
     * Claims one of the person's `limit` invitation guesses in the window after `since`
     * (never the token itself): the attempt is recorded and committed first, then the
     * person's attempts in the window are counted, this one included. Two simultaneous
     * guesses thus cannot both see the count before the other: whichever commits later
     * counts both (both may be refused, never both allowed). Returns the attempt's id
     * when within the limit; over it, the attempt is removed again (a refused try does
     * not count) and null returned. Attempts before `since` are dropped on the way.
     */
    async claimTokenAttempt(personId: number, at: Date, since: Date, limit: number): Promise<number | null> {
      const [, row] = await db.$transaction([
        db.invitationAttempt.deleteMany({ where: { personId, at: { lt: since } } }),
        db.invitationAttempt.create({ data: { personId, at }, select: { id: true } }),
      ]);
      const count = await db.invitationAttempt.count({ where: { personId, at: { gt: since } } });
      if (count <= limit) return row.id;
      await db.invitationAttempt.deleteMany({ where: { id: row.id } });
      return null;
    },

    /** Takes back a claimed attempt that turned out to be no wrong guess (a real invitation). */
    async releaseTokenAttempt(id: number): Promise<void> {
      await db.invitationAttempt.deleteMany({ where: { id } });
    },

    async createInvitation(inv: NewInvitation, at: Date): Promise<number> {
      return db.$transaction(async (tx) => {
        const r = await tx.invitation.create({ data: inv });
        await writeAudit(tx, {
          clusterId: inv.clusterId,
          actorPersonId: inv.createdByPersonId,
          action: "invitation.create",
          entity: "invitation",
          entityId: r.id,
          // never the token or its hash
          after: { role: inv.role, boardId: inv.boardId, expiresAt: inv.expiresAt },
          at,
        });
        return r.id;
      });
    },

    /**
     * Redeems an invitation once: the conditional update on `usedAt IS NULL` makes a
     * second redemption (another person, a replayed update) fail instead of racing.
     * Someone who already holds the role (for a board role: of that board) is refused
     * and the invitation stays usable for the colleague it was meant for. A new chair
     * or deputy takes over: the previous holder's membership in that role ends in the
     * same transaction, and the chair-term history gets a new row.
     */
    async redeemInvitation(tokenHash: string, personId: number, now: Date): Promise<RedeemResult> {
      return db.$transaction(async (tx) => {
        const inv = await tx.invitation.findUnique({ where: { tokenHash } });
        if (!inv) return { ok: false, reason: "unknown" };
        if (inv.cancelledAt) return { ok: false, reason: "cancelled" };
        if (inv.usedAt) return { ok: false, reason: "used" };
        if (inv.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
        const role = inv.role as Role;
        const single = SINGLE_HOLDER_ROLES.includes(role);
        const held = await tx.membership.findFirst({
          where: {
            personId,
            clusterId: inv.clusterId,
            role: inv.role,
            revokedAt: null,
            ...(single ? {} : { boardId: inv.boardId }),
          },
        });
        if (held) {
          return {
            ok: false,
            reason: "already_holds",
            clusterId: inv.clusterId,
            role,
            boardId: held.boardId,
          };
        }
        const claimed = await tx.invitation.updateMany({
          where: { id: inv.id, usedAt: null, cancelledAt: null },
          data: { usedAt: now, usedByPersonId: personId },
        });
        if (claimed.count !== 1) return { ok: false, reason: "used" };
        let replaced: Membership[] = [];
        let boardId = inv.boardId;
        if (single) {
          const previous = await tx.membership.findMany({
            where: { clusterId: inv.clusterId, role: inv.role, revokedAt: null },
          });
          replaced = await endMemberships(
            tx,
            previous.map((m) => m.id),
            { actorPersonId: personId, at: now, action: "membership.handover" },
          );
          // the chair board: the one named in the invitation, else the board the person is secretary of
          boardId ??=
            (
              await tx.membership.findFirst({
                where: { personId, clusterId: inv.clusterId, role: "secretary", revokedAt: null },
                orderBy: { id: "asc" },
              })
            )?.boardId ?? null;
        }
        const membership = await tx.membership.create({
          data: { personId, clusterId: inv.clusterId, role: inv.role, boardId, createdAt: now },
        });
        if (single) {
          await tx.chairTerm.create({
            data: {
              clusterId: inv.clusterId,
              role: inv.role,
              personId,
              boardId,
              membershipId: membership.id,
              startedAt: now,
            },
          });
        }
        await tx.person.update({ where: { id: personId }, data: { activeClusterId: inv.clusterId } });
        await writeAudit(tx, {
          clusterId: inv.clusterId,
          actorPersonId: personId,
          action: "membership.join",
          entity: "membership",
          entityId: membership.id,
          after: { role: inv.role, boardId, invitationId: inv.id, replaced: replaced.map((m) => m.id) },
          at: now,
        });
        return { ok: true, membership: toMembership(membership), replaced };
      });
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
