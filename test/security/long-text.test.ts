// The longest answers a secretary can give (2,000 characters, or 2,000 emoji = 4,000
// UTF-16 units, in every free-text indicator) still fit the report's messages: the
// question, the review and the "saved" line (alone or on top of the review) are valid HTML within Telegram's 4,096.
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH } from "../../src/bot/html.ts";
import * as vi from "../../src/bot/locales/vi.ts";
import { formatValue, questionView, reviewView, withAck } from "../../src/bot/views/report.view.ts";
import { MAX_TEXT_LENGTH, validateAnswer } from "../../src/domain/validate.ts";
import type { IndicatorDto, ReportSession } from "../../src/services/report.service.ts";
import { parseTelegramHtml } from "../../src/standin/bot-api-standin.ts";
import { reportSession } from "../helpers/fixtures.ts";

const label = (n: number) => `Khó khăn, kiến nghị <"${n}"> & ${"đề xuất ".repeat(35)}`.slice(0, 300);
const indicators: IndicatorDto[] = Array.from({ length: 6 }, (_, n) => ({
  id: n + 1,
  code: `t${n}`,
  label: label(n),
  unit: "",
  kind: "text",
  required: false,
  weight: 0,
  better: "higher",
}));

function session(value: string): ReportSession {
  return reportSession({
    boardName: 'Ban <Tổ chức> & "Hà Nội"',
    indicators,
    values: Object.fromEntries(indicators.map((i) => [String(i.id), { kind: "text", value }])),
    previous: Object.fromEntries(indicators.map((i) => [String(i.id), { kind: "text", value }])),
  });
}

function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`${parsed.error}: ${html.slice(0, 200)}`);
  return parsed.text;
}

describe("longest answers in the report's messages", () => {
  const longest = [
    "x".repeat(MAX_TEXT_LENGTH),
    "😀".repeat(MAX_TEXT_LENGTH),
    `<&"> `.repeat(MAX_TEXT_LENGTH / 5),
    "👨‍👩‍👧".repeat(MAX_TEXT_LENGTH / 5),
  ];
  for (const text of longest) {
    it(`${JSON.stringify(text.slice(0, 6))}… (${text.length} UTF-16 units)`, () => {
      const def = indicators[0]!;
      const accepted = validateAnswer(text, def);
      expect(accepted.ok).toBe(true);
      const s = session(accepted.ok && accepted.value.kind === "text" ? accepted.value.value : "");
      const review = visible(reviewView(s, "abc", 1).text);
      expect(review.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(review).toContain(s.boardName);
      for (let n = 0; n < indicators.length; n++) {
        const q = visible(questionView(s, n, "abc", 1).text);
        expect(q.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(q).toContain(label(n));
      }
      const saved = visible(vi.report.saved(def.label, formatValue(s.values["1"], def)!));
      expect(saved.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      // the preview is the start of the answer, as typed
      expect(saved).toContain(text.slice(0, 40));
      // on top of the review it leads to: one message when it fits, else two, each within the limit
      const ack = vi.report.saved(def.label, formatValue(s.values["1"], def)!);
      for (const view of withAck(ack, reviewView(s, "abc", 1))) {
        expect(visible(view.text).length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      }
    });
  }
});
