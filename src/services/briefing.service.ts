// What the briefing document needs beyond the ranked summary: who issues and signs it
// (the chair board and chair person of the period).
import type { Repositories } from "../db/index.ts";
import type { PeriodRef } from "../domain/types.ts";

export interface PeriodChair {
  /** the chair board's full name, when known */
  boardName: string | null;
  /** the chair person's name as known to the bot, when there is a chair */
  personName: string | null;
}

export interface BriefingContext {
  chair: PeriodChair;
}

export function createBriefingService(repos: Repositories) {
  return {
    /**
     * The chair board and person of a period. Today this is the cluster's current chair
     * membership (the period is not used yet): the chair history per period is the people
     * issue's (#12); when it lands, this is the one place to point at it.
     * The board is the chair membership's board, else the board the chair person is a
     * member of in this cluster.
     */
    async chairOf(clusterId: number, _ref: PeriodRef): Promise<PeriodChair> {
      const chairs = await repos.people.members(clusterId, ["chair"]);
      const chair = chairs[chairs.length - 1];
      if (!chair) return { boardName: null, personName: null };
      const personName = [chair.person.firstName, chair.person.lastName].filter(Boolean).join(" ") || null;
      let boardId = chair.membership.boardId;
      if (boardId === null) {
        const own = await repos.people.memberships(chair.person.id);
        boardId = own.find((m) => m.clusterId === clusterId && m.boardId !== null)?.boardId ?? null;
      }
      const board = boardId === null ? null : await repos.clusters.boardById(boardId);
      return { boardName: board?.name ?? null, personName };
    },

    async context(clusterId: number, ref: PeriodRef): Promise<BriefingContext> {
      return { chair: await this.chairOf(clusterId, ref) };
    },
  };
}

export type BriefingService = ReturnType<typeof createBriefingService>;
