// Executes the scheduler's ledger: an action claimed in `scheduled_actions` (the unique key
// makes two processes, a restart or a clock jump run it once) is fanned out with one
// `message_deliveries` row per recipient (a process killed mid-fan-out is resumed without
// sending to the recipients already served), then its ledger row is finished with the
// counts. What is due, and when, is decided elsewhere (domain/planner.ts, scheduler.service.ts).
import type { Repositories } from "../db/index.ts";
import type { LedgerAction } from "../db/ledger.repository.ts";
import type { Board, Cluster, Person } from "../domain/entities.ts";
import { parsePeriodKey } from "../domain/period.ts";
import { actionKey, type PlannedAction } from "../domain/planner.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import { createFanOut, emptyFanOut, type FanOutResult, type Outgoing } from "./fan-out.ts";
import { GroupPostError, type GroupPostFailure } from "./group.service.ts";
import { createLeases, type Every, type Lease, LeaseLostError } from "./lease.ts";
import type { Messenger, Notice } from "./messenger.ts";
import type { Sleep } from "./pacer.ts";
import type { PeriodService } from "./period.service.ts";
import type { StatusService } from "./status.service.ts";
import {
  APPROVAL_NOTICE_KIND,
  APPROVAL_REQUEST_KIND,
  parseApprovalNotice,
  parseApprovalRequest,
  parseSubmissionNotice,
  parseUnlockNotice,
  SUBMISSION_NOTICE_KIND,
  UNLOCK_NOTICE_KIND,
} from "./submission-notice.ts";

/** Posts the ranked summary of a period to the cluster's group (provided by the summary feature). */
export type SummaryPoster = (cluster: Cluster, ref: PeriodRef) => Promise<void>;

export interface LedgerExecutorDeps {
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
  /** a claim its claimer has not renewed for this long is taken over: the claimer died (default 20 s) */
  leaseMs?: number | undefined;
  /** the lease's renewal timer (tests drive it by hand) */
  every?: Every | undefined;
  /** a failed group post is tried again this long after (default 15 min), until the briefing */
  retryFailedPostMs?: number | undefined;
  /** pace of this process's sends (default 25/s, under Telegram's ~30/s) */
  sendsPerSecond?: number | undefined;
  sleep?: Sleep | undefined;
  /** sends in flight at once within one fan-out (default 4) */
  fanOutConcurrency?: number | undefined;
  /** submitted reports of active boards in a period, and the active boards (the submission notice's counts) */
  submittedCount: (periodId: number, clusterId: number) => Promise<{ submitted: number; boards: number }>;
}

export type ActionOutcome = "done" | "skipped" | "failed";

function countInto(line: TickLine, result: FanOutResult): void {
  line.recipients = result.recipients;
  line.sent = result.sent;
  line.blocked = result.blocked;
  line.failed = result.failed;
  if (result.failed > 0) line.outcome = "failed";
}

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
  /** this run stopped when another instance took the action over (the taker sends the rest) */
  takenOver?: boolean | undefined;
}

/** The reminder of a period as it would go now: who gets it, and what the chair is told about the rest. */
export interface ReminderAudience {
  messages: Outgoing[];
  /** boards that have not submitted */
  openBoards: number;
  /** short names of boards not submitted that have no secretary in the bot */
  withoutSecretary: string[];
}

function personName(p: Person): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || (p.username ? `@${p.username}` : String(p.telegramId));
}

export function createLedgerExecutor(deps: LedgerExecutorDeps) {
  const { repos, periods, status, messenger, clock, logger, instanceId } = deps;
  const leases = createLeases({
    ledger: repos.ledger,
    clock,
    instanceId,
    leaseMs: deps.leaseMs,
    every: deps.every,
    onError: (err, key) => logger.error({ err, key }, "lease not renewed"),
  });
  const retryFailedPostMs = deps.retryFailedPostMs ?? 15 * 60_000;
  const { send, fanOut } = createFanOut({
    ledger: repos.ledger,
    messenger,
    clock,
    logger,
    sendsPerSecond: deps.sendsPerSecond,
    sleep: deps.sleep,
    concurrency: deps.fanOutConcurrency,
  });

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

  async function reminderMessages(
    cluster: Cluster,
    ref: PeriodRef,
    now: Date,
    manual: boolean,
  ): Promise<ReminderAudience> {
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

  async function tellChairs(cluster: Cluster, notice: Notice): Promise<void> {
    for (const { person } of await repos.people.members(cluster.id, ["chair"])) await send(person.telegramId, notice);
  }

  /**
   * One delivery row guards the post, so a resumed action does not post twice; a failure (no group, bot
   * removed, any error) is told to the chair once and retried by later ticks until the briefing.
   */
  async function postSummary(
    action: LedgerAction,
    cluster: Cluster,
    ref: PeriodRef,
    lease: Lease,
    retrying: boolean,
    line: TickLine,
  ): Promise<FanOutResult> {
    const chatId = cluster.groupChatId;
    const result = { ...emptyFanOut(), recipients: 1 };
    let failure: GroupPostFailure | null = null;
    if (chatId === null) {
      failure = "no_group";
      result.failed = 1;
      line.detail = "no group chat";
    } else {
      await lease.ensureHeld();
      if (!(await repos.ledger.reserveDelivery(action.id, chatId))) return { ...result, recipients: 0 };
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
    if (!failure && retrying) await tellChairs(cluster, { kind: "group_post_retried", ref });
    return result;
  }

  /** Records the outcome on the action's ledger row, if this instance still holds it. */
  async function finish(action: LedgerAction, line: TickLine): Promise<TickLine> {
    try {
      const detail = JSON.stringify({
        recipients: line.recipients,
        sent: line.sent,
        blocked: line.blocked,
        failed: line.failed,
        ...(line.detail ? { note: line.detail } : {}),
      });
      if (!(await repos.ledger.finish(action.id, instanceId, line.outcome, detail, clock.now()))) {
        logger.warn({ key: action.key }, "action taken over by another instance before it was finished here");
      }
    } catch (err) {
      // left "claimed": another instance takes it over when the lease runs out, skipping served recipients
      logger.error({ err, key: action.key }, "ledger row not finished");
    }
    return line;
  }

  /** The chair and deputy are told that a board submitted (a ledger action written with the submission). */
  async function notifySubmission(action: LedgerAction, lease: Lease): Promise<FanOutResult> {
    const d = parseSubmissionNotice(action.detail);
    if (!d || action.periodId === null) throw new Error(`action ${action.key}: no notice in its detail`);
    const [counts, members] = await Promise.all([
      deps.submittedCount(action.periodId, action.clusterId),
      repos.people.members(action.clusterId, ["chair", "deputy"]),
    ]);
    const notice: Notice = {
      kind: "report_submitted",
      boardShortName: d.boardShortName,
      submitted: counts.submitted,
      total: counts.boards,
      late: d.late,
      revision: d.revision,
    };
    const to = members.filter(({ person }) => person.id !== d.submitterPersonId);
    return fanOut(
      action,
      to.map(({ person }) => ({ chatId: person.telegramId, notice })),
      lease.ensureHeld,
    );
  }

  /** One notice to the people holding `role` on a board, as they are when the action runs. */
  async function tellBoard(
    action: LedgerAction,
    lease: Lease,
    role: "secretary" | "leader",
    boardId: number,
    notice: Notice,
  ): Promise<FanOutResult> {
    const to = (await repos.people.members(action.clusterId, [role])).filter(
      ({ membership }) => membership.boardId === boardId,
    );
    return fanOut(
      action,
      to.map(({ person }) => ({ chatId: person.telegramId, notice })),
      lease.ensureHeld,
    );
  }

  /** The secretaries of a board are told what its leader decided (a ledger action written with the decision). */
  async function notifyDecision(action: LedgerAction, lease: Lease): Promise<FanOutResult> {
    const d = parseApprovalNotice(action.detail);
    if (!d) throw new Error(`action ${action.key}: no notice in its detail`);
    const notice: Notice = {
      kind: "approval_decided",
      decision: d.decision,
      boardName: d.boardName,
      ref: d.ref,
      reason: d.reason,
    };
    return tellBoard(action, lease, "secretary", d.boardId, notice);
  }

  /**
   * The leaders of a board are asked to approve its submitted report (a ledger action written with the
   * submission). A request taken over late is not sent if the report no longer waits at that revision.
   */
  async function askApproval(action: LedgerAction, lease: Lease): Promise<FanOutResult> {
    const d = parseApprovalRequest(action.detail);
    if (!d) throw new Error(`action ${action.key}: no request in its detail`);
    const report = await repos.reports.byId(d.request.reportId);
    if (report?.approval !== "pending" || report.status !== "submitted" || report.revision !== d.request.revision) {
      return emptyFanOut();
    }
    const notice: Notice = { kind: "approval_requested", ...d.request };
    return tellBoard(action, lease, "leader", d.boardId, notice);
  }

  /**
   * The secretaries of a board are told that a chair unlocked its report (a ledger action written with the
   * unlock). A notice taken over late is not sent if that unlock has run out or a later unlock replaced it
   * (the later one has its own notice): it would tell them a time that is no longer true.
   */
  async function notifyUnlock(action: LedgerAction, lease: Lease): Promise<FanOutResult> {
    const d = parseUnlockNotice(action.detail);
    if (!d) throw new Error(`action ${action.key}: no notice in its detail`);
    const until = new Date(d.until);
    const report = await repos.reports.byId(d.reportId);
    if (report?.unlockedUntil?.getTime() !== until.getTime() || until.getTime() <= clock.now().getTime()) {
      return emptyFanOut();
    }
    const notice: Notice = { kind: "report_unlocked", ref: d.ref, until, tz: d.tz, by: d.by ?? "chair" };
    return tellBoard(action, lease, "secretary", d.boardId, notice);
  }

  /** Notices written with a person's decision, in its transaction: they need no cluster or period lookup. */
  const decisionNotices: Record<string, (action: LedgerAction, lease: Lease) => Promise<FanOutResult>> = {
    [SUBMISSION_NOTICE_KIND]: notifySubmission,
    [APPROVAL_NOTICE_KIND]: notifyDecision,
    [APPROVAL_REQUEST_KIND]: askApproval,
    [UNLOCK_NOTICE_KIND]: notifyUnlock,
  };

  /**
   * Runs a claimed action to its end, renewing its lease meanwhile, and finishes its ledger row. Never throws:
   * a failure is logged and recorded on the row; an action taken over by another instance (this one could
   * not renew its lease) is left to the taker. `retrying`: a failed group post taken up again (the chair was
   * told already).
   */
  async function execute(action: LedgerAction, now: Date, resumed: boolean, retrying = false): Promise<TickLine> {
    const lease = leases.hold(action);
    try {
      return await executeHeld(action, lease, now, resumed, retrying);
    } finally {
      lease.release();
    }
  }

  async function executeHeld(
    action: LedgerAction,
    lease: Lease,
    now: Date,
    resumed: boolean,
    retrying: boolean,
  ): Promise<TickLine> {
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
      const notify = Object.hasOwn(decisionNotices, action.kind) ? decisionNotices[action.kind] : undefined;
      if (notify) {
        countInto(line, await notify(action, lease));
        return await finish(action, line);
      }
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
          result = await fanOut(action, messages, lease.ensureHeld);
          break;
        }
        case "reminder":
        case "manual_reminder": {
          const r = await reminderMessages(cluster, ref, now, action.kind === "manual_reminder");
          result = await fanOut(action, r.messages, lease.ensureHeld);
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
            lease.ensureHeld,
          );
          line.detail = `${report.submitted}/${report.boards.length} submitted`;
          break;
        }
        case "summary_post": {
          result = await postSummary(action, cluster, ref, lease, retrying, line);
          break;
        }
        default:
          throw new Error(`unknown action kind ${action.kind}`);
      }
      if (result) {
        countInto(line, result);
        if (result.blockedPeople.length > 0) await reportBlocked(cluster, ref, action.periodId, result);
      }
    } catch (err) {
      if (err instanceof LeaseLostError) {
        logger.warn({ key: action.key }, "action taken over by another instance; this one stops");
        return { ...line, outcome: "failed", detail: "taken over", takenOver: true };
      }
      logger.error({ err, key: action.key }, "scheduled action failed");
      line.outcome = "failed";
      line.detail = err instanceof Error ? err.message : String(err);
    }
    return finish(action, line);
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

  return {
    execute,
    claimAndRun,
    /** The reminder of `ref` as it would go now (/nhacnho reports the boards it could not reach). */
    reminderAudience: (cluster: Cluster, ref: PeriodRef, now: Date) => reminderMessages(cluster, ref, now, true),

    /** Takes over the claims whose claimer died (not renewed for a lease) and finishes them. */
    async resumeStale(now: Date): Promise<TickLine[]> {
      const lines: TickLine[] = [];
      const staleBefore = new Date(clock.now().getTime() - leases.leaseMs);
      for (const row of await repos.ledger.unfinished()) {
        if (row.claimedAt.getTime() >= staleBefore.getTime()) continue;
        const taken = await repos.ledger.reclaimStale(row.key, staleBefore, instanceId, clock.now());
        if (!taken) continue;
        logger.warn({ key: row.key, previous: row.claimedBy }, "resuming an action left unfinished");
        lines.push(await execute(taken, now, true));
      }
      return lines;
    },

    /** Failed group posts: again every retryFailedPostMs until the period's briefing. */
    async retryFailedPosts(now: Date): Promise<TickLine[]> {
      const lines: TickLine[] = [];
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
      return lines;
    },
  };
}

export type LedgerExecutor = ReturnType<typeof createLedgerExecutor>;
