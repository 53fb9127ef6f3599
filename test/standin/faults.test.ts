import { autoRetry } from "@grammyjs/auto-retry";
import { afterEach, describe, expect, it } from "vitest";
import type { BotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { makeBot, rawCall, startPolling, startStandin } from "./helpers.ts";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("fault injection and rate limits", () => {
  it("answers 429 with retry_after and auto-retry recovers", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    standin.user(500, { first_name: "Mai", known: true });
    const rule = standin.faults.add({ method: "sendMessage", times: 1, error: { code: 429, retryAfter: 1 } });

    const raw = await rawCall(apiRoot, "sendMessage", { chat_id: 500, text: "x" });
    expect(raw.status).toBe(429);
    expect(raw.body).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    expect(rule.active).toBe(false);

    standin.faults.add({ method: "sendMessage", times: 1, error: { code: 429, retryAfter: 1 } });
    const bot = makeBot(apiRoot);
    bot.api.config.use(autoRetry({ maxRetryAttempts: 2 }));
    const started = Date.now();
    const msg = await bot.api.sendMessage(500, "Nhắc: hạn nộp báo cáo là thứ Sáu");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(msg.text).toBe("Nhắc: hạn nộp báo cáo là thứ Sáu");
    expect(standin.counters.tooManyRequests).toBe(2);
    expect(standin.counters.injected).toBe(2);
    expect(standin.calls("sendMessage").map((c) => c.error?.code ?? 200)).toEqual([429, 429, 200]);
    expect(standin.duplicates()).toEqual([]);
  });

  it("is deterministic for a given seed", async () => {
    async function run(seed: number): Promise<number[]> {
      const { standin, apiRoot } = await startStandin({ seed });
      try {
        standin.user(1, { first_name: "A", known: true });
        standin.faults.add({ method: /^send/, probability: 0.3, error: { code: 502 } });
        standin.faults.add({ chatId: 1, probability: 0.2, error: { code: 500 } });
        const codes: number[] = [];
        for (let i = 0; i < 30; i++) {
          const res = await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: `m${i}` });
          codes.push(res.status);
        }
        return codes;
      } finally {
        await standin.stop();
      }
    }
    const a = await run(2024);
    const b = await run(2024);
    const c = await run(7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain(502);
    expect(a).toContain(200);
  });

  it("injects 403, 400 and hangs per chat", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    standin.user(1, { first_name: "A", known: true });
    standin.user(2, { first_name: "B", known: true });
    standin.faults.add({ chatId: 2, error: { code: 403 } });
    standin.faults.add({ method: "editMessageText", error: { code: 400, description: "message can't be edited" } });
    expect((await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: "ok" })).status).toBe(200);
    const blocked = await rawCall(apiRoot, "sendMessage", { chat_id: 2, text: "no" });
    expect(blocked.body.description).toBe("Forbidden: bot was blocked by the user");
    const edit = await rawCall(apiRoot, "editMessageText", { chat_id: 1, message_id: 1, text: "x" });
    expect(edit.body.description).toBe("Bad Request: message can't be edited");

    // a slow server still does the work: the client times out, the message is sent anyway
    standin.faults.clear();
    standin.faults.add({ method: "sendMessage", times: 1, error: { hang: true, ms: 300 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(
      fetch(`${apiRoot}/bot${"7000000001:standin-test-token"}/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: 1, text: "Báo cáo đã nhận" }),
        signal: ac.signal,
      }),
    ).rejects.toThrow();
    await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: "Báo cáo đã nhận" }); // the client's retry
    await standin.waitForIdle();
    expect(standin.duplicates()).toHaveLength(1);
    expect(standin.duplicates()[0]).toHaveLength(2);
  });

  it("hangs without an answer until the client gives up", async () => {
    const lines: string[] = [];
    const { standin, apiRoot } = await startStandin({ log: (l) => lines.push(l) });
    cleanup.push(() => standin.stop());
    standin.user(1, { first_name: "A", known: true });
    standin.faults.add({ method: "sendMessage", times: 1, error: { hang: true } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(
      fetch(`${apiRoot}/bot7000000001:standin-test-token/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: 1, text: "x" }),
        signal: ac.signal,
      }),
    ).rejects.toThrow();
    await standin.waitForIdle({ quietMs: 20 });
    expect(standin.calls("sendMessage")[0]?.error?.description).toBe("hung (no response)");
    expect(standin.user(1).messages()).toHaveLength(0);
    expect(lines[0]).toMatch(/^\[bot-api\] sendMessage chat=1 -> 0 hung/);
  });

  it("rate-limits per chat and counts the 429s", async () => {
    let now = 1_000_000;
    const { standin, apiRoot } = await startStandin({
      now: () => now,
      rateLimit: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 },
    });
    cleanup.push(() => standin.stop());
    standin.user(1, { first_name: "A", known: true });
    standin.group(-7, "Cụm 7");
    expect((await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: "1" })).status).toBe(200);
    const limited = await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: "2" });
    expect(limited.status).toBe(429);
    expect(limited.body.parameters?.retry_after).toBe(1);
    expect((await rawCall(apiRoot, "sendChatAction", { chat_id: 1, action: "typing" })).status).toBe(200);
    now += 1000;
    expect((await rawCall(apiRoot, "sendMessage", { chat_id: 1, text: "2" })).status).toBe(200);

    let groupLimited = 0;
    for (let i = 0; i < 21; i++) {
      now += 1000;
      const res = await rawCall(apiRoot, "sendMessage", { chat_id: -7, text: `g${i}` });
      if (res.status === 429) {
        groupLimited++;
        expect(res.body.parameters?.retry_after).toBeGreaterThan(30);
      }
    }
    expect(groupLimited).toBe(1);
    expect(standin.counters.rateLimited).toBe(2);
    expect(standin.counters.tooManyRequests).toBe(2);
  });

  it("lets a polling bot survive a 429 on getUpdates", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = makeBot(apiRoot);
    bot.on("message", (ctx) => ctx.reply("vẫn chạy"));
    standin.faults.add({ method: "getUpdates", times: 1, error: { code: 429, retryAfter: 1 } });
    await startPolling(bot);
    cleanup.push(() => bot.stop());
    const u = standin.user(9, { first_name: "Z" });
    u.send("hello");
    expect((await u.waitForReply({ timeoutMs: 4000 })).text).toBe("vẫn chạy");
    await waitIdle(standin);
  });
});

async function waitIdle(standin: BotApiStandin) {
  await standin.waitForIdle({ quietMs: 50 });
  expect(standin.pendingUpdates).toBe(0);
}
