// The container recipe's steps run on this host (these machines cannot pull base images,
// so the Dockerfile itself is not built here): the build (`npm run build`, here into the
// temporary folder's dist/), a clean production install from the lockfile into a
// temporary folder (`npm ci --omit=dev`, with exactly the files the Dockerfile copies),
// then `npm start` against the local Bot API stand-in with a real-looking token:
// /healthz and /readyz answer on PORT in polling mode, /trogiup is answered, the compiled
// CLI (bin/cli.mjs → dist/cli.js) invites, backs up while the bot runs and renders a
// summary (the renderers load lazily, on the render worker: dist/render-worker.js), and SIGTERM
// stops the bot with exit code 0. No tsx, TypeScript, Prisma CLI or @prisma/client is
// installed.
//
// One shortcut: better-sqlite3's native addon is handed to the install as a local
// prebuild made from this checkout's build of the same pinned version, instead of
// compiling SQLite from source again (1.5–5 minutes on two busy cores; the Dockerfile's
// deps stage compiles it, or downloads better-sqlite3's prebuilt addon where it has the
// network). Everything else comes from the lockfile, through npm's cache.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { help } from "../../src/bot/locales/vi.ts";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import { type BotApiStandin, createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { watchOutput } from "../helpers/child-bot.ts";
import { runCommand } from "../helpers/run-command.ts";
import { seedPeriod } from "../summary/helpers.ts";

const root = resolve(import.meta.dirname, "../..");
/** a token shaped like BotFather's (digits, colon, 35 characters) */
const TOKEN = "7123456789:AAHqL0cM2vX9pRkT4wE7yZ1bN3sD5fG8hJ0";
const BOT_USERNAME = "cumthidua_prod_test_bot";
/** what the Dockerfile's deps and runtime stages copy, besides dist/ (from the build stage) */
const SHIPPED = ["package.json", "package-lock.json", "scripts/postinstall.mjs", "bin/cli.mjs"];
const DEV_ONLY = ["tsx", "typescript", "prisma", "@prisma/client", "esbuild", "vitest", "@biomejs/biome"];

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return runCommand(cmd, args, { cwd, env });
}

/** The `node dist/main.js` process that `npm start` (pid) launched, through /proc (npm → sh → node). */
function botProcess(pid: number): number | undefined {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, "utf8").split(" ").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  for (const child of children(pid)) {
    const argv = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0");
    if (argv[0]?.endsWith("node") && argv.includes("dist/main.js")) return child;
    const deeper = botProcess(child);
    if (deeper) return deeper;
  }
  return undefined;
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("production install on this host (the Dockerfile's steps)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ctd-prod-"));
  const app = join(dir, "app");
  let standin: BotApiStandin | null = null;
  let bot: ChildProcess | null = null;
  afterAll(async () => {
    if (bot && bot.exitCode === null && bot.pid) process.kill(-bot.pid, "SIGKILL");
    await standin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds, installs without dev dependencies, starts, answers, backs up and stops on SIGTERM", async () => {
    // --- build stage: the bundle, from this checkout's development install
    mkdirSync(app);
    for (const f of SHIPPED) cpSync(join(root, f), join(app, f), { recursive: true });
    const built = await run(process.execPath, ["scripts/build.mjs", "--outdir", join(app, "dist")], root, process.env);
    expect(built.code, built.output).toBe(0);

    // --- deps stage: npm ci --omit=dev from the lockfile
    const sqliteVersion = JSON.parse(readFileSync(join(root, "node_modules/better-sqlite3/package.json"), "utf8"))
      .version as string;
    const prebuilds = join(dir, "prebuilds");
    mkdirSync(prebuilds);
    const tarball = `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    execFileSync("tar", [
      "-czf",
      join(prebuilds, tarball),
      "-C",
      join(root, "node_modules/better-sqlite3"),
      "build/Release/better_sqlite3.node",
    ]);
    const installEnv = { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds };
    const started = Date.now();
    const install = await run(
      "npm",
      ["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"],
      app,
      installEnv,
    );
    expect(install.code, install.output).toBe(0);
    expect(install.output).toContain("no Prisma CLI");
    console.log(`production install: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    for (const pkg of DEV_ONLY) expect(existsSync(join(app, "node_modules", pkg)), pkg).toBe(false);
    expect(readdirSync(join(app, "node_modules/.bin"))).not.toContain("tsc");

    // --- run: npm start against the stand-in, polling mode, health on PORT
    standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 30_000 });
    const { apiRoot } = await standin.start();
    const port = await freePort();
    mkdirSync(join(app, "config"));
    cpSync(join(root, "docs/examples/btc-5tp.yaml"), join(app, "config/btc-5tp.yaml"));
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      BOT_TOKEN: TOKEN,
      DATABASE_URL: `file:${join(app, "data/bot.db")}`,
      TELEGRAM_API_ROOT: apiRoot,
      CLUSTER_CONFIG: "config/btc-5tp.yaml",
      PORT: String(port),
      SCHEDULER: "off",
      LOG_LEVEL: "info",
    };
    const proc = spawn("npm", ["start"], { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    bot = proc;
    const { output, exited } = watchOutput(proc, "?");

    const stranger = standin.user(880_001, { first_name: "Khách" });
    stranger.send("/trogiup");
    const reply = await stranger.waitForReply({ timeoutMs: 60_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output()}`);
    });
    expect(reply.text).toBe(help.stranger); // what /trogiup tells someone not in any cluster
    expect(output()).not.toContain(TOKEN.split(":")[1]!); // the token's secret never reaches the log

    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    const alive = await get("/healthz");
    expect([alive.status, await alive.text()]).toEqual([200, "ok"]);
    const ready = await until(async () => {
      const r = await get("/readyz");
      const body = (await r.json()) as { ready: boolean; lastUpdatesSecondsAgo: number | null };
      return r.status === 200 && body.lastUpdatesSecondsAgo !== null ? body : undefined;
    }, "/readyz with a getUpdates answer");
    expect(ready).toMatchObject({ ready: true, mode: "polling", database: "ok", updates: "ok" });

    // --- the compiled CLI beside the running bot: invitation, a report, summary, backup
    const cli = (...args: string[]) => run(process.execPath, ["bin/cli.mjs", ...args], app, env);
    const invite = await cli("invite", "btc-5tp", "--role", "chair", "--hours", "1");
    expect(invite.code, invite.output).toBe(0);
    expect(invite.output).toMatch(new RegExp(`^https://t\\.me/${BOT_USERNAME}\\?start=\\S+$`, "m"));

    const handle = createDb(env.DATABASE_URL);
    try {
      const repos = createRepositories(handle.db);
      const cluster = (await repos.clusters.findByCode("btc-5tp"))!;
      const set = (await repos.clusters.currentIndicatorSet(cluster.id))!;
      const boards = await repos.clusters.boards(cluster.id);
      const person = await repos.people.upsert({ telegramId: 880_002n, firstName: "Thư ký" });
      const numbers = Object.fromEntries(set.indicators.filter((d) => d.kind !== "text").map((d) => [d.code, 7]));
      await seedPeriod(
        repos,
        { cluster, set, boardIds: new Map(boards.map((b) => [b.code, b.id])), personId: person.id },
        { year: 2026, quarter: 3 },
        { HN: { values: numbers }, HCM: { values: numbers } },
      );
    } finally {
      await handle.close();
    }
    const out = join(dir, "summary");
    const summary = await cli("summary", "btc-5tp", "2026-Q3", "--out", out);
    expect(summary.code, summary.output).toBe(0);
    const files = readdirSync(out);
    expect(files.some((f) => f.endsWith(".png"))).toBe(true);
    expect(files.some((f) => f.endsWith(".xlsx"))).toBe(true);
    // drawn on the render worker from dist/render-worker.js, not on the main thread as a fallback
    expect(summary.output).not.toContain("CTD_RENDER_WORKER");

    const backup = await cli("backup", join(dir, "backups/bot.db"));
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/2 report\(s\), \d+ value\(s\), integrity ok/);

    // --- SIGTERM to the bot (npm is only its launcher; Docker and systemd run node directly)
    const node = botProcess(proc.pid!);
    expect(node, "the node process under npm start").toBeDefined();
    process.kill(node!, "SIGTERM");
    expect(await exited, output()).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
  }, 420_000);
});
