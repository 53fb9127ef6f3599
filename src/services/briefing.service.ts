// What the briefing document needs beyond the ranked summary: who issues and signs it
// (the chair board and chair person of the period).
import type { Repositories } from "../db/index.ts";
import type { PeriodRef } from "../domain/types.ts";
import { chairOfPeriod } from "./membership.service.ts";

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
     * The chair board and person of a period, from the chair-term history (#12): the
     * chair in office at the quarter's last minute (see chairOfPeriod).
     */
    async chairOf(clusterId: number, ref: PeriodRef): Promise<PeriodChair> {
      const cluster = await repos.clusters.findById(clusterId);
      const chair = cluster ? await chairOfPeriod(repos, cluster, ref) : null;
      if (!chair) return { boardName: null, personName: null };
      const personName = [chair.person.firstName, chair.person.lastName].filter(Boolean).join(" ") || null;
      return { boardName: chair.board?.name ?? null, personName };
    },

    async context(clusterId: number, ref: PeriodRef): Promise<BriefingContext> {
      return { chair: await this.chairOf(clusterId, ref) };
    },
  };
}

export type BriefingService = ReturnType<typeof createBriefingService>;
