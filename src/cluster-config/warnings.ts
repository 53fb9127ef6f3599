// Advice on a valid configuration that will read badly: board short names that charts
// and tables cannot show whole, or that share a long start (a 60-board cluster of
// "Bà Rịa–Vũng Tàu mở rộng …" names whose bars all look alike). Pure; `cli apply`
// prints these after applying, they never stop it.
import type { BoardDef } from "./schema.ts";

/** Characters a chart label line holds (summary.view.ts wraps or cuts longer names). */
export const SHORT_NAME_CHARS = 24;
/** A shared start at least this long makes names hard to tell apart once cut. */
export const SHARED_PREFIX_CHARS = 12;

export interface ConfigWarning {
  /** field path, as in configuration errors: `boards[3].shortName` */
  path: string;
  message: string;
}

const len = (s: string) => Array.from(s).length;

/** The longest common start of two strings, cut back to a whole word. */
export function commonWordPrefix(a: string, b: string): string {
  const x = Array.from(a);
  const y = Array.from(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  if (n === x.length && n === y.length) return a;
  const prefix = x.slice(0, n).join("");
  // "Hà Nội 1" / "Hà Nội 2" share "Hà Nội " (whole words); "Hải" / "Hà" share nothing whole
  const whole = (n < x.length && x[n] !== " ") || (n < y.length && y[n] !== " ") ? prefix.replace(/\S*$/, "") : prefix;
  return whole.trimEnd();
}

/**
 * Short names longer than a chart line, and groups of short names sharing a long start.
 * @example shortNameWarnings([{ shortName: "Bà Rịa–Vũng Tàu mở rộng 1", … }, { shortName: "Bà Rịa–Vũng Tàu mở rộng 2", … }])
 *   → one warning for the length of each, one for the shared "Bà Rịa–Vũng Tàu mở rộng"
 */
export function shortNameWarnings(boards: readonly Pick<BoardDef, "code" | "shortName" | "active">[]): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  boards.forEach((b, i) => {
    if (!b.active) return;
    if (len(b.shortName) > SHORT_NAME_CHARS) {
      out.push({
        path: `boards[${i}].shortName`,
        message: `"${b.shortName}" is ${len(b.shortName)} characters; charts show about ${SHORT_NAME_CHARS} a line (longer names are wrapped or cut in the middle)`,
      });
    }
  });
  // Group by shared start: each board is reported once, with the others that look like it.
  const reported = new Set<number>();
  boards.forEach((a, i) => {
    if (!a.active || reported.has(i)) return;
    let prefix: string | null = null;
    const group = [i];
    boards.forEach((b, j) => {
      if (j <= i || !b.active || reported.has(j)) return;
      const p = commonWordPrefix(prefix ?? a.shortName, b.shortName);
      if (len(p) >= SHARED_PREFIX_CHARS) {
        prefix = p;
        group.push(j);
      }
    });
    if (prefix === null || group.length < 2) return;
    for (const k of group) reported.add(k);
    const codes = group.map((k) => boards[k]!.code);
    const shown = codes.length > 5 ? `${codes.slice(0, 5).join(", ")} and ${codes.length - 5} more` : codes.join(", ");
    out.push({
      path: `boards[${i}].shortName`,
      message: `${group.length} boards (${shown}) have short names starting with "${prefix}" (${len(prefix)} characters); they look alike in charts — give each a short name that differs early`,
    });
  });
  return out;
}
