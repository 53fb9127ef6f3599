// Scoring and ranking the boards of a cluster for one period.
import type { Better, BoardRef, BoardReport, IndicatorDef, ScoringConfig, ScoringMethod } from "./types.ts";

/** An indicator counts towards the score when it is numeric and has a positive weight. */
export function isScored(def: IndicatorDef): boolean {
  return def.kind !== "text" && def.weight > 0;
}

/** Rounds to 2 decimals, half up, after removing binary noise (0.1 + 0.2 → 0.3, 1.005 → 1.01). */
export function roundScore(x: number): number {
  return Math.round(Math.round(x * 1e6) / 1e4) / 100;
}

/** How one indicator is normalized, for the method note. */
export type ScoreBasis = "best" | "target";

function basisOf(def: IndicatorDef, method: ScoringMethod): ScoreBasis {
  return method === "relative-to-target" && def.target !== undefined ? "target" : "best";
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
  /** in [0, 1], unrounded */
  normalized: number;
  /** weight × normalized, unrounded */
  points: number;
}

export type BoardStatus = "on_time" | "late" | "not_submitted";

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
}

export interface Ranking {
  /** ranked boards by rank (ties in board order), then boards that did not submit, in board order */
  boards: RankedBoard[];
  method: ScoringMethodDescription;
}

/**
 * Scores and ranks the boards of one period.
 * Score = Σ weight × normalized (see {@link normalizeValue}) over scored indicators + onTimeWeight when the
 * report is not late. Ranks use the score rounded to 2 decimals, so scores that look equal are tied.
 * Ties share a rank and the next rank skips (1, 2, 2, 4); tied boards are listed in board order.
 * @example three boards scoring 90, 80, 80 and one not submitted → ranks 1, 2, 2, null
 */
export function rankBoards(input: RankingInput): Ranking {
  const { indicators, scoring, boards } = input;
  const scored = indicators.filter(isScored);
  const members = new Set(boards.map((b) => b.code));
  const reports = new Map<string, BoardReport>();
  for (const r of input.reports) if (members.has(r.boardCode)) reports.set(r.boardCode, r);

  const references = new Map<string, number | undefined>();
  for (const def of scored) {
    if (basisOf(def, scoring.method) === "target") {
      references.set(def.code, def.target);
    } else {
      const values: number[] = [];
      for (const r of reports.values()) {
        const v = r.values[def.code];
        if (v !== undefined && Number.isFinite(v)) values.push(v);
      }
      references.set(def.code, bestValue(values, def.better));
    }
  }

  const previous = new Map((input.previous ?? []).map((p) => [p.code, p]));
  const position = new Map(boards.map((b, i) => [b.code, i]));

  const submitted: RankedBoard[] = [];
  const missing: RankedBoard[] = [];
  for (const board of boards) {
    const report = reports.get(board.code);
    if (!report) {
      missing.push({
        code: board.code,
        shortName: board.shortName,
        rank: null,
        score: null,
        submitted: false,
        late: false,
        status: "not_submitted",
        indicators: [],
        onTimePoints: 0,
        scoreDelta: null,
        rankDelta: null,
      });
      continue;
    }
    const points = scored.map((def): IndicatorPoints => {
      const raw = report.values[def.code];
      const value = raw !== undefined && Number.isFinite(raw) ? raw : undefined;
      const normalized = normalizeValue(value, references.get(def.code), def.better, basisOf(def, scoring.method));
      return { code: def.code, value: value ?? null, normalized, points: def.weight * normalized };
    });
    const onTimePoints = report.late ? 0 : scoring.onTimeWeight;
    const total = points.reduce((s, p) => s + p.points, 0) + onTimePoints;
    submitted.push({
      code: board.code,
      shortName: board.shortName,
      rank: null,
      score: roundScore(total),
      submitted: true,
      late: report.late,
      status: report.late ? "late" : "on_time",
      indicators: points,
      onTimePoints,
      scoreDelta: null,
      rankDelta: null,
    });
  }

  submitted.sort(
    (a, b) => (b.score ?? 0) - (a.score ?? 0) || (position.get(a.code) ?? 0) - (position.get(b.code) ?? 0),
  );
  submitted.forEach((b, i) => {
    const prev = submitted[i - 1];
    b.rank = prev && prev.score === b.score ? prev.rank : i + 1;
    const before = previous.get(b.code);
    if (before?.rank != null && b.rank !== null) b.rankDelta = before.rank - b.rank;
    if (before?.score != null && b.score !== null) b.scoreDelta = roundScore(b.score - before.score);
  });

  return { boards: [...submitted, ...missing], method: describeScoringMethod(indicators, scoring) };
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
  /** the highest possible score: Σ weights + onTimeWeight */
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
    maxScore: roundScore(scored.reduce((s, d) => s + d.weight, 0) + scoring.onTimeWeight),
  };
}
