// The ranked summary of one period (/tongket, `cli summary`) and a board's history
// (/lichsu), as plain data for the views. Cost is bounded by the number of periods
// involved (at most four), never by the number of boards: the periods are looked up
// one by one, their reports come in one forPeriods query, indicator sets once per set.

import type { Repositories } from "../db/index.ts";
import { periodStatus } from "../domain/calendar.ts";
import type { Board, Cluster, IndicatorSet, Period, Report } from "../domain/entities.ts";
import { previousPeriod } from "../domain/period.ts";
import type { ScoringMethodDescription } from "../domain/ranking.ts";
import { type BoardStatus, isScored, type Ranking, rankBoards, roundScore } from "../domain/ranking.ts";
import type { Better, BoardReport, IndicatorKind, PeriodRef, PeriodStatus, ScoringConfig } from "../domain/types.ts";
import { datesOf } from "./period.service.ts";

/** How many quarters the trend and the history cover (the requested one included). */
export const TREND_PERIODS = 4;
/** How many scored indicators are shown beside each board in the chat text. */
export const KEY_FIGURES = 3;

/** A raw stored value: a number, a text, or null when missing or skipped. */
export type RawValue = number | string | null;

export interface SummaryIndicator {
  code: string;
  label: string;
  unit: string;
  kind: IndicatorKind;
  weight: number;
  better: Better;
  target: number | null;
  scored: boolean;
}

export interface SummaryBoard {
  code: string;
  name: string;
  shortName: string;
  /** competition rank (1, 2, 2, 4); null when not submitted */
  rank: number | null;
  /** total score, 2 decimals; null when not submitted */
  score: number | null;
  status: BoardStatus;
  submitted: boolean;
  late: boolean;
  /** first submission */
  submittedAt: Date | null;
  /** previous rank − rank (positive = moved up); null without both ranks */
  rankDelta: number | null;
  /** score − previous score; null without both scores */
  scoreDelta: number | null;
  previousRank: number | null;
  previousScore: number | null;
  /** indicator code → raw value, for every indicator of the period (text too) */
  values: Record<string, RawValue>;
  /** scored indicator code → points (weight × normalized), 2 decimals; empty when not submitted */
  points: Record<string, number>;
  onTimePoints: number;
}

export interface TrendCell {
  rank: number | null;
  score: number | null;
  status: BoardStatus;
}

export interface Summary {
  cluster: { id: number; code: string; name: string; timezone: string };
  ref: PeriodRef;
  status: PeriodStatus;
  /** the deadline has passed or the period was closed */
  closed: boolean;
  deadline: Date;
  generatedAt: Date;
  /** the previous quarter, when it has a stored period */
  previousRef: PeriodRef | null;
  indicators: SummaryIndicator[];
  /** codes of the indicators shown beside each board (highest weight first) */
  keyIndicators: string[];
  method: ScoringMethodDescription;
  /** ranked boards by rank, then boards that did not submit */
  boards: SummaryBoard[];
  counts: { total: number; submitted: number; late: number; missing: number };
  trend: {
    /** oldest first, ending with `ref` */
    periods: PeriodRef[];
    /** in the order of `boards`; a cell is null when that quarter has no stored period */
    rows: { code: string; shortName: string; cells: (TrendCell | null)[] }[];
  };
}

export interface HistoryPeriod {
  ref: PeriodRef;
  closed: boolean;
  state: "submitted" | "draft" | "missing";
  late: boolean;
  submittedAt: Date | null;
  values: Record<string, RawValue>;
  /** the board's place, only once the period has closed */
  standing: { rank: number | null; score: number | null; ranked: number } | null;
}

export interface BoardHistory {
  board: { code: string; name: string; shortName: string };
  /** oldest first */
  periods: HistoryPeriod[];
  /** the newest period's indicators, then those found only in older periods */
  indicators: SummaryIndicator[];
}

function toSummaryIndicator(set: IndicatorSet): SummaryIndicator[] {
  return set.indicators.map((d) => ({
    code: d.code,
    label: d.label,
    unit: d.unit,
    kind: d.kind,
    weight: d.weight,
    better: d.better,
    target: d.target ?? null,
    scored: isScored(d),
  }));
}

/** indicator code → raw value of one report. */
function rawValues(report: Report | undefined, set: IndicatorSet): Record<string, RawValue> {
  const byId = new Map(report?.values.map((v) => [v.indicatorId, v.value]) ?? []);
  const out: Record<string, RawValue> = {};
  for (const d of set.indicators) {
    const v = byId.get(d.id);
    out[d.code] = v === undefined || v.kind === "skipped" ? null : v.value;
  }
  return out;
}

function toBoardReport(code: string, report: Report, set: IndicatorSet): BoardReport {
  const values: Record<string, number> = {};
  const byId = new Map(report.values.map((v) => [v.indicatorId, v.value]));
  for (const d of set.indicators) {
    const v = byId.get(d.id);
    if (v?.kind === "number") values[d.code] = v.value;
  }
  return {
    boardCode: code,
    values,
    submittedAt: report.firstSubmittedAt ?? report.submittedAt ?? new Date(0),
    late: report.late,
  };
}

/** The boards a period is ranked over: active ones, plus retired ones that reported in it. */
function membersOf(boards: Board[], submittedBoardIds: Set<number>): Board[] {
  return boards.filter((b) => b.active || submittedBoardIds.has(b.id));
}

/** Key figures: the scored indicators with the highest weights (definition order breaks ties). */
function keyIndicatorCodes(indicators: SummaryIndicator[]): string[] {
  return indicators
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.scored)
    .sort((a, b) => b.d.weight - a.d.weight || a.i - b.i)
    .slice(0, KEY_FIGURES)
    .map(({ d }) => d.code);
}

function isClosed(period: Period, now: Date): boolean {
  return period.closedAt !== null || periodStatus(datesOf(period), now) === "closed";
}

export function createSummaryService(repos: Repositories) {
  /** Indicator sets by id, loaded once each per call. */
  function setLoader() {
    const cache = new Map<number, Promise<IndicatorSet | null>>();
    return (id: number) => {
      let p = cache.get(id);
      if (!p) {
        p = repos.clusters.indicatorSet(id);
        cache.set(id, p);
      }
      return p;
    };
  }

  interface RankedPeriod {
    period: Period;
    set: IndicatorSet;
    ranking: Ranking;
    reportsByBoard: Map<number, Report>;
  }

  function rankPeriod(
    period: Period,
    set: IndicatorSet,
    boards: Board[],
    reports: Report[],
    scoring: ScoringConfig,
    previous?: Ranking,
  ): RankedPeriod {
    const reportsByBoard = new Map<number, Report>();
    for (const r of reports) if (r.periodId === period.id) reportsByBoard.set(r.boardId, r);
    const submittedIds = new Set(
      [...reportsByBoard.values()].filter((r) => r.status === "submitted").map((r) => r.boardId),
    );
    const members = membersOf(boards, submittedIds);
    const boardReports = members
      .filter((b) => submittedIds.has(b.id))
      .map((b) => toBoardReport(b.code, reportsByBoard.get(b.id)!, set));
    const ranking = rankBoards({
      indicators: set.indicators,
      scoring,
      boards: members.map((b) => ({ code: b.code, shortName: b.shortName })),
      reports: boardReports,
      previous: previous?.boards,
    });
    return { period, set, ranking, reportsByBoard };
  }

  return {
    /**
     * The ranked summary of one quarter, or null when that quarter has no stored period.
     * Queries: the four trend quarters (one lookup each), the boards, each distinct
     * indicator set, and the reports of those quarters in one forPeriods call.
     */
    async build(cluster: Cluster, ref: PeriodRef, now: Date): Promise<Summary | null> {
      const refs: PeriodRef[] = [ref];
      while (refs.length < TREND_PERIODS) refs.unshift(previousPeriod(refs[0]!));
      const [periods, boards] = await Promise.all([
        Promise.all(refs.map((r) => repos.periods.find(cluster.id, r))),
        repos.clusters.boards(cluster.id, { includeRetired: true }),
      ]);
      const period = periods[periods.length - 1];
      if (!period) return null;
      const stored = periods.filter((p): p is Period => p !== null);
      const loadSet = setLoader();
      const [reports, sets] = await Promise.all([
        repos.reports.forPeriods(stored.map((p) => p.id)),
        Promise.all(stored.map((p) => loadSet(p.indicatorSetId))),
      ]);
      const setOf = new Map(stored.map((p, i) => [p.id, sets[i]]));

      // Oldest first, so each quarter's deltas are against the one before it.
      const ranked: (RankedPeriod | null)[] = [];
      let before: Ranking | undefined;
      for (const p of periods) {
        const set = p ? setOf.get(p.id) : null;
        if (!p || !set) {
          ranked.push(null);
          before = undefined;
          continue;
        }
        const r = rankPeriod(p, set, boards, reports, cluster.scoring, before);
        ranked.push(r);
        before = r.ranking;
      }
      const current = ranked[ranked.length - 1];
      if (!current) return null;
      const previous = ranked[ranked.length - 2] ?? null;
      const previousByCode = new Map(previous?.ranking.boards.map((b) => [b.code, b]) ?? []);
      const boardByCode = new Map(boards.map((b) => [b.code, b]));
      const indicators = toSummaryIndicator(current.set);

      const summaryBoards: SummaryBoard[] = current.ranking.boards.map((rb) => {
        const board = boardByCode.get(rb.code)!;
        const report = current.reportsByBoard.get(board.id);
        const prev = previousByCode.get(rb.code);
        return {
          code: rb.code,
          name: board.name,
          shortName: rb.shortName,
          rank: rb.rank,
          score: rb.score,
          status: rb.status,
          submitted: rb.submitted,
          late: rb.late,
          submittedAt: rb.submitted ? (report?.firstSubmittedAt ?? report?.submittedAt ?? null) : null,
          rankDelta: rb.rankDelta,
          scoreDelta: rb.scoreDelta,
          previousRank: prev?.rank ?? null,
          previousScore: prev?.score ?? null,
          values: rawValues(report, current.set),
          points: Object.fromEntries(rb.indicators.map((p) => [p.code, roundScore(p.points)])),
          onTimePoints: rb.onTimePoints,
        };
      });

      const trendIndex = ranked.map((r) => (r ? new Map(r.ranking.boards.map((x) => [x.code, x])) : null));
      const trendRows = summaryBoards.map((b) => ({
        code: b.code,
        shortName: b.shortName,
        cells: trendIndex.map((index): TrendCell | null => {
          if (!index) return null;
          const rb = index.get(b.code);
          return rb
            ? { rank: rb.rank, score: rb.score, status: rb.status }
            : { rank: null, score: null, status: "not_submitted" };
        }),
      }));

      const submitted = summaryBoards.filter((b) => b.submitted).length;
      return {
        cluster: { id: cluster.id, code: cluster.code, name: cluster.name, timezone: cluster.timezone },
        ref: { year: period.year, quarter: period.quarter },
        status: periodStatus(datesOf(period), now),
        closed: isClosed(period, now),
        deadline: period.deadline,
        generatedAt: now,
        previousRef: previous ? { year: previous.period.year, quarter: previous.period.quarter } : null,
        indicators,
        keyIndicators: keyIndicatorCodes(indicators),
        method: current.ranking.method,
        boards: summaryBoards,
        counts: {
          total: summaryBoards.length,
          submitted,
          late: summaryBoards.filter((b) => b.late).length,
          missing: summaryBoards.length - submitted,
        },
        trend: { periods: refs, rows: trendRows },
      };
    },

    /**
     * A board's own values over the last four quarters that have opened by `now`
     * (oldest first), with its rank in those that have closed. Null when the board
     * is not in the cluster.
     */
    async history(boardId: number, clusterId: number, now: Date): Promise<BoardHistory | null> {
      const [board, cluster, recent] = await Promise.all([
        repos.clusters.boardById(boardId),
        repos.clusters.findById(clusterId),
        repos.periods.list(clusterId, TREND_PERIODS * 2),
      ]);
      if (!board || !cluster || board.clusterId !== clusterId) return null;
      const periods = recent
        .filter((p) => p.opensAt.getTime() <= now.getTime())
        .slice(0, TREND_PERIODS)
        .reverse();
      const closedIds = periods.filter((p) => isClosed(p, now)).map((p) => p.id);
      const loadSet = setLoader();
      const [own, others, boards, sets] = await Promise.all([
        repos.reports.forBoard(
          boardId,
          periods.map((p) => p.id),
        ),
        // Ranks need everyone's reports, and only for closed periods (no early peeking).
        repos.reports.forPeriods(closedIds),
        closedIds.length > 0 ? repos.clusters.boards(clusterId, { includeRetired: true }) : Promise.resolve([]),
        Promise.all(periods.map((p) => loadSet(p.indicatorSetId))),
      ]);

      const indicators: SummaryIndicator[] = [];
      const seen = new Set<string>();
      for (const set of [...sets].reverse()) {
        if (!set) continue;
        for (const d of toSummaryIndicator(set)) {
          if (seen.has(d.code)) continue;
          seen.add(d.code);
          indicators.push(d);
        }
      }

      const rows = periods.map((p, i): HistoryPeriod => {
        const set = sets[i];
        const report = own.find((r) => r.periodId === p.id);
        const closed = closedIds.includes(p.id);
        let standing: HistoryPeriod["standing"] = null;
        if (closed && set) {
          const { ranking } = rankPeriod(p, set, boards, others, cluster.scoring);
          const mine = ranking.boards.find((b) => b.code === board.code);
          standing = {
            rank: mine?.rank ?? null,
            score: mine?.score ?? null,
            ranked: ranking.boards.filter((b) => b.submitted).length,
          };
        }
        const state =
          report?.status === "submitted" ? "submitted" : report && report.values.length > 0 ? "draft" : "missing";
        return {
          ref: { year: p.year, quarter: p.quarter },
          closed,
          state,
          late: state === "submitted" && (report?.late ?? false),
          submittedAt: state === "submitted" ? (report?.firstSubmittedAt ?? report?.submittedAt ?? null) : null,
          values: set ? rawValues(report, set) : {},
          standing,
        };
      });
      return { board: { code: board.code, name: board.name, shortName: board.shortName }, periods: rows, indicators };
    },
  };
}

export type SummaryService = ReturnType<typeof createSummaryService>;
