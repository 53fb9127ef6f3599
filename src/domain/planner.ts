// What the scheduler must do now: the due actions of every cluster's calendar that the
// ledger has not seen yet. Pure: the caller passes the ledger keys and `now`.
import { isInQuietHours, periodDates, type ScheduledKind, scheduledEvents } from "./calendar.ts";
import { nextPeriod, periodKey, previousPeriod, quarterOf } from "./period.ts";
import type { CalendarConfig, PeriodDates, PeriodOverrides, PeriodRef } from "./types.ts";
import { addDays, instantToZonedParts, parseLocalTime, zonedLocalToInstant } from "./zoned-time.ts";

/** Actions missed for longer than this (not counting quiet hours) are recorded as skipped, not sent. */
export const DEFAULT_GRACE_MS = 12 * 3_600_000;

/** A cluster as the planner needs it. */
export interface PlannerCluster {
  id: number;
  code: string;
  timezone: string;
  calendar: CalendarConfig;
  overrides: PeriodOverrides;
  /** dates of the periods already stored, keyed by period key ("2026-Q3"): stored dates win (a chair may have moved them) */
  stored?: ReadonlyMap<string, PeriodDates> | undefined;
}

export type ActionKind = ScheduledKind;

/** Why a due action is not sent: missed for longer than the grace window, or made pointless by the deadline. */
export type StaleReason = "grace" | "after_deadline";

export interface PlannedAction {
  /** `<clusterCode>:<YYYY-Qn>:<eventKey>`, the ledger key, e.g. "btc-5tp:2026-Q3:reminder:3d" */
  key: string;
  clusterId: number;
  clusterCode: string;
  period: PeriodRef;
  kind: ActionKind;
  /** the event's key within its period ("open", "reminder:3d", "deadline", "summary_post") */
  eventKey: string;
  /** the configured reminder offset ("3d"), for reminders */
  offset?: string | undefined;
  dueAt: Date;
  /** the period's dates the action was planned from */
  dates: PeriodDates;
  /** true → record as skipped, do not send */
  stale: boolean;
  staleReason?: StaleReason | undefined;
}

/** actionKey("btc-5tp", { year: 2026, quarter: 3 }, "reminder:3d") → "btc-5tp:2026-Q3:reminder:3d". */
export function actionKey(clusterCode: string, ref: PeriodRef, eventKey: string): string {
  return `${clusterCode}:${periodKey(ref)}:${eventKey}`;
}

/** The quarters whose events can fall due around `now`: the previous, the current and the next one. */
export function quartersAround(now: Date, tz: string): PeriodRef[] {
  const here = quarterOf(now, tz);
  return [previousPeriod(here), here, nextPeriod(here)];
}

/** Every scheduled action of the quarters around `now`, due or not, in time order. */
export function plannedActions(cluster: PlannerCluster, now: Date): Omit<PlannedAction, "stale" | "staleReason">[] {
  const out: Omit<PlannedAction, "stale" | "staleReason">[] = [];
  for (const ref of quartersAround(now, cluster.timezone)) {
    const dates =
      cluster.stored?.get(periodKey(ref)) ?? periodDates(ref, cluster.calendar, cluster.timezone, cluster.overrides);
    for (const e of scheduledEvents(dates, cluster.calendar, cluster.timezone)) {
      out.push({
        key: actionKey(cluster.code, ref, e.key),
        clusterId: cluster.id,
        clusterCode: cluster.code,
        period: ref,
        kind: e.kind,
        eventKey: e.key,
        offset: e.offset,
        dueAt: e.at,
        dates,
      });
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

type QuietHours = NonNullable<CalendarConfig["quietHours"]>;

/** The next instant at or after `t` where the quiet window starts (its `from` on the wall clock). */
function nextQuietStart(t: Date, quiet: QuietHours, tz: string): Date {
  const from = parseLocalTime(quiet.from);
  if (!from) return new Date(Number.POSITIVE_INFINITY);
  const p = instantToZonedParts(t, tz);
  for (const d of [0, 1, 2]) {
    const day = addDays(p, d);
    const start = zonedLocalToInstant(day.year, day.month, day.day, from.hour, from.minute, tz);
    if (start.getTime() >= t.getTime()) return start;
  }
  return new Date(t.getTime() + 86_400_000);
}

/** The next instant after `t` (inside a quiet window) where the window ends. */
function quietEnd(t: Date, quiet: QuietHours, tz: string): Date {
  const to = parseLocalTime(quiet.to);
  if (!to) return t;
  const p = instantToZonedParts(t, tz);
  for (const d of [0, 1, 2]) {
    const day = addDays(p, d);
    const end = zonedLocalToInstant(day.year, day.month, day.day, to.hour, to.minute, tz);
    if (end.getTime() > t.getTime()) return end;
  }
  return new Date(t.getTime() + 86_400_000);
}

/**
 * How long the bot could have sent between `from` and `to`: the span minus the quiet hours in it.
 * The walk stops as soon as the answer exceeds `stopAbove` (then a lower bound above it is returned), so a
 * long downtime costs a few windows, not one per day.
 */
export function sendableMs(
  from: Date,
  to: Date,
  quiet: QuietHours | undefined,
  tz: string,
  stopAbove = Number.POSITIVE_INFINITY,
): number {
  const total = to.getTime() - from.getTime();
  if (total <= 0 || !quiet || quiet.from === quiet.to) return Math.max(total, 0);
  let quietMs = 0;
  let t = from;
  for (let guard = 0; guard < 2000 && t.getTime() < to.getTime(); guard++) {
    if (t.getTime() - from.getTime() - quietMs > stopAbove) break;
    if (isInQuietHours(t, quiet, tz)) {
      const end = quietEnd(t, quiet, tz);
      quietMs += Math.min(end.getTime(), to.getTime()) - t.getTime();
      t = end;
    } else {
      const start = nextQuietStart(t, quiet, tz);
      // a DST jump can make the computed start equal to t; step past it
      t = start.getTime() > t.getTime() ? start : new Date(t.getTime() + 60_000);
    }
  }
  // Unwalked time (early stop) counts as sendable.
  return total - quietMs;
}

/** True when `now` is inside quiet hours that began after `dueAt` (the action must wait for the window's end). */
export function isHeldByQuietHours(dueAt: Date, now: Date, quiet: QuietHours | undefined, tz: string): boolean {
  if (!isInQuietHours(now, quiet, tz) || !quiet) return false;
  // An action scheduled inside this very window (e.g. a deadline configured at 22:00) goes at its time.
  if (isInQuietHours(dueAt, quiet, tz) && quietEnd(dueAt, quiet, tz).getTime() === quietEnd(now, quiet, tz).getTime()) {
    return false;
  }
  return true;
}

export interface PlanInput {
  clusters: readonly PlannerCluster[];
  /** ledger keys already present (any status): those actions are never planned again */
  done: ReadonlySet<string> | ((key: string) => boolean);
  now: Date;
  graceMs?: number | undefined;
}

/**
 * The actions due at `now` that the ledger does not know yet, earliest first.
 * - due = dueAt ≤ now (dueAt already has quiet hours applied for openings and reminders);
 * - stale (recorded as skipped, never sent): missed for longer than the grace window, counting only time outside
 *   quiet hours; or an opening or reminder whose period's deadline has passed;
 * - held (left out, planned again on the next tick): `now` is inside quiet hours that began after the action
 *   fell due — catch-up after downtime waits for the morning. Stale actions are returned even then, since
 *   recording a skip sends nothing.
 * @example dueActions({ clusters, done: new Set(), now }) // [{ key: "btc-5tp:2026-Q3:open", stale: false, … }]
 */
export function dueActions(input: PlanInput): PlannedAction[] {
  const grace = input.graceMs ?? DEFAULT_GRACE_MS;
  const now = input.now;
  const done = input.done;
  const isDone = typeof done === "function" ? done : (k: string) => done.has(k);
  const out: PlannedAction[] = [];
  for (const cluster of input.clusters) {
    const quiet = cluster.calendar.quietHours;
    for (const a of plannedActions(cluster, now)) {
      if (a.dueAt.getTime() > now.getTime() || isDone(a.key)) continue;
      let staleReason: StaleReason | undefined;
      if ((a.kind === "open" || a.kind === "reminder") && now.getTime() >= a.dates.deadline.getTime()) {
        staleReason = "after_deadline";
      } else if (
        now.getTime() - a.dueAt.getTime() > grace &&
        sendableMs(a.dueAt, now, quiet, cluster.timezone, grace) > grace
      ) {
        staleReason = "grace";
      }
      if (!staleReason && isHeldByQuietHours(a.dueAt, now, quiet, cluster.timezone)) continue;
      out.push({ ...a, stale: staleReason !== undefined, staleReason });
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
