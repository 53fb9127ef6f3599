// The cluster configuration file (docs: interface.md, "Cluster configuration file"), validated with zod.
// Pure: no file system here (see load.ts). Input is the parsed YAML/JSON data; output a normalized,
// fully defaulted `ClusterConfig` built from the shared domain types.

import { z } from "zod";
import { DEFAULT_CALENDAR as DOMAIN_DEFAULT_CALENDAR } from "../domain/calendar.ts";
import { parseRule } from "../domain/rules.ts";
import type {
  Aggregate,
  Better,
  CalendarConfig,
  DocSection,
  IndicatorDef,
  IndicatorKind,
  IndicatorRule,
  PeriodOverrides,
  Plans,
  ScoringConfig,
  ScoringMethod,
} from "../domain/types.ts";
import { DEFAULT_WORKDAYS, MAX_DAYS_OFF_RUN, overlongDaysOff, WEEKDAYS, type Weekday } from "../domain/workdays.ts";

// ---------------------------------------------------------------------------------------------
// Output types

export interface ClusterInfo {
  /** [a-z0-9-], unique across clusters */
  code: string;
  name: string;
  /** IANA time zone; default Asia/Ho_Chi_Minh */
  timezone: string;
  /** Telegram chat id as a string of digits (optional leading minus), to avoid precision loss */
  groupChatId?: string | undefined;
  /** where the cluster's documents are issued, for their date line ("Hà Nội, ngày …") */
  place?: string | undefined;
  /** who signs the briefing document (absent: the chair, by the chair's role and name) */
  signer?: SignerInfo | undefined;
}

/** The briefing document's signer, each part optional (an absent one defaults to the chair's). */
export interface SignerInfo {
  /** the position above the signature, e.g. "GIÁM ĐỐC SỞ NỘI VỤ" (printed upper case) */
  position?: string | undefined;
  /** the full name under the signature, e.g. "Nguyễn Văn Hùng" */
  name?: string | undefined;
}

export interface BoardDef {
  code: string;
  name: string;
  shortName: string;
  /** default true; inactive boards are kept for history but not asked */
  active: boolean;
}

export interface ClusterConfig {
  cluster: ClusterInfo;
  boards: BoardDef[];
  /** in the order they are asked */
  indicators: IndicatorDef[];
  scoring: ScoringConfig;
  calendar: CalendarConfig;
  /** keyed "YYYY-Qn"; values are local date-times "YYYY-MM-DDTHH:MM" in the cluster's time zone */
  periods: PeriodOverrides;
  /** annual plans by year → board code → indicator code */
  plans: Plans;
  /** rules between the indicators of one report */
  rules: IndicatorRule[];
  /** `required`: a board leader (lãnh đạo ban) approves a report before its figures count */
  approval: "off" | "required";
}

// ---------------------------------------------------------------------------------------------
// Defaults

export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";

export const DEFAULT_SCORING: Readonly<ScoringConfig> = Object.freeze({ method: "relative-to-best", onTimeWeight: 0 });

/** The calendar used when a file has none (defined once, in the domain). */
export const DEFAULT_CALENDAR: Readonly<CalendarConfig> = Object.freeze(DOMAIN_DEFAULT_CALENDAR);

export const INDICATOR_KINDS: readonly IndicatorKind[] = ["integer", "decimal", "percent", "text"];
export const SCORING_METHODS: readonly ScoringMethod[] = ["relative-to-best", "relative-to-target", "relative-to-plan"];
export const AGGREGATES: readonly Aggregate[] = ["sum", "last", "average"];
const BETTER: readonly Better[] = ["higher", "lower"];
export const DOC_SECTIONS: readonly DocSection[] = ["highlights", "difficulties"];
const PERIOD_FIELDS = ["opens", "deadline", "briefing", "summaryPost"] as const;

// ---------------------------------------------------------------------------------------------
// Errors

export interface ClusterConfigIssue {
  /** field path such as `indicators[3].weight`; "(top level)" for the document itself */
  path: string;
  message: string;
  /** 1-based line in the file, when known */
  line?: number | undefined;
}

/** A configuration file that cannot be used. One issue per line, each naming the file and the field. */
export class ClusterConfigError extends Error {
  override readonly name = "ClusterConfigError";
  readonly file: string;
  readonly issues: ClusterConfigIssue[];
  constructor(file: string, issues: ClusterConfigIssue[]) {
    super(issues.map((i) => formatIssueLine(file, i)).join("\n"));
    this.file = file;
    this.issues = issues;
  }
}

export function formatIssueLine(file: string, issue: ClusterConfigIssue): string {
  const where = issue.line === undefined ? "" : ` (line ${issue.line})`;
  return `${file}: ${issue.path}: ${issue.message}${where}`;
}

/** `["indicators", 3, "weight"]` → `indicators[3].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      if (/^[A-Za-z0-9_-]+$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out === "" ? "(top level)" : out;
}

/** Describes a value from the file for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return `a date (${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()})`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

type IssueLike = { input?: unknown };

/** Error map for one field: "expected <what>, got <value>" or "missing: expected <what>". */
function expected(what: string) {
  return (iss: IssueLike): string =>
    iss.input === undefined ? `missing: expected ${what}` : `expected ${what}, got ${show(iss.input)}`;
}

/** Like `expected`, for containers: only the wrong-type issue, so unknown keys keep their own message. */
function expectedType(what: string) {
  const err = expected(what);
  return (iss: IssueLike & { code?: string }): string | undefined =>
    iss.code === "invalid_type" ? err(iss) : undefined;
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  object: "a mapping (key: value)",
  array: "a list",
  record: "a mapping (key: value)",
};

const UNKNOWN_KEYS_MARK = "\u0000unknown-keys:";

/** Fallback messages for issues no field-level map handled. */
function fallbackError(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type": {
      const what = TYPE_NAMES[iss.expected] ?? iss.expected;
      return expected(what)(iss);
    }
    case "unrecognized_keys": {
      const def = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
      const known = def?.shape ? Object.keys(def.shape) : [];
      return UNKNOWN_KEYS_MARK + JSON.stringify(known);
    }
    case "invalid_value":
      return `expected one of ${iss.values.map((v) => String(v)).join(", ")}, got ${show(iss.input)}`;
    case "too_small":
      return `expected at least ${String(iss.minimum)}${iss.origin === "array" ? " item(s)" : iss.origin === "string" ? " character(s)" : ""}, got ${show(iss.input)}`;
    case "too_big":
      return `expected at most ${String(iss.maximum)}${iss.origin === "array" ? " item(s)" : iss.origin === "string" ? " character(s)" : ""}, got ${show(iss.input)}`;
    default:
      return undefined;
  }
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function unknownKeyMessage(key: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = levenshtein(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const hint =
    best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : "";
  const list = known.length > 0 ? `; expected one of ${known.join(", ")}` : "";
  return `unknown key${hint}${list}`;
}

// ---------------------------------------------------------------------------------------------
// Field schemas

/** Run a refinement even when the value has other issues (so all problems are reported at once). */
const ALWAYS = { when: () => true } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(what: string, max: number) {
  const err = expected(what);
  return z
    .string({ error: err })
    .trim()
    .min(1, { error: err })
    .max(max, { error: (iss) => `expected at most ${max} characters, got ${(iss.input as string).length}` });
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const TIME_WHAT = 'a time "HH:MM" from 00:00 to 23:59';
const localTime = z
  .string({ error: expected(TIME_WHAT) })
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, { error: expected(TIME_WHAT) })
  .transform((s) => s.padStart(5, "0"));

function minutesOf(time: string): number {
  const [h, m] = time.split(":");
  return Number(h) * 60 + Number(m);
}

function days(max: number) {
  const err = expected(`a whole number of days from 0 to ${max}`);
  return z.number({ error: err }).int({ error: err }).min(0, { error: err }).max(max, { error: err });
}

const REMINDER_WHAT = 'an offset before the deadline like "3d", "2h" or "30m"';
const REMINDER_UNIT_MINUTES: Record<string, number> = { d: 1440, h: 60, m: 1 };
const REMINDER_MAX_MINUTES = 60 * 1440;

function reminderMinutes(r: string): number {
  const m = /^(\d+)([dhm])$/.exec(r);
  return m ? Number(m[1]) * REMINDER_UNIT_MINUTES[m[2]!]! : Number.NaN;
}

const reminder = z
  .string({ error: expected(REMINDER_WHAT) })
  .trim()
  .regex(/^\d+[dhm]$/, { error: expected(REMINDER_WHAT) })
  // (a value the regex rejected gives NaN here and is already reported)
  .refine(
    (r) => Number.isNaN(reminderMinutes(r)) || (reminderMinutes(r) > 0 && reminderMinutes(r) <= REMINDER_MAX_MINUTES),
    {
      error: expected("an offset greater than 0 and at most 60d"),
    },
  )
  .transform((r) => r.replace(/^0+(?=\d)/, ""));

const LOCAL_DT_WHAT = 'a local date-time "YYYY-MM-DDTHH:MM"';
const LOCAL_DT_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

function isValidLocalDateTime(s: string): boolean {
  const m = LOCAL_DT_RE.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h <= 23 && mi <= 59;
}

const localDateTime = z
  .string({ error: expected(LOCAL_DT_WHAT) })
  .trim()
  .refine(isValidLocalDateTime, { error: expected(`${LOCAL_DT_WHAT} (a real date and time)`) })
  .transform((s) => s.replace(" ", "T"));

/** An optional key left blank in YAML (`help:`) parses as null: treat it as absent. */
function blankIsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema);
}

function num(what: string) {
  return z.number({ error: expected(what) });
}

// ---------------------------------------------------------------------------------------------
// Sections

const CLUSTER_CODE_WHAT = "a code of lowercase letters, digits and hyphens, e.g. btc-5tp";
const CHAT_ID_WHAT = "a Telegram chat id such as -1001234567890";

const groupChatId = z.unknown().transform((v, ctx): string | undefined => {
  if (v === undefined || v === null) return undefined; // left blank until the group exists
  if (typeof v === "number" && Number.isSafeInteger(v) && v !== 0) return String(v);
  if (typeof v === "string" && /^-?[1-9]\d{0,18}$/.test(v.trim())) return v.trim();
  ctx.addIssue({ code: "custom", message: expected(CHAT_ID_WHAT)({ input: v }) });
  return z.NEVER;
});

const clusterSchema = z.strictObject({
  code: z
    .string({ error: expected(CLUSTER_CODE_WHAT) })
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: expected(CLUSTER_CODE_WHAT) }),
  name: text("the cluster's name", 300),
  timezone: z
    .string({ error: expected("an IANA time zone such as Asia/Ho_Chi_Minh") })
    .trim()
    .refine(isValidTimeZone, { error: expected("an IANA time zone such as Asia/Ho_Chi_Minh") })
    .default(DEFAULT_TIMEZONE),
  groupChatId: groupChatId.optional(),
  place: blankIsAbsent(text("a place name such as Hà Nội", 100).optional()),
  signer: z
    .strictObject(
      {
        position: blankIsAbsent(text("the signer's position such as Giám đốc Sở Nội vụ", 200).optional()),
        name: blankIsAbsent(text("the signer's full name such as Nguyễn Văn Hùng", 100).optional()),
      },
      { error: expectedType("a mapping with position and/or name") },
    )
    .optional(),
});

const BOARD_CODE_WHAT = "a board code of letters, digits, _ or - (at most 32), e.g. HCM";
const boardSchema = z.strictObject({
  code: z
    .string({ error: expected(BOARD_CODE_WHAT) })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { error: expected(BOARD_CODE_WHAT) }),
  name: text("the board's full name", 300),
  shortName: text("a short name for tables and charts", 40),
  active: z.boolean({ error: expected("true or false") }).default(true),
});

/** Reports a duplicate of `field` (compared by `norm`) at every repeated occurrence. */
function noDuplicates(field: string, what: string, norm: (s: string) => string = (s) => s) {
  return (list: unknown, ctx: z.core.$RefinementCtx<unknown>) => {
    if (!Array.isArray(list)) return;
    const firstAt = new Map<string, number>();
    list.forEach((item: unknown, i) => {
      if (!isRecord(item)) return;
      const value = item[field];
      if (typeof value !== "string") return;
      const key = norm(value.trim());
      const first = firstAt.get(key);
      if (first === undefined) firstAt.set(key, i);
      else
        ctx.addIssue({
          code: "custom",
          path: [i, field],
          message: `duplicate ${what} ${JSON.stringify(value)}: already used at [${first}]; expected each ${what} once`,
          input: value,
        });
    });
  };
}

const boardsSchema = z
  .array(boardSchema, { error: expectedType("a list of boards") })
  .min(1, { error: () => "expected at least one board" })
  .superRefine(
    noDuplicates("code", "board code", (s) => s.toUpperCase()),
    ALWAYS,
  )
  .superRefine(noDuplicates("shortName", "board shortName"), ALWAYS)
  .superRefine((boards, ctx) => {
    if (boards.length > 0 && boards.every((b) => !b.active))
      ctx.addIssue({ code: "custom", message: "expected at least one active board", input: boards });
  });

const INDICATOR_CODE_WHAT = "a code of lowercase letters, digits and _ (at most 64), e.g. ket_nap";

const indicatorSchema = z
  .strictObject({
    code: z
      .string({ error: expected(INDICATOR_CODE_WHAT) })
      .trim()
      .regex(/^[a-z0-9_]{1,64}$/, { error: expected(INDICATOR_CODE_WHAT) }),
    label: text("the question/label shown to secretaries", 300),
    unit: blankIsAbsent(
      z
        .string({ error: expected('a unit such as "người" (or nothing)') })
        .trim()
        .max(40, { error: expected("a unit of at most 40 characters") })
        .default(""),
    ),
    kind: z.enum(INDICATOR_KINDS as [IndicatorKind, ...IndicatorKind[]], {
      error: expected(`one of ${INDICATOR_KINDS.join(", ")}`),
    }),
    min: blankIsAbsent(num("a number (lower bound)").optional()),
    max: blankIsAbsent(num("a number (upper bound)").optional()),
    required: z.boolean({ error: expected("true or false") }).default(true),
    weight: num("a number ≥ 0")
      .min(0, { error: expected("a number ≥ 0") })
      .default(0),
    better: z.enum(BETTER as [Better, ...Better[]], { error: expected("higher or lower") }).default("higher"),
    target: blankIsAbsent(
      num("a number > 0")
        .positive({ error: expected("a number > 0") })
        .optional(),
    ),
    help: blankIsAbsent(text("a help line", 500).optional()),
    aggregate: blankIsAbsent(
      z
        .enum(AGGREGATES as [Aggregate, ...Aggregate[]], {
          error: expected(`one of ${AGGREGATES.join(", ")} (how the quarters add up to the year)`),
        })
        .optional(),
    ),
    section: blankIsAbsent(
      z
        .enum(DOC_SECTIONS as [DocSection, ...DocSection[]], {
          error: expected(`one of ${DOC_SECTIONS.join(", ")} (the briefing document's section)`),
        })
        .optional(),
    ),
  })
  .superRefine((ind: unknown, ctx) => {
    if (!isRecord(ind)) return;
    const { kind, min, max, weight, target, section } = ind;
    if (kind !== "text" && section !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["section"],
        message: `expected no section on a ${String(kind)} indicator (only text indicators feed the document's sections), got ${show(section)}`,
        input: section,
      });
    if (kind === "text") {
      if (typeof weight === "number" && weight !== 0)
        ctx.addIssue({
          code: "custom",
          path: ["weight"],
          message: `expected 0 or no weight: a text indicator is never scored, got ${show(weight)}`,
          input: weight,
        });
      for (const [key, value] of [
        ["min", min],
        ["max", max],
        ["target", target],
      ] as const) {
        if (value !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `expected no ${key} on a text indicator (bounds and targets are for numbers), got ${show(value)}`,
            input: value,
          });
      }
      return;
    }
    if (kind === "integer") {
      for (const [key, value] of [
        ["min", min],
        ["max", max],
      ] as const) {
        if (typeof value === "number" && !Number.isInteger(value))
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `expected a whole number for an integer indicator, got ${show(value)}`,
            input: value,
          });
      }
    }
    if (typeof min === "number" && typeof max === "number" && min > max)
      ctx.addIssue({
        code: "custom",
        path: ["max"],
        message: `expected a number ≥ min (${min}), got ${show(max)}`,
        input: max,
      });
  }, ALWAYS)
  .transform((ind): IndicatorDef => {
    const out: IndicatorDef = {
      code: ind.code,
      label: ind.label,
      unit: ind.unit,
      kind: ind.kind,
      required: ind.required,
      weight: ind.weight,
      better: ind.better,
    };
    if (ind.min !== undefined) out.min = ind.min;
    if (ind.max !== undefined) out.max = ind.max;
    if (ind.target !== undefined) out.target = ind.target;
    if (ind.help !== undefined) out.help = ind.help;
    if (ind.aggregate !== undefined) out.aggregate = ind.aggregate;
    if (ind.section !== undefined) out.section = ind.section;
    return out;
  });

const indicatorsSchema = z
  .array(indicatorSchema, { error: expectedType("a list of indicators") })
  .min(1, { error: () => "expected at least one indicator" })
  .superRefine(noDuplicates("code", "indicator code"), ALWAYS);

const scoringSchema = z.strictObject({
  method: z
    .enum(SCORING_METHODS as [ScoringMethod, ...ScoringMethod[]], {
      error: expected(SCORING_METHODS.join(" or ")),
    })
    .default(DEFAULT_SCORING.method),
  onTimeWeight: num("a number ≥ 0")
    .min(0, { error: expected("a number ≥ 0") })
    .default(DEFAULT_SCORING.onTimeWeight),
  // relative-to-plan: the highest % of plan that still earns points
  cap: blankIsAbsent(
    num("a percentage from 100 to 1000, e.g. 120")
      .min(100, { error: expected("a percentage from 100 to 1000, e.g. 120") })
      .max(1000, { error: expected("a percentage from 100 to 1000, e.g. 120") })
      .optional(),
  ),
});

const PLAN_WHAT = "a planned figure for the year (a number ≥ 0)";
const plansSchema = z.record(
  z.string().regex(/^\d{4}$/, { error: (iss) => `expected a year such as 2027, got ${show(iss.input)}` }),
  z.record(
    z.string(),
    z.record(z.string(), num(PLAN_WHAT).min(0, { error: expected(PLAN_WHAT) }), {
      error: expectedType("a mapping of indicator code → planned figure"),
    }),
    { error: expectedType("a mapping of board code → { indicator code: figure }") },
  ),
  { error: expectedType("a mapping of years such as 2027: { HN: { ket_nap: 5000 } }") },
);

const ruleSchema = z.string({ error: expected('a rule such as "tcd_dn_ngoai_nn <= tcd_moi"') }).transform((s, ctx) => {
  const r = parseRule(s);
  if (r.ok) return r.value;
  ctx.addIssue({ code: "custom", message: `${r.error.reason}, got ${show(s)}`, input: s });
  return z.NEVER;
});
const rulesSchema = z.array(ruleSchema, { error: expectedType('a list of rules such as "a <= b + c"') });

const D = DEFAULT_CALENDAR;

const POLICIES = ["next", "previous", "keep"] as const;
const nonWorkingDay = z.enum(POLICIES, { error: expected(POLICIES.join(" | ")) });
const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]], { error: expected(WEEKDAYS.join(", ")) });
const LOCAL_DATE_WHAT = 'a date "YYYY-MM-DD"';
const localDate = z
  .string({ error: expected(LOCAL_DATE_WHAT) })
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isValidLocalDateTime(`${s}T00:00`), {
    error: expected(`${LOCAL_DATE_WHAT} (a real date)`),
  });

const quietHoursSchema = z
  .strictObject({ from: localTime, to: localTime })
  .refine((q) => q.from.padStart(5, "0") !== q.to.padStart(5, "0"), {
    path: ["to"],
    error: () => "expected a time different from `from` (use quietHours: null for no quiet hours)",
  });

const calendarSchema = z
  .strictObject({
    opens: z
      .strictObject({
        daysBeforeQuarterEnd: days(89).default(D.opens.daysBeforeQuarterEnd),
        time: localTime.default(D.opens.time),
        nonWorkingDay: nonWorkingDay.optional(),
      })
      .prefault({}),
    deadline: z
      .strictObject({
        daysAfterQuarterEnd: days(90).default(D.deadline.daysAfterQuarterEnd),
        time: localTime.default(D.deadline.time),
        nonWorkingDay: nonWorkingDay.optional(),
      })
      .prefault({}),
    briefing: z
      .strictObject({
        daysAfterQuarterEnd: days(120).default(D.briefing.daysAfterQuarterEnd),
        time: localTime.default(D.briefing.time),
        nonWorkingDay: nonWorkingDay.optional(),
      })
      .prefault({}),
    summaryPost: z
      .strictObject({
        daysBeforeBriefing: days(30).default(D.summaryPost.daysBeforeBriefing),
        time: localTime.default(D.summaryPost.time),
        nonWorkingDay: nonWorkingDay.optional(),
      })
      .prefault({}),
    reminders: z
      .array(reminder, { error: expectedType('a list of offsets like ["3d", "1d", "2h"]') })
      .max(20, { error: () => "expected at most 20 reminders" })
      .superRefine((list: unknown, ctx) => {
        if (!Array.isArray(list)) return;
        const seen = new Map<number, number>();
        list.forEach((r: unknown, i) => {
          if (typeof r !== "string") return;
          const minutes = reminderMinutes(r.trim());
          if (Number.isNaN(minutes)) return;
          const first = seen.get(minutes);
          if (first !== undefined)
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: `duplicate reminder ${JSON.stringify(r)}: same offset as [${first}]`,
              input: r,
            });
          else seen.set(minutes, i);
        });
      }, ALWAYS)
      // canonical order: earliest reminder (largest offset) first
      .transform((list) => [...list].sort((a, b) => reminderMinutes(b) - reminderMinutes(a)))
      .default(() => [...D.reminders]),
    quietHours: quietHoursSchema.nullable().default(() => ({ ...D.quietHours! })),
    workdays: z
      .array(weekday, { error: expectedType(`a list of weekdays like [${DEFAULT_WORKDAYS.join(", ")}]`) })
      .min(1, { error: () => "expected at least one working weekday" })
      .default(() => [...DEFAULT_WORKDAYS]),
    holidays: z.array(localDate, { error: expectedType('a list of dates like ["2027-02-08"]') }).default(() => []),
    makeupWorkdays: z
      .array(localDate, { error: expectedType('a list of dates like ["2027-02-20"]') })
      .default(() => []),
    publicHolidays: z.enum(["vn", "none"], { error: expected("vn | none") }).default("vn"),
  })
  .superRefine((cal, ctx) => {
    // a run of days off longer than any date may be moved across (see MAX_DAYS_OFF_RUN)
    const start = overlongDaysOff({
      workdays: cal.workdays,
      holidays: cal.holidays,
      makeupWorkdays: cal.makeupWorkdays,
      publicHolidays: cal.publicHolidays,
    });
    if (start !== null)
      ctx.addIssue({
        code: "custom",
        path: ["holidays", cal.holidays.indexOf(start)],
        message: `expected a working day within ${MAX_DAYS_OFF_RUN} days: from ${start} on, every day is off (weekends, public holidays and these holidays)`,
      });
    // Order within a period, in minutes from 00:00 of the quarter's last day.
    const opens = -cal.opens.daysBeforeQuarterEnd * 1440 + minutesOf(cal.opens.time);
    const deadline = cal.deadline.daysAfterQuarterEnd * 1440 + minutesOf(cal.deadline.time);
    const briefing = cal.briefing.daysAfterQuarterEnd * 1440 + minutesOf(cal.briefing.time);
    const post =
      (cal.briefing.daysAfterQuarterEnd - cal.summaryPost.daysBeforeBriefing) * 1440 + minutesOf(cal.summaryPost.time);
    if (deadline <= opens)
      ctx.addIssue({ code: "custom", path: ["deadline"], message: "expected the deadline after the period opens" });
    if (briefing <= deadline)
      ctx.addIssue({ code: "custom", path: ["briefing"], message: "expected the briefing after the deadline" });
    if (post < deadline || post > briefing)
      ctx.addIssue({
        code: "custom",
        path: ["summaryPost"],
        message: "expected the summary post between the deadline and the briefing",
      });
  })
  .transform(
    (cal): CalendarConfig => ({
      opens: cal.opens,
      deadline: cal.deadline,
      briefing: cal.briefing,
      summaryPost: cal.summaryPost,
      reminders: cal.reminders,
      ...(cal.quietHours === null ? {} : { quietHours: cal.quietHours }),
      workdays: cal.workdays,
      ...(cal.holidays.length > 0 ? { holidays: cal.holidays } : {}),
      ...(cal.makeupWorkdays.length > 0 ? { makeupWorkdays: cal.makeupWorkdays } : {}),
      ...(cal.publicHolidays === "none" ? { publicHolidays: "none" as const } : {}),
    }),
  );

const PERIOD_KEY_RE = /^(\d{4})-Q([1-4])$/;

/** Days since epoch of a local date string "YYYY-MM-DD…". */
function dayNumber(s: string): number {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;
}

function isoDay(dayNo: number): string {
  return new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
}

const periodOverrideSchema = z
  .strictObject({
    opens: localDateTime.optional(),
    deadline: localDateTime.optional(),
    briefing: localDateTime.optional(),
    summaryPost: localDateTime.optional(),
  })
  .superRefine((p, ctx) => {
    const at = (s: string | undefined) => (s === undefined ? undefined : s.replace(" ", "T"));
    const opens = at(p.opens);
    const deadline = at(p.deadline);
    const briefing = at(p.briefing);
    const post = at(p.summaryPost);
    if (opens !== undefined && deadline !== undefined && deadline <= opens)
      ctx.addIssue({ code: "custom", path: ["deadline"], message: `expected a time after opens (${opens})` });
    if (deadline !== undefined && briefing !== undefined && briefing <= deadline)
      ctx.addIssue({ code: "custom", path: ["briefing"], message: `expected a time after the deadline (${deadline})` });
    if (post !== undefined && deadline !== undefined && post < deadline)
      ctx.addIssue({
        code: "custom",
        path: ["summaryPost"],
        message: `expected a time at or after the deadline (${deadline})`,
      });
    if (post !== undefined && briefing !== undefined && post > briefing)
      ctx.addIssue({
        code: "custom",
        path: ["summaryPost"],
        message: `expected a time at or before the briefing (${briefing})`,
      });
  });

const periodsSchema = z
  .record(z.string(), periodOverrideSchema, {
    error: expectedType('a mapping of periods such as 2026-Q4: { deadline: "…" }'),
  })
  .superRefine((periods: unknown, ctx) => {
    if (!isRecord(periods)) return;
    for (const [key, value] of Object.entries(periods)) {
      const m = PERIOD_KEY_RE.exec(key);
      if (!m) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `expected a period key like 2026-Q4 (year, "-Q", quarter 1 to 4), got ${JSON.stringify(key)}`,
          input: key,
        });
        continue;
      }
      if (!isRecord(value)) continue;
      // Catch a wrong year: each date must lie near its quarter.
      const year = Number(m[1]);
      const quarter = Number(m[2]);
      const start = Date.UTC(year, (quarter - 1) * 3, 1) / 86_400_000;
      const end = Date.UTC(year, quarter * 3, 0) / 86_400_000;
      const lo = start - 92;
      const hi = end + 183;
      for (const field of PERIOD_FIELDS) {
        const v = value[field];
        if (typeof v !== "string" || !isValidLocalDateTime(v.trim())) continue;
        const day = dayNumber(v.trim());
        if (day < lo || day > hi)
          ctx.addIssue({
            code: "custom",
            path: [key, field],
            message: `expected a date near ${key} (between ${isoDay(lo)} and ${isoDay(hi)}), got ${show(v)}`,
            input: v,
          });
      }
    }
  }, ALWAYS)
  .transform((periods): PeriodOverrides => {
    const out: PeriodOverrides = {};
    for (const [key, value] of Object.entries(periods)) {
      const entry: Partial<Record<(typeof PERIOD_FIELDS)[number], string>> = {};
      for (const field of PERIOD_FIELDS) {
        const v = value[field];
        if (v !== undefined) entry[field] = v;
      }
      out[key] = entry;
    }
    return out;
  });

export const clusterConfigSchema = z
  .strictObject(
    {
      cluster: clusterSchema,
      boards: boardsSchema,
      indicators: indicatorsSchema,
      scoring: scoringSchema.prefault({}),
      calendar: calendarSchema.prefault({}),
      periods: periodsSchema.default({}),
      plans: plansSchema.default({}),
      rules: rulesSchema.default([]),
      approval: z.enum(["off", "required"], { error: expectedType("off or required") }).default("off"),
    },
    {
      error: expectedType(
        "a mapping with the keys cluster, boards, indicators, scoring, calendar, periods, plans, rules, approval",
      ),
    },
  )
  .superRefine((cfg: unknown, ctx) => {
    // plans and rules name boards and numeric indicators of this file
    if (!isRecord(cfg) || !Array.isArray(cfg.indicators) || !Array.isArray(cfg.boards)) return;
    const numeric = new Set(
      cfg.indicators.filter((d) => isRecord(d) && d.kind !== "text").map((d) => (d as { code: unknown }).code),
    );
    const boardCodes = new Set(cfg.boards.filter(isRecord).map((b) => b.code));
    if (isRecord(cfg.plans)) {
      for (const [year, byBoard] of Object.entries(cfg.plans)) {
        if (!isRecord(byBoard)) continue;
        for (const [board, byIndicator] of Object.entries(byBoard)) {
          if (!boardCodes.has(board))
            ctx.addIssue({
              code: "custom",
              path: ["plans", year, board],
              message: `expected a board code of this file (${[...boardCodes].join(", ")}), got ${JSON.stringify(board)}`,
            });
          if (!isRecord(byIndicator)) continue;
          for (const code of Object.keys(byIndicator))
            if (!numeric.has(code))
              ctx.addIssue({
                code: "custom",
                path: ["plans", year, board, code],
                message: `expected the code of a numeric indicator of this file, got ${JSON.stringify(code)}`,
              });
        }
      }
    }
    if (Array.isArray(cfg.rules)) {
      cfg.rules.forEach((rule: unknown, i) => {
        if (!isRecord(rule)) return;
        for (const code of [rule.left, ...(Array.isArray(rule.right) ? rule.right : [])])
          if (!numeric.has(code))
            ctx.addIssue({
              code: "custom",
              path: ["rules", i],
              message: `expected the code of a numeric indicator of this file, got ${JSON.stringify(code)}`,
            });
      });
    }
  })
  .superRefine((cfg: unknown, ctx) => {
    // relative-to-target needs a target for every scored indicator
    if (!isRecord(cfg) || !isRecord(cfg.scoring) || cfg.scoring.method !== "relative-to-target") return;
    if (!Array.isArray(cfg.indicators)) return;
    cfg.indicators.forEach((ind: unknown, i) => {
      if (!isRecord(ind) || ind.kind === "text") return;
      if (typeof ind.weight === "number" && ind.weight > 0 && ind.target === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["indicators", i, "target"],
          message:
            "missing: expected a target (a number > 0) for a scored indicator when scoring.method is relative-to-target",
        });
    });
  }, ALWAYS)
  .transform(
    (cfg): ClusterConfig => ({
      cluster: {
        code: cfg.cluster.code,
        name: cfg.cluster.name,
        timezone: cfg.cluster.timezone,
        ...(cfg.cluster.groupChatId === undefined ? {} : { groupChatId: cfg.cluster.groupChatId }),
        ...(cfg.cluster.place === undefined ? {} : { place: cfg.cluster.place }),
        ...(cfg.cluster.signer === undefined ? {} : { signer: cfg.cluster.signer }),
      },
      boards: cfg.boards,
      indicators: cfg.indicators,
      scoring: cfg.scoring,
      calendar: cfg.calendar,
      periods: cfg.periods,
      plans: cfg.plans,
      rules: cfg.rules,
      approval: cfg.approval,
    }),
  );

// ---------------------------------------------------------------------------------------------

/** Maps a field path to a 1-based line of the source, when the source format allows it. */
export type Locator = (path: readonly PropertyKey[]) => number | undefined;

/**
 * Validates parsed configuration data. Throws `ClusterConfigError` listing every issue, each
 * naming `source` (the file) and the field path.
 */
export function parseClusterConfig(data: unknown, source: string, locate?: Locator): ClusterConfig {
  if (data === undefined || data === null) {
    throw new ClusterConfigError(source, [
      {
        path: "(top level)",
        message: "the file is empty; expected a mapping with the keys cluster, boards, indicators",
      },
    ]);
  }
  // Top-level `x-…` keys are free for the operator (e.g. YAML anchors: `x-count: &count {…}`).
  const input = isRecord(data) ? Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith("x-"))) : data;
  const result = clusterConfigSchema.safeParse(input, { error: fallbackError, reportInput: true });
  if (result.success) return result.data;
  const issues: ClusterConfigIssue[] = [];
  const seen = new Set<string>();
  const push = (path: readonly PropertyKey[], message: string) => {
    const text = `${formatPath(path)}\u0000${message}`;
    if (seen.has(text)) return;
    seen.add(text);
    issues.push({ path: formatPath(path), message, line: locate?.(path) });
  };
  for (const issue of result.error.issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys" && issue.message.startsWith(UNKNOWN_KEYS_MARK)) {
      const known = JSON.parse(issue.message.slice(UNKNOWN_KEYS_MARK.length)) as string[];
      for (const key of issue.keys) push([...path, key], unknownKeyMessage(key, known));
    } else {
      push(path, issue.message);
    }
  }
  // document order when lines are known
  if (issues.every((i) => i.line !== undefined)) issues.sort((a, b) => a.line! - b.line!);
  throw new ClusterConfigError(source, issues);
}
