// What the briefing document needs beyond the ranked summary: who issues and signs it
// (the chair board and chair person of the period, and the cluster file's signer).
import type { Repositories } from "../db/index.ts";
import type { PeriodRef } from "../domain/types.ts";
import { chairOfPeriod } from "./membership.service.ts";

export interface PeriodChair {
  /** the chair board's full name, when known */
  boardName: string | null;
  /** the chair person's name as known to the bot, when there is a chair */
  personName: string | null;
}

/** `cluster.signer` of the cluster file: each part, when set, replaces the chair's. */
export interface DocumentSigner {
  position: string | null;
  name: string | null;
}

export interface BriefingContext {
  chair: PeriodChair;
  /** absent or null parts: the chair's role wording and the chair person's name */
  signer?: DocumentSigner;
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
      const [chair, cluster] = await Promise.all([this.chairOf(clusterId, ref), repos.clusters.findById(clusterId)]);
      return {
        chair,
        signer: { position: cluster?.signerPosition ?? null, name: cluster?.signerName ?? null },
      };
    },
  };
}

export type BriefingService = ReturnType<typeof createBriefingService>;
