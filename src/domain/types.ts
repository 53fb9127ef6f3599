// Shared domain vocabulary. Pure data: no framework, database or clock here.

/** leader: a board's leadership (lãnh đạo ban), who approves its reports when the cluster requires it. */
export type Role = "chair" | "deputy" | "secretary" | "leader";
export const ROLES: readonly Role[] = ["chair", "deputy", "secretary", "leader"];

export type IndicatorKind = "integer" | "decimal" | "percent" | "text";
export type Better = "higher" | "lower";
/** How a quarter's values add up to the year so far (lũy kế): counts sum, a rate averages, a stock takes the last. */
export type Aggregate = "sum" | "last" | "average";

/** One indicator as defined in a cluster's configuration (and frozen in an indicator set). */
export interface IndicatorDef {
  code: string;
  label: string;
  unit: string;
  kind: IndicatorKind;
  min?: number | undefined;
  max?: number | undefined;
  required: boolean;
  /** 0 = shown, not scored. Text indicators are never scored. */
  weight: number;
  better: Better;
  target?: number | undefined;
  help?: string | undefined;
  /** year-to-date aggregation; absent = by kind (see aggregateOf) */
  aggregate?: Aggregate | undefined;
  /** text indicators: the briefing document's section their answers go into (absent: a section of their own) */
  section?: DocSection | undefined;
}

/** The briefing document's board-by-board sections a text indicator can feed. */
export type DocSection = "highlights" | "difficulties";

/** A quarter of a year: { year: 2026, quarter: 3 } is "quý III/2026", key "2026-Q3". */
export interface PeriodRef {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

export type ScoringMethod = "relative-to-best" | "relative-to-target" | "relative-to-plan";

export interface ScoringConfig {
  method: ScoringMethod;
  /** points for submitting before the deadline (0 = not scored) */
  onTimeWeight: number;
  /** relative-to-plan: the highest % of plan that still earns points (100 = no reward above the plan) */
  cap?: number | undefined;
}

/** Annual plans of one year: board code → indicator code → planned figure for the year. */
export type BoardPlans = Record<string, Record<string, number>>;
/** Annual plans by year ("2026") */
export type Plans = Record<string, BoardPlans>;

export type RuleOp = "<=" | "<" | ">=" | ">" | "=";

/** A rule between indicators of one report: `left op Σ right` (e.g. tcd_dn_ngoai_nn <= tcd_moi). */
export interface IndicatorRule {
  left: string;
  op: RuleOp;
  /** indicator codes added up on the right-hand side */
  right: string[];
  /** a number added to the right-hand side (0 when absent) */
  constant: number;
  /** the rule as written in the file */
  text: string;
}

/**
 * What a period is scored and checked with, kept from when it opened: a presented
 * ranking never changes because the file changed later.
 */
export interface PeriodScoring {
  scoring: ScoringConfig;
  /** the plans of the period's year, as they stood */
  plans: BoardPlans;
  rules: IndicatorRule[];
  /** codes of the boards taking part; null = every active board (periods stored before snapshots) */
  members: string[] | null;
}

/** Local wall-clock time "HH:MM" in the cluster's time zone. */
export type LocalTime = string;

/** What a computed date that falls on a day off does: move to the next or previous working day, or stay. */
export type NonWorkingDayPolicy = "next" | "previous" | "keep";

export interface CalendarConfig {
  opens: { daysBeforeQuarterEnd: number; time: LocalTime; nonWorkingDay?: NonWorkingDayPolicy | undefined };
  deadline: { daysAfterQuarterEnd: number; time: LocalTime; nonWorkingDay?: NonWorkingDayPolicy | undefined };
  briefing: { daysAfterQuarterEnd: number; time: LocalTime; nonWorkingDay?: NonWorkingDayPolicy | undefined };
  summaryPost: { daysBeforeBriefing: number; time: LocalTime; nonWorkingDay?: NonWorkingDayPolicy | undefined };
  /** offsets before the deadline, e.g. ["3d", "1d", "2h"] */
  reminders: string[];
  quietHours?: { from: LocalTime; to: LocalTime } | undefined;
  /**
   * Working weekdays (["mon", …, "fri"] from a cluster file). Absent: no working-day rules at all (every day works,
   * no holiday): the calendars stored before working days existed, and tests of the bare date arithmetic.
   */
  workdays?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[] | undefined;
  /** the year's extra days off ("YYYY-MM-DD"), on top of the public holidays */
  holidays?: string[] | undefined;
  /** make-up working days ("YYYY-MM-DD") */
  makeupWorkdays?: string[] | undefined;
  /** "none" turns Vietnam's public holidays off (a cluster abroad, tests); default "vn" */
  publicHolidays?: "vn" | "none" | undefined;
}

/** The four dates of one period, as instants. */
export interface PeriodDates {
  opensAt: Date;
  deadline: Date;
  briefingAt: Date;
  summaryPostAt: Date;
}

export type PeriodDateField = "opens" | "deadline" | "briefing" | "post";

/** Per-period overrides, keyed by period key ("2026-Q4"); local ISO-like times without zone. */
export type PeriodOverrides = Record<
  string,
  Partial<Record<"opens" | "deadline" | "briefing" | "summaryPost", string>>
>;

/** A stored answer value. Numbers for numeric kinds, text for text kind. */
export type AnswerValue = { kind: "number"; value: number } | { kind: "text"; value: string } | { kind: "skipped" };

/** Result of parsing/validating user input: a value, or a reason code with parameters for the locale. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: InputError };

export interface InputError {
  /** stable reason code, rendered to Vietnamese by the locale module */
  code:
    | "empty"
    | "not_a_number"
    | "words_not_supported"
    | "negative"
    | "decimal_for_count"
    | "too_large"
    | "too_many_digits"
    | "below_min"
    | "above_max"
    | "percent_out_of_range"
    | "ambiguous_separator"
    | "text_too_long"
    | "text_forbidden_chars";
  /** parameters for the message, e.g. { min: 0 } */
  params?: Record<string, string | number>;
}

/** One board's submitted report as the ranking sees it. */
export interface BoardReport {
  boardCode: string;
  /** indicator code → numeric value (text and skipped omitted) */
  values: Record<string, number>;
  submittedAt: Date;
  late: boolean;
  /** year-to-date (lũy kế) values, used by relative-to-plan; absent = the quarter's values */
  ytd?: Record<string, number> | undefined;
  /** share of on-time points earned, 0..1 (the year: on-time quarters ÷ quarters); absent = late ? 0 : 1 */
  onTimeShare?: number | undefined;
}

export interface BoardRef {
  code: string;
  shortName: string;
}

/** Generic result for parsers whose errors are not user-answer errors (periods, offsets). */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Why a period text such as "Q3/2026" was not understood. */
export interface PeriodError {
  /** bad_period: not a period at all; bad_quarter: quarter not 1–4 / I–IV; bad_year: year not understood or out of range */
  code: "bad_period" | "bad_quarter" | "bad_year";
  params?: Record<string, string | number>;
}

/** Why a reminder offset such as "3d" was not understood. */
export interface OffsetError {
  code: "bad_offset";
  params?: Record<string, string | number>;
}

/** Where a period stands at a given instant. */
export type PeriodStatus = "not_open" | "open" | "closed";
