// The demo's chat transcript: who said what, what the bot answered, with the time
// on the simulated calendar. Bot messages are read from the stand-in's call log in
// the order they were sent, so notices to other people appear where they happened.

import { htmlToPlain } from "../bot/views/summary.view.ts";
import { instantToZonedParts } from "../domain/zoned-time.ts";
import type { BotApiStandin } from "../standin/bot-api-standin.ts";

const SENDING = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

export interface Transcript {
  /** a person's action, printed then recorded */
  person(name: string, action: string): void;
  /** a line of narration (what happens off-chat) */
  note(text: string): void;
  /** prints what the bot sent since the last flush */
  flush(): void;
  lines(): string[];
}

export function createTranscript(deps: {
  standin: BotApiStandin;
  now: () => Date;
  tz: string;
  /** chat id → how to name the recipient */
  nameOf: (chatId: number) => string;
  print: (line: string) => void;
}): Transcript {
  const { standin, now, tz, nameOf, print } = deps;
  const out: string[] = [];
  let cursor = 0;
  const stamp = () => {
    const p = instantToZonedParts(now(), tz);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `[${pad(p.day)}/${pad(p.month)} ${pad(p.hour)}:${pad(p.minute)}]`;
  };
  const emit = (line: string) => {
    out.push(line);
    print(line);
  };
  const indent = (text: string) =>
    text
      .split("\n")
      .map((l, i) => (i === 0 || l === "" ? l : `      ${l}`))
      .join("\n");

  return {
    person(name, action) {
      emit(`${stamp()} 👤 ${name}: ${action}`);
    },
    note(text) {
      emit(`${stamp()} ── ${text}`);
    },
    flush() {
      const calls = standin.sent;
      for (; cursor < calls.length; cursor++) {
        const c = calls[cursor]!;
        if (!SENDING.has(c.method) || !c.ok) continue;
        const chatId = Number(c.params.chat_id);
        const who = nameOf(chatId);
        if (c.method === "sendMessage") {
          const text = htmlToPlain(String(c.params.text ?? ""));
          const buttons = (
            c.params.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined
          )?.inline_keyboard
            ?.flat()
            .map((b) => `[${b.text}]`)
            .join(" ");
          emit(`${stamp()} 🤖 → ${who}: ${indent(text)}${buttons ? `\n      ${buttons}` : ""}`);
        } else {
          const caption = htmlToPlain(String(c.params.caption ?? ""));
          // the document's caption says what it is: a Word draft (📄) or the spreadsheet
          const kind =
            c.method === "sendPhoto" ? "ảnh biểu đồ" : caption.startsWith("📄") ? "tệp Word" : "tệp bảng tính";
          emit(`${stamp()} 🤖 → ${who}: (${kind}) ${indent(caption)}`);
        }
      }
    },
    lines: () => [...out],
  };
}
