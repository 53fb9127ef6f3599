// The production entry (src/main.ts) as an operator starts it: bad configuration stops
// it with exit code 2 and a message naming what is wrong; webhook mode answers updates
// that carry the secret, refuses those that do not, serves /healthz, and stops on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type BotApiStandin, createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { startChildBot, stopAllChildren } from "../helpers/child-bot.ts";
import { BOT_USERNAME, SMALL_CLUSTER_YAML, TOKEN } from "../helpers/e2e.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("start-up of the production entry", () => {
  const dir = mkdtempSync(join(tmpdir(), "startup-test-"));
  let standin: BotApiStandin | null = null;
  afterEach(async () => {
    await stopAllChildren();
    await standin?.stop();
    standin = null;
  });
  const base = () => ({ DATABASE_URL: `file:${join(dir, `${Math.random().toString(36).slice(2)}.db`)}` });

  it("a missing or malformed variable exits 2 and names it, never the token's value", async () => {
    const noToken = startChildBot({ ...base() });
    expect(await noToken.exited).toBe(2);
    expect(noToken.output()).toContain("BOT_TOKEN");

    const badPort = startChildBot({ ...base(), BOT_TOKEN: TOKEN, PORT: "eighty" });
    expect(await badPort.exited).toBe(2);
    expect(badPort.output()).toMatch(/PORT/);

    const badToken = startChildBot({ ...base(), BOT_TOKEN: "12345:short-secret-value" });
    expect(await badToken.exited).toBe(2);
    expect(badToken.output()).toContain("BOT_TOKEN");
    expect(badToken.output()).not.toContain("short-secret-value");
  });

  it("a bad cluster file exits 2 naming the file and the field, and applies nothing", async () => {
    const file = join(dir, "bad-cluster.yaml");
    writeFileSync(file, SMALL_CLUSTER_YAML.replace("weight: 40", "weight: bốn mươi"));
    const bot = startChildBot({ ...base(), BOT_TOKEN: TOKEN, CLUSTER_CONFIG: file });
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain(file);
    expect(bot.output()).toContain("indicators[0].weight");
  });

  it("webhook mode: the right secret gets an answer, a wrong one 401; /healthz; SIGTERM exits 0", async () => {
    standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME } });
    const { apiRoot } = await standin.start();
    const port = await freePort();
    const config = join(dir, "cluster.yaml");
    writeFileSync(config, SMALL_CLUSTER_YAML);
    const bot = startChildBot({
      ...base(),
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      CLUSTER_CONFIG: config,
      WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
      WEBHOOK_SECRET: "the-webhook-secret_42",
      PORT: String(port),
      SCHEDULER: "off",
    });
    const hook = await waitFor(() => standin!.webhook, "setWebhook");
    expect(hook.secret_token).toBe("the-webhook-secret_42");

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");

    // an update delivered by the stand-in (with the secret header) is answered
    const stranger = standin.user(555, { first_name: "Khách" });
    stranger.send("/start");
    const reply = await stranger.waitForReply({ timeoutMs: 15_000 });
    expect(reply.text).toContain("Đồng chí chưa tham gia cụm nào");

    // a forged request without or with a wrong secret is refused and changes nothing
    const forged = {
      update_id: 999_999,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 556, type: "private" },
        from: { id: 556, is_bot: false, first_name: "X" },
        text: "/start",
      },
    };
    const variants: Record<string, string>[] = [{}, { "X-Telegram-Bot-Api-Secret-Token": "wrong" }];
    for (const headers of variants) {
      const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(forged),
      });
      expect(res.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(standin.user(556).messages()).toHaveLength(0);

    expect(await bot.kill("SIGTERM")).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
