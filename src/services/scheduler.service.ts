// Runs the calendar: each tick takes over claims left by dead processes, retries failed
// group posts, then plans what is due in every cluster (domain/planner.ts, pure) and
// hands each due action to the ledger executor, which claims it BEFORE sending anything.
// /nhacnho (a chair's reminder now) goes through the same ledger.
import type { Repositories } from "../db/index.ts";
import { isInQuietHours } from "../domain/calendar.ts";
import type { Cluster } from "../domain/entities.ts";
import { periodKey } from "../domain/period.ts";
import { actionKey, DEFAULT_GRACE_MS, dueActions, plannedActions } from "../domain/planner.ts";
import type { PeriodDates, PeriodRef } from "../domain/types.ts";
import { instantToZonedParts } from "../domain/zoned-time.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import type { LedgerExecutor, TickLine } from "./ledger-executor.ts";
import { datesOf, type PeriodService } from "./period.service.ts";
import type { StatusService } from "./status.service.ts";

export interface SchedulerDeps {
  repos: Repositories;
  periods: PeriodService;
  status: StatusService;
  executor: LedgerExecutor;
  /** real time: claim stamps (the planned `now` may be simulated, `cli tick --at`) */
  clock: Clock;
  logger: Logger;
  /** who claims actions in the ledger (host:pid or similar) */
  instanceId: string;
  /** missed actions older than this are recorded as skipped (default 12 h) */
  graceMs?: number | undefined;
}

export type RemindNowResult =
  | {
      ok: true;
      ref: PeriodRef;
      /** secretaries the reminder reached */
      reminded: number;
      /** boards that have not submitted */
      boards: number;
      /** recipients it did not reach (blocked or failed) */
      notDelivered: number;
      /** boards not submitted that have no secretary in the bot */
      withoutSecretary: string[];
    }
  | { ok: false; reason: "unknown_cluster" | "not_open" | "duplicate" }
  | { ok: false; reason: "all_submitted"; ref: PeriodRef }
  | { ok: false; reason: "quiet_hours"; from: string; to: string };

const pad = (n: number) => String(n).padStart(2, "0");

export function createSchedulerService(deps: SchedulerDeps) {
  const { repos, periods, status, executor, clock, logger, instanceId } = deps;
  const graceMs = deps.graceMs ?? DEFAULT_GRACE_MS;

  async function storedDates(cluster: Cluster): Promise<Map<string, PeriodDates>> {
    return new Map((await repos.periods.list(cluster.id, 8)).map((p) => [periodKey(p), datesOf(p)]));
  }

  return {
    /** Takes over the actions whose instance died mid-run (their lease ran out); run every few seconds. */
    resume: (now: Date): Promise<TickLine[]> => executor.resumeStale(now),

    /**
     * Runs everything due as of `now`; one line per action this process did. One action's failure is logged
     * and recorded on its ledger row, one cluster's planning failure is logged; the others go on.
     */
    async tick(now: Date): Promise<TickLine[]> {
      const lines: TickLine[] = [...(await executor.resumeStale(now)), ...(await executor.retryFailedPosts(now))];
      for (const cluster of await repos.clusters.listAll()) {
        try {
          const planned = { ...cluster, stored: await storedDates(cluster) };
          const candidates = plannedActions(planned, now).filter((a) => a.dueAt.getTime() <= now.getTime());
          const known = await repos.ledger.keys(
            cluster.id,
            candidates.map((a) => a.key),
          );
          for (const a of dueActions({ clusters: [planned], done: (k) => known.has(k), now, graceMs })) {
            try {
              const line = await executor.claimAndRun(cluster, a, now);
              if (line) lines.push(line);
            } catch (err) {
              logger.error({ err, key: a.key }, "could not claim a scheduled action");
            }
          }
        } catch (err) {
          logger.error({ err, cluster: cluster.code }, "planning failed for a cluster");
        }
      }
      return lines;
    },

    /**
     * /nhacnho: reminds the secretaries of boards that have not submitted the current period, now. Keyed per
     * minute in the ledger, so a double tap (or two chairs at once) sends once.
     */
    async remindNow(clusterId: number, actorPersonId: number, now: Date): Promise<RemindNowResult> {
      const cluster = await repos.clusters.findById(clusterId);
      if (!cluster) return { ok: false, reason: "unknown_cluster" };
      const quiet = cluster.calendar.quietHours;
      if (quiet && isInQuietHours(now, quiet, cluster.timezone)) {
        return { ok: false, reason: "quiet_hours", from: quiet.from, to: quiet.to };
      }
      const view = await periods.current(cluster, now);
      // Late reports still count until the summary is posted; after that a reminder is noise.
      if (view.status === "not_open" || now.getTime() >= view.dates.summaryPostAt.getTime()) {
        return { ok: false, reason: "not_open" };
      }
      const report = await status.forPeriod(cluster, view);
      if (report.boards.every((b) => b.state === "submitted")) {
        return { ok: false, reason: "all_submitted", ref: view.ref };
      }
      const period = await periods.ensure(cluster, view.ref);
      const p = instantToZonedParts(now, cluster.timezone);
      const minute = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
      const row = await repos.ledger.claim(
        {
          key: actionKey(cluster.code, view.ref, `manual:${minute}`),
          clusterId: cluster.id,
          periodId: period.id,
          kind: "manual_reminder",
          dueAt: now,
          claimedBy: instanceId,
          detail: JSON.stringify({ actorPersonId }),
        },
        clock.now(),
      );
      if (!row) return { ok: false, reason: "duplicate" };
      const audience = await executor.reminderAudience(cluster, view.ref, now);
      // The claim was won: run it through the executor so the ledger row is finished like any other.
      const line = await executor.execute(row, now, false);
      return {
        ok: true,
        ref: view.ref,
        reminded: line.sent,
        boards: audience.openBoards,
        notDelivered: line.blocked + line.failed,
        withoutSecretary: audience.withoutSecretary,
      };
    },
  };
}

export type SchedulerService = ReturnType<typeof createSchedulerService>;
