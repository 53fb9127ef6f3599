// Numbers as Vietnamese users type them on a phone.
import type { InputError, Parsed } from "./types.ts";

/** More significant digits than this are refused (doubles stay exact to 15 digits). */
export const MAX_SIGNIFICANT_DIGITS = 15;
/** Values above this are refused as absurd for any indicator. */
export const MAX_VALUE = 1e12;

export interface ParseNumberOptions {
  /** false for counts: a non-integer value is refused with decimal_for_count. Default true. */
  allowDecimal?: boolean;
}

/** What was recognised besides the value. */
export interface ParsedNumberDetail {
  value: number;
  /** a "%" followed the number */
  percent: boolean;
  /** a decimal separator was typed */
  hadDecimalSeparator: boolean;
  /** the trailing unit word(s) that were dropped, e.g. "người" */
  unit: string;
}

// Vietnamese number words (without diacritics) that signal "mười hai"-style input.
const NUMBER_WORDS = new Set(
  "khong mot hai ba bon tu nam lam sau bay tam chin muoi tram nghin ngan trieu ty ti linh le chuc mot".split(" "),
);

const SPACES = /[\s\u00a0\u202f\u2007\u2009]/gu;
// sign, numeric body (digits with . , and spaces), optional %, optional trailing unit of letters
const SHAPE = /^([+\-\u2212]?)\s*(\d[\d., ]*?)\s*(%?)\s*([\p{L}\p{M}][\p{L}\p{M}\s.]*)?$/u;

function fail(code: InputError["code"], params?: Record<string, string | number>): { ok: false; error: InputError } {
  return params ? { ok: false, error: { code, params } } : { ok: false, error: { code } };
}

function stripDiacritics(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
}

/** True when `s` is "1", "12", "123" followed by groups of exactly three digits separated by `sep`. */
function isGrouped(s: string, sep: string): boolean {
  const groups = s.split(sep);
  const [first, ...rest] = groups;
  if (first === undefined || !/^\d{1,3}$/.test(first)) return false;
  if (rest.length > 0 && first.length > 1 && first.startsWith("0")) return false;
  if (rest.length > 0 && first === "0") return false;
  return rest.every((g) => /^\d{3}$/.test(g));
}

/** Removes thousands separators from an integer part; null when the grouping is not valid or mixes separators. */
function integerDigits(part: string): string | null {
  const hasDot = part.includes(".");
  const hasSpace = part.includes(" ");
  if (hasDot && hasSpace) return null;
  if (!hasDot && !hasSpace) return /^\d+$/.test(part) ? part : null;
  return isGrouped(part, hasDot ? "." : " ") ? part.replace(/[. ]/g, "") : null;
}

/** Splits the numeric body into integer and fraction digits following the rules of {@link parseNumber}. */
function splitBody(body: string): { int: string; frac: string } | null {
  const commas = body.split(",").length - 1;
  if (commas > 1) return null;
  if (commas === 1) {
    const [intPart = "", fracPart = ""] = body.split(",");
    if (!/^\d+$/.test(fracPart)) return null;
    const int = integerDigits(intPart);
    return int === null ? null : { int, frac: fracPart };
  }
  const dots = body.split(".").length - 1;
  if (dots === 1 && !body.includes(" ")) {
    const [intPart = "", after = ""] = body.split(".");
    if (/^\d{3}$/.test(after)) {
      // "1.234" is one thousand two hundred thirty-four; "1234.567" or "0.123" are ambiguous.
      return isGrouped(body, ".") ? { int: intPart + after, frac: "" } : null;
    }
    // Any other single dot is a decimal point typed the English way: "83.6", "1.2345".
    return /^\d+$/.test(after) ? { int: intPart, frac: after } : null;
  }
  const int = integerDigits(body);
  return int === null ? null : { int, frac: "" };
}

function significantDigits(int: string, frac: string): number {
  return (int + frac.replace(/0+$/, "")).replace(/^0+/, "").length;
}

/**
 * Like {@link parseNumber}, also reporting the percent sign, whether a decimal separator was typed and the unit
 * that was dropped.
 */
export function parseNumberDetail(input: string, opts: ParseNumberOptions = {}): Parsed<ParsedNumberDetail> {
  const allowDecimal = opts.allowDecimal ?? true;
  const s = input
    .normalize("NFKC")
    .replace(SPACES, " ")
    .trim()
    .replace(/[.!]+$/, "")
    .trim();
  if (s === "") return fail("empty");
  const m = SHAPE.exec(s);
  if (!m) {
    if (!/\d/.test(s) && /^[\p{L}\p{M}\s,.-]+$/u.test(s)) {
      const words = stripDiacritics(s).split(/[\s,.-]+/);
      if (words.some((w) => NUMBER_WORDS.has(w))) return fail("words_not_supported");
    }
    return fail("not_a_number");
  }
  const [, sign = "", rawBody = "", pct = "", unit = ""] = m;
  const body = rawBody.replace(/ +/g, " ").trim();
  const split = splitBody(body);
  if (!split) return fail("ambiguous_separator", { input: s });
  const { int, frac } = split;
  if (significantDigits(int, frac) > MAX_SIGNIFICANT_DIGITS) {
    return fail("too_many_digits", { max: MAX_SIGNIFICANT_DIGITS });
  }
  const value = Number(frac ? `${int}.${frac}` : int);
  if (sign === "-" || sign === "\u2212") return value === 0 ? fail("negative") : fail("negative", { value: -value });
  if (value > MAX_VALUE) return fail("too_large", { max: MAX_VALUE });
  if (!allowDecimal && !Number.isInteger(value)) return fail("decimal_for_count");
  return { ok: true, value: { value, percent: pct === "%", hadDecimalSeparator: frac !== "", unit: unit.trim() } };
}

/**
 * Parses a non-negative number typed the Vietnamese way. Rules, in order:
 * - spaces (incl. NBSP) around are ignored, a leading "+" is allowed, a trailing "%" and trailing unit words
 *   (any letters: "12 người", "12người", "3 đề án") are dropped, a final "." or "!" is ignored;
 * - "," is the decimal separator ("1,5" = 1.5; so "1,234" = 1.234, not 1234); more than one "," is ambiguous;
 * - "." and " " group thousands: "1.234", "1.234.567", "1 234", "1.234,5"; groups must be 3 digits
 *   after a first group of 1–3 digits, separators not mixed ("1.23.4", "1.234 567" → ambiguous_separator);
 * - a single "." followed by exactly 3 digits is a thousands separator ("1.234" = 1234); followed by any
 *   other number of digits it is a decimal point typed the English way ("83.6" = 83.6, "1.2345" = 1.2345);
 *   "1234.567" and "0.123" fit neither reading cleanly and are refused as ambiguous;
 * - refused: empty, negative ("-3"), non-numbers (not_a_number), number words ("mười hai" →
 *   words_not_supported), more than 15 significant digits (too_many_digits), above 1e12 (too_large);
 * - with `allowDecimal: false` a non-integer value is decimal_for_count ("1,5"); "12,0" is accepted as 12.
 * @example parseNumber("1.234 người") // { ok: true, value: 1234 }
 * @example parseNumber("1,5", { allowDecimal: false }) // { ok: false, error: { code: "decimal_for_count" } }
 */
export function parseNumber(input: string, opts?: ParseNumberOptions): Parsed<number> {
  const r = parseNumberDetail(input, opts);
  return r.ok ? { ok: true, value: r.value.value } : r;
}

/**
 * Formats an integer with "." thousands separators, the way parseNumber reads it back: 1234567 → "1.234.567".
 * Non-integers get a "," decimal separator: 1234.5 → "1.234,5".
 */
export function formatNumberVi(n: number, maxFractionDigits = 2): string {
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  const fixed = abs.toFixed(maxFractionDigits);
  const [intPart = "0", fracPart = ""] = fixed.split(".");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = fracPart.replace(/0+$/, "");
  return `${sign}${grouped}${frac ? `,${frac}` : ""}`;
}
