// The bot under test, in its own process (so its RSS and CPU are its own, not the
// stand-in's or the simulated secretaries'). Started by test/bench/run.ts with fork():
//   BENCH_MODE=app  → the real application (createApp + startPolling, as src/main.ts)
//   BENCH_MODE=bare → a bare grammY bot on the same runner: one sendMessage per message
// Talks to the parent over IPC: "ready" when polling, "rss" on request, "stop".
import { readFileSync } from "node:fs";
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import { pino } from "pino";
import { createApp } from "../../src/app.ts";
import { startPolling } from "../../src/bot/run.ts";
import { createLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { IN_Q3, reportLoadEvery5s } from "./common.ts";

type Msg = { type: "rss" } | { type: "stop" } | { type: "gc" };

const mode = process.env.BENCH_MODE ?? "app";
const apiRoot = process.env.BENCH_API_ROOT!;
const token = process.env.BENCH_TOKEN!;
const send = (m: unknown) => process.send?.(m);
const rss = () => process.memoryUsage().rss / 1024 / 1024;

/** The RSS by kind of mapping (Linux /proc/self/smaps): anonymous memory (V8 heap, malloc, WebAssembly), files. */
function mappings(): string {
  let text: string;
  try {
    text = readFileSync("/proc/self/smaps", "utf8");
  } catch {
    return "";
  }
  const by = new Map<string, number>();
  let name = "";
  for (const line of text.split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[1] ?? "";
      name =
        path === "" ? "anonymous" : path.startsWith("[") ? path : path.endsWith(".node") ? "native addons" : "files";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) by.set(name, (by.get(name) ?? 0) + Number(rss[1]));
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .map(([k, kb]) => `${k} ${Math.round(kb / 1024)}`)
    .join(", ");
}

let stop: () => Promise<void>;
if (mode === "bare") {
  const bot = new Bot(token, { client: { apiRoot } });
  bot.on("message", (ctx) => ctx.reply("ok"));
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  await bot.init();
  const handle = run(bot, { runner: { fetch: { timeout: 30 }, silent: true } });
  stop = () => handle.stop();
} else {
  const app = createApp({
    databaseUrl: process.env.BENCH_DATABASE_URL!,
    botToken: token,
    apiRoot,
    clock: fixedClock(IN_Q3),
    // as production: pino at info, one line per update (stdout is /dev/null here)
    logger: createLogger(
      process.env.LOG_LEVEL ?? "info",
      process.env.BENCH_BOT_LOG ? pino.destination(process.env.BENCH_BOT_LOG) : undefined,
    ),
  });
  const polling = await startPolling(app.bot, { timeoutSeconds: 30 });
  stop = async () => {
    await polling.stop();
    await app.close();
  };
}
if (process.env.BENCH_STATS) reportLoadEvery5s("bot");
send({ type: "ready", rss: rss() });
process.on("message", async (m: Msg) => {
  if (m.type === "rss") {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    send({
      type: "rss",
      rss: rss(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      // where the RSS is: V8's heap (used of total), C++ objects held by JS, buffers
      memory: `heap ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)} MB, external ${mb(mem.external)} MB (buffers ${mb(mem.arrayBuffers)} MB); ${mappings()}`,
    });
  }
  if (m.type === "gc") {
    (globalThis as { gc?: () => void }).gc?.();
    send({ type: "gc", rss: rss() });
  }
  if (m.type === "stop") {
    await stop();
    send({ type: "stopped" });
    process.exit(0);
  }
});
