// Start-up of the production entry, from source (`node --import tsx src/main.ts`, how the
// tests run it) and compiled (`npm run build`, then `node dist/main.js` as `npm start`
// runs it), spawned against the stand-in with an update
// already waiting; time from spawn to the bot's reply received by the stand-in, and the
// process's RSS once it answered. Each is run twice: on a new database (migrations at
// start-up, the cluster file applied) and again on the same, migrated one.
// Alone: `npm run bench -- startup`.
import { execFileSync, spawn } from "node:child_process";
import { resolve } from "node:path";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { BOT_USERNAME, cpuMsOf, type DbKind, freshDb, rssOf, sleep, TOKEN } from "./common.ts";

export type StartupEntry = "source" | "compiled";

/** The command line of each entry (arguments to node), run in the repository root. */
const ENTRY_ARGS: Record<StartupEntry, string[]> = {
  source: ["--import", "tsx", "src/main.ts"],
  compiled: ["dist/main.js"], // = `npm start`
};

export interface StartupResult {
  entry: StartupEntry;
  label: string;
  /** spawn → first update handled (its reply received by the stand-in) */
  ms: number;
  /** CPU time the bot process used until then (steadier than wall time on a loaded machine) */
  cpuMs: number;
  rssMb: number;
}

export async function benchStartup(
  kind: DbKind,
  entries: StartupEntry[] = ["source", "compiled"],
): Promise<StartupResult[]> {
  const root = resolve(import.meta.dirname, "../..");
  if (entries.includes("compiled"))
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "ignore" });
  const out: StartupResult[] = [];
  for (const entry of entries) out.push(...(await startTwice(kind, entry, root)));
  return out;
}

async function startTwice(kind: DbKind, entry: StartupEntry, root: string): Promise<StartupResult[]> {
  const db = await freshDb(kind); // migrated once here…
  const out: StartupResult[] = [];
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
      const child = spawn(process.execPath, ENTRY_ARGS[entry], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          BOT_TOKEN: TOKEN,
          DATABASE_URL: db.url,
          TELEGRAM_API_ROOT: apiRoot,
          CLUSTER_CONFIG: "docs/examples/btc-5tp.yaml",
          SCHEDULER: "off",
          PORT: "0",
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
        const cpuMs = await cpuMsOf(child.pid!);
        await sleep(200);
        out.push({
          entry,
          label: label === "first start" ? `${label} (config applied)` : label,
          ms,
          cpuMs,
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
