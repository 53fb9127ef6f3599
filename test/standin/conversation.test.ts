// A guided three-step flow with a button against the stand-in, written the way the
// report loop is (scenes/report.scene.ts): per-chat state between updates, each update
// one step, no conversations plugin (see docs/decisions/0001-…).
import { Bot, type Context, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { rawCall, startPolling, startStandin, TOKEN } from "./helpers.ts";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

type Step = { at: "unit" } | { at: "score"; unit: string } | { at: "confirm"; messageId: number };

/** /nop, the unit, the score, then a confirmation button that edits the question. */
function guidedFlow(bot: Bot) {
  const steps = new Map<number, Step>();
  bot.command("nop", async (ctx) => {
    steps.set(ctx.chat.id, { at: "unit" });
    await ctx.reply("Đơn vị của bạn?");
  });
  bot.on("message:text", async (ctx: Context) => {
    const chatId = ctx.chat!.id;
    const step = steps.get(chatId);
    const text = ctx.message!.text!;
    if (step?.at === "unit") {
      steps.set(chatId, { at: "score", unit: text });
      await ctx.reply(`Điểm của <b>${text}</b>?`, { parse_mode: "HTML" });
    } else if (step?.at === "score") {
      const question = await ctx.reply(`Xác nhận ${text} điểm?`, {
        reply_markup: new InlineKeyboard().text("Xác nhận", "ok").text("Huỷ", "cancel"),
      });
      steps.set(chatId, { at: "confirm", messageId: question.message_id });
    }
  });
  bot.callbackQuery(["ok", "cancel"], async (ctx) => {
    const step = steps.get(ctx.chat!.id);
    await ctx.answerCallbackQuery();
    if (step?.at !== "confirm") return;
    steps.delete(ctx.chat!.id);
    await ctx.api.editMessageText(ctx.chat!.id, step.messageId, ctx.callbackQuery.data === "ok" ? "Đã lưu" : "Đã huỷ");
  });
}

describe("a guided flow against the stand-in", () => {
  it("runs a three-step flow with a button", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = new Bot(TOKEN, { client: { apiRoot } });
    guidedFlow(bot);
    await startPolling(bot);
    cleanup.push(() => bot.stop());

    const u = standin.user(808, { first_name: "Phúc" });
    u.send("/nop");
    expect((await u.waitForReply()).text).toBe("Đơn vị của bạn?");
    u.send("Sở Tư pháp");
    expect((await u.waitForReply()).text).toBe("Điểm của Sở Tư pháp?");
    u.send("95");
    const q = await u.waitForMessage(/Xác nhận/);
    u.press("Xác nhận");
    const done = await u.waitForEdit((m) => m.message_id === q.message_id);
    expect(done.text).toBe("Đã lưu");
    await standin.waitForIdle();
    expect(standin.callbackAnswers).toHaveLength(1);
  });

  it("explains a missing reply with the API errors the bot got", async () => {
    const { standin, apiRoot } = await startStandin({ waitTimeoutMs: 300 });
    cleanup.push(() => standin.stop());
    const bot = new Bot(TOKEN, { client: { apiRoot } });
    bot.on("message", (ctx) => ctx.reply("Điểm < 5 & chưa đạt", { parse_mode: "HTML" }));
    bot.catch(() => {});
    await startPolling(bot);
    cleanup.push(() => bot.stop());
    const u = standin.user(809, { first_name: "Quân" });
    u.send("?");
    await expect(u.waitForReply()).rejects.toThrow(/sendMessage -> 400 Bad Request: can't parse entities/);
    expect((await rawCall(apiRoot, "getWebhookInfo")).body.ok).toBe(true);
  });
});
