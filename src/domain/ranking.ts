// Scoring and ranking the boards of a cluster for one period.
import type { Better, BoardPlans, BoardRef, BoardReport, IndicatorDef, ScoringConfig, ScoringMethod } from "./types.ts";

/** An indicator counts towards the score when it is numeric and has a positive weight. */
export function isScored(def: IndicatorDef): boolean {
  return def.kind !== "text" && def.weight > 0;
}

/** Rounds to 2 decimals, half up, after removing binary noise (0.1 + 0.2 → 0.3, 1.005 → 1.01). */
export function roundScore(x: number): number {
  return Math.round(Math.round(x * 1e6) / 1e4) / 100;
}

/** How one indicator is normalized, for the method note. */
export type ScoreBasis = "best" | "target" | "plan";

function basisOf(def: IndicatorDef, method: ScoringMethod): ScoreBasis {
  if (method === "relative-to-plan") return "plan";
  return method === "relative-to-target" && def.target !== undefined ? "target" : "best";
}

/** The default cap of relative-to-plan, in percent: nothing is earned above the plan. */
export const DEFAULT_PLAN_CAP = 100;

/** The cap of relative-to-plan as a ratio (1.2 for 120 %). */
export function capRatio(scoring: ScoringConfig): number {
  return (scoring.cap ?? DEFAULT_PLAN_CAP) / 100;
}

/**
 * Achievement against the annual plan as a ratio in [0, cap]:
 * - higher is better: value ÷ plan (a plan of 0 or less counts as achieved: 1);
 * - lower is better: plan ÷ value, and the cap when the value is 0 (nothing happened, as wished);
 *   a plan of 0 with a value above 0 gives 0.
 * A missing value scores 0.
 * @example planAchievement(600, 500, "higher", 1.2) // 1.2
 * @example planAchievement(8, 4, "lower", 1.2)  // 0.5
 */
export function planAchievement(value: number | undefined, plan: number, better: Better, cap: number): number {
  if (value === undefined || !Number.isFinite(value)) return 0;
  const ratio = better === "higher" ? (plan <= 0 ? 1 : value / plan) : value <= 0 ? cap : plan / value;
  return Number.isFinite(ratio) ? Math.min(cap, Math.max(0, ratio)) : 0;
}

/** Year-to-date as a percentage of the annual plan, 1 decimal; null without a plan above 0. */
export function percentOfPlan(value: number | undefined | null, plan: number | undefined | null): number | null {
  if (value == null || plan == null || plan <= 0) return null;
  return Math.round((value / plan) * 1000) / 10;
}

/** The best value among the submitted values of one indicator (max or min), undefined when nobody gave one. */
function bestValue(values: readonly number[], better: Better): number | undefined {
  if (values.length === 0) return undefined;
  return better === "higher" ? Math.max(...values) : Math.min(...values);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/**
 * The normalized score of one value in [0, 1].
 * relative-to-best (`reference` = the cluster's best submitted value):
 * - higher is better: value / best; when the best is 0 (nobody achieved anything) everybody gets 0;
 * - lower is better: best / value; a value of 0 gets 1 (so when all are 0 everybody gets 1).
 * relative-to-target (`reference` = the target):
 * - higher: min(value / target, 1), and 1 when the target is 0 or less;
 * - lower: 1 when value ≤ target, else target / value.
 * A missing value (undefined) scores 0.
 * @example normalizeValue(30, 40, "higher", "best") // 0.75
 * @example normalizeValue(8, 4, "lower", "target") // 0.5
 */
export function normalizeValue(
  value: number | undefined,
  reference: number | undefined,
  better: Better,
  basis: ScoreBasis,
): number {
  if (value === undefined || reference === undefined) return 0;
  if (better === "higher") {
    if (basis === "target" && reference <= 0) return 1;
    return reference <= 0 ? 0 : clamp01(value / reference);
  }
  if (value <= 0) return 1;
  if (basis === "target" && value <= reference) return 1;
  return clamp01(reference / value);
}

export interface IndicatorPoints {
  code: string;
  /** the submitted value, null when missing */
  value: number | null;
  /** year-to-date (lũy kế), null when missing; equal to `value` outside relative-to-plan */
  ytd: number | null;
  /** the board's annual plan (relative-to-plan), null when it has none */
  plan: number | null;
  /** in [0, 1] ([0, cap] for relative-to-plan), unrounded */
  normalized: number;
  /** weight × normalized (× the missing-plan rescale), unrounded */
  points: number;
  /** relative-to-plan only: the board has no plan for this indicator, so it is left out of its score */
  noPlan: boolean;
}

/** not_participating: the board joined the cluster after the period opened. */
export type BoardStatus = "on_time" | "late" | "not_submitted" | "not_participating";

export interface RankedBoard {
  code: string;
  shortName: string;
  /** competition rank (1, 2, 2, 4); null for boards that did not submit */
  rank: number | null;
  /** rounded to 2 decimals; null for boards that did not submit */
  score: number | null;
  submitted: boolean;
  late: boolean;
  status: BoardStatus;
  /** per scored indicator, in definition order (empty for boards that did not submit) */
  indicators: IndicatorPoints[];
  /** points for reporting on time (0 when late or not scored) */
  onTimePoints: number;
  /** score − previous score (2 decimals); null without both scores */
  scoreDelta: number | null;
  /** previous rank − rank: positive = moved up; null without both ranks */
  rankDelta: number | null;
  /**
   * relative-to-plan: codes of scored indicators without a plan for this board. They are left out and the
   * other indicators' points are scaled by Σ all weights ÷ Σ planned weights, so the maximum stays the same.
   */
  missingPlans: string[];
}

/** The previous period's place of a board; a RankedBoard fits. */
export interface PreviousStanding {
  code: string;
  rank: number | null;
  score: number | null;
}

export interface RankingInput {
  indicators: readonly IndicatorDef[];
  scoring: ScoringConfig;
  /** member boards in their configured order (the tie-break order) */
  boards: readonly BoardRef[];
  /** submitted reports; reports of boards not in `boards` are ignored, a later report of a board wins */
  reports: readonly BoardReport[];
  previous?: readonly PreviousStanding[] | undefined;
  /** relative-to-plan: the annual plans of the period's year */
  plans?: BoardPlans | undefined;
  /** boards of the cluster that do not take part in this period (joined after it opened), listed last */
  outsiders?: readonly BoardRef[] | undefined;
}

export interface Ranking {
  /** ranked boards by rank (ties in board order), then boards that did not submit, in board order */
  boards: RankedBoard[];
  method: ScoringMethodDescription;
}

/**
 * Scores and ranks the boards of one period.
 * Score = Σ weight × normalized over scored indicators + onTimeWeight when the report is not late.
 * normalized: see {@link normalizeValue} (relative-to-best, relative-to-target) and {@link planAchievement}
 * (relative-to-plan: the year-to-date figure against the board's own annual plan, capped).
 * Ranks use the score rounded to 2 decimals, so scores that look equal are tied.
 * Ties share a rank and the next rank skips (1, 2, 2, 4); tied boards are listed in board order.
 * @example three boards scoring 90, 80, 80 and one not submitted → ranks 1, 2, 2, null
 */
export function rankBoards(input: RankingInput): Ranking {
  const { indicators, scoring, boards } = input;
  const scored = indicators.filter(isScored);
  const members = new Set(boards.map((b) => b.code));
  const reports = new Map<string, BoardReport>();
  for (const r of input.reports) if (members.has(r.boardCode)) reports.set(r.boardCode, r);
  const byPlan = scoring.method === "relative-to-plan";
  const cap = capRatio(scoring);
  const totalWeight = scored.reduce((s, d) => s + d.weight, 0);

  const references = new Map<string, number | undefined>();
  for (const def of scored) {
    const basis = basisOf(def, scoring.method);
    if (basis === "target") references.set(def.code, def.target);
    else if (basis === "best") references.set(def.code, bestValue(submittedValues(reports, def.code), def.better));
  }

  const submitted: RankedBoard[] = [];
  const missing: RankedBoard[] = [];
  for (const board of boards) {
    const report = reports.get(board.code);
    if (!report) {
      missing.push(unranked(board, "not_submitted"));
      continue;
    }
    const plans = input.plans?.[board.code] ?? {};
    const points = scored.map((def): IndicatorPoints => {
      const value = finite(report.values[def.code]);
      const ytd = report.ytd ? finite(report.ytd[def.code]) : value;
      if (byPlan) {
        const plan = finite(plans[def.code]);
        const normalized = plan === undefined ? 0 : planAchievement(ytd, plan, def.better, cap);
        return {
          code: def.code,
          value: value ?? null,
          ytd: ytd ?? null,
          plan: plan ?? null,
          normalized,
          points: def.weight * normalized,
          noPlan: plan === undefined,
        };
      }
      const normalized = normalizeValue(value, references.get(def.code), def.better, basisOf(def, scoring.method));
      return {
        code: def.code,
        value: value ?? null,
        ytd: ytd ?? null,
        plan: null,
        normalized,
        points: def.weight * normalized,
        noPlan: false,
      };
    });
    const missingPlans = points.filter((p) => p.noPlan).map((p) => p.code);
    if (missingPlans.length > 0) {
      const planned = scored.filter((d) => !missingPlans.includes(d.code)).reduce((s, d) => s + d.weight, 0);
      const scale = planned > 0 ? totalWeight / planned : 0;
      for (const p of points) p.points *= scale;
    }
    const share = report.onTimeShare ?? (report.late ? 0 : 1);
    const onTimePoints = roundScore(scoring.onTimeWeight * Math.min(1, Math.max(0, share)));
    const total = points.reduce((s, p) => s + p.points, 0) + onTimePoints;
    submitted.push({
      ...unranked(board, report.late ? "late" : "on_time"),
      score: roundScore(total),
      submitted: true,
      late: report.late,
      indicators: points,
      onTimePoints,
      missingPlans,
    });
  }

  assignRanks(submitted, boards, input.previous);
  const outsiders = (input.outsiders ?? [])
    .filter((b) => !members.has(b.code))
    .map((b) => unranked(b, "not_participating"));
  return {
    boards: [...submitted, ...missing, ...outsiders],
    method: describeScoringMethod(indicators, scoring),
  };
}

function finite(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

function submittedValues(reports: Map<string, BoardReport>, code: string): number[] {
  const values: number[] = [];
  for (const r of reports.values()) {
    const v = finite(r.values[code]);
    if (v !== undefined) values.push(v);
  }
  return values;
}

function unranked(board: BoardRef, status: BoardStatus): RankedBoard {
  return {
    code: board.code,
    shortName: board.shortName,
    rank: null,
    score: null,
    submitted: false,
    late: false,
    status,
    indicators: [],
    onTimePoints: 0,
    scoreDelta: null,
    rankDelta: null,
    missingPlans: [],
  };
}

/**
 * Sorts scored boards by score (board order breaks ties), gives competition ranks (1, 2, 2, 4) and the
 * changes against the previous standing. Mutates and returns `scored`.
 */
function assignRanks(
  scored: RankedBoard[],
  boards: readonly BoardRef[],
  previousStandings: readonly PreviousStanding[] | undefined,
): RankedBoard[] {
  const position = new Map(boards.map((b, i) => [b.code, i]));
  const previous = new Map((previousStandings ?? []).map((p) => [p.code, p]));
  scored.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (position.get(a.code) ?? 0) - (position.get(b.code) ?? 0));
  scored.forEach((b, i) => {
    const prev = scored[i - 1];
    b.rank = prev && prev.score === b.score ? prev.rank : i + 1;
    const before = previous.get(b.code);
    if (before?.rank != null && b.rank !== null) b.rankDelta = before.rank - b.rank;
    if (before?.score != null && b.score !== null) b.scoreDelta = roundScore(b.score - before.score);
  });
  return scored;
}

/** How the year is ranked: by year-to-date % of plan (relative-to-plan) or by the quarters' scores averaged. */
export type YearBasis = "plan" | "quarters";

export interface YearBoardInput {
  code: string;
  /** per quarter of the year (oldest first): the quarter's values when submitted, undefined when not */
  quarters: ({ values: Record<string, number>; late: boolean; score: number | null } | undefined)[];
}

export interface YearRankingInput {
  /** the indicators of the year's latest period */
  indicators: readonly IndicatorDef[];
  /** the scoring of the year's latest period */
  scoring: ScoringConfig;
  plans?: BoardPlans | undefined;
  boards: readonly BoardRef[];
  rows: readonly YearBoardInput[];
  /** year-to-date values per board (aggregated by the caller with the indicators' aggregation) */
  ytd: Readonly<Record<string, Record<string, number>>>;
  /** how many quarters of the year have a stored period */
  quarters: number;
  previous?: readonly PreviousStanding[] | undefined;
}

export interface YearRanking extends Ranking {
  basis: YearBasis;
  /** quarters of the year with a stored period */
  quarters: number;
  /** per board code: quarters submitted on time, late, not submitted */
  record: Record<string, { onTime: number; late: number; missing: number }>;
}

/**
 * The year's ranking (tổng kết năm).
 * - relative-to-plan: each board's year-to-date figures against its annual plans (as {@link rankBoards}),
 *   plus onTimeWeight × (quarters submitted on time ÷ quarters of the year so far);
 * - otherwise: the mean of the board's quarter scores, a quarter not submitted counting 0.
 * A board that submitted no quarter is listed as not submitted. Ties as in {@link rankBoards}.
 * @example quarter scores 90, 80 and 70, 100 → both 85: ranks 1, 1
 */
export function rankYear(input: YearRankingInput): YearRanking {
  const { boards, scoring, indicators } = input;
  const quarters = Math.max(1, input.quarters);
  const rows = new Map(input.rows.map((r) => [r.code, r]));
  const record: YearRanking["record"] = {};
  for (const b of boards) {
    const qs = rows.get(b.code)?.quarters ?? [];
    const onTime = qs.filter((q) => q && !q.late).length;
    const late = qs.filter((q) => q?.late).length;
    record[b.code] = { onTime, late, missing: input.quarters - onTime - late };
  }
  const active = boards.filter((b) => (rows.get(b.code)?.quarters ?? []).some((q) => q !== undefined));

  if (scoring.method === "relative-to-plan") {
    const ranking = rankBoards({
      indicators,
      scoring,
      boards,
      plans: input.plans,
      previous: input.previous,
      reports: active.map((b) => {
        const rec = record[b.code]!;
        const ytd = input.ytd[b.code] ?? {};
        return {
          boardCode: b.code,
          values: ytd,
          ytd,
          submittedAt: new Date(0),
          late: rec.late > 0,
          onTimeShare: rec.onTime / quarters,
        };
      }),
    });
    return { ...ranking, basis: "plan", quarters: input.quarters, record };
  }

  const scoredBoards: RankedBoard[] = active.map((b) => {
    const qs = rows.get(b.code)?.quarters ?? [];
    const sum = qs.reduce((s, q) => s + (q?.score ?? 0), 0);
    const rec = record[b.code]!;
    return {
      ...unranked(b, rec.late > 0 ? "late" : "on_time"),
      score: roundScore(sum / quarters),
      submitted: true,
      late: rec.late > 0,
    };
  });
  assignRanks(scoredBoards, boards, input.previous);
  const activeCodes = new Set(active.map((b) => b.code));
  const missing = boards.filter((b) => !activeCodes.has(b.code)).map((b) => unranked(b, "not_submitted"));
  return {
    boards: [...scoredBoards, ...missing],
    method: describeScoringMethod(indicators, scoring),
    basis: "quarters",
    quarters: input.quarters,
    record,
  };
}

export interface ScoredIndicatorDescription {
  code: string;
  label: string;
  weight: number;
  better: Better;
  basis: ScoreBasis;
  target?: number;
}

/** Data for the one-line method note of a summary (rendered to text by the locale). */
export interface ScoringMethodDescription {
  method: ScoringMethod;
  indicators: ScoredIndicatorDescription[];
  /** codes of indicators shown but not scored (text, weight 0) */
  unscored: string[];
  onTimeWeight: number;
  /** relative-to-plan: the cap in percent (e.g. 120); null for the other methods */
  cap: number | null;
  /** the highest possible score: Σ weights (× cap for relative-to-plan) + onTimeWeight */
  maxScore: number;
}

/** What the scoring does, as data: method, per-indicator weight and basis, on-time points and maximum score. */
export function describeScoringMethod(
  indicators: readonly IndicatorDef[],
  scoring: ScoringConfig,
): ScoringMethodDescription {
  const scored = indicators.filter(isScored);
  return {
    method: scoring.method,
    indicators: scored.map((d) => {
      const basis = basisOf(d, scoring.method);
      const base = { code: d.code, label: d.label, weight: d.weight, better: d.better, basis };
      return basis === "target" && d.target !== undefined ? { ...base, target: d.target } : base;
    }),
    unscored: indicators.filter((d) => !isScored(d)).map((d) => d.code),
    onTimeWeight: scoring.onTimeWeight,
    cap: scoring.method === "relative-to-plan" ? (scoring.cap ?? DEFAULT_PLAN_CAP) : null,
    maxScore: roundScore(
      scored.reduce((s, d) => s + d.weight, 0) * (scoring.method === "relative-to-plan" ? capRatio(scoring) : 1) +
        scoring.onTimeWeight,
    ),
  };
}
