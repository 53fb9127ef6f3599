// People over a year: who is a member (and was), removing someone (effective at their
// next update), cancelling an invitation, the notice a removed person is owed, and who
// chaired the cluster in which period ("chair of period", used by summaries and documents).
import type { Repositories } from "../db/index.ts";
import type { PendingNotice } from "../db/membership.repository.ts";
import type { Board, ChairTerm, Cluster, MembershipRecord, Person } from "../domain/entities.ts";
import { periodChairInstant, termAt } from "../domain/members.ts";
import type { PeriodRef, Role } from "../domain/types.ts";
import type { Clock } from "./clock.ts";
import { reportConversationKey } from "./update-state.ts";

export interface MemberView {
  membershipId: number;
  role: Role;
  board: Board | null;
  person: Person;
  since: Date;
  /** when the membership ended (only listed with `all`) */
  until: Date | null;
}

export interface InvitationView {
  id: number;
  role: Role;
  board: Board | null;
  expiresAt: Date;
}

export interface RemovalOutcome {
  ok: true;
  cluster: Cluster;
  person: Person;
  ended: MemberView[];
  /** boards this removal left without any secretary (the chair must be told) */
  boardsWithoutSecretary: Board[];
}

export type RemovalError =
  | { code: "not_member" }
  | { code: "unknown_board"; board: string }
  /** chat removal: a chair changes only by handover; a deputy is removed only by the chair */
  | { code: "not_allowed"; role: Role }
  | { code: "already_ended" };

export type CancelOutcome =
  | { ok: true; invitation: InvitationView }
  | { ok: false; reason: "unknown" | "used" | "expired" | "cancelled" };

export interface ChairOfPeriod {
  role: ChairTerm["role"];
  person: Person;
  /** the chair board of the term, when known */
  board: Board | null;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * Who held the role (chair by default) at an instant, from the chair-term history; the
 * chair board is the term's (the invitation's board, else the board the person was
 * secretary of when they took over).
 */
export async function chairAt(
  repos: Repositories,
  clusterId: number,
  at: Date,
  role: ChairTerm["role"] = "chair",
): Promise<ChairOfPeriod | null> {
  const term = termAt(await repos.memberships.terms(clusterId, role), at);
  if (!term) return null;
  // a term without a board (a chair invited before being anyone's secretary): the board
  // the person belongs to in the cluster, if any
  const boardId =
    term.boardId ??
    (await repos.memberships.list(clusterId, { all: true })).find(
      (m) => m.person.id === term.personId && m.membership.boardId !== null,
    )?.membership.boardId ??
    null;
  const [person, board] = await Promise.all([
    repos.people.byId(term.personId),
    boardId === null ? null : repos.clusters.boardById(boardId),
  ]);
  if (!person) return null;
  return { role: term.role, person, board, startedAt: term.startedAt, endedAt: term.endedAt };
}

/**
 * The chair of a quarter: the term in force at the quarter's last minute (see
 * periodChairInstant). Documents and summaries name this chair and board; for a year,
 * ask for its fourth quarter.
 */
export function chairOfPeriod(
  repos: Repositories,
  cluster: Pick<Cluster, "id" | "timezone">,
  ref: PeriodRef,
  role: ChairTerm["role"] = "chair",
): Promise<ChairOfPeriod | null> {
  return chairAt(repos, cluster.id, periodChairInstant(ref, cluster.timezone), role);
}

/** Chair first, then deputy, then boards in the file's order (leader before secretary). */
/**
 * How long a claimed removal notice stays with the instance telling it. Telling is one message (seconds, a
 * minute with Telegram's retries); a claim older than this belongs to a teller that died.
 */
export const NOTICE_CLAIM_MS = 2 * 60_000;

const ROLE_ORDER: Record<Role, number> = { chair: 0, deputy: 1, leader: 2, secretary: 3 };

export function createMembershipService(deps: { repos: Repositories; clock: Clock }) {
  const { repos, clock } = deps;

  async function boardMap(clusterId: number): Promise<Map<number, Board>> {
    const boards = await repos.clusters.boards(clusterId, { includeRetired: true });
    return new Map(boards.map((b) => [b.id, b]));
  }

  function view(m: MembershipRecord, person: Person, boards: Map<number, Board>): MemberView {
    return {
      membershipId: m.id,
      role: m.role,
      board: m.boardId === null ? null : (boards.get(m.boardId) ?? null),
      person,
      since: m.createdAt,
      until: m.revokedAt,
    };
  }

  /** Ends memberships, ends the person's report conversation, and finds boards left without a secretary. */
  async function end(
    cluster: Cluster,
    person: Person,
    targets: MembershipRecord[],
    actorPersonId: number | null,
  ): Promise<{ ok: true; value: RemovalOutcome } | { ok: false; error: RemovalError }> {
    const ended = await repos.memberships.end(
      targets.map((m) => m.id),
      actorPersonId,
      clock.now(),
    );
    if (ended.length === 0) return { ok: false, error: { code: "already_ended" } };
    // A report conversation in progress would otherwise take the person's next answer
    // (and show the figures it holds); without it the next update meets the notice.
    if (ended.some((m) => m.role === "secretary")) {
      await repos.conversations.delete(reportConversationKey(person.telegramId));
    }
    const boards = await boardMap(cluster.id);
    const boardsWithoutSecretary: Board[] = [];
    for (const m of ended) {
      if (m.role !== "secretary" || m.boardId === null) continue;
      const board = boards.get(m.boardId);
      if (board?.active && (await repos.memberships.secretaryCount(m.boardId)) === 0)
        boardsWithoutSecretary.push(board);
    }
    return {
      ok: true,
      value: {
        ok: true,
        cluster,
        person,
        ended: ended.map((m) => view(m, person, boards)),
        boardsWithoutSecretary,
      },
    };
  }

  return {
    /** Members of the cluster (with `all`, ended memberships too), chair first, then by board. */
    async members(cluster: Cluster, opts: { all?: boolean } = {}): Promise<MemberView[]> {
      const [rows, boards] = await Promise.all([repos.memberships.list(cluster.id, opts), boardMap(cluster.id)]);
      const views = rows.map((r) => view(r.membership, r.person, boards));
      return views.sort(
        (a, b) =>
          (a.until === null ? 0 : 1) - (b.until === null ? 0 : 1) ||
          ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
          (a.board?.position ?? -1) - (b.board?.position ?? -1) ||
          a.since.getTime() - b.since.getTime(),
      );
    },

    /** Invitations not yet used, cancelled or expired. */
    async openInvitations(cluster: Cluster): Promise<InvitationView[]> {
      const [rows, boards] = await Promise.all([
        repos.memberships.openInvitations(cluster.id, clock.now()),
        boardMap(cluster.id),
      ]);
      return rows.map((r) => ({
        id: r.id,
        role: r.role,
        board: r.boardId === null ? null : (boards.get(r.boardId) ?? null),
        expiresAt: r.expiresAt,
      }));
    },

    /**
     * The operator's removal (`revoke`): every active membership of the person in the
     * cluster, or only one role (and board) of it.
     */
    async revoke(input: {
      cluster: Cluster;
      telegramId: bigint;
      role?: Role | undefined;
      boardCode?: string | undefined;
      actorPersonId: number | null;
    }): Promise<{ ok: true; value: RemovalOutcome } | { ok: false; error: RemovalError }> {
      const person = await repos.people.byTelegramId(input.telegramId);
      if (!person) return { ok: false, error: { code: "not_member" } };
      let boardId: number | undefined;
      if (input.boardCode) {
        const board = await repos.clusters.boardByCode(input.cluster.id, input.boardCode);
        if (!board) return { ok: false, error: { code: "unknown_board", board: input.boardCode } };
        boardId = board.id;
      }
      const targets = (await repos.memberships.activeOf(person.id, input.cluster.id)).filter(
        (m) => (!input.role || m.role === input.role) && (boardId === undefined || m.boardId === boardId),
      );
      if (targets.length === 0) return { ok: false, error: { code: "not_member" } };
      return end(input.cluster, person, targets, input.actorPersonId);
    },

    /**
     * A chair's or deputy's removal from the chat (/thanhvien): one membership. A chair
     * changes only by handover (/moi cumtruong); only the chair removes the deputy.
     */
    async removeMembership(input: {
      cluster: Cluster;
      membershipId: number;
      actorPersonId: number;
      actorRoles: Role[];
    }): Promise<{ ok: true; value: RemovalOutcome } | { ok: false; error: RemovalError }> {
      const m = await repos.memberships.byId(input.membershipId);
      if (!m || m.clusterId !== input.cluster.id) return { ok: false, error: { code: "not_member" } };
      if (m.revokedAt) return { ok: false, error: { code: "already_ended" } };
      if (m.role === "chair" || (m.role === "deputy" && !input.actorRoles.includes("chair"))) {
        return { ok: false, error: { code: "not_allowed", role: m.role } };
      }
      const person = (await repos.people.byId(m.personId))!;
      return end(input.cluster, person, [m], input.actorPersonId);
    },

    /** One membership as listed (for the confirmation screen). */
    async member(cluster: Cluster, membershipId: number): Promise<MemberView | null> {
      const m = await repos.memberships.byId(membershipId);
      if (!m || m.clusterId !== cluster.id) return null;
      const person = await repos.people.byId(m.personId);
      return person ? view(m, person, await boardMap(cluster.id)) : null;
    },

    async invitation(cluster: Cluster, invitationId: number): Promise<InvitationView | null> {
      return (await this.openInvitations(cluster)).find((i) => i.id === invitationId) ?? null;
    },

    async cancelInvitation(input: {
      cluster: Cluster;
      invitationId: number;
      actorPersonId: number | null;
    }): Promise<CancelOutcome> {
      const res = await repos.memberships.cancelInvitation(
        input.cluster.id,
        input.invitationId,
        input.actorPersonId,
        clock.now(),
      );
      if (!res.ok) return res;
      const boards = await boardMap(input.cluster.id);
      const inv = res.invitation;
      return {
        ok: true,
        invitation: {
          id: inv.id,
          role: inv.role,
          board: inv.boardId === null ? null : (boards.get(inv.boardId) ?? null),
          expiresAt: inv.expiresAt,
        },
      };
    },

    /**
     * The ended memberships this person has not been told about, claimed so that they are told once (also
     * across instances). The caller tells them and marks each told (`noticeTold`), or gives them back
     * (`releaseNotices`) when its message failed. A claim whose teller died in between (SIGKILL after the
     * claim) is taken again after NOTICE_CLAIM_MS, at the person's next message: the notice is late, not
     * lost; a death between the message and `noticeTold` tells it twice.
     */
    async takeNotices(personId: number): Promise<PendingNotice[]> {
      const pending = await repos.memberships.pendingNotices(personId);
      if (pending.length === 0) return [];
      const now = clock.now();
      const claimed = new Set(
        await repos.memberships.claimNotices(
          pending.map((p) => p.membership.id),
          now,
          new Date(now.getTime() - NOTICE_CLAIM_MS),
        ),
      );
      return pending.filter((p) => claimed.has(p.membership.id));
    },

    /** The person was told that this membership ended. */
    noticeTold: (membershipId: number) => repos.memberships.noticeTold(membershipId, clock.now()),

    /** These notices could not be told: the person's next message tries again. */
    releaseNotices: (membershipIds: number[]) => repos.memberships.releaseNotices(membershipIds),

    /** Who held the role (chair by default) at an instant. */
    chairAt: (clusterId: number, at: Date, role: ChairTerm["role"] = "chair") => chairAt(repos, clusterId, at, role),

    /** The chair (or deputy) of a quarter: see chairOfPeriod. */
    chairOfPeriod: (cluster: Cluster, ref: PeriodRef, role: ChairTerm["role"] = "chair") =>
      chairOfPeriod(repos, cluster, ref, role),

    /** The whole chair history of a cluster (both roles), oldest first. */
    async chairHistory(cluster: Cluster): Promise<ChairOfPeriod[]> {
      const [terms, boards] = await Promise.all([repos.memberships.terms(cluster.id), boardMap(cluster.id)]);
      const out: ChairOfPeriod[] = [];
      for (const t of terms) {
        const person = await repos.people.byId(t.personId);
        if (!person) continue;
        const board = t.boardId === null ? null : (boards.get(t.boardId) ?? null);
        out.push({ role: t.role, person, board, startedAt: t.startedAt, endedAt: t.endedAt });
      }
      return out;
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
