import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookCallback } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { makeBot, rawCall, startStandin } from "./helpers.ts";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

describe("webhook push mode", () => {
  it("pushes updates with the secret header to a grammY webhook and retries on errors", async () => {
    const { standin, apiRoot } = await startStandin({ webhookRetryDelayMs: 20 });
    cleanup.push(() => standin.stop());
    const bot = makeBot(apiRoot);
    bot.command("start", (ctx) => ctx.reply("Chào qua webhook"));
    await bot.init();
    const handle = webhookCallback(bot, "http", { secretToken: "s3cr3t_T0ken" });
    const secrets: Array<string | undefined> = [];
    let failuresLeft = 2;
    const server = createServer((req, res) => {
      secrets.push(req.headers["x-telegram-bot-api-secret-token"] as string | undefined);
      if (failuresLeft > 0) {
        failuresLeft--;
        req.resume();
        res.writeHead(500).end();
        return;
      }
      void handle(req, res);
    });
    const url = await listen(server);

    await bot.api.setWebhook(url, { secret_token: "s3cr3t_T0ken" });
    expect(standin.webhook).toEqual({ url, secret_token: "s3cr3t_T0ken" });
    const conflict = await rawCall(apiRoot, "getUpdates");
    expect(conflict.status).toBe(409);

    const u = standin.user(11, { first_name: "Ngọc" });
    u.send("/start");
    expect((await u.waitForReply()).text).toBe("Chào qua webhook");
    await standin.waitForIdle();
    expect(secrets).toEqual(["s3cr3t_T0ken", "s3cr3t_T0ken", "s3cr3t_T0ken"]);
    expect(standin.webhookDeliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    const info = await bot.api.getWebhookInfo();
    expect(info.url).toBe(url);
    expect(info.last_error_message).toMatch(/500/);
    expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(0);

    await bot.api.deleteWebhook();
    expect(standin.webhook).toBeUndefined();
  });

  it("rejects wrong secrets at grammY and refuses non-loopback URLs", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const remote = await rawCall(apiRoot, "setWebhook", { url: "https://example.com/hook" });
    expect(remote.status).toBe(400);
    expect(remote.body.description).toMatch(/^Bad Request: bad webhook/);
    const bad = await rawCall(apiRoot, "setWebhook", { url: "http://127.0.0.1:9/x", secret_token: "có dấu" });
    expect(bad.body.description).toBe("Bad Request: secret token contains unallowed characters");
  });

  it("executes a method returned in the webhook response", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const update = JSON.parse(body) as { message: { chat: { id: number } } };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ method: "sendMessage", chat_id: update.message.chat.id, text: "trả lời nhanh" }));
      });
    });
    const url = await listen(server);
    await rawCall(apiRoot, "setWebhook", { url });
    const u = standin.user(12, { first_name: "Oanh" });
    u.send("hi");
    expect((await u.waitForReply()).text).toBe("trả lời nhanh");
    expect(standin.calls("sendMessage")[0]?.via).toBe("webhook-reply");
  });
});
