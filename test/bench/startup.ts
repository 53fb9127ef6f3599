// Start-up: `node --import tsx src/main.ts` (the production entry, as `npm start`) spawned
// against the stand-in with an update already waiting; time from spawn to the bot's reply
// received by the stand-in, and the process's RSS once it answered. Run twice: on a new
// database (migrations at start-up) and again on the same, migrated one.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { BOT_USERNAME, type DbKind, freshDb, rssOf, sleep, TOKEN } from "./common.ts";

export interface StartupResult {
  label: string;
  /** spawn → first update handled (its reply received by the stand-in) */
  ms: number;
  rssMb: number;
}

export async function benchStartup(kind: DbKind): Promise<StartupResult[]> {
  const db = await freshDb(kind); // migrated once here…
  const out: StartupResult[] = [];
  const root = resolve(import.meta.dirname, "../..");
  try {
    for (const [round, label] of ["first start", "restart"].entries()) {
      // a new stand-in per start: update_ids must not repeat (the bot skips handled ones)
      const standin = createBotApiStandin({
        token: TOKEN,
        bot: { username: BOT_USERNAME },
        waitTimeoutMs: 30_000,
        firstUpdateId: 10_000 + round * 1000,
      });
      const { apiRoot } = await standin.start();
      const user = standin.user(424242, { first_name: "Lan" });
      user.send("/trogiup");
      const t0 = performance.now();
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          BOT_TOKEN: TOKEN,
          DATABASE_URL: db.url,
          TELEGRAM_API_ROOT: apiRoot,
          CLUSTER_CONFIG: "docs/examples/btc-5tp.yaml",
          SCHEDULER: "off",
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", process.env.BENCH_DEBUG ? "inherit" : "ignore", "pipe"],
      });
      let err = "";
      child.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
      });
      try {
        await user.waitForReply();
        const ms = performance.now() - t0;
        await sleep(200);
        out.push({
          label: label === "first start" ? `${label} (config applied)` : label,
          ms,
          rssMb: await rssOf(child.pid!),
        });
      } catch (e) {
        throw new Error(`${(e as Error).message}\n${err}`);
      } finally {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null) child.kill("SIGKILL");
        await standin.stop();
      }
    }
  } finally {
    await db.drop();
  }
  return out;
}
