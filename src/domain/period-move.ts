// What moving one date of a period must respect (the /lich use case's pure part): the
// order of a period's dates, and which scheduled event each date drives.
import type { PeriodDateField } from "./types.ts";

/** A moved date that would break the order of the period's dates. */
export interface DateOrderConflict {
  code: "order";
  field: PeriodDateField;
  relation: "before" | "after";
  other: PeriodDateField;
  otherAt: Date;
}

/** Order a period's dates must keep: [earlier, later, strictly]. */
const ORDER: [PeriodDateField, PeriodDateField, boolean][] = [
  ["opens", "deadline", true],
  ["deadline", "post", false],
  ["deadline", "briefing", true],
  ["post", "briefing", false],
];

/**
 * Checks the dates of a period after `field` moved: opening before the deadline, the deadline before the
 * briefing, the summary post between the deadline and the briefing (both inclusive).
 * @example checkDateOrder({ opens, deadline, briefing, post, ...{ opens: afterDeadline } }, "opens")
 *          // { code: "order", field: "opens", relation: "before", other: "deadline", otherAt: deadline }
 */
export function checkDateOrder(
  dates: Readonly<Record<PeriodDateField, Date>>,
  field: PeriodDateField,
): DateOrderConflict | null {
  for (const [early, late, strict] of ORDER) {
    if (early !== field && late !== field) continue;
    const a = dates[early].getTime();
    const b = dates[late].getTime();
    if (strict ? a < b : a <= b) continue;
    return field === early
      ? { code: "order", field, relation: "before", other: late, otherAt: dates[late] }
      : { code: "order", field, relation: "after", other: early, otherAt: dates[early] };
  }
  return null;
}

/** The scheduled event (its key within the period, see planner.ts) each date drives; the briefing drives none. */
export const FIELD_EVENT: Readonly<Record<PeriodDateField, string | null>> = {
  opens: "open",
  deadline: "deadline",
  briefing: null,
  post: "summary_post",
};
