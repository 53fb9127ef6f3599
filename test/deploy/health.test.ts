// /healthz and /readyz (src/health.ts) behind a real HTTP server, with a hand-driven
// clock, a database that answers, fails or hangs, and the getUpdates transformer fed
// answers as the runner would see them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Transformer } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createHealth, type HealthOptions, POLL_STALE_MS } from "../../src/health.ts";

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function serve(opts: HealthOptions) {
  const health = createHealth(opts);
  server = createServer((req, res) => {
    if (!health.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.text() };
  };
  return { health, get };
}

/** What the runner's getUpdates call goes through: the transformer, then Telegram's answer. */
async function pollOnce(t: Transformer, ok: boolean) {
  const answer = ok
    ? { ok: true as const, result: [] }
    : { ok: false as const, error_code: 502, description: "Bad Gateway" };
  await t(async () => answer as never, "getUpdates", { timeout: 30 } as never);
}

describe("health endpoints", () => {
  it("polling: ready while getUpdates answers; 503 naming it once the answers are older than 90 s", async () => {
    let now = 1_000_000;
    const { health, get } = await serve({ mode: "polling", pingDatabase: async () => {}, now: () => now });
    expect(await get("/healthz")).toEqual({ status: 200, body: "ok" });
    // right after start-up the first long poll may still be open
    expect((await get("/readyz")).status).toBe(200);
    await pollOnce(health.watchGetUpdates, true);
    now += POLL_STALE_MS - 1_000;
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, mode: "polling", database: "ok", updates: "ok" });
    // failing answers do not count
    await pollOnce(health.watchGetUpdates, false);
    now += 2_000;
    const stale = await get("/readyz");
    expect(stale.status).toBe(503);
    expect(JSON.parse(stale.body)).toMatchObject({
      ready: false,
      updates: "last getUpdates answer 91 s ago",
      lastUpdatesSecondsAgo: 91,
    });
    await pollOnce(health.watchGetUpdates, true);
    expect((await get("/readyz")).status).toBe(200);
    expect((await get("/healthz")).status).toBe(200); // alive throughout
  });

  it("polling: no answer at all since start-up is named as such", async () => {
    let now = 0;
    const { get } = await serve({ mode: "polling", pingDatabase: async () => {}, now: () => now });
    now += POLL_STALE_MS + 5_000;
    const r = await get("/readyz");
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).updates).toBe("no getUpdates answer since start-up 95 s ago");
  });

  it("a database that fails or does not answer makes the bot not ready, with the reason", async () => {
    const failing = await serve({
      mode: "polling",
      pingDatabase: async () => {
        throw new Error("SQLITE_CANTOPEN: unable to open database file\nstack…");
      },
    });
    const r = await failing.get("/readyz");
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).database).toBe("unreachable: SQLITE_CANTOPEN: unable to open database file");
    await new Promise<void>((res) => server!.close(() => res()));

    const hanging = await serve({ mode: "polling", pingDatabase: () => new Promise<void>(() => {}) });
    const started = Date.now();
    const h = await hanging.get("/readyz");
    expect(h.status).toBe(503);
    expect(JSON.parse(h.body).database).toBe("no answer within 3 s");
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("webhook: ready once the webhook is registered; the last call is reported, not required", async () => {
    let now = 0;
    const { health, get } = await serve({ mode: "webhook", pingDatabase: async () => {}, now: () => now });
    const before = await get("/readyz");
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body).updates).toBe("webhook not registered yet");
    health.noteWebhookRegistered();
    health.noteWebhookCall();
    now += 6 * 3600_000; // a quiet night
    const r = await get("/readyz");
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ready: true, mode: "webhook", lastUpdatesSecondsAgo: 21_600 });
    expect((await get("/other")).status).toBe(404);
  });
});
