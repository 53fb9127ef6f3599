// Messenger over the Bot API: HTML messages with inline buttons. Telegram's 403
// (blocked the bot, or never pressed Start) is recorded on the person so the chair
// can learn it; the caller goes on either way.
import { type Api, GrammyError, InlineKeyboard } from "grammy";
import type { Logger } from "pino";
import type { Clock } from "../services/clock.ts";
import type { Messenger, Notice, OutgoingMessage, SendOutcome } from "../services/messenger.ts";
import type { Reachability } from "../services/people.service.ts";
import { noticeButtons, noticeText } from "./views/notice.view.ts";

export function keyboardOf(buttons: OutgoingMessage["buttons"]): InlineKeyboard | undefined {
  if (!buttons?.length) return undefined;
  const kb = new InlineKeyboard();
  buttons.forEach((row, i) => {
    if (i > 0) kb.row();
    for (const b of row) {
      if (b.url) kb.url(b.text, b.url);
      else kb.text(b.text, b.data ?? b.text);
    }
  });
  return kb;
}

export function createBotMessenger(api: Api, people: Reachability, clock: Clock, logger: Logger): Messenger {
  return {
    tell(chatId: bigint, notice: Notice): Promise<SendOutcome> {
      const buttons = noticeButtons(notice);
      return this.send(chatId, { html: noticeText(notice), ...(buttons ? { buttons } : {}) });
    },
    async send(chatId: bigint, message: OutgoingMessage): Promise<SendOutcome> {
      const reply_markup = keyboardOf(message.buttons);
      try {
        await api.sendMessage(Number(chatId), message.html, {
          parse_mode: "HTML",
          ...(reply_markup ? { reply_markup } : {}),
        });
        if (chatId > 0n) await people.reached(chatId, clock.now());
        return "sent";
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 403) {
          if (chatId > 0n) await people.refused(chatId, clock.now());
          logger.warn({ chatId: String(chatId), description: err.description }, "recipient refused the message");
          return "blocked";
        }
        logger.error({ chatId: String(chatId), err }, "message not delivered");
        return "failed";
      }
    },
  };
}
