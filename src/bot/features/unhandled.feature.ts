// Registered last: whatever no feature handled.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createUnhandledFeature() {
  const feature = new Composer<BotContext>();
  const priv = feature.chatType("private");

  priv.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: vi.common.staleButton });
  });

  priv.on("message", async (ctx) => {
    const actor = ctx.actor;
    if (!actor || actor.clusters.length === 0) {
      await ctx.reply(vi.common.stranger, HTML);
      return;
    }
    // A secretary typing an answer after the conversation ended (timeout, /huy, restart
    // with a changed scene) gets pointed back to /baocao; nothing typed is lost because
    // every accepted answer was stored when it was accepted.
    const isSecretary = actor.active?.roles.includes("secretary");
    // a photo, file or sticker is never taken (classified material must not go through chat)
    if (ctx.message.text === undefined) await ctx.reply(vi.common.noAttachments, HTML);
    else if (ctx.message.text.startsWith("/")) await ctx.reply(vi.common.unknownText, HTML);
    else await ctx.reply(isSecretary ? vi.common.sessionExpired : vi.common.unknownText, HTML);
  });

  // In groups the bot stays quiet about everything but its commands.
  feature.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: vi.common.staleButton });
  });

  return feature;
}
