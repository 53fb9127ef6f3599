// What the log may hold: ids, kinds of updates, command names, errors — never a token,
// never what people typed, never the text of a message the bot sent (it may carry
// figures, names or an invitation link).
import { GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { describeUpdate } from "../../src/bot/update-log.ts";
import { createLogger } from "../../src/logger.ts";
import { type E2E, startE2E, TOKEN } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { captureLog, lastUpdateId } from "./fuzz-kit.ts";

const LINK = "https://t.me/cumthidua_test_bot?start=Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWpr";

describe("the log", () => {
  it("redacts secrets by path and the request of a failed Bot API call", () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (s: string) => void lines.push(s) });
    const err = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      { chat_id: 42, text: `🔗 Lời mời thư ký của Hà Nội:\n${LINK}`, parse_mode: "HTML" },
    );
    logger.error({ err, token: TOKEN, config: { botToken: TOKEN, secret: "webhook-secret-1" } }, "handler failed");
    const all = lines.join("");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("webhook-secret-1");
    expect(all).not.toContain(LINK);
    expect(all).not.toContain("Hà Nội");
    // what helps to diagnose stays
    expect(all).toContain("sendMessage");
    expect(all).toContain("chat not found");
  });

  it("describes an update without its text: an invitation token or a figure never gets there", () => {
    const base = {
      date: 0,
      chat: { id: 7, type: "private" as const, first_name: "Lan" },
      from: { id: 7, is_bot: false, first_name: "Lan" },
    };
    const updates: Update[] = [
      { update_id: 1, message: { message_id: 1, ...base, text: `/start ${LINK.split("=")[1]}` } },
      { update_id: 2, message: { message_id: 2, ...base, text: "4.321 người" } },
      { update_id: 3, message: { message_id: 3, ...base, text: "/trangthai Hà Nội 4321" } },
      { update_id: 5, message: { message_id: 5, ...base, text: "/4321" } },
      { update_id: 6, message: { message_id: 6, ...base, text: "/Hà_Nội_4.321" } },
      {
        update_id: 4,
        callback_query: { id: "q", from: base.from, chat_instance: "c", data: "rp:abcdefgh:12:pick:3" },
      },
    ];
    const described = updates.map(describeUpdate);
    const text = JSON.stringify(described);
    expect(text).not.toContain(LINK.split("=")[1]!);
    expect(text).not.toContain("4.321");
    expect(text).not.toContain("4321");
    expect(text).not.toContain("Hà Nội");
    expect(text).not.toContain("Lan");
    expect(described.map((d) => d.kind)).toEqual(["command", "text", "command", "command", "command", "button"]);
    expect(described.map((d) => d.command)).toEqual(["start", undefined, "trangthai", "?", "?", undefined]);
  });
});

describe.each(testDbKinds())("the log of a running bot on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("a reply that Telegram refuses is logged without its text (here: an invitation link)", async () => {
    const log = captureLog("info");
    e = await startE2E(kind, { logger: log.logger });
    const chair = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    e.standin.faults.add({
      method: "sendMessage",
      chatId: chair.id,
      times: 1,
      error: { code: 400, description: "Bad Request: can't parse entities" },
    });
    chair.send("/moi HN");
    await chair.waitForMessage(vi.common.internalError);
    const refused = e.standin.sent.find((c) => c.injected && c.method === "sendMessage");
    const link = String(refused?.params.text ?? "").match(/https:\/\/t\.me\/\S+start=([A-Za-z0-9_-]{43})/)?.[1];
    expect(link).toBeDefined();
    // and what a secretary types
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    lan.send("98765");
    await lan.waitForMessage(/Đã lưu/);
    lan.send("/huy");
    await log.handled(lastUpdateId(e.standin.updates));
    expect(log.errors().map((l) => l.msg)).toEqual(["handler failed"]);
    const all = log.raw.join("");
    expect(all).toContain("can't parse entities");
    expect(all).not.toContain(link!);
    expect(all).not.toContain("98765");
    expect(all).not.toContain("98.765");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("Hà Nội");
    expect(all).not.toContain("Hùng");
  });
});
