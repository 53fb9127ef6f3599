import { type Bot, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import type { BotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { makeBot, rawCall, startPolling, startStandin, TOKEN } from "./helpers.ts";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup(build: (bot: Bot) => void): Promise<{ standin: BotApiStandin; bot: Bot; apiRoot: string }> {
  const { standin, apiRoot } = await startStandin({ bot: { username: "cum_thi_dua_bot" } });
  const bot = makeBot(apiRoot);
  build(bot);
  bot.catch((err) => {
    throw err.error;
  });
  cleanup.push(() => standin.stop());
  await startPolling(bot);
  cleanup.push(() => bot.stop());
  return { standin, bot, apiRoot };
}

describe("long polling with a real grammY bot", () => {
  it("round-trips /start with a payload and a bot_command entity", async () => {
    const { standin, bot } = await setup((b) =>
      b.command("start", (ctx) => ctx.reply(`Xin chào ${ctx.from?.first_name}! payload=${ctx.match}`)),
    );
    expect(bot.botInfo.username).toBe("cum_thi_dua_bot");
    const an = standin.user(42, { first_name: "An", language_code: "vi" });
    an.send("/start cum-5");
    const reply = await an.waitForReply();
    expect(reply.text).toBe("Xin chào An! payload=cum-5");
    expect(reply.method).toBe("sendMessage");
    expect(an.last()?.message_id).toBe(reply.message_id);
    // user message was #1, the reply #2 (ids are shared per chat like in Telegram)
    expect(reply.message_id).toBe(2);
    expect(standin.calls("sendMessage")).toHaveLength(1);
  });

  it("does not busy-loop while idle (timeout 1 → at most 3 getUpdates in 2 s)", async () => {
    const { standin } = await setup(() => {});
    const before = standin.calls("getUpdates").length;
    await new Promise((r) => setTimeout(r, 2000));
    const during = standin.calls("getUpdates").length - before;
    expect(during).toBeLessThanOrEqual(3);
    expect(during).toBeGreaterThanOrEqual(1);
  });

  it("confirms updates through offset and redelivers unconfirmed ones", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const u = standin.user(7, { first_name: "Bình" });
    u.send("một");
    u.send("hai");
    const first = await rawCall(apiRoot, "getUpdates", { timeout: 0 });
    const ids = (first.body.result as Array<{ update_id: number }>).map((x) => x.update_id);
    expect(ids).toHaveLength(2);
    // without offset, the same updates come again (at-least-once)
    const again = await rawCall(apiRoot, "getUpdates", { limit: 1 });
    expect((again.body.result as Array<{ update_id: number }>)[0]?.update_id).toBe(ids[0]);
    // offset = last + 1 confirms both
    const confirmed = await rawCall(apiRoot, "getUpdates", { offset: (ids[1] as number) + 1, timeout: 0 });
    expect(confirmed.body.result).toEqual([]);
    expect(standin.pendingUpdates).toBe(0);
  });

  it("holds getUpdates until an update arrives", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const started = Date.now();
    const pending = rawCall(apiRoot, "getUpdates", { timeout: 5 });
    setTimeout(() => standin.user(1, { first_name: "Chi" }).send("ping"), 150);
    const res = await pending;
    const elapsed = Date.now() - started;
    expect((res.body.result as unknown[]).length).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(2000);
  });

  it("presses an inline button → callback query → answerCallbackQuery and editMessageText", async () => {
    const { standin } = await setup((b) => {
      b.command("baocao", (ctx) =>
        ctx.reply("Nộp báo cáo quý?", {
          reply_markup: new InlineKeyboard().text("Có", "confirm:yes").text("Không", "confirm:no"),
        }),
      );
      b.callbackQuery(/^confirm:(.+)$/, async (ctx) => {
        await ctx.answerCallbackQuery({ text: "Đã ghi nhận" });
        await ctx.editMessageText(`Bạn chọn: <b>${ctx.match[1]}</b>`, { parse_mode: "HTML" });
      });
    });
    const u = standin.user(55, { first_name: "Dũng" });
    u.send("/baocao");
    const question = await u.waitForReply();
    expect(question.reply_markup?.inline_keyboard?.[0]?.map((b) => b.text)).toEqual(["Có", "Không"]);

    expect(() => u.press("Có lẽ")).toThrow(/Available buttons:[\s\S]*"Có" \(data: confirm:yes\)/);
    u.press("Có");
    const edited = await u.waitForEdit();
    expect(edited.message_id).toBe(question.message_id);
    expect(edited.text).toBe("Bạn chọn: yes");
    expect(edited.rawText).toBe("Bạn chọn: <b>yes</b>");
    expect(edited.entities).toEqual([{ type: "bold", offset: 10, length: 3 }]);
    // editing without reply_markup removes the keyboard, like Telegram
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.history).toHaveLength(1);
    expect(edited.history[0]?.text).toBe("Nộp báo cáo quý?");
    expect(standin.callbackAnswers).toHaveLength(1);
    expect(standin.callbackAnswers[0]?.text).toBe("Đã ghi nhận");
    await standin.waitForIdle();
    // the button is gone now
    expect(() => u.press("Có")).toThrow(/No inline button/);
  });

  it("makes the bot's sends fail with 403 for a user who blocked it", async () => {
    const errors: string[] = [];
    const { standin, bot } = await setup((b) => {
      b.on("message:text", (ctx) => ctx.reply("ok"));
      b.on("my_chat_member", () => {});
    });
    const u = standin.user(77, { first_name: "Hà" });
    u.send("hi");
    await u.waitForReply();
    u.block();
    await standin.waitForIdle();
    await bot.api.sendMessage(77, "nhắc nộp báo cáo").catch((e: Error) => errors.push(e.message));
    expect(errors[0]).toMatch(/403.*Forbidden: bot was blocked by the user/);
    u.unblock();
    await bot.api.sendMessage(77, "lại được rồi");
    expect(u.last()?.text).toBe("lại được rồi");
  });

  it("answers chat not found for a chat that never talked to the bot", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    standin.user(99, { first_name: "Lan" }); // known to the test, not to the bot
    const res = await rawCall(apiRoot, "sendMessage", { chat_id: 99, text: "hello" });
    expect(res.status).toBe(400);
    expect(res.body.description).toBe("Bad Request: chat not found");
    const group = standin.group(-100123, "Cụm thi đua 5");
    const ok = await rawCall(apiRoot, "sendMessage", { chat_id: -100123, text: "Chào cả cụm" });
    expect(ok.body.ok).toBe(true);
    expect(group.last()?.text).toBe("Chào cả cụm");
  });

  it("runs group chats with members", async () => {
    const { standin } = await setup((b) => b.command("ping", (ctx) => ctx.reply(`pong ${ctx.from?.first_name}`)));
    const group = standin.group(-500, "Cụm 3", { type: "supergroup" });
    const minh = group.member(standin.user(1001, { first_name: "Minh" }));
    minh.send("/ping@cum_thi_dua_bot");
    const reply = await group.waitForReply();
    expect(reply.text).toBe("pong Minh");
    expect(reply.chat_id).toBe(-500);
  });

  it("rejects a wrong token and unknown methods like Telegram", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const res = await fetch(`${apiRoot}/bot123:wrong/getMe`, { method: "POST" });
    expect(res.status).toBe(401);
    const unknown = await rawCall(apiRoot, "sendTelepathy", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ ok: false, error_code: 404, description: "Not Found" });
    const me = await rawCall(apiRoot, "getme");
    expect(me.body.ok).toBe(true);
    expect(TOKEN.startsWith(String((me.body.result as { id: number }).id))).toBe(true);
  });
});
