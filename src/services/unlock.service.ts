// A chair or deputy lets one board correct its submitted report after the deadline,
// for a limited time; the board's secretaries are told. Audited in the repository.

import type { Repositories } from "../db/index.ts";
import type { Board, Cluster } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { Clock } from "./clock.ts";
import type { Messenger } from "./messenger.ts";
import type { PeriodView } from "./period.service.ts";

export const DEFAULT_UNLOCK_HOURS = 48;
export const MAX_UNLOCK_HOURS = 24 * 14;

export type UnlockOutcome =
  | { ok: true; board: Board; ref: PeriodRef; until: Date; notified: number }
  | { ok: false; code: "unknown_board"; codes: string[] }
  | { ok: false; code: "not_submitted"; board: Board; ref: PeriodRef }
  | { ok: false; code: "still_open"; board: Board; ref: PeriodRef; deadline: Date }
  | { ok: false; code: "bad_hours" };

export function createUnlockService(deps: { repos: Repositories; messenger: Messenger; clock: Clock }) {
  const { repos, messenger, clock } = deps;
  return {
    async unlock(input: {
      cluster: Cluster;
      view: PeriodView;
      boardCode: string;
      hours?: number | undefined;
      actorPersonId: number;
    }): Promise<UnlockOutcome> {
      const { cluster, view } = input;
      const hours = input.hours ?? DEFAULT_UNLOCK_HOURS;
      if (!Number.isInteger(hours) || hours < 1 || hours > MAX_UNLOCK_HOURS) return { ok: false, code: "bad_hours" };
      const boards = await repos.clusters.boards(cluster.id);
      const board = boards.find((b) => b.code.toLowerCase() === input.boardCode.toLowerCase());
      if (!board) return { ok: false, code: "unknown_board", codes: boards.map((b) => b.code) };
      const now = clock.now();
      const report = view.period ? await repos.reports.find(view.period.id, board.id) : null;
      if (report?.status !== "submitted") return { ok: false, code: "not_submitted", board, ref: view.ref };
      if (view.status !== "closed") {
        return { ok: false, code: "still_open", board, ref: view.ref, deadline: view.dates.deadline };
      }
      const until = new Date(now.getTime() + hours * 3600_000);
      await repos.reports.unlock(report.id, until, input.actorPersonId, now);
      const secretaries = (await repos.people.members(cluster.id, ["secretary"])).filter(
        (m) => m.membership.boardId === board.id,
      );
      let notified = 0;
      for (const { person } of secretaries) {
        const sent = await messenger.tell(person.telegramId, {
          kind: "report_unlocked",
          ref: view.ref,
          until,
          tz: cluster.timezone,
        });
        if (sent === "sent") notified++;
      }
      return { ok: true, board, ref: view.ref, until, notified };
    },
  };
}

export type UnlockService = ReturnType<typeof createUnlockService>;
