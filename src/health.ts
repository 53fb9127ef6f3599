// The health endpoints that src/main.ts serves on PORT in both modes, for a container's
// HEALTHCHECK, systemd watchdogs and load balancers:
//   GET /healthz  alive: the process and its event loop answer (200 "ok")
//   GET /readyz   ready: the database answers a query within 3 s, and updates arrive:
//                 polling — a getUpdates call came back within the last 90 s (a long poll
//                 returns at least every 30 s even when nobody writes); webhook — the
//                 webhook was registered with Telegram (a quiet bot gets no calls for hours,
//                 so the time of the last call is reported, not required).
// 200 with a JSON body when ready, 503 with the same body naming what failed.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transformer } from "grammy";

/** A getUpdates answer older than this makes the bot not ready (3 long-poll timeouts). */
export const POLL_STALE_MS = 90_000;
const DATABASE_TIMEOUT_MS = 3_000;

export interface HealthOptions {
  mode: "polling" | "webhook";
  /** resolves when the database answered a trivial query */
  pingDatabase(): Promise<void>;
  /** milliseconds since the epoch (tests pass their own) */
  now?: () => number;
}

export interface ReadyReport {
  ready: boolean;
  mode: "polling" | "webhook";
  database: string;
  /** seconds since the last getUpdates answer or webhook call; null before the first */
  lastUpdatesSecondsAgo: number | null;
  updates: string;
}

export function createHealth(opts: HealthOptions) {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  let lastUpdatesAt: number | null = null;
  let webhookRegistered = false;

  async function database(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${DATABASE_TIMEOUT_MS / 1000} s`), DATABASE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([opts.pingDatabase().then(() => "ok"), timeout]);
    } catch (err) {
      return `unreachable: ${(err as Error).message.split("\n")[0]}`;
    } finally {
      clearTimeout(timer);
    }
  }

  function updates(at: number): string {
    if (opts.mode === "webhook") return webhookRegistered ? "ok" : "webhook not registered yet";
    // the first long poll may still be open right after start-up
    const since = lastUpdatesAt ?? startedAt;
    if (at - since <= POLL_STALE_MS) return "ok";
    return lastUpdatesAt === null
      ? `no getUpdates answer since start-up ${Math.round((at - since) / 1000)} s ago`
      : `last getUpdates answer ${Math.round((at - since) / 1000)} s ago`;
  }

  async function readiness(): Promise<ReadyReport> {
    const db = await database();
    const at = now();
    const upd = updates(at);
    return {
      ready: db === "ok" && upd === "ok",
      mode: opts.mode,
      database: db,
      lastUpdatesSecondsAgo: lastUpdatesAt === null ? null : Math.round((at - lastUpdatesAt) / 1000),
      updates: upd,
    };
  }

  return {
    readiness,
    /** grammY API transformer (install on the polling bot's api): notes each getUpdates answer */
    watchGetUpdates: (async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (method === "getUpdates" && res.ok) lastUpdatesAt = now();
      return res;
    }) as Transformer,
    /** a webhook call arrived */
    noteWebhookCall(): void {
      lastUpdatesAt = now();
    },
    /** setWebhook succeeded */
    noteWebhookRegistered(): void {
      webhookRegistered = true;
    },
    /** Answers GET /healthz and GET /readyz; false for any other request (left to the caller). */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      if (req.method !== "GET") return false;
      const path = (req.url ?? "").split("?")[0];
      if (path === "/healthz") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return true;
      }
      if (path === "/readyz") {
        void readiness().then((r) => {
          res.writeHead(r.ready ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(r)}\n`);
        });
        return true;
      }
      return false;
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
