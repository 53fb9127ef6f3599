// Entering the report conversation: /baocao, or the button in a reminder. A secretary of
// several boards (standing in for a colleague) first chooses which board's report
// (`/baocao HN` chooses at once).
import { Composer, InlineKeyboard } from "grammy";
import { START_REPORT_CALLBACK } from "../../services/messenger.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";

/** Callback data of "the report of this board" in the choice of a secretary of several boards. */
export const BOARD_CHOICE_CALLBACK = (boardId: number) => `bc:${boardId}`;

export function createReportFeature(deps: { enter(ctx: BotContext, boardId?: number): Promise<void> }) {
  const feature = new Composer<BotContext>();
  const priv = feature.chatType("private");

  /** Enters the report, or asks which board when the person is secretary of several. */
  async function start(ctx: BotContext, typed: string): Promise<void> {
    const boards = ctx.actor?.active?.roles.includes("secretary") ? (ctx.actor.active.boards ?? []) : [];
    // not a secretary: the conversation gives the refusal
    if (boards.length === 0) return deps.enter(ctx);
    if (typed) {
      const chosen = boards.find((b) => b.code.toLowerCase() === typed.toLowerCase());
      if (chosen) return deps.enter(ctx, chosen.id);
      await ctx.reply(vi.members.notYourBoard(typed), { parse_mode: "HTML" });
      return;
    }
    if (boards.length === 1) return deps.enter(ctx);
    const kb = new InlineKeyboard();
    boards.forEach((b, i) => {
      if (i > 0) kb.row();
      kb.text(b.shortName, BOARD_CHOICE_CALLBACK(b.id));
    });
    await ctx.reply(vi.members.chooseBoard(boards.map((b) => b.name)), { parse_mode: "HTML", reply_markup: kb });
  }

  priv.command("baocao", async (ctx) => {
    await start(ctx, ctx.match.trim());
  });

  priv.callbackQuery(START_REPORT_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    await start(ctx, "");
  });

  priv.callbackQuery(/^bc:(\d{1,12})$/, async (ctx) => {
    const boardId = Number(ctx.match[1]);
    // checked again: the person may have left that board since the choice was shown
    if (!ctx.actor?.active?.boards?.some((b) => b.id === boardId)) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    await ctx.answerCallbackQuery();
    await deps.enter(ctx, boardId);
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
