// Which reporting period applies when, with its dates: stored dates win (a chair
// may have moved them), otherwise they follow the cluster's calendar.

import type { HotPath } from "../db/hot-path.ts";
import type { Repositories } from "../db/index.ts";
import { opensAtRule, periodDates, periodStatus } from "../domain/calendar.ts";
import type { Board, Cluster, Period } from "../domain/entities.ts";
import { nextPeriod, parsePeriod, previousPeriod, quarterOf } from "../domain/period.ts";
import type { PeriodDates, PeriodError, PeriodRef, PeriodScoring, PeriodStatus, Result } from "../domain/types.ts";

export interface PeriodView {
  ref: PeriodRef;
  dates: PeriodDates;
  status: PeriodStatus;
  /** the stored row, when the period has been materialized */
  period: Period | null;
}

/** A period cannot be created: the cluster has no indicator set yet (no configuration applied with indicators). */
export class NoIndicatorSetError extends Error {
  override name = "NoIndicatorSetError";
  constructor(readonly clusterCode: string) {
    super(`cluster ${clusterCode} has no indicator set`);
  }
}

export function createPeriodService(repos: Repositories, hot?: Pick<HotPath, "period">) {
  // the stored period of a quarter: a prepared statement when the hot path is there
  const find = (clusterId: number, ref: PeriodRef) =>
    hot ? hot.period(clusterId, ref.year, ref.quarter) : repos.periods.find(clusterId, ref);
  // Computing a quarter's dates walks working days and holidays (~0.7 ms); /baocao asks for
  // the next quarter's on every open. Keyed by everything the dates depend on, so an applied
  // calendar change is a new key.
  const memo = new Map<string, PeriodDates>();
  function computed(cluster: Cluster, ref: PeriodRef): PeriodDates {
    const key = JSON.stringify([ref.year, ref.quarter, cluster.timezone, cluster.calendar, cluster.overrides]);
    let dates = memo.get(key);
    if (!dates) {
      if (memo.size >= 256) memo.clear();
      dates = periodDates(ref, cluster.calendar, cluster.timezone, cluster.overrides);
      memo.set(key, dates);
    }
    return dates;
  }

  async function view(cluster: Cluster, ref: PeriodRef, now: Date): Promise<PeriodView> {
    const period = await find(cluster.id, ref);
    const dates = period ? datesOf(period) : computed(cluster, ref);
    return { ref, dates, status: periodStatus(dates, now), period };
  }

  return {
    view,

    /** The most recent period that has opened by `now` (open or already closed). */
    async current(cluster: Cluster, now: Date): Promise<PeriodView> {
      const here = quarterOf(now, cluster.timezone);
      for (const ref of [nextPeriod(here), here, previousPeriod(here)]) {
        const v = await view(cluster, ref, now);
        if (v.status !== "not_open") return v;
      }
      return view(cluster, previousPeriod(previousPeriod(here)), now);
    },

    /** The next period that has not opened yet (for "opens at …" hints). */
    async upcoming(cluster: Cluster, now: Date): Promise<PeriodView> {
      let ref = quarterOf(now, cluster.timezone);
      for (let n = 0; n < 4; n++) {
        const v = await view(cluster, ref, now);
        if (v.status === "not_open") return v;
        ref = nextPeriod(ref);
      }
      return view(cluster, ref, now);
    },

    /** `/trangthai Q3`: a typed period, or the current one when none is typed. */
    async resolve(cluster: Cluster, input: string | undefined, now: Date): Promise<Result<PeriodView, PeriodError>> {
      if (!input?.trim()) return { ok: true, value: await this.current(cluster, now) };
      const parsed = parsePeriod(
        input,
        now,
        cluster.timezone,
        opensAtRule(cluster.calendar, cluster.timezone, cluster.overrides),
      );
      if (!parsed.ok) return parsed;
      return { ok: true, value: await view(cluster, parsed.value, now) };
    },

    /**
     * The stored period, created with its dates and the current indicator set when first needed.
     * @throws NoIndicatorSetError when the period is new and the cluster has no indicator set
     */
    async ensure(cluster: Cluster, ref: PeriodRef): Promise<Period> {
      const existing = await find(cluster.id, ref);
      if (existing) return existing;
      const [set, boards] = await Promise.all([
        repos.clusters.currentIndicatorSet(cluster.id),
        repos.clusters.boards(cluster.id),
      ]);
      if (!set) throw new NoIndicatorSetError(cluster.code);
      return repos.periods.ensure(
        cluster.id,
        ref,
        computed(cluster, ref),
        set.id,
        scoringSnapshot(cluster, ref, boards),
      );
    },

    /**
     * After a configuration change or a plans import: periods that have not closed take the
     * cluster's scoring, plans and rules (interface.md: a change of `scoring:` or `plans:` never
     * rewrites a closed period). Boards join a period only while it has not opened; a board
     * added later does not take part in it.
     */
    async refreshScoring(cluster: Cluster, now: Date): Promise<number> {
      const boards = await repos.clusters.boards(cluster.id);
      let changed = 0;
      for (const p of await repos.periods.list(cluster.id, 8)) {
        if (p.closedAt || p.deadline.getTime() <= now.getTime()) continue;
        const fresh = scoringSnapshot(cluster, p, boards);
        if (p.opensAt.getTime() <= now.getTime() && p.scoring) fresh.members = p.scoring.members;
        if (await repos.periods.updateScoring(p.id, fresh, now)) changed++;
      }
      return changed;
    },

    /**
     * After a configuration change: recompute the dates of periods that have not closed,
     * leaving dates a chair moved by hand alone.
     */
    async refreshDates(cluster: Cluster, now: Date): Promise<number> {
      let changed = 0;
      for (const p of await repos.periods.list(cluster.id, 8)) {
        if (p.closedAt || p.deadline.getTime() <= now.getTime()) continue;
        const moved = new Set(await repos.periods.movedFields(p.id));
        const fresh = computed(cluster, p);
        const dates = Object.fromEntries(
          (Object.keys(fresh) as (keyof PeriodDates)[]).filter((k) => !moved.has(k)).map((k) => [k, fresh[k]]),
        );
        if (await repos.periods.updateDates(p.id, dates, now)) changed++;
      }
      return changed;
    },
  };
}

/** The scoring a period keeps: the cluster's scoring, its year's plans, the rules and the active boards. */
export function scoringSnapshot(cluster: Cluster, ref: PeriodRef, activeBoards: readonly Board[]): PeriodScoring {
  return {
    scoring: cluster.scoring,
    plans: cluster.plans[String(ref.year)] ?? {},
    rules: cluster.rules,
    members: activeBoards.filter((b) => b.active).map((b) => b.code),
  };
}

export function datesOf(p: Period): PeriodDates {
  return { opensAt: p.opensAt, deadline: p.deadline, briefingAt: p.briefingAt, summaryPostAt: p.summaryPostAt };
}

export type PeriodService = ReturnType<typeof createPeriodService>;
