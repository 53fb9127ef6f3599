// Rules between the indicators of one report, declared in the cluster file
// (e.g. "tcd_dn_ngoai_nn <= tcd_moi": of which cannot exceed the whole).
import type { IndicatorRule, Result, RuleOp } from "./types.ts";

const OPS: readonly RuleOp[] = ["<=", ">=", "<", ">", "="];
const CODE = /^[a-z0-9_]{1,64}$/;

export interface RuleParseError {
  code: "bad_rule";
  /** what is wrong, for the operator (English: configuration errors are for the shell) */
  reason: string;
}

/**
 * Parses a rule written as `<code> <op> <term> [+ <term>]…`, a term being an indicator code or a
 * non-negative number; op is one of <=, <, >=, >, =.
 * @example parseRule("tcd_dn_ngoai_nn <= tcd_moi") // { left: "tcd_dn_ngoai_nn", op: "<=", right: ["tcd_moi"], constant: 0 }
 * @example parseRule("chinh_thuc <= ket_nap + 50")  // right: ["ket_nap"], constant: 50
 */
export function parseRule(text: string): Result<IndicatorRule, RuleParseError> {
  const src = text.trim();
  const m = /^([a-z0-9_]+)\s*(<=|>=|<|>|=)\s*(.+)$/.exec(src);
  if (!m || !OPS.includes(m[2] as RuleOp))
    return { ok: false, error: { code: "bad_rule", reason: "expected `<code> <= <code> [+ <code or number>]…`" } };
  const right: string[] = [];
  let constant = 0;
  for (const raw of m[3]!.split("+")) {
    const term = raw.trim();
    if (CODE.test(term) && !/^\d+(\.\d+)?$/.test(term)) right.push(term);
    else if (/^\d+(\.\d+)?$/.test(term)) constant += Number(term);
    else return { ok: false, error: { code: "bad_rule", reason: `cannot read the term ${JSON.stringify(term)}` } };
  }
  if (right.length === 0)
    return { ok: false, error: { code: "bad_rule", reason: "expected at least one indicator on the right" } };
  if (right.includes(m[1]!))
    return { ok: false, error: { code: "bad_rule", reason: "an indicator cannot be compared with itself" } };
  return { ok: true, value: { left: m[1]!, op: m[2] as RuleOp, right, constant, text: src } };
}

/** The indicator codes a rule reads. */
export function ruleCodes(rule: IndicatorRule): string[] {
  return [rule.left, ...rule.right];
}

export interface RuleViolation {
  rule: IndicatorRule;
  leftValue: number;
  /** Σ right values + constant */
  rightValue: number;
  /** the values of the right-hand indicators, in rule order */
  rightValues: number[];
}

function holds(op: RuleOp, a: number, b: number): boolean {
  // compare with a little tolerance: decimals typed as 1,1 + 2,2 must equal 3,3
  const eps = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  switch (op) {
    case "<=":
      return a <= b + eps;
    case "<":
      return a < b - eps;
    case ">=":
      return a >= b - eps;
    case ">":
      return a > b + eps;
    case "=":
      return Math.abs(a - b) <= eps;
  }
}

/**
 * The rules broken by a report's values. A rule is checked only when every indicator it reads
 * has a value (a skipped or not yet answered one defers it to the next check). With `touching`,
 * only rules that read that indicator are checked (the answer just typed).
 * @example checkRules([parseRule("a <= b").value], { a: 5, b: 3 }) // [{ leftValue: 5, rightValue: 3, … }]
 */
export function checkRules(
  rules: readonly IndicatorRule[],
  values: Readonly<Record<string, number | undefined>>,
  touching?: string,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const rule of rules) {
    if (touching !== undefined && !ruleCodes(rule).includes(touching)) continue;
    const left = values[rule.left];
    const rightValues = rule.right.map((c) => values[c]);
    if (left === undefined || rightValues.some((v) => v === undefined)) continue;
    const present = rightValues as number[];
    const rightValue = present.reduce((s, v) => s + v, rule.constant);
    if (!holds(rule.op, left, rightValue)) out.push({ rule, leftValue: left, rightValue, rightValues: present });
  }
  return out;
}
