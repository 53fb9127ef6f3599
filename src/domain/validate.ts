// Validation of one answer against its indicator definition.
import { parseNumberDetail } from "./number.ts";
import type { AnswerValue, IndicatorDef, InputError, Parsed } from "./types.ts";

/** Longest free-text answer, in characters (code points) after trimming. */
export const MAX_TEXT_LENGTH = 2000;

// Control (Cc) and format (Cf: zero-width, bidi, BOM) characters, except the newline and the zero-width joiner
// that emoji sequences need.
const INVISIBLE = /(?![\n\u200d])[\p{Cc}\p{Cf}]/gu;

function fail(code: InputError["code"], params?: Record<string, string | number>): { ok: false; error: InputError } {
  return params ? { ok: false, error: { code, params } } : { ok: false, error: { code } };
}

/** Optional indicators may be skipped; required ones may not. */
export function canSkip(def: IndicatorDef): boolean {
  return !def.required;
}

/** True when the indicator takes a number (integer, decimal, percent). */
export function isNumericKind(def: IndicatorDef): boolean {
  return def.kind !== "text";
}

/**
 * Cleans free text: CRLF/CR → LF, tabs → space, control/zero-width/bidi characters removed (they are invisible
 * on a phone, so refusing them would leave the secretary unable to see what to fix), NFC, trimmed.
 */
export function cleanText(input: string): string {
  return input.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(INVISIBLE, "").normalize("NFC").trim();
}

/**
 * Validates what a secretary typed for one indicator.
 * - empty input: `skipped` for an optional indicator, `empty` for a required one;
 * - integer: parseNumber without decimals (decimal_for_count); decimal accepts every number; percent takes an optional "%";
 * - bounds: `min`/`max` from the definition → below_min / above_max with { min } / { max };
 *   percent without explicit bounds must be within 0–100 → percent_out_of_range with { min: 0, max: 100 };
 * - text: cleaned (see {@link cleanText}), at most 2000 characters → text_too_long with { max, length }.
 * @example validateAnswer("1.234 người", def) // { ok: true, value: { kind: "number", value: 1234 } }
 */
export function validateAnswer(input: string, def: IndicatorDef): Parsed<AnswerValue> {
  if (def.kind === "text") {
    const text = cleanText(input);
    if (text === "") return def.required ? fail("empty") : { ok: true, value: { kind: "skipped" } };
    const length = [...text].length;
    if (length > MAX_TEXT_LENGTH) return fail("text_too_long", { max: MAX_TEXT_LENGTH, length });
    return { ok: true, value: { kind: "text", value: text } };
  }
  if (input.trim() === "" && !def.required) return { ok: true, value: { kind: "skipped" } };
  const parsed = parseNumberDetail(input, { allowDecimal: def.kind !== "integer" });
  if (!parsed.ok) return parsed;
  const value = parsed.value.value;
  if (def.kind === "percent" && def.min === undefined && def.max === undefined && value > 100) {
    return fail("percent_out_of_range", { min: 0, max: 100, value });
  }
  if (def.min !== undefined && value < def.min) return fail("below_min", { min: def.min, value });
  if (def.max !== undefined && value > def.max) return fail("above_max", { max: def.max, value });
  if (def.kind === "percent" && def.max === undefined && value > 100) return fail("above_max", { max: 100, value });
  return { ok: true, value: { kind: "number", value } };
}

export interface FarOptions {
  /** ratio beyond which a value is "far" (default 3: more than 3× or less than a third) */
  factor?: number;
  /** absolute differences up to this never count as far (default 20) */
  minDelta?: number;
}

/**
 * Whether a new value is far enough from the board's previous-quarter value to ask "are you sure?".
 * Rule: there is a previous value, the absolute difference is more than `minDelta` (20), and the value is more
 * than `factor` (3) times the previous or less than previous / factor. The absolute guard keeps small counts
 * quiet (2 → 7 is not far) and makes "previous 0" far exactly when the new value is above 20.
 * @example isFarFromPrevious(100, 30) // true; isFarFromPrevious(80, 30) // false; isFarFromPrevious(21, 0) // true
 */
export function isFarFromPrevious(value: number, previous: number | null | undefined, opts: FarOptions = {}): boolean {
  if (previous === null || previous === undefined) return false;
  const factor = opts.factor ?? 3;
  const minDelta = opts.minDelta ?? 20;
  if (Math.abs(value - previous) <= minDelta) return false;
  return value > previous * factor || value * factor < previous;
}
