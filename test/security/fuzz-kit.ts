// Shared pieces of the security tests: a log sink that records every line the app
// logs (and tells when an update has been handled), a cluster whose names are full
// of HTML metacharacters, and readers of the report conversation's state.

import fc from "fast-check";
import * as vi from "../../src/bot/locales/vi.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import type { BotMessage, Json } from "../../src/standin/bot-api-standin.ts";

export interface LogLine {
  level: number;
  msg?: string;
  updateId?: number;
  [key: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** every line exactly as written */
  raw: string[];
  /** lines at error level or above */
  errors(): LogLine[];
  /** resolves once the update's "update" line (written after all its handlers finished) is logged */
  handled(updateId: number, timeoutMs?: number): Promise<void>;
}

/** A pino logger at `level` writing into memory. */
export function captureLog(level = "info"): CapturedLog {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const done = new Set<number>();
  const waiters = new Map<number, () => void>();
  const destination = {
    write(s: string) {
      raw.push(s);
      const line = JSON.parse(s) as LogLine;
      lines.push(line);
      if (line.msg === "update" && typeof line.updateId === "number") {
        done.add(line.updateId);
        waiters.get(line.updateId)?.();
      }
    },
  };
  return {
    logger: createLogger(level, destination),
    lines,
    raw,
    errors: () => lines.filter((l) => l.level >= 50),
    handled(updateId, timeoutMs = 20_000) {
      if (done.has(updateId)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(updateId);
          reject(new Error(`update ${updateId} was not handled within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(updateId, () => {
          clearTimeout(timer);
          waiters.delete(updateId);
          resolve();
        });
      });
    },
  };
}

/** update_id of an update object the stand-in returned (send/press/forgeCallback return the message or query). */
export function lastUpdateId(updates: readonly Json[]): number {
  return updates.at(-1)!.update_id as number;
}

/**
 * A cluster whose names, labels and help lines carry `<`, `&`, `"` and `'`, with every
 * indicator kind and two optional free-text indicators (as the real default set has).
 */
export const HOSTILE_CLUSTER_YAML = `
cluster:
  code: cum-fuzz
  name: 'Cụm <Thử> & "Fuzz" ''A'' <b>không đậm</b>'
  groupChatId: -1009990101
boards:
  - { code: HN, name: 'Ban <Tổ chức> & "Hà Nội"', shortName: 'Hà Nội <&> "1"' }
  - { code: HCM, name: 'Ban Tổ chức TP. Hồ Chí Minh & <Thủ Đức>', shortName: 'TP.HCM & <TĐ>' }
  - { code: DN, name: 'Ban Tổ chức Đà Nẵng "ĐN" &amp;', shortName: 'Đà Nẵng "ĐN" &amp;' }
indicators:
  - { code: ket_nap, label: 'Số đảng viên <mới> kết nạp & "chính thức"', unit: người, kind: integer, min: 0, max: 100000, weight: 40, help: 'Ví dụ: <12> & "13"' }
  - { code: ty_le, label: Tỷ lệ hoàn thành, unit: "%", kind: percent, weight: 20 }
  - { code: kinh_phi, label: 'Kinh phí <dự toán>', unit: 'triệu đồng & <khác>', kind: decimal, min: 0, max: 1000000, weight: 10, better: lower }
  - { code: lop, label: Số lớp bồi dưỡng, unit: lớp, kind: integer, min: 0, required: false, weight: 30 }
  - { code: noi_bat, label: Kết quả nổi bật, kind: text, required: false }
  - { code: kien_nghi, label: 'Khó khăn, kiến nghị <"ưu tiên"> & đề xuất', kind: text, required: false }
scoring: { method: relative-to-best, onTimeWeight: 5 }
calendar:
  opens: { daysBeforeQuarterEnd: 10, time: "08:00" }
  deadline: { daysAfterQuarterEnd: 5, time: "17:00" }
  briefing: { daysAfterQuarterEnd: 10, time: "08:00" }
  summaryPost: { daysBeforeBriefing: 1, time: "16:00" }
  reminders: [3d, 1d, 2h]
  quietHours: { from: "21:00", to: "07:00" }
`;

export const HOSTILE = {
  clusterName: `Cụm <Thử> & "Fuzz" 'A' <b>không đậm</b>`,
  boards: {
    HN: { name: 'Ban <Tổ chức> & "Hà Nội"', shortName: 'Hà Nội <&> "1"' },
    HCM: { name: "Ban Tổ chức TP. Hồ Chí Minh & <Thủ Đức>", shortName: "TP.HCM & <TĐ>" },
    DN: { name: 'Ban Tổ chức Đà Nẵng "ĐN" &amp;', shortName: 'Đà Nẵng "ĐN" &amp;' },
  },
} as const;

/** The callback data of a message's report buttons (`rp:…`). */
export function reportButtons(m: BotMessage): string[] {
  return (m.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.callback_data)
    .filter((d): d is string => typeof d === "string" && d.startsWith("rp:"));
}

/** Messages after which no report conversation is running. */
export function endsConversation(m: BotMessage): boolean {
  const t = m.rawText ?? "";
  return (
    t === vi.report.paused ||
    t === vi.common.sessionExpired ||
    t === vi.report.notSecretary ||
    t === vi.common.internalError ||
    t.startsWith("✅ Đã nộp") ||
    t.startsWith("🔒")
  );
}

export type ConversationView =
  | { active: false }
  | {
      active: true;
      screen: "question" | "far" | "review" | "choose";
      message: BotMessage;
      buttons: string[];
      /** index of the indicator being asked (question and far screens) */
      indicator: number | null;
    };

/**
 * A question screen, read in the HTML sent: at the top, or under the acknowledgement of the answer before
 * ("💾 Đã lưu: …"), whose typed value is escaped and so never forges the bold heading.
 */
const QUESTION = /(?:^|\n\n)<b>Chỉ tiêu (\d+)\/\d+<\/b>/;

/** Where the person's report conversation stands, read from what the bot sent last. */
export function conversationView(messages: readonly BotMessage[]): ConversationView {
  for (let k = messages.length - 1; k >= 0; k--) {
    const m = messages[k]!;
    if (endsConversation(m)) return { active: false };
    const buttons = reportButtons(m);
    if (buttons.length === 0) continue;
    const text = m.rawText ?? "";
    const screen = QUESTION.test(text)
      ? "question"
      : buttons.some((b) => b.endsWith(":confirm"))
        ? "far"
        : buttons.some((b) => b.includes(":pick:"))
          ? "choose"
          : "review";
    let indicator: number | null = null;
    if (screen === "question" || screen === "far") {
      for (let j = k; j >= 0; j--) {
        const q = QUESTION.exec(messages[j]!.rawText ?? "");
        if (q) {
          indicator = Number(q[1]) - 1;
          break;
        }
      }
    }
    return { active: true, screen, message: m, buttons, indicator };
  }
  return { active: false };
}

// The corpus of hostile typed text (the fuzzer draws from it; the document tests feed it in as notes).

/** Pools of random strings drawn once from fast-check with the seed. */
export function stringPools(seed: number) {
  const sample = <T>(arb: fc.Arbitrary<T>, n: number, k: number) => fc.sample(arb, { seed: seed + k, numRuns: n });
  return {
    unicode: sample(fc.string({ unit: "binary", minLength: 1, maxLength: 80 }), 300, 1),
    graphemes: sample(fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }), 300, 2),
    ascii: sample(fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 64 }), 300, 3),
    digits: sample(fc.stringMatching(/^[0-9]{1,400}$/), 200, 4),
  };
}

export const METACHARACTERS = [
  "<b>12</b>",
  "</i>",
  '<a href="tg://user?id=1">12</a>',
  "<script>alert(1)</script>",
  "&amp;",
  "&lt;12&gt;",
  "&#x1F600;",
  "&",
  "<",
  "a < b && c > d",
  '"12"',
  "'12'",
  "*12*",
  "_12_",
  "__init__",
  "[12](http://x)",
  "`12`",
  "```\n12\n```",
  "~12~",
  "||12||",
  "\\12",
  "#12 -12 +12 =12 |12 {12} .12 !12",
  "<tg-spoiler>12</tg-spoiler>",
  "<blockquote>12",
  '<pre><code class="x">12</code></pre>',
  "12 <",
  "1.234 & 5",
];

export const SPECIALS = [
  "\u202e12\u202c", // right-to-left override
  "\u200f١٢\u200f", // Arabic-Indic digits with RLM
  "١٢٣",
  "שלום 12",
  "مرحبا",
  "\u0000",
  "12\u0000",
  "\u0007\u0008\u001b[31m12",
  "1\u200b2", // zero-width space
  "\ufeff12",
  "12\r\n",
  "\t12\t",
  "１２", // full-width digits
  "12\u00a0000",
  "1\u202f234",
  "⁵",
  "Ⅻ",
  "𝟏𝟐",
  "👨‍👩‍👧‍👦",
  "🇻🇳🇻🇳🇻🇳",
  "😀".repeat(50),
  "e\u0301".repeat(30),
  "Z̷̛̖̈́a̴̤͝l̸̙̈g̶̰͗o̵͙̍",
  "NaN",
  "Infinity",
  "-0",
  "0x1F",
  "1e5",
  "1e309",
  "12,",
  ",5",
  "1.2.3",
  "1,2,3",
  "−12",
  "+12",
  "12%%",
  "12 % người",
  "mười hai",
  "một trăm",
  "12 người 13",
  " ",
  "\n\n\n",
  ".",
  "!",
  "null",
  "undefined",
  '{"a":1}',
];
