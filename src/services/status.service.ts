// Who has submitted, who has not: the data behind /trangthai and the deadline list.

import type { Repositories } from "../db/index.ts";
import type { Board, Cluster } from "../domain/entities.ts";
import type { PeriodView } from "./period.service.ts";

export interface BoardStatus {
  board: Board;
  state: "submitted" | "draft" | "missing";
  submittedAt: Date | null;
  late: boolean;
  /** submitted, waiting for the board leader's approval (ký duyệt): not counted in the summary yet */
  awaitingApproval: boolean;
  answered: number;
  total: number;
}

export interface PeriodStatusReport {
  view: PeriodView;
  boards: BoardStatus[];
  submitted: number;
  /** of the submitted ones, those waiting for their leader's approval */
  awaitingApproval: number;
  /** boards that joined after the period opened: not listed as not submitted, never reminded */
  notTakingPart: Board[];
  /** secretaries Telegram refused to deliver to (blocked the bot / never pressed Start) */
  blocked: { name: string; board: string }[];
}

export function createStatusService(repos: Repositories) {
  return {
    async forPeriod(cluster: Cluster, view: PeriodView): Promise<PeriodStatusReport> {
      const boards = await repos.clusters.boards(cluster.id);
      const reports = view.period ? await repos.reports.forPeriod(view.period.id) : [];
      const set = view.period
        ? await repos.clusters.indicatorSet(view.period.indicatorSetId)
        : await repos.clusters.currentIndicatorSet(cluster.id);
      const total = set?.indicators.length ?? 0;
      const byBoard = new Map(reports.map((r) => [r.boardId, r]));
      const members = view.period?.scoring?.members;
      const takesPart = (board: Board) =>
        !members || members.includes(board.code) || byBoard.get(board.id)?.status === "submitted";
      const rows: BoardStatus[] = boards.filter(takesPart).map((board) => {
        const r = byBoard.get(board.id);
        const answered = r?.values.length ?? 0;
        if (r?.status === "submitted") {
          return {
            board,
            state: "submitted",
            submittedAt: r.firstSubmittedAt,
            late: r.late,
            awaitingApproval: r.approval === "pending",
            answered,
            total,
          };
        }
        return {
          board,
          state: answered > 0 ? "draft" : "missing",
          submittedAt: null,
          late: false,
          awaitingApproval: false,
          answered,
          total,
        };
      });
      const secretaries = await repos.people.members(cluster.id, ["secretary"]);
      const boardById = new Map(boards.map((b) => [b.id, b]));
      const blocked = secretaries
        .filter((s) => s.person.blockedAt !== null)
        .map((s) => ({
          name: [s.person.firstName, s.person.lastName].filter(Boolean).join(" "),
          board: boardById.get(s.membership.boardId ?? -1)?.shortName ?? "",
        }));
      return {
        view,
        boards: rows,
        submitted: rows.filter((r) => r.state === "submitted").length,
        awaitingApproval: rows.filter((r) => r.awaitingApproval).length,
        notTakingPart: boards.filter((b) => !takesPart(b)),
        blocked,
      };
    },

    /** One board's report state in a period (for the greeting). */
    async boardReport(periodId: number, boardId: number) {
      const r = await repos.reports.find(periodId, boardId);
      if (!r) return null;
      return {
        status: r.status,
        submittedAt: r.firstSubmittedAt,
        answered: r.values.length,
        unlockedUntil: r.unlockedUntil,
      };
    },

    async indicatorCount(cluster: Cluster, view: PeriodView): Promise<number> {
      const set = view.period
        ? await repos.clusters.indicatorSet(view.period.indicatorSetId)
        : await repos.clusters.currentIndicatorSet(cluster.id);
      return set?.indicators.length ?? 0;
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
