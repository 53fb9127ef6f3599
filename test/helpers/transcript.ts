// A readable transcript of one private chat: what the person typed or pressed and what
// the bot sent, in order. Wraps a stand-in user handle; the wrapped handle works as before.
import { writeFileSync } from "node:fs";
import type { BotMessage, UserHandle } from "../../src/standin/bot-api-standin.ts";

export interface Recorded {
  user: UserHandle;
  /** the chat so far, one block per message */
  text(): string;
  /** writes the transcript to $TRANSCRIPT_DIR/<name>.txt when that variable is set */
  save(name: string): void;
}

function botLines(m: BotMessage): string[] {
  const body = (m.text ?? m.caption ?? `[${m.method}]`).split("\n").map((l) => `  ${l}`);
  const buttons = (m.reply_markup?.inline_keyboard ?? []).map((row) => `  ${row.map((b) => `[${b.text}]`).join(" ")}`);
  return ["🤖 bot:", ...body, ...buttons];
}

export function record(user: UserHandle): Recorded {
  // each action is stored with the number of bot messages the chat had when it happened
  const actions: { at: number; line: string }[] = [];
  const mark = (line: string) => actions.push({ at: user.messages().length, line });
  const wrapped: UserHandle = Object.create(user);
  Object.defineProperties(wrapped, {
    send: {
      value: (text: string, options?: Parameters<UserHandle["send"]>[1]) => {
        mark(`👤 ${user.profile.first_name}: ${text}`);
        return user.send(text, options);
      },
    },
    press: {
      value: (button: string | RegExp, options?: { messageId?: number }) => {
        mark(`👤 ${user.profile.first_name}: (bấm) ${typeof button === "string" ? button : button.source}`);
        return user.press(button, options);
      },
    },
    sendPhoto: {
      value: (options?: Parameters<UserHandle["sendPhoto"]>[0]) => {
        mark(`👤 ${user.profile.first_name}: [ảnh${options?.caption ? `: ${options.caption}` : ", không chú thích"}]`);
        return user.sendPhoto(options);
      },
    },
    sendSticker: {
      value: (options?: { emoji?: string }) => {
        mark(`👤 ${user.profile.first_name}: [nhãn dán ${options?.emoji ?? "👍"}]`);
        return user.sendSticker(options);
      },
    },
  });
  const text = () => {
    const out: string[] = [];
    const messages = user.messages();
    let a = 0;
    for (let i = 0; i <= messages.length; i++) {
      while (a < actions.length && actions[a]!.at <= i) out.push(actions[a++]!.line, "");
      if (i < messages.length) out.push(...botLines(messages[i]!), "");
    }
    return out.join("\n");
  };
  return {
    user: wrapped,
    text,
    save(name) {
      const dir = process.env.TRANSCRIPT_DIR;
      if (dir) writeFileSync(`${dir}/${name}.txt`, text());
    },
  };
}
