// Year-to-date (lũy kế) figures: how the quarters of a year add up, per indicator.
import type { Aggregate, IndicatorDef } from "./types.ts";

/**
 * The aggregation of an indicator: its own `aggregate`, else by kind. Whole counts sum over
 * the year; decimals and percentages (rates, averages, stocks measured each quarter) average.
 * @example aggregateOf({ kind: "integer" }) // "sum"
 * @example aggregateOf({ kind: "percent" }) // "average"
 */
export function aggregateOf(def: Pick<IndicatorDef, "kind" | "aggregate">): Aggregate {
  if (def.aggregate) return def.aggregate;
  return def.kind === "integer" ? "sum" : "average";
}

/**
 * Combines the quarters' values (oldest first) into the year-to-date figure. Missing quarters
 * (undefined) are left out; undefined when no quarter has a value.
 * @example aggregate([10, undefined, 5], "sum") // 15
 * @example aggregate([10, 20, undefined], "last") // 20
 * @example aggregate([80, 90], "average") // 85
 */
export function aggregate(values: readonly (number | undefined)[], how: Aggregate): number | undefined {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (present.length === 0) return undefined;
  switch (how) {
    case "sum":
      return present.reduce((s, v) => s + v, 0);
    case "last":
      return present[present.length - 1];
    case "average":
      return present.reduce((s, v) => s + v, 0) / present.length;
  }
}

/**
 * Year-to-date values of one board: per indicator, the quarters' values (oldest first) aggregated.
 * @example yearToDate(defs, [{ ket_nap: 10 }, { ket_nap: 5 }]) // { ket_nap: 15 }
 */
export function yearToDate(
  indicators: readonly Pick<IndicatorDef, "code" | "kind" | "aggregate">[],
  quarters: readonly (Readonly<Record<string, number>> | undefined)[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const def of indicators) {
    if (def.kind === "text") continue;
    const v = aggregate(
      quarters.map((q) => q?.[def.code]),
      aggregateOf(def),
    );
    if (v !== undefined) out[def.code] = v;
  }
  return out;
}

/**
 * Change against a reference value in percent (▲▼), 1 decimal; null when there is no
 * reference or it is 0.
 * @example percentChange(110, 100) // 10
 */
export function percentChange(value: number | undefined | null, reference: number | undefined | null): number | null {
  if (value == null || reference == null || reference === 0) return null;
  return Math.round(((value - reference) / Math.abs(reference)) * 1000) / 10;
}
