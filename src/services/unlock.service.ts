// A chair or deputy lets one board correct its submitted report after the deadline,
// for a limited time; the board's secretaries are told. The unlock, its audit entry and
// the notice (a ledger action) are one transaction, so a crash after the commit cannot
// lose the notice: another instance takes it over (src/services/ledger-executor.ts).

import type { Repositories } from "../db/index.ts";
import type { Board, Cluster } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import type { PeriodView } from "./period.service.ts";
import {
  type LedgerNotices,
  type NoticeRun,
  UNLOCK_NOTICE_KIND,
  type UnlockNoticeDetail,
  unlockNoticeKey,
} from "./submission-notice.ts";

export const DEFAULT_UNLOCK_HOURS = 48;
export const MAX_UNLOCK_HOURS = 24 * 14;

export type UnlockOutcome =
  | {
      ok: true;
      board: Board;
      ref: PeriodRef;
      until: Date;
      /** secretaries told by now */
      notified: number;
      /** the notice is still on its way to some of them (it is sent by another attempt, not lost) */
      pending: boolean;
    }
  | { ok: false; code: "unknown_board"; codes: string[] }
  | { ok: false; code: "not_submitted"; board: Board; ref: PeriodRef }
  | { ok: false; code: "still_open"; board: Board; ref: PeriodRef; deadline: Date }
  | { ok: false; code: "bad_hours" };

export function createUnlockService(deps: {
  repos: Repositories;
  /** runs the secretaries' notice, a ledger action written with the unlock */
  notices: LedgerNotices;
  clock: Clock;
  logger: Logger;
}) {
  const { repos, notices, clock, logger } = deps;
  return {
    /**
     * Unlocks and tells the board's secretaries, waiting for that delivery so the chair learns how many were
     * told. `request` names the request (the bot's id and the update's): the same request again unlocks
     * nothing more and tells nobody again, and answers with what the first one did.
     */
    async unlock(input: {
      cluster: Cluster;
      view: PeriodView;
      boardCode: string;
      hours?: number | undefined;
      actorPersonId: number;
      /** the unlocker's role in this cluster, named in the secretaries' notice (default chair) */
      by?: "chair" | "deputy";
      request: string;
    }): Promise<UnlockOutcome> {
      const { cluster, view } = input;
      const hours = input.hours ?? DEFAULT_UNLOCK_HOURS;
      if (!Number.isInteger(hours) || hours < 1 || hours > MAX_UNLOCK_HOURS) return { ok: false, code: "bad_hours" };
      const boards = await repos.clusters.boards(cluster.id);
      const board = boards.find((b) => b.code.toLowerCase() === input.boardCode.toLowerCase());
      if (!board) return { ok: false, code: "unknown_board", codes: boards.map((b) => b.code) };
      const now = clock.now();
      const report = view.period ? await repos.reports.find(view.period.id, board.id) : null;
      if (!view.period || report?.status !== "submitted") {
        return { ok: false, code: "not_submitted", board, ref: view.ref };
      }
      if (view.status !== "closed") {
        return { ok: false, code: "still_open", board, ref: view.ref, deadline: view.dates.deadline };
      }
      const until = new Date(now.getTime() + hours * 3600_000);
      const detail: UnlockNoticeDetail = {
        reportId: report.id,
        boardId: board.id,
        ref: view.ref,
        until: until.toISOString(),
        tz: cluster.timezone,
        by: input.by ?? "chair",
      };
      const { action, replay } = await repos.reports.unlock({
        reportId: report.id,
        until,
        actorPersonId: input.actorPersonId,
        at: now,
        notice: {
          key: unlockNoticeKey(cluster.id, view.ref, report.id, input.request),
          kind: UNLOCK_NOTICE_KIND,
          periodId: view.period.id,
          claimedBy: notices.instanceId,
          detail: JSON.stringify(detail),
        },
      });
      if (replay) {
        // the first attempt's unlock and notice stand (the row's detail holds its counts once finished): say
        // until when the report is open now, read before this call changed nothing, and who was told
        const sent = (await repos.ledger.deliveries(action.id)).filter((d) => d.status === "sent").length;
        const open = report.unlockedUntil ?? until;
        return { ok: true, board, ref: view.ref, until: open, notified: sent, pending: action.status === "claimed" };
      }
      let run: NoticeRun | undefined;
      try {
        // the ledger executor logs and records its own failures; the row it leaves unfinished is taken over
        run = await notices.deliver(action);
      } catch (err) {
        // the unlock stands; the secretaries also see it in /baocao
        logger.error({ err, reportId: report.id }, "notice after an unlock failed");
      }
      return { ok: true, board, ref: view.ref, until, notified: run?.sent ?? 0, pending: !run?.finished };
    },
  };
}

export type UnlockService = ReturnType<typeof createUnlockService>;
