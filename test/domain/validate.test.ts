import { describe, expect, it } from "vitest";
import type { IndicatorDef } from "../../src/domain/types.ts";
import { canSkip, cleanText, isFarFromPrevious, isNumericKind, validateAnswer } from "../../src/domain/validate.ts";

function def(over: Partial<IndicatorDef>): IndicatorDef {
  return {
    code: "x",
    label: "X",
    unit: "người",
    kind: "integer",
    required: true,
    weight: 1,
    better: "higher",
    ...over,
  };
}

const int = def({});
const dec = def({ kind: "decimal" });
const pct = def({ kind: "percent" });
const text = def({ kind: "text", weight: 0 });

describe("validateAnswer: numbers", () => {
  it.each([
    [int, "12 người", 12],
    [int, "1.234", 1234],
    [dec, "1,5", 1.5],
    [pct, "83,6%", 83.6],
    [pct, "83,6", 83.6],
    [pct, "100", 100],
    [pct, "0%", 0],
    [def({ kind: "percent", max: 150 }), "120%", 120],
    [def({ min: 5, max: 10 }), "5", 5],
    [def({ min: 5, max: 10 }), "10", 10],
  ])("%#: %j", (d, input, value) => {
    expect(validateAnswer(input, d)).toEqual({ ok: true, value: { kind: "number", value } });
  });

  it.each([
    [int, "1,5", "decimal_for_count", undefined],
    [int, "", "empty", undefined],
    [int, "abc", "not_a_number", undefined],
    [pct, "101", "percent_out_of_range", { min: 0, max: 100, value: 101 }],
    [def({ kind: "percent", min: 50 }), "40", "below_min", { min: 50, value: 40 }],
    [def({ kind: "percent", min: 50 }), "140", "above_max", { max: 100, value: 140 }],
    [def({ kind: "percent", max: 90 }), "95", "above_max", { max: 90, value: 95 }],
    [def({ min: 5, max: 10 }), "4", "below_min", { min: 5, value: 4 }],
    [def({ min: 5, max: 10 }), "11", "above_max", { max: 10, value: 11 }],
    [dec, "-1", "negative", { value: -1 }],
  ])("%#: %j → %s", (d, input, code, params) => {
    const r = validateAnswer(input, d);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      if (params) expect(r.error.params).toEqual(params);
    }
  });

  it("empty optional numeric is skipped", () => {
    expect(validateAnswer("  ", def({ required: false }))).toEqual({ ok: true, value: { kind: "skipped" } });
  });
});

describe("validateAnswer: text", () => {
  it("trims and keeps line breaks", () => {
    expect(validateAnswer("  Kết quả\r\nnổi bật\t ", text)).toEqual({
      ok: true,
      value: { kind: "text", value: "Kết quả\nnổi bật" },
    });
  });
  it("strips control, zero-width and bidi characters", () => {
    expect(cleanText("a\u0000b\u200bc\u202ed\u0007")).toBe("abcd");
  });
  it("composes to NFC", () => {
    expect(cleanText("Ha\u0300 No\u0302\u0323i")).toBe("Hà Nội");
  });
  it("refuses empty required text and skips empty optional text", () => {
    expect(validateAnswer(" \u200b ", text)).toEqual({ ok: false, error: { code: "empty" } });
    expect(validateAnswer("", def({ kind: "text", required: false }))).toEqual({
      ok: true,
      value: { kind: "skipped" },
    });
  });
  it("accepts 2000 characters and refuses 2001", () => {
    expect(validateAnswer("ạ".repeat(2000), text).ok).toBe(true);
    expect(validateAnswer("ạ".repeat(2001), text)).toEqual({
      ok: false,
      error: { code: "text_too_long", params: { max: 2000, length: 2001 } },
    });
  });
});

describe("canSkip / isNumericKind", () => {
  it("only optional indicators can be skipped", () => {
    expect(canSkip(int)).toBe(false);
    expect(canSkip(def({ required: false }))).toBe(true);
    expect(canSkip(def({ kind: "text", required: false }))).toBe(true);
  });
  it("numeric kinds", () => {
    expect([int, dec, pct, text].map(isNumericKind)).toEqual([true, true, true, false]);
  });
});

describe("isFarFromPrevious", () => {
  it.each([
    [100, null, false],
    [100, undefined, false],
    [100, 30, true],
    [80, 30, false],
    [90, 30, false],
    [91, 30, true],
    [10, 30, false],
    [9, 30, true],
    [5, 60, true],
    [21, 0, true],
    [20, 0, false],
    [0, 21, true],
    [7, 2, false],
    [0, 0, false],
  ])("%d vs %s → %s", (value, previous, far) => {
    expect(isFarFromPrevious(value, previous)).toBe(far);
  });
  it("takes a custom factor and delta", () => {
    expect(isFarFromPrevious(5, 1, { factor: 2, minDelta: 0 })).toBe(true);
    expect(isFarFromPrevious(1.5, 1, { factor: 2, minDelta: 0 })).toBe(false);
  });
});
