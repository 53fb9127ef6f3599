// Properties of the HTML helpers every message goes through: escaped text parses back to
// exactly what was typed, cutting never leaves half an emoji, split chunks fit the limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { esc, MAX_MESSAGE_LENGTH, splitMessage, truncate } from "../../src/bot/html.ts";
import { parseTelegramHtml } from "../../src/standin/bot-api-standin.ts";

/** A lone half of a surrogate pair (not valid UTF-8, Telegram refuses the text). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom("<", ">", "&", '"', "'", "a", "😀", "👨‍👩‍👧", "\n", "&amp;", "<b>"),
    maxLength: 300,
  }),
);

describe("HTML helpers", () => {
  it("esc: Telegram's HTML parser gives back exactly the text", () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(parseTelegramHtml(`<b>${esc(s)}</b>`)).toMatchObject({ ok: true, text: s });
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("truncate: within the length, never half an emoji, unchanged when short", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 320 }), (s, max) => {
        const t = truncate(s, max);
        expect(t.length).toBeLessThanOrEqual(max);
        expect(t).not.toMatch(LONE_SURROGATE);
        if (s.length <= max) expect(t).toBe(s);
        else expect(t.endsWith("…")).toBe(true);
      }),
      { seed: 43, numRuns: 1000 },
    );
    expect(truncate("😀".repeat(10), 6)).toBe("😀😀…");
  });

  it("splitMessage: chunks within the limit, no half emoji, nothing lost when lines fit", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), fc.integer({ min: 50, max: 400 }), (lines, limit) => {
        const chunks = splitMessage(lines.map(esc).join("\n"), limit);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(limit);
          expect(c).not.toMatch(LONE_SURROGATE);
        }
      }),
      { seed: 44, numRuns: 300 },
    );
    expect(splitMessage("a\nb", MAX_MESSAGE_LENGTH)).toEqual(["a\nb"]);
  });
});
