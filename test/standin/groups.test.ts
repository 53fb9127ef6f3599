// The stand-in's groups as Telegram does them: an upgrade to a supergroup (the old id
// answers 400 with migrate_to_chat_id, the service messages reach the bot) and the
// bot's removal (a my_chat_member update, then 403).
import { afterEach, describe, expect, it } from "vitest";
import { type BotApiStandin, createBotApiStandin } from "../../src/standin/bot-api-standin.ts";

const TOKEN = "7000000009:groups-standin";

describe("stand-in groups", () => {
  let s: BotApiStandin;
  afterEach(async () => {
    await s.stop();
  });

  const call = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${s.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("an upgraded group answers 400 with migrate_to_chat_id; the new supergroup works; the bot sees both service messages", async () => {
    s = createBotApiStandin({ token: TOKEN });
    await s.start();
    const admin = s.user(42, { first_name: "Hùng" });
    const group = s.group(-5001, "Nhóm");
    const supergroup = group.upgradeToSupergroup(-1001000005001, { by: admin });
    expect(await call("sendMessage", { chat_id: -5001, text: "x" })).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat",
        parameters: { migrate_to_chat_id: -1001000005001 },
      },
    });
    const sent = await call("sendMessage", { chat_id: -1001000005001, text: "y" });
    expect(sent.status).toBe(200);
    expect((sent.body.result as { chat: { type: string } }).chat.type).toBe("supergroup");
    expect(supergroup.messages().map((m) => m.text)).toEqual(["y"]);
    const service = s.updates.map((u) => u.message as Record<string, unknown>);
    expect(service.map((m) => [(m.chat as { id: number }).id, m.migrate_to_chat_id, m.migrate_from_chat_id])).toEqual([
      [-5001, -1001000005001, undefined],
      [-1001000005001, undefined, -5001],
    ]);
    expect((service[0]!.from as { id: number }).id).toBe(42);
    expect(() => group.upgradeToSupergroup(-1001000005002)).toThrow(/already upgraded/);
    expect(() => supergroup.upgradeToSupergroup(-1001000005003)).toThrow(/not a basic group/);
  });

  it("removing the bot sends my_chat_member (member → left), then sends get 403", async () => {
    s = createBotApiStandin({ token: TOKEN });
    await s.start();
    const group = s.group(-1001000006001, "Nhóm", { type: "supergroup" });
    group.removeBot();
    const update = s.updates[0]!.my_chat_member as Record<string, { status?: string; id?: number; username?: string }>;
    expect(update.old_chat_member!.status).toBe("member");
    expect(update.new_chat_member!.status).toBe("left");
    expect(update.from!.username).toBe("GroupAnonymousBot");
    expect(await call("sendMessage", { chat_id: -1001000006001, text: "x" })).toMatchObject({
      status: 403,
      body: { description: "Forbidden: bot was kicked from the supergroup chat" },
    });
    const quiet = s.group(-1001000006002, "Nhóm khác", { type: "supergroup" });
    quiet.removeBot({ notify: false });
    expect(s.updates).toHaveLength(1);
  });
});
