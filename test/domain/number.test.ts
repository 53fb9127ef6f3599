import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumberVi, parseNumber, parseNumberDetail } from "../../src/domain/number.ts";

describe("parseNumber accepts", () => {
  it.each([
    ["12", 12],
    ["0", 0],
    ["007", 7],
    ["  12  ", 12],
    ["+12", 12],
    ["+ 12", 12],
    ["1.234", 1234],
    ["1.234.567", 1234567],
    ["12.345.678", 12345678],
    ["1 234", 1234],
    ["1\u00a0234", 1234],
    ["1\u202f234\u202f567", 1234567],
    ["1,5", 1.5],
    ["0,25", 0.25],
    ["1.234,5", 1234.5],
    ["1 234,75", 1234.75],
    ["1,234", 1.234],
    ["12 người", 12],
    ["12người", 12],
    ["3 đề án", 3],
    ["1.234 lượt", 1234],
    ["12 người.", 12],
    ["12.", 12],
    ["83,6%", 83.6],
    ["83,6 %", 83.6],
    ["83.6%", 83.6],
    ["83.6", 83.6],
    ["83.65", 83.65],
    ["1.2345", 1.2345],
    ["１２", 12],
    ["999999999999", 999999999999],
    ["0,12345678901234", 0.12345678901234],
    ["1000000000000", 1e12],
    ["12,0", 12],
  ])("%j → %d", (input, expected) => {
    expect(parseNumber(input)).toEqual({ ok: true, value: expected });
  });
});

describe("parseNumber refuses", () => {
  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["-3", "negative"],
    ["−3", "negative"],
    ["-0", "negative"],
    ["- 1.234", "negative"],
    ["abc", "not_a_number"],
    ["😀", "not_a_number"],
    ["12/15", "not_a_number"],
    ["khoảng 12", "not_a_number"],
    ["-abc", "not_a_number"],
    ["mười hai", "words_not_supported"],
    ["Một trăm", "words_not_supported"],
    ["ba", "words_not_supported"],
    ["1.23.4", "ambiguous_separator"],
    ["1,234,5", "ambiguous_separator"],
    ["1,234,567", "ambiguous_separator"],
    ["1234.567", "ambiguous_separator"],
    ["0.123", "ambiguous_separator"],
    ["01.234", "ambiguous_separator"],
    ["12 34", "ambiguous_separator"],
    ["1.234 567", "ambiguous_separator"],
    ["1.2345.678", "ambiguous_separator"],
    ["12,", "ambiguous_separator"],
    ["1,2.5", "ambiguous_separator"],
    ["1.234.5,6", "ambiguous_separator"],
    ["1234567890123456", "too_many_digits"],
    ["1000000000000000000", "too_many_digits"],
    ["1000000000001", "too_large"],
    ["999999999999999", "too_large"],
    ["0,1234567890123456", "too_many_digits"],
    ["2.000.000.000.000", "too_large"],
  ])("%j → %s", (input, code) => {
    const r = parseNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it.each(["1,5", "0,1", "83.6", "1.234,5"])("%j is decimal_for_count without allowDecimal", (input) => {
    const r = parseNumber(input, { allowDecimal: false });
    expect(r).toEqual({ ok: false, error: { code: "decimal_for_count" } });
  });

  it("keeps integers for counts", () => {
    expect(parseNumber("1.234", { allowDecimal: false })).toEqual({ ok: true, value: 1234 });
    expect(parseNumber("12,0", { allowDecimal: false })).toEqual({ ok: true, value: 12 });
  });

  it("gives the negative value as a parameter", () => {
    expect(parseNumber("-3")).toEqual({ ok: false, error: { code: "negative", params: { value: -3 } } });
  });
});

describe("parseNumberDetail", () => {
  it("reports percent, decimal and unit", () => {
    expect(parseNumberDetail("83,6 %")).toEqual({
      ok: true,
      value: { value: 83.6, percent: true, hadDecimalSeparator: true, unit: "" },
    });
    expect(parseNumberDetail("12 người")).toEqual({
      ok: true,
      value: { value: 12, percent: false, hadDecimalSeparator: false, unit: "người" },
    });
  });
});

describe("formatNumberVi", () => {
  it.each([
    [0, "0"],
    [12, "12"],
    [1234, "1.234"],
    [1234567, "1.234.567"],
    [1234.5, "1.234,5"],
    [0.25, "0,25"],
    [-1234, "-1.234"],
  ])("%d → %s", (n, s) => {
    expect(formatNumberVi(n)).toBe(s);
  });
});

describe("properties", () => {
  it("parse(format(n)) = n for integers up to 1e12", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => {
        expect(parseNumber(formatNumberVi(n), { allowDecimal: false })).toEqual({ ok: true, value: n });
      }),
    );
  });

  it("space-grouped integers round-trip too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom(" ", "\u00a0"), (n, sep) => {
        const s = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
        expect(parseNumber(`${s} người`)).toEqual({ ok: true, value: n });
      }),
    );
  });

  it("decimals with a comma round-trip", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 99 }), (i, c) => {
        const value = i + c / 100;
        const r = parseNumber(formatNumberVi(value));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toBeCloseTo(value, 6);
      }),
    );
  });

  it("never throws and never returns a negative or non-finite value", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseNumber(s);
        if (r.ok) {
          expect(Number.isFinite(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(0);
          expect(r.value).toBeLessThanOrEqual(1e12);
        }
      }),
    );
  });
});
