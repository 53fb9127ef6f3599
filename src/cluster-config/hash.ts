// Stable content hashes of a normalized cluster configuration, for idempotent `apply`.

import { createHash } from "node:crypto";
import type { IndicatorDef } from "../domain/types.ts";
import type { ClusterConfig } from "./schema.ts";

/** JSON with object keys sorted at every level; `undefined` members are dropped, array order is kept. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** sha256 (hex) of the whole normalized configuration. */
export function configHash(config: ClusterConfig): string {
  return sha256(canonicalJson(config));
}

/** sha256 (hex) of the indicator list alone (order matters: it is the order of the questions). */
export function indicatorSetHash(indicators: readonly IndicatorDef[]): string {
  return sha256(canonicalJson(indicators));
}
