// Entering the report conversation: /baocao, or the button in a reminder.
import { Composer } from "grammy";
import { START_REPORT_CALLBACK } from "../../services/messenger.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";

export function createReportFeature(deps: { enter(ctx: BotContext): Promise<void> }) {
  const feature = new Composer<BotContext>();
  const priv = feature.chatType("private");

  priv.command("baocao", async (ctx) => {
    await deps.enter(ctx);
  });

  priv.callbackQuery(START_REPORT_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    await deps.enter(ctx);
  });

  // A button of a report conversation that has ended (paused, timed out, restarted).
  // Someone outside every cluster (a forged button) only gets the refusal.
  priv.callbackQuery(/^rp:/, async (ctx) => {
    if (!ctx.actor?.clusters.length) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    await ctx.answerCallbackQuery({ text: vi.common.staleButton });
    await ctx.reply(vi.common.sessionExpired, { parse_mode: "HTML" });
  });

  feature.command("baocao", async (ctx) => {
    await ctx.reply(vi.common.privateOnly, { parse_mode: "HTML" });
  });

  return feature;
}
