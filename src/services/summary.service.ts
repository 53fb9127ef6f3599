// The ranked summary of one period (/tongket, `cli summary`), of a year (/tongket 2026)
// and a board's history (/lichsu), as plain data for the views. Each period is scored
// with what it kept when it opened (PeriodScoring). Cost is bounded by the number of
// periods involved (at most the eight quarters of the year and the one before), never by
// the number of boards: the periods come in one query, their reports in one forPeriods
// query, indicator sets once per set.

import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { HotPath, SubmittedReport } from "../db/hot-path.ts";
import type { Repositories } from "../db/index.ts";
import { aggregateOf, percentChange, yearToDate } from "../domain/aggregate.ts";
import { periodStatus } from "../domain/calendar.ts";
import type { Board, Cluster, IndicatorSet, Period } from "../domain/entities.ts";
import { countsInSummary } from "../domain/members.ts";
import { previousPeriod } from "../domain/period.ts";
import type { PreviousStanding, ScoringMethodDescription, YearBasis } from "../domain/ranking.ts";
import {
  type BoardStatus,
  isScored,
  percentOfPlan,
  type RankedBoard,
  type Ranking,
  rankBoards,
  rankYear,
  roundScore,
} from "../domain/ranking.ts";
import type {
  Aggregate,
  Better,
  BoardPlans,
  BoardReport,
  DocSection,
  IndicatorKind,
  PeriodRef,
  PeriodScoring,
  PeriodStatus,
} from "../domain/types.ts";
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
  /** how the quarters add up to lũy kế */
  aggregate: Aggregate;
  /** text indicators: the briefing document's section they feed (null: a section of their own) */
  section: DocSection | null;
}

/** One board's figures for one numeric indicator. */
export interface SummaryFigure {
  /** the quarter's value (the year: the year-to-date figure) */
  value: number | null;
  /** year-to-date (lũy kế) up to this quarter */
  ytd: number | null;
  /** the board's annual plan for the year, null when it has none */
  plan: number | null;
  /** ytd ÷ plan in percent, 1 decimal */
  percentOfPlan: number | null;
  /** the same quarter last year (the year: last year's lũy kế at the same quarter) */
  lastYear: number | null;
  /** value against lastYear in percent, 1 decimal (▲▼) */
  lastYearChange: number | null;
  /** points earned (weight × normalized), 2 decimals; null when not scored or not submitted */
  points: number | null;
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
  /** numeric indicator code → value, lũy kế, % of plan, last year, points */
  figures: Record<string, SummaryFigure>;
  /** scored indicator code → points (weight × normalized), 2 decimals; empty when not submitted */
  points: Record<string, number>;
  onTimePoints: number;
  /** relative-to-plan: scored indicators this board has no plan for (left out, the rest rescaled) */
  missingPlans: string[];
  /** quarters submitted on time / late / not submitted (the year; for a quarter: this one) */
  record: { onTime: number; late: number; missing: number };
  /** submitted, waiting for the board leader's approval (counted as not submitted until then) */
  awaitingApproval?: boolean;
}

export interface TrendCell {
  rank: number | null;
  score: number | null;
  status: BoardStatus;
}

export interface Summary {
  /** a quarter's ranking, or the year's (tổng kết năm) */
  scope: "quarter" | "year";
  cluster: { id: number; code: string; name: string; timezone: string; place: string | null };
  /** the quarter; for the year, its latest stored quarter */
  ref: PeriodRef;
  year: number;
  status: PeriodStatus;
  /** the deadline has passed or the period was closed (the year: its fourth quarter) */
  closed: boolean;
  deadline: Date;
  generatedAt: Date;
  /** the previous quarter, when it has a stored period (null for the year) */
  previousRef: PeriodRef | null;
  /** the year only: the year before, when it has a ranking (rank changes are against it); null for a quarter */
  previousYear: number | null;
  /** the same quarter last year, when it has a stored period */
  lastYearRef: PeriodRef | null;
  /** the quarters added up in lũy kế (oldest first) */
  ytdPeriods: PeriodRef[];
  indicators: SummaryIndicator[];
  /** codes of the indicators shown beside each board (highest weight first) */
  keyIndicators: string[];
  method: ScoringMethodDescription;
  /** the year only: how it is ranked; null for a quarter */
  yearBasis: YearBasis | null;
  /** ranked boards by rank, then boards that did not submit, then boards not taking part */
  boards: SummaryBoard[];
  counts: { total: number; submitted: number; late: number; missing: number; notTakingPart: number };
  trend: {
    /** oldest first, ending with `ref` (the year: its quarters) */
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

/** What a summary shows of its cluster. */
function summaryCluster(c: Cluster): Summary["cluster"] {
  return { id: c.id, code: c.code, name: c.name, timezone: c.timezone, place: c.place ?? null };
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
    aggregate: aggregateOf(d),
    section: d.section ?? null,
  }));
}

/** indicator code → raw value of one report. */
function rawValues(report: Pick<SubmittedReport, "values"> | undefined, set: IndicatorSet): Record<string, RawValue> {
  const byId = new Map(report?.values.map((v) => [v.indicatorId, v.value]) ?? []);
  const out: Record<string, RawValue> = {};
  for (const d of set.indicators) {
    const v = byId.get(d.id);
    out[d.code] = v === undefined || v.kind === "skipped" ? null : v.value;
  }
  return out;
}

/** numericValues by report and indicator set: a report's numbers are read by several rankings of one summary. */
const numericCache = new WeakMap<object, Map<number, Record<string, number>>>();

/** indicator code → number of one report (text and skipped left out). */
function numericValues(report: SubmittedReport, set: IndicatorSet): Record<string, number> {
  let bySet = numericCache.get(report);
  const cached = bySet?.get(set.id);
  if (cached) return cached;
  const values: Record<string, number> = {};
  const byId = new Map(report.values.map((v) => [v.indicatorId, v.value]));
  for (const d of set.indicators) {
    const v = byId.get(d.id);
    if (v?.kind === "number") values[d.code] = v.value;
  }
  if (!bySet) {
    bySet = new Map();
    numericCache.set(report, bySet);
  }
  bySet.set(set.id, values);
  return values;
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

/** The fields of a summary board that come straight from its ranking. */
function boardBase(rb: RankedBoard, board: Board) {
  return {
    code: rb.code,
    name: board.name,
    shortName: rb.shortName,
    rank: rb.rank,
    score: rb.score,
    status: rb.status,
    submitted: rb.submitted,
    late: rb.late,
    points: Object.fromEntries(rb.indicators.map((p) => [p.code, roundScore(p.points)])),
    onTimePoints: rb.onTimePoints,
    missingPlans: rb.missingPlans,
  };
}

const refKey = (r: PeriodRef) => r.year * 10 + r.quarter;
const refOf = (p: Period): PeriodRef => ({ year: p.year, quarter: p.quarter });

/** From this many boards, build() lets the event loop turn between the quarters it ranks. */
const YIELD_FROM_BOARDS = 500;

/**
 * `hot`: the driver-level reader of submitted reports (src/db/hot-path.ts), ~10× faster than
 * Prisma for the ~60,000 value rows of a 1,000-board summary; without it, Prisma reads them.
 */

export function createSummaryService(repos: Repositories, hot?: Pick<HotPath, "submittedReports">) {
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

  /** What a period is scored with: its snapshot, or (stored before snapshots) the cluster's scoring now. */
  function scoringOf(cluster: Cluster, p: Period): PeriodScoring {
    return (
      p.scoring ?? { scoring: cluster.scoring, plans: cluster.plans[String(p.year)] ?? {}, rules: [], members: null }
    );
  }

  interface RankedPeriod {
    period: Period;
    set: IndicatorSet;
    snapshot: PeriodScoring;
    ranking: Ranking;
    reportsByBoard: Map<number, SubmittedReport>;
    /** board code → year-to-date values up to this quarter */
    /** board code → year-to-date values up to this quarter (computed on first use: most rankings never need it) */
    ytd: () => Map<string, Record<string, number>>;
  }

  /**
   * The stored periods and submitted reports a summary reads, with a ranking per period on demand
   * (memoized: each period is ranked once, against the one before it).
   */
  interface Loaded {
    cluster: Cluster;
    boards: Board[];
    byKey: Map<number, Period>;
    setOf: Map<number, IndicatorSet>;
    /** period id → board id → report */
    reports: Map<number, Map<number, SubmittedReport>>;
  }

  async function submittedReports(periodIds: number[]): Promise<SubmittedReport[]> {
    if (periodIds.length === 0) return [];
    if (hot) return hot.submittedReports(periodIds);
    return (await repos.reports.forPeriods(periodIds)).filter((r) => r.status === "submitted");
  }

  /** The stored periods of `years`, then the reports of those `pick` keeps (given every stored period by key). */
  async function load(
    cluster: Cluster,
    years: number[],
    pick: (byKey: Map<number, Period>) => (p: Period) => boolean,
  ): Promise<Loaded> {
    const [all, boards] = await Promise.all([
      repos.periods.inYears(cluster.id, years),
      repos.clusters.boards(cluster.id, { includeRetired: true }),
    ]);
    const stored = all.filter(pick(new Map(all.map((p) => [refKey(p), p]))));
    const loadSet = setLoader();
    const [reports, sets] = await Promise.all([
      submittedReports(stored.map((p) => p.id)),
      Promise.all(stored.map((p) => loadSet(p.indicatorSetId))),
    ]);
    const setOf = new Map<number, IndicatorSet>();
    stored.forEach((p, i) => {
      const set = sets[i];
      if (set) setOf.set(p.id, set);
    });
    const byPeriod = new Map<number, Map<number, SubmittedReport>>();
    for (const r of reports) {
      let m = byPeriod.get(r.periodId);
      if (!m) {
        m = new Map();
        byPeriod.set(r.periodId, m);
      }
      m.set(r.boardId, r);
    }
    return { cluster, boards, byKey: new Map(stored.map((p) => [refKey(p), p])), setOf, reports: byPeriod };
  }

  function submittedReport(l: Loaded, p: Period, boardId: number): SubmittedReport | undefined {
    const r = l.reports.get(p.id)?.get(boardId);
    // a report waiting for its board leader's approval does not count yet (#12)
    return r && countsInSummary({ status: "submitted", approval: r.approval }) ? r : undefined;
  }

  /** Year-to-date values of every board at period `p`: its year's quarters up to it, aggregated by p's indicators. */
  function ytdAt(l: Loaded, p: Period, set: IndicatorSet): Map<string, Record<string, number>> {
    const quarters: { period: Period; set: IndicatorSet }[] = [];
    for (let q = 1; q <= p.quarter; q++) {
      const qp = l.byKey.get(p.year * 10 + q);
      const qs = qp ? l.setOf.get(qp.id) : undefined;
      if (qp && qs) quarters.push({ period: qp, set: qs });
    }
    const out = new Map<string, Record<string, number>>();
    for (const b of l.boards) {
      const values = quarters.map(({ period, set: qs }) => {
        const r = submittedReport(l, period, b.id);
        return r ? numericValues(r, qs) : undefined;
      });
      out.set(b.code, yearToDate(set.indicators, values));
    }
    return out;
  }

  /** The boards a period is ranked over, and those not taking part (joined after it opened). */
  function participants(l: Loaded, p: Period, snapshot: PeriodScoring) {
    const submitted = (b: Board) => submittedReport(l, p, b.id) !== undefined;
    const members = snapshot.members ? new Set(snapshot.members) : null;
    const takesPart = (b: Board) => submitted(b) || (b.active && (members === null || members.has(b.code)));
    return {
      members: l.boards.filter(takesPart),
      outsiders: l.boards.filter((b) => b.active && !takesPart(b)),
    };
  }

  function createRanker(l: Loaded) {
    const memo = new Map<number, RankedPeriod | null>();
    const rank = (ref: PeriodRef): RankedPeriod | null => {
      const key = refKey(ref);
      if (memo.has(key)) return memo.get(key)!;
      memo.set(key, null); // (no cycles: a period is ranked against the one before it only)
      const p = l.byKey.get(key);
      const set = p ? l.setOf.get(p.id) : undefined;
      if (!p || !set) return null;
      const snapshot = scoringOf(l.cluster, p);
      const byPlan = snapshot.scoring.method === "relative-to-plan";
      let ytdMemo: Map<string, Record<string, number>> | undefined;
      const ytd = () => {
        ytdMemo ??= ytdAt(l, p, set);
        return ytdMemo;
      };
      const { members, outsiders } = participants(l, p, snapshot);
      const reports: BoardReport[] = [];
      for (const b of members) {
        const r = submittedReport(l, p, b.id);
        if (!r) continue;
        reports.push({
          boardCode: b.code,
          values: numericValues(r, set),
          ytd: byPlan ? ytd().get(b.code) : undefined,
          submittedAt: r.firstSubmittedAt ?? r.submittedAt ?? new Date(0),
          late: r.late,
        });
      }
      const previous = rank(previousPeriod(ref));
      const ranking = rankBoards({
        indicators: set.indicators,
        scoring: snapshot.scoring,
        boards: members.map((b) => ({ code: b.code, shortName: b.shortName })),
        reports,
        previous: previous?.ranking.boards,
        plans: snapshot.plans,
        outsiders: outsiders.map((b) => ({ code: b.code, shortName: b.shortName })),
      });
      const out: RankedPeriod = {
        period: p,
        set,
        snapshot,
        ranking,
        reportsByBoard: l.reports.get(p.id) ?? new Map(),
        ytd,
      };
      memo.set(key, out);
      return out;
    };
    return rank;
  }

  function figuresOf(
    set: IndicatorSet,
    values: Record<string, number> | undefined,
    ytd: Record<string, number> | undefined,
    plans: BoardPlans[string] | undefined,
    lastYear: Record<string, number> | undefined,
    points: Map<string, number>,
  ): Record<string, SummaryFigure> {
    const out: Record<string, SummaryFigure> = {};
    for (const d of set.indicators) {
      if (d.kind === "text") continue;
      const value = values?.[d.code] ?? null;
      const y = ytd?.[d.code] ?? null;
      const plan = plans?.[d.code] ?? null;
      const last = lastYear?.[d.code] ?? null;
      const p = points.get(d.code);
      out[d.code] = {
        value,
        ytd: y,
        plan,
        percentOfPlan: percentOfPlan(y, plan),
        lastYear: last,
        lastYearChange: percentChange(value, last),
        points: p === undefined ? null : roundScore(p),
      };
    }
    return out;
  }

  function countsOf(boards: SummaryBoard[]): Summary["counts"] {
    const taking = boards.filter((b) => b.status !== "not_participating");
    const submitted = taking.filter((b) => b.submitted).length;
    return {
      total: taking.length,
      submitted,
      late: taking.filter((b) => b.late).length,
      missing: taking.length - submitted,
      notTakingPart: boards.length - taking.length,
    };
  }

  function trendRows(boards: SummaryBoard[], ranked: (RankedPeriod | null)[]): Summary["trend"]["rows"] {
    const index = ranked.map((r) => (r ? new Map(r.ranking.boards.map((x) => [x.code, x])) : null));
    return boards.map((b) => ({
      code: b.code,
      shortName: b.shortName,
      cells: index.map((ix): TrendCell | null => {
        if (!ix) return null;
        const rb = ix.get(b.code);
        return rb
          ? { rank: rb.rank, score: rb.score, status: rb.status }
          : { rank: null, score: null, status: "not_participating" };
      }),
    }));
  }

  return {
    /**
     * The ranked summary of one quarter, or null when that quarter has no stored period.
     * Reads the periods of the quarter's year and the year before in one query, then the
     * submitted reports of those needed: the trend's quarters, the year so far, the same
     * quarter last year, and for a trend quarter scored by plan the earlier quarters of its year.
     */
    async build(cluster: Cluster, ref: PeriodRef, now: Date): Promise<Summary | null> {
      const trendRefs: PeriodRef[] = [ref];
      while (trendRefs.length < TREND_PERIODS) trendRefs.unshift(previousPeriod(trendRefs[0]!));
      const lastYearRef: PeriodRef = { year: ref.year - 1, quarter: ref.quarter };
      const l = await load(cluster, [ref.year - 1, ref.year], (byKey) => {
        const needed = new Set<number>([...trendRefs.map(refKey), refKey(lastYearRef)]);
        const upTo = (r: PeriodRef) => {
          for (let q = 1; q <= r.quarter; q++) needed.add(r.year * 10 + q);
        };
        upTo(ref); // the quarter's lũy kế is always shown
        for (const r of [...trendRefs, lastYearRef]) {
          const p = byKey.get(refKey(r));
          if (p && scoringOf(cluster, p).scoring.method === "relative-to-plan") upTo(r);
        }
        return (p) => needed.has(refKey(p));
      });
      const rank = createRanker(l);
      // a large cluster's quarters ranked oldest first, one per turn of the event loop (~5 ms each
      // for 1,000 boards), so its summary does not hold up other chats' answers (later calls are memoized)
      if (l.boards.length >= YIELD_FROM_BOARDS) {
        for (const r of [lastYearRef, ...trendRefs]) {
          await yieldToEventLoop();
          rank(r);
        }
      }
      const current = rank(ref);
      if (!current) return null;
      const ranked = trendRefs.map((r) => rank(r));
      const previous = ranked[ranked.length - 2] ?? null;
      const lastYear = rank(lastYearRef);
      const previousByCode = new Map(previous?.ranking.boards.map((b) => [b.code, b]) ?? []);
      const boardByCode = new Map(l.boards.map((b) => [b.code, b]));
      const indicators = toSummaryIndicator(current.set);
      const period = current.period;

      const summaryBoards: SummaryBoard[] = current.ranking.boards.map((rb) => {
        const board = boardByCode.get(rb.code)!;
        const report = current.reportsByBoard.get(board.id);
        const lastReport = lastYear ? submittedReport(l, lastYear.period, board.id) : undefined;
        const prev = previousByCode.get(rb.code);
        const points = new Map(rb.indicators.map((p) => [p.code, p.points]));
        return {
          ...boardBase(rb, board),
          ...(report?.approval === "pending" ? { awaitingApproval: true } : {}),
          submittedAt: rb.submitted ? (report?.firstSubmittedAt ?? report?.submittedAt ?? null) : null,
          rankDelta: rb.rankDelta,
          scoreDelta: rb.scoreDelta,
          previousRank: prev?.rank ?? null,
          previousScore: prev?.score ?? null,
          values: rb.submitted ? rawValues(report, current.set) : rawValues(undefined, current.set),
          figures: rb.submitted
            ? figuresOf(
                current.set,
                numericValues(report!, current.set),
                current.ytd().get(rb.code),
                current.snapshot.plans[rb.code],
                lastReport && lastYear ? numericValues(lastReport, lastYear.set) : undefined,
                points,
              )
            : {},
          record: {
            onTime: rb.status === "on_time" ? 1 : 0,
            late: rb.status === "late" ? 1 : 0,
            missing: rb.status === "not_submitted" ? 1 : 0,
          },
        };
      });

      const ytdPeriods: PeriodRef[] = [];
      for (let q = 1; q <= ref.quarter; q++)
        if (l.byKey.has(ref.year * 10 + q)) ytdPeriods.push({ year: ref.year, quarter: q as PeriodRef["quarter"] });
      return {
        scope: "quarter",
        cluster: summaryCluster(cluster),
        ref: refOf(period),
        year: period.year,
        status: periodStatus(datesOf(period), now),
        closed: isClosed(period, now),
        deadline: period.deadline,
        generatedAt: now,
        previousRef: previous ? refOf(previous.period) : null,
        previousYear: null,
        lastYearRef: lastYear ? refOf(lastYear.period) : null,
        ytdPeriods,
        indicators,
        keyIndicators: keyIndicatorCodes(indicators),
        method: current.ranking.method,
        yearBasis: null,
        boards: summaryBoards,
        counts: countsOf(summaryBoards),
        trend: { periods: trendRefs, rows: trendRows(summaryBoards, ranked) },
      };
    },

    /**
     * The year's ranking (tổng kết năm), or null when the year has no stored period. Ranked with
     * the scoring, plans and indicators of the year's latest stored quarter (see rankYear); the
     * trend is the year's four quarters, the comparison last year's lũy kế at the same quarter.
     */
    async buildYear(cluster: Cluster, year: number, now: Date): Promise<Summary | null> {
      const l = await load(cluster, [year - 1, year], () => () => true);
      const rank = createRanker(l);
      /** A year's ranking from its stored quarters (null without any), rank changes against `previous`. */
      const rankYearOf = (y: number, previous?: readonly PreviousStanding[]) => {
        const ranked = ([1, 2, 3, 4] as const).map((quarter) => rank({ year: y, quarter }));
        const present = ranked.filter((r): r is RankedPeriod => r !== null);
        const latest = present[present.length - 1];
        if (!latest) return null;
        const { members } = participants(l, latest.period, latest.snapshot);
        const ranking = rankYear({
          indicators: latest.set.indicators,
          scoring: latest.snapshot.scoring,
          plans: latest.snapshot.plans,
          boards: members.map((b) => ({ code: b.code, shortName: b.shortName })),
          quarters: present.length,
          ytd: Object.fromEntries(latest.ytd()),
          rows: members.map((b) => ({
            code: b.code,
            quarters: present.map((r) => {
              const rb = r.ranking.boards.find((x) => x.code === b.code);
              const report = submittedReport(l, r.period, b.id);
              return report && rb
                ? { values: numericValues(report, r.set), late: report.late, score: rb.score }
                : undefined;
            }),
          })),
          previous,
        });
        return { ranked, present, latest, ranking };
      };
      // the year before, as its own /tongket would rank it (its periods are loaded anyway)
      const before = rankYearOf(year - 1)?.ranking.boards.filter((b) => b.rank !== null) ?? [];
      const current = rankYearOf(year, before);
      if (!current) return null;
      const { ranked, present, latest, ranking: yearRanking } = current;
      const quarterRefs = ([1, 2, 3, 4] as const).map((quarter) => ({ year, quarter }));
      const lastYearRef: PeriodRef = { year: year - 1, quarter: latest.period.quarter };
      const lastYear = rank(lastYearRef);
      const previousByCode = new Map(before.map((b) => [b.code, b]));
      const boardByCode = new Map(l.boards.map((b) => [b.code, b]));
      const indicators = toSummaryIndicator(latest.set);
      const summaryBoards: SummaryBoard[] = yearRanking.boards.map((rb) => {
        const board = boardByCode.get(rb.code)!;
        const ytd = latest.ytd().get(rb.code);
        const points = new Map(rb.indicators.map((p) => [p.code, p.points]));
        return {
          ...boardBase(rb, board),
          submittedAt: null,
          rankDelta: rb.rankDelta,
          scoreDelta: rb.scoreDelta,
          previousRank: previousByCode.get(rb.code)?.rank ?? null,
          previousScore: previousByCode.get(rb.code)?.score ?? null,
          values: Object.fromEntries(
            latest.set.indicators.map((d) => [d.code, d.kind === "text" ? null : (ytd?.[d.code] ?? null)]),
          ),
          figures: rb.submitted
            ? figuresOf(latest.set, ytd, ytd, latest.snapshot.plans[rb.code], lastYear?.ytd().get(rb.code), points)
            : {},
          record: yearRanking.record[rb.code] ?? { onTime: 0, late: 0, missing: present.length },
        };
      });
      const q4 = ranked[3];
      return {
        scope: "year",
        cluster: summaryCluster(cluster),
        ref: refOf(latest.period),
        year,
        status: periodStatus(datesOf(latest.period), now),
        closed: q4 !== null && q4 !== undefined && isClosed(q4.period, now),
        deadline: latest.period.deadline,
        generatedAt: now,
        previousRef: null,
        previousYear: before.length > 0 ? year - 1 : null,
        lastYearRef: lastYear ? refOf(lastYear.period) : null,
        ytdPeriods: present.map((r) => refOf(r.period)),
        indicators,
        keyIndicators: keyIndicatorCodes(indicators),
        method: yearRanking.method,
        yearBasis: yearRanking.basis,
        boards: summaryBoards,
        counts: countsOf(summaryBoards),
        trend: { periods: quarterRefs, rows: trendRows(summaryBoards, ranked) },
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
      const closed = periods.filter((p) => isClosed(p, now));
      const closedIds = closed.map((p) => p.id);
      // Ranks need everyone's reports (with the year so far, for scoring by plan), and only
      // for closed periods (no early peeking).
      const needed = new Set(closed.flatMap((p) => Array.from({ length: p.quarter }, (_, q) => p.year * 10 + q + 1)));
      const years = [...new Set(closed.map((p) => p.year))];
      const loadSet = setLoader();
      const [own, loaded, sets] = await Promise.all([
        repos.reports.forBoard(
          boardId,
          periods.map((p) => p.id),
        ),
        closed.length > 0 ? load(cluster, years, () => (p) => needed.has(refKey(p))) : Promise.resolve(null),
        Promise.all(periods.map((p) => loadSet(p.indicatorSetId))),
      ]);
      const rank = loaded ? createRanker(loaded) : null;

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
        let standing: HistoryPeriod["standing"] = null;
        const ranked = closedIds.includes(p.id) && set ? rank?.(p) : null;
        if (ranked) {
          const { ranking } = ranked;
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
          closed: closedIds.includes(p.id),
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
