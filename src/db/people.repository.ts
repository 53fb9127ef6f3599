// People (Telegram users), their memberships in clusters, and invitations.
import type { Membership, Person } from "../domain/entities.ts";
import type { Role } from "../domain/types.ts";
import type { Db } from "./client.ts";
import { toMembership, toPerson, writeAudit } from "./mappers.ts";

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
  | { ok: true; membership: Membership; alreadyMember: boolean }
  | { ok: false; reason: "unknown" | "used" | "expired" };

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
     */
    async redeemInvitation(tokenHash: string, personId: number, now: Date): Promise<RedeemResult> {
      return db.$transaction(async (tx) => {
        const inv = await tx.invitation.findUnique({ where: { tokenHash } });
        if (!inv) return { ok: false, reason: "unknown" };
        if (inv.usedAt) return { ok: false, reason: "used" };
        if (inv.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
        const claimed = await tx.invitation.updateMany({
          where: { id: inv.id, usedAt: null },
          data: { usedAt: now, usedByPersonId: personId },
        });
        if (claimed.count !== 1) return { ok: false, reason: "used" };
        const existing = await tx.membership.findFirst({
          where: { personId, clusterId: inv.clusterId, role: inv.role, boardId: inv.boardId, revokedAt: null },
        });
        const membership =
          existing ??
          (await tx.membership.create({
            data: { personId, clusterId: inv.clusterId, role: inv.role, boardId: inv.boardId },
          }));
        await tx.person.update({ where: { id: personId }, data: { activeClusterId: inv.clusterId } });
        await writeAudit(tx, {
          clusterId: inv.clusterId,
          actorPersonId: personId,
          action: "membership.join",
          entity: "membership",
          entityId: membership.id,
          after: { role: inv.role, boardId: inv.boardId, invitationId: inv.id },
          at: now,
        });
        return { ok: true, membership: toMembership(membership), alreadyMember: existing !== null };
      });
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
