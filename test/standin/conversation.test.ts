import { type Conversation, type ConversationFlavor, conversations, createConversation } from "@grammyjs/conversations";
import { Bot, type Context, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { rawCall, startPolling, startStandin, TOKEN } from "./helpers.ts";

type Ctx = ConversationFlavor<Context>;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function report(conversation: Conversation<Ctx, Context>, ctx: Context) {
  await ctx.reply("Đơn vị của bạn?");
  const unit = await conversation.waitFor("message:text");
  await ctx.reply(`Điểm của <b>${unit.msg.text}</b>?`, { parse_mode: "HTML" });
  const score = await conversation.waitFor("message:text");
  const question = await ctx.reply(`Xác nhận ${score.msg.text} điểm?`, {
    reply_markup: new InlineKeyboard().text("Xác nhận", "ok").text("Huỷ", "cancel"),
  });
  const answer = await conversation.waitForCallbackQuery(["ok", "cancel"]);
  await answer.answerCallbackQuery();
  await answer.api.editMessageText(
    question.chat.id,
    question.message_id,
    answer.callbackQuery.data === "ok" ? "Đã lưu" : "Đã huỷ",
  );
}

describe("conversations v2 against the stand-in", () => {
  it("runs a three-step flow with a button", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = new Bot<Ctx>(TOKEN, { client: { apiRoot } });
    bot.use(conversations());
    bot.use(createConversation(report, "report"));
    bot.command("nop", (ctx) => ctx.conversation.enter("report"));
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
