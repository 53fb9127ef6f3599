// Runs the calendar: each tick plans the due actions (domain/planner.ts), claims each
// one in the ledger BEFORE sending anything (the unique key makes two processes, a
// restart or a clock jump do it once), fans the messages out with one delivery row per
// recipient (a process killed mid-fan-out is resumed by the next tick without sending
// twice), and finishes the ledger row with the counts.
import type { Repositories } from "../db/index.ts";
import type { LedgerAction } from "../db/ledger.repository.ts";
import type { PeriodField } from "../db/period.repository.ts";
import { isInQuietHours, opensAtRule } from "../domain/calendar.ts";
import { parseDateField } from "../domain/chat-words.ts";
import type { Board, Cluster, Period, Person } from "../domain/entities.ts";
import { parsePeriod, parsePeriodKey, periodKey } from "../domain/period.ts";
import { actionKey, DEFAULT_GRACE_MS, dueActions, type PlannedAction, plannedActions } from "../domain/planner.ts";
import type { PeriodDateField, PeriodDates, PeriodError, PeriodRef } from "../domain/types.ts";
import { daysInMonth, instantToZonedParts, zonedLocalToInstant } from "../domain/zoned-time.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import { GroupPostError, type GroupPostFailure } from "./group.service.ts";
import type { Messenger, Notice, SendOutcome } from "./messenger.ts";
import { datesOf, type PeriodService } from "./period.service.ts";
import type { StatusService } from "./status.service.ts";

/** Posts the ranked summary of a period to the cluster's group (provided by the summary feature). */
export type SummaryPoster = (cluster: Cluster, ref: PeriodRef) => Promise<void>;

export interface SchedulerDeps {
  repos: Repositories;
  periods: PeriodService;
  status: StatusService;
  messenger: Messenger;
  /** real time: claim stamps and stale-claim detection (the planned `now` may be simulated, `cli tick --at`) */
  clock: Clock;
  logger: Logger;
  /** who claims actions in the ledger (host:pid or similar) */
  instanceId: string;
  summaryPoster?: SummaryPoster | undefined;
  /** missed actions older than this are recorded as skipped (default 12 h) */
  graceMs?: number | undefined;
  /** a claim unfinished for this long is taken over: its claimer died (default 5 min) */
  reclaimAfterMs?: number | undefined;
  /** a failed group post is tried again this long after (default 15 min), until the briefing */
  retryFailedPostMs?: number | undefined;
  /** pace of this process's sends (default 25/s, under Telegram's ~30/s) */
  sendsPerSecond?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export type ActionOutcome = "done" | "skipped" | "failed";

/** One action a tick did (or recorded as skipped). */
export interface TickLine {
  key: string;
  kind: string;
  dueAt: Date;
  outcome: ActionOutcome;
  /** recipients of this run (already-served ones of a resumed run not included) */
  recipients: number;
  sent: number;
  blocked: number;
  failed: number;
  /** why skipped or failed, or what happened ("no group chat", "all submitted") */
  detail?: string | undefined;
  /** a claim left unfinished by a dead process, taken over */
  resumed?: boolean | undefined;
  /** a failed group post tried again */
  retry?: boolean | undefined;
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

export type MoveError =
  | { code: "unknown_cluster" }
  | { code: "bad_period"; error: PeriodError }
  | { code: "bad_field"; field: string }
  | { code: "bad_date"; input: string }
  | { code: "no_indicators" }
  | { code: "order"; field: PeriodDateField; relation: "before" | "after"; other: PeriodDateField; otherAt: Date };

export type MoveResult =
  | { ok: true; ref: PeriodRef; field: PeriodDateField; at: Date; period: Period; tz: string; alreadySent: boolean }
  | { ok: false; error: MoveError };

export { parseDateField } from "../domain/chat-words.ts";

/**
 * A local date and time as a chair types it, in zone `tz`: "2026-10-07 17:00", "2026-10-07T17:00",
 * "07/10/2026 17:00", "7/10/2026 17h", "17:00 07/10/2026". Day first in the slash form (Vietnamese order).
 * @example parseChatDateTime("07/10/2026 17:00", "Asia/Ho_Chi_Minh") // 2026-10-07T10:00:00.000Z
 */
export function parseChatDateTime(input: string, tz: string): Date | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, " ");
  const date = String.raw`(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.](\d{1,2})[/.](\d{4})`;
  const time = String.raw`(\d{1,2})(?::|h)(\d{2})?`;
  const dateFirst = new RegExp(`^(?:${date})(?:t| )${time}$`).exec(s);
  const timeFirst = dateFirst ? null : new RegExp(`^${time} (?:ngay )?(?:${date})$`).exec(s);
  let y: number;
  let mo: number;
  let d: number;
  let h: number;
  let mi: number;
  if (dateFirst) {
    [y, mo, d] = dateFirst[1]
      ? [Number(dateFirst[1]), Number(dateFirst[2]), Number(dateFirst[3])]
      : [Number(dateFirst[6]), Number(dateFirst[5]), Number(dateFirst[4])];
    h = Number(dateFirst[7]);
    mi = Number(dateFirst[8] ?? 0);
  } else if (timeFirst) {
    h = Number(timeFirst[1]);
    mi = Number(timeFirst[2] ?? 0);
    [y, mo, d] = timeFirst[3]
      ? [Number(timeFirst[3]), Number(timeFirst[4]), Number(timeFirst[5])]
      : [Number(timeFirst[8]), Number(timeFirst[7]), Number(timeFirst[6])];
  } else {
    return null;
  }
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59) return null;
  return zonedLocalToInstant(y, mo, d, h, mi, tz);
}

const FIELD_COLUMN: Record<PeriodDateField, PeriodField> = {
  opens: "opensAt",
  deadline: "deadline",
  briefing: "briefingAt",
  post: "summaryPostAt",
};

/** The scheduled event each field drives (briefing drives none by itself). */
const FIELD_EVENT: Record<PeriodDateField, string | null> = {
  opens: "open",
  deadline: "deadline",
  briefing: null,
  post: "summary_post",
};

/** Order a period's dates must keep: [earlier, later, strictly]. */
const ORDER: [PeriodDateField, PeriodDateField, boolean][] = [
  ["opens", "deadline", true],
  ["deadline", "post", false],
  ["deadline", "briefing", true],
  ["post", "briefing", false],
];

function checkOrder(dates: Record<PeriodDateField, Date>, field: PeriodDateField): MoveError | null {
  for (const [early, late, strict] of ORDER) {
    if (early !== field && late !== field) continue;
    const a = dates[early].getTime();
    const b = dates[late].getTime();
    if (strict ? a < b : a <= b) continue;
    return field === early
      ? { code: "order", field, relation: "before", other: late, otherAt: dates[late] }
      : { code: "order", field, relation: "after", other: early, otherAt: dates[early] };
  }
  return null;
}

interface Outgoing {
  chatId: bigint;
  notice: Notice;
  /** the secretary this goes to, for the blocked notice */
  person?: Person | undefined;
  boardName?: string | undefined;
}

interface FanOutResult {
  recipients: number;
  sent: number;
  blocked: number;
  failed: number;
  alreadyServed: number;
  blockedPeople: { person: Person; boardName: string }[];
}

const pad = (n: number) => String(n).padStart(2, "0");

function personName(p: Person): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || (p.username ? `@${p.username}` : String(p.telegramId));
}

function createPacer(perSecond: number, sleep: (ms: number) => Promise<void>) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const t = performance.now();
    const wait = next - t;
    next = Math.max(t, next) + interval;
    if (wait > 0) await sleep(wait);
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSchedulerService(deps: SchedulerDeps) {
  const { repos, periods, status, messenger, clock, logger, instanceId } = deps;
  const graceMs = deps.graceMs ?? DEFAULT_GRACE_MS;
  const reclaimAfterMs = deps.reclaimAfterMs ?? 5 * 60_000;
  const retryFailedPostMs = deps.retryFailedPostMs ?? 15 * 60_000;
  const pace = createPacer(deps.sendsPerSecond ?? 25, deps.sleep ?? realSleep);

  async function send(chatId: bigint, notice: Notice): Promise<SendOutcome> {
    await pace();
    try {
      return await messenger.tell(chatId, notice);
    } catch (err) {
      logger.error({ err, chatId: String(chatId) }, "send threw");
      return "failed";
    }
  }

  /** Sends to each recipient once across runs of the same action; a failure never stops the others. */
  async function fanOut(action: LedgerAction, messages: Outgoing[]): Promise<FanOutResult> {
    const r: FanOutResult = { recipients: 0, sent: 0, blocked: 0, failed: 0, alreadyServed: 0, blockedPeople: [] };
    const seen = new Set<bigint>();
    for (const m of messages) {
      if (seen.has(m.chatId)) continue;
      seen.add(m.chatId);
      if (!(await repos.ledger.reserveDelivery(action.id, m.chatId))) {
        r.alreadyServed++;
        continue;
      }
      r.recipients++;
      const outcome = await send(m.chatId, m.notice);
      r[outcome]++;
      if (outcome === "blocked" && m.person) r.blockedPeople.push({ person: m.person, boardName: m.boardName ?? "" });
      try {
        await repos.ledger.recordDelivery(
          action.id,
          m.chatId,
          outcome,
          outcome === "sent" ? null : outcome,
          clock.now(),
        );
      } catch (err) {
        logger.error({ err, key: action.key }, "delivery not recorded");
      }
    }
    return r;
  }

  /** Secretaries of the cluster's active boards, optionally only of some boards. */
  async function secretaries(cluster: Cluster, boardIds?: Set<number>) {
    const boards = new Map((await repos.clusters.boards(cluster.id)).map((b) => [b.id, b]));
    const out: { person: Person; board: Board }[] = [];
    for (const { membership, person } of await repos.people.members(cluster.id, ["secretary"])) {
      const board = membership.boardId === null ? undefined : boards.get(membership.boardId);
      if (!board || (boardIds && !boardIds.has(board.id))) continue;
      out.push({ person, board });
    }
    return out;
  }

  async function leaders(cluster: Cluster): Promise<Person[]> {
    const seen = new Set<bigint>();
    const out: Person[] = [];
    for (const { person } of await repos.people.members(cluster.id, ["chair", "deputy"])) {
      if (seen.has(person.telegramId)) continue;
      seen.add(person.telegramId);
      out.push(person);
    }
    return out;
  }

  /** Tells the chair and deputy once per period about each secretary Telegram refused to deliver to. */
  async function reportBlocked(cluster: Cluster, ref: PeriodRef, periodId: number | null, found: FanOutResult) {
    const fresh: string[] = [];
    for (const { person, boardName } of found.blockedPeople) {
      const claimed = await repos.ledger.claim(
        {
          key: actionKey(cluster.code, ref, `blocked:${person.id}`),
          clusterId: cluster.id,
          periodId,
          kind: "blocked_notice",
          dueAt: clock.now(),
          claimedBy: instanceId,
          status: "done",
        },
        clock.now(),
      );
      if (claimed) fresh.push(boardName ? `${personName(person)} (${boardName})` : personName(person));
    }
    if (fresh.length === 0) return;
    for (const p of await leaders(cluster)) await send(p.telegramId, { kind: "blocked_people", names: fresh });
  }

  async function reminderMessages(cluster: Cluster, ref: PeriodRef, now: Date, manual: boolean) {
    const view = await periods.view(cluster, ref, now);
    const report = await status.forPeriod(cluster, view);
    const open = report.boards.filter((b) => b.state !== "submitted");
    const byBoard = new Map(open.map((b) => [b.board.id, b]));
    const secs = await secretaries(cluster, new Set(byBoard.keys()));
    const withSecretary = new Set(secs.map((s) => s.board.id));
    const messages: Outgoing[] = secs.map(({ person, board }) => {
      const st = byBoard.get(board.id)!;
      return {
        chatId: person.telegramId,
        person,
        boardName: board.shortName,
        notice: {
          kind: "reminder",
          ref,
          boardName: board.name,
          deadline: view.dates.deadline,
          tz: cluster.timezone,
          now,
          missing: Math.max(st.total - st.answered, 0),
          total: st.total,
          manual,
        },
      };
    });
    return {
      messages,
      openBoards: open.length,
      withoutSecretary: open.filter((b) => !withSecretary.has(b.board.id)).map((b) => b.board.shortName),
    };
  }

  /** Runs a claimed action to its end and finishes its ledger row. Never throws. */
  async function tellChairs(cluster: Cluster, notice: Notice): Promise<void> {
    for (const { person } of await repos.people.members(cluster.id, ["chair"])) await send(person.telegramId, notice);
  }

  /** `retrying`: a failed group post taken up again (the chair was told of the failure already). */
  async function execute(action: LedgerAction, now: Date, resumed: boolean, retrying = false): Promise<TickLine> {
    const line: TickLine = {
      key: action.key,
      kind: action.kind,
      dueAt: action.dueAt,
      outcome: "done",
      recipients: 0,
      sent: 0,
      blocked: 0,
      failed: 0,
      resumed: resumed || undefined,
    };
    try {
      const cluster = await repos.clusters.findById(action.clusterId);
      const ref = parsePeriodKey(action.key.split(":")[1] ?? "");
      if (!cluster || !ref) throw new Error(`action ${action.key}: unknown cluster or period`);
      let result: FanOutResult | null = null;
      switch (action.kind) {
        case "open": {
          const view = await periods.view(cluster, ref, now);
          const total = await status.indicatorCount(cluster, view);
          const messages = (await secretaries(cluster)).map(({ person, board }) => ({
            chatId: person.telegramId,
            person,
            boardName: board.shortName,
            notice: {
              kind: "period_opened" as const,
              ref,
              boardName: board.name,
              deadline: view.dates.deadline,
              tz: cluster.timezone,
              now,
              total,
            },
          }));
          result = await fanOut(action, messages);
          break;
        }
        case "reminder":
        case "manual_reminder": {
          const r = await reminderMessages(cluster, ref, now, action.kind === "manual_reminder");
          result = await fanOut(action, r.messages);
          if (r.openBoards === 0) line.detail = "all submitted";
          else if (r.withoutSecretary.length > 0) line.detail = `no secretary: ${r.withoutSecretary.join(", ")}`;
          break;
        }
        case "deadline": {
          const view = await periods.view(cluster, ref, now);
          const report = await status.forPeriod(cluster, view);
          const missing = report.boards.filter((b) => b.state !== "submitted");
          const notice: Notice = {
            kind: "deadline_list",
            ref,
            deadline: view.dates.deadline,
            tz: cluster.timezone,
            submitted: report.submitted,
            boards: report.boards.length,
            missing: missing.map((b) => ({ shortName: b.board.shortName, answered: b.answered, total: b.total })),
            blocked: report.blocked.map((x) => `${x.name} (${x.board})`),
          };
          result = await fanOut(
            action,
            (await leaders(cluster)).map((p) => ({ chatId: p.telegramId, notice })),
          );
          line.detail = `${report.submitted}/${report.boards.length} submitted`;
          break;
        }
        case "summary_post": {
          // one delivery row guards the post, so a resumed action does not post twice; a failure (no group,
          // bot removed, any error) is told to the chair once and retried by later ticks until the briefing
          const chatId = cluster.groupChatId;
          result = { recipients: 1, sent: 0, blocked: 0, failed: 0, alreadyServed: 0, blockedPeople: [] };
          let failure: GroupPostFailure | null = null;
          if (chatId === null) {
            failure = "no_group";
            result.failed = 1;
            line.detail = "no group chat";
          } else if (!(await repos.ledger.reserveDelivery(action.id, chatId))) {
            result.recipients = 0;
          } else {
            try {
              if (deps.summaryPoster) await deps.summaryPoster(cluster, ref);
              else {
                const outcome = await send(chatId, { kind: "summary_ready", ref, clusterName: cluster.name });
                if (outcome !== "sent") throw new GroupPostError(outcome === "blocked" ? "refused" : "failed");
              }
              result.sent = 1;
              await repos.ledger.recordDelivery(action.id, chatId, "sent", null, clock.now());
            } catch (err) {
              logger.error({ err, key: action.key }, "summary post failed");
              failure = err instanceof GroupPostError ? err.reason : "failed";
              result.failed = 1;
              await repos.ledger.recordDelivery(action.id, chatId, "failed", String(err), clock.now());
            }
          }
          if (failure && !retrying) await tellChairs(cluster, { kind: "group_post_failed", ref, failure });
          if (!failure && retrying && result.sent === 1) await tellChairs(cluster, { kind: "group_post_retried", ref });
          break;
        }
        default:
          throw new Error(`unknown action kind ${action.kind}`);
      }
      if (result) {
        line.recipients = result.recipients;
        line.sent = result.sent;
        line.blocked = result.blocked;
        line.failed = result.failed;
        if (result.failed > 0) line.outcome = "failed";
        if (result.blockedPeople.length > 0) await reportBlocked(cluster, ref, action.periodId, result);
      }
    } catch (err) {
      logger.error({ err, key: action.key }, "scheduled action failed");
      line.outcome = "failed";
      line.detail = err instanceof Error ? err.message : String(err);
    }
    try {
      const detail = JSON.stringify({
        recipients: line.recipients,
        sent: line.sent,
        blocked: line.blocked,
        failed: line.failed,
        ...(line.detail ? { note: line.detail } : {}),
      });
      await repos.ledger.finish(action.id, line.outcome, detail, clock.now());
    } catch (err) {
      // left "claimed": the next tick after reclaimAfterMs resumes it, skipping served recipients
      logger.error({ err, key: action.key }, "ledger row not finished");
    }
    return line;
  }

  /** Claims one planned action (stale ones straight into "skipped") and runs it if this process won. */
  async function claimAndRun(cluster: Cluster, a: PlannedAction, now: Date): Promise<TickLine | null> {
    let periodId: number | null;
    if (a.stale) {
      periodId = (await repos.periods.find(cluster.id, a.period))?.id ?? null;
      const row = await repos.ledger.claim(
        {
          key: a.key,
          clusterId: cluster.id,
          periodId,
          kind: a.kind,
          dueAt: a.dueAt,
          claimedBy: instanceId,
          status: "skipped",
          detail: a.staleReason === "after_deadline" ? "stale: after the deadline" : "stale: missed the grace window",
        },
        clock.now(),
      );
      if (!row) return null;
      return {
        key: a.key,
        kind: a.kind,
        dueAt: a.dueAt,
        outcome: "skipped",
        recipients: 0,
        sent: 0,
        blocked: 0,
        failed: 0,
        detail: row.detail ?? undefined,
      };
    }
    periodId = (await periods.ensure(cluster, a.period)).id;
    const row = await repos.ledger.claim(
      { key: a.key, clusterId: cluster.id, periodId, kind: a.kind, dueAt: a.dueAt, claimedBy: instanceId },
      clock.now(),
    );
    return row ? execute(row, now, false) : null;
  }

  async function storedDates(cluster: Cluster): Promise<Map<string, PeriodDates>> {
    return new Map((await repos.periods.list(cluster.id, 8)).map((p) => [periodKey(p), datesOf(p)]));
  }

  return {
    /** Runs everything due as of `now`; one line per action this process did. Never throws for one action. */
    async tick(now: Date): Promise<TickLine[]> {
      const lines: TickLine[] = [];
      const staleBefore = new Date(clock.now().getTime() - reclaimAfterMs);
      for (const row of await repos.ledger.unfinished()) {
        if (row.claimedAt.getTime() >= staleBefore.getTime()) continue;
        const taken = await repos.ledger.reclaimStale(row.key, staleBefore, instanceId, clock.now());
        if (!taken) continue;
        logger.warn({ key: row.key, previous: row.claimedBy }, "resuming an action left unfinished");
        lines.push(await execute(taken, now, true));
      }
      // failed group posts: again every retryFailedPostMs until the briefing
      const retryBefore = new Date(clock.now().getTime() - retryFailedPostMs);
      for (const row of await repos.ledger.failedBefore("summary_post", retryBefore)) {
        try {
          const cluster = await repos.clusters.findById(row.clusterId);
          const ref = parsePeriodKey(row.key.split(":")[1] ?? "");
          if (!cluster || !ref) continue;
          if (now.getTime() >= (await periods.view(cluster, ref, now)).dates.briefingAt.getTime()) continue;
          const taken = await repos.ledger.retryFailed(row.key, retryBefore, instanceId, clock.now());
          if (taken) lines.push({ ...(await execute(taken, now, false, true)), retry: true });
        } catch (err) {
          logger.error({ err, key: row.key }, "could not retry a failed group post");
        }
      }
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
              const line = await claimAndRun(cluster, a, now);
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
      const r = await reminderMessages(cluster, view.ref, now, true);
      // The claim was won: run it through execute() so the ledger row is finished like any other.
      const line = await execute(row, now, false);
      return {
        ok: true,
        ref: view.ref,
        reminded: line.sent,
        boards: r.openBoards,
        notDelivered: line.blocked + line.failed,
        withoutSecretary: r.withoutSecretary,
      };
    },

    /**
     * /lich: a chair moves one date of one period. `period` and `when` are as typed ("Q3", "07/10/2026 17:00",
     * local to the cluster). The period row is created if needed; the move is audited by the repository.
     */
    async movePeriodDate(input: {
      clusterId: number;
      actorPersonId: number;
      period: string;
      field: string;
      when: string;
      now: Date;
    }): Promise<MoveResult> {
      const cluster = await repos.clusters.findById(input.clusterId);
      if (!cluster) return { ok: false, error: { code: "unknown_cluster" } };
      const tz = cluster.timezone;
      const parsed = parsePeriod(input.period, input.now, tz, opensAtRule(cluster.calendar, tz, cluster.overrides));
      if (!parsed.ok) return { ok: false, error: { code: "bad_period", error: parsed.error } };
      const field = parseDateField(input.field);
      if (!field) return { ok: false, error: { code: "bad_field", field: input.field } };
      const at = parseChatDateTime(input.when, tz);
      if (!at) return { ok: false, error: { code: "bad_date", input: input.when } };
      const ref = parsed.value;
      let period: Period;
      try {
        period = await periods.ensure(cluster, ref);
      } catch {
        return { ok: false, error: { code: "no_indicators" } };
      }
      const current: Record<PeriodDateField, Date> = {
        opens: period.opensAt,
        deadline: period.deadline,
        briefing: period.briefingAt,
        post: period.summaryPostAt,
      };
      const conflict = checkOrder({ ...current, [field]: at }, field);
      if (conflict) return { ok: false, error: conflict };
      const moved = await repos.periods.moveDate(period.id, FIELD_COLUMN[field], at, input.actorPersonId, input.now);
      const event = FIELD_EVENT[field];
      const alreadySent =
        event !== null &&
        (await repos.ledger.keys(cluster.id, [actionKey(cluster.code, ref, event)])).size > 0 &&
        at.getTime() > input.now.getTime();
      return { ok: true, ref, field, at, period: moved, tz, alreadySent };
    },
  };
}

export type SchedulerService = ReturnType<typeof createSchedulerService>;
