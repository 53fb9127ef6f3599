// Conversation throughput: N simulated secretaries, each on its own board of one big
// cluster, complete whole reports concurrently (/baocao → 6 answers → "✅ Nộp báo cáo")
// through the bot under test (a child process polling the local stand-in). The same
// harness drives a bare grammY bot (one sendMessage per message): the framework's ceiling.
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { join, resolve } from "node:path";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import { type BotApiStandin, createBotApiStandin, type UserHandle } from "../../src/standin/bot-api-standin.ts";
import {
  BOT_USERNAME,
  bigCluster,
  type DbKind,
  freshDb,
  rssOf,
  SHORT_INDICATORS,
  sleep,
  stats,
  TOKEN,
} from "./common.ts";

export interface RunResult {
  bot: string;
  n: number;
  /** mean think time between steps (0 = closed loop, each secretary answers at once) */
  thinkMs: number;
  updates: number;
  seconds: number;
  updatesPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** CPU time of the bot process per update (robust when other work shares the machine) */
  cpuMsPerUpdate: number;
  /** windowed run: what the window saw (null: every secretary completed one whole report) */
  window: {
    /**
     * secretaries who submitted before the window closed and found no fresh secretary to
     * take their slot (the run's pool of spares ran out): the run was no longer closed-loop
     * at N, its rate is void
     */
    sparesOut: number;
    windowSeconds: number;
    /** reports whose submit step was answered inside the window */
    reportsInWindow: number;
    /** secretaries still waiting for an answer when the window closed, and the longest wait */
    waitingAtEnd: number;
    oldestWaitingSeconds: number;
  } | null;
}

export interface SeriesResult {
  bot: string;
  runs: RunResult[];
  rssStartMb: number;
  rssAfterMb: number;
}

/** Answers typed by a secretary, one per indicator (numbers within bounds, two short notes). */
const ANSWERS = SHORT_INDICATORS.map((d, i) =>
  d.kind === "text" ? "Ổn định, không có kiến nghị" : i === 3 ? "3" : String(12 + i * 7),
);
/** Updates in one whole report: /baocao, one answer per indicator, the submit button. */
export const UPDATES_PER_REPORT = ANSWERS.length + 2;

const now = () => performance.timeOrigin + performance.now();

export interface BotUnderTest {
  child: ChildProcess;
  rss(): Promise<number>;
  /** the bot's own account of its memory (V8 heap, external, buffers), one line */
  memory(): Promise<string>;
  /** CPU time (user + system) the bot process used so far, ms */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../..");
/** inside the repository, so the compiled bot finds node_modules */
const COMPILED_DIR = join(ROOT, "node_modules", ".cache", "ctd-bench");
let compiled: string | undefined;

/**
 * The bot process's entry: compiled by `scripts/build.mjs --bench` (once per bench run), as
 * production runs `node dist/main.js`; BENCH_SOURCE=1 runs the TypeScript under tsx instead
 * (tsx's loader adds its own memory and start-up work to the bot's numbers).
 */
function childEntry(): { file: string; execArgv: string[] } {
  if (process.env.BENCH_SOURCE === "1")
    return { file: resolve(import.meta.dirname, "bot-child.ts"), execArgv: ["--import", "tsx"] };
  if (!compiled) {
    execFileSync(process.execPath, ["scripts/build.mjs", "--bench", "--outdir", COMPILED_DIR], {
      cwd: ROOT,
      stdio: "ignore",
    });
    compiled = join(COMPILED_DIR, "bench-bot.js");
  }
  return { file: compiled, execArgv: [] };
}

export async function startChild(env: Record<string, string>): Promise<BotUnderTest> {
  const entry = childEntry();
  const child = fork(entry.file, [], {
    execArgv: [
      ...entry.execArgv,
      // the production heap limit (package.json "start", Dockerfile, systemd unit), for both bots
      "--max-old-space-size=128",
      ...(process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(" ") : []),
    ],
    // as production runs it (package.json "start", Dockerfile, systemd unit); the variable can override
    env: { MALLOC_ARENA_MAX: "2", ...process.env, BENCH_TOKEN: TOKEN, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((res, rej) => {
    child.once("message", () => res());
    child.once("exit", (code) => rej(new Error(`bot child exited with ${code}`)));
  });
  return {
    child,
    rss: () => rssOf(child.pid!),
    memory: () =>
      new Promise<string>((res) => {
        child.once("message", (m: { memory: string }) => res(m.memory));
        child.send({ type: "rss" });
      }),
    cpuMs: () =>
      new Promise<number>((res) => {
        child.once("message", (m: { cpuMs: number }) => res(m.cpuMs));
        child.send({ type: "rss" });
      }),
    async stop() {
      const exited = new Promise<void>((res) => child.once("exit", () => res()));
      child.send({ type: "stop" });
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Stops a secretary before its next step once a windowed run's window has ended. */
class Stopped extends Error {}

interface Step {
  t0: number;
  t1: number;
  /** the step that submits the report (last of a report) */
  last: boolean;
}

interface FlowCtx {
  think: () => number;
  steps: Step[];
  /** steps sent and not yet answered: start time per secretary */
  waiting: Map<number, number>;
  stopped: () => boolean;
}

async function timedStep(
  u: UserHandle,
  ctx: FlowCtx,
  act: () => void,
  wait: () => Promise<{ time: number }>,
  last: boolean,
) {
  const t = ctx.think();
  if (t > 0) await sleep(t);
  if (ctx.stopped()) throw new Stopped();
  const t0 = now();
  ctx.waiting.set(u.id, t0);
  act();
  const m = await wait();
  ctx.waiting.delete(u.id);
  ctx.steps.push({ t0, t1: m.time, last });
}

async function secretaryReport(u: UserHandle, ctx: FlowCtx): Promise<void> {
  const n = ANSWERS.length;
  await timedStep(
    u,
    ctx,
    () => u.send("/baocao"),
    () => u.waitForMessage(new RegExp(`Chỉ tiêu 1/${n}`)),
    false,
  );
  for (let i = 0; i < n; i++) {
    const expect = i + 1 < n ? new RegExp(`Chỉ tiêu ${i + 2}/${n}`) : /Bảng tổng hợp/;
    await timedStep(
      u,
      ctx,
      () => u.send(ANSWERS[i]!),
      () => u.waitForMessage(expect),
      false,
    );
  }
  await timedStep(
    u,
    ctx,
    () => u.press("✅ Nộp báo cáo"),
    () => u.waitForMessage(/Đã nộp báo cáo/),
    true,
  );
}

async function bareReport(u: UserHandle, ctx: FlowCtx): Promise<void> {
  for (let i = 0; i < UPDATES_PER_REPORT; i++) {
    const text = i === 0 ? "/baocao" : (ANSWERS[i - 1] ?? "ok");
    await timedStep(
      u,
      ctx,
      () => u.send(text),
      () => u.waitForReply(),
      i === UPDATES_PER_REPORT - 1,
    );
  }
}

/**
 * How a run is measured. Without `window`: every secretary completes one whole report and
 * the run lasts until the last one is done (BENCH_FULL=1). With `window`: every secretary
 * starts reports over and over; after `rampMs` the counters open for `windowMs` and only
 * steps answered inside the window count; then the secretaries stop before their next step
 * and (when `drain`) the harness waits for the answers still owed, so the next run starts
 * on an idle bot.
 */
export interface RunMode {
  window?: { rampMs: number; windowMs: number; drain: boolean };
}

/** Runs `users` concurrently through reports; latencies per step in ms. */
async function drive(
  under: BotUnderTest,
  bot: string,
  users: UserHandle[],
  flow: typeof secretaryReport,
  thinkMs: number,
  mode: RunMode = {},
  /** windowed: a fresh secretary to take the slot of one who submitted (a report is submitted once) */
  spare: () => UserHandle | undefined = () => undefined,
): Promise<RunResult> {
  let errors = 0;
  let stop = false;
  const ctx: FlowCtx = {
    // think time: uniform 0…2×mean, so steps of different secretaries interleave
    think: () => (thinkMs > 0 ? Math.random() * 2 * thinkMs : 0),
    steps: [],
    waiting: new Map(),
    stopped: () => stop,
  };
  const w = mode.window;
  let sparesOut = 0;
  const one = async (first: UserHandle) => {
    let u = first;
    try {
      for (;;) {
        await flow(u, ctx);
        const next = w && !stop ? spare() : undefined;
        if (w && !stop && !next) sparesOut++;
        if (!next) break;
        u = next;
      }
    } catch (err: unknown) {
      if (err instanceof Stopped || stop) return;
      errors++;
      if (errors <= 3) process.stderr.write(`[${bot}] secretary ${u.id}: ${(err as Error).message.split("\n")[0]}\n`);
    }
  };
  if (!w) {
    const cpu0 = await under.cpuMs();
    const started = now();
    await Promise.all(users.map(one));
    const seconds = (now() - started) / 1000;
    const cpuMsPerUpdate = ((await under.cpuMs()) - cpu0) / Math.max(1, ctx.steps.length);
    return result(bot, users.length, thinkMs, ctx.steps, seconds, cpuMsPerUpdate, errors, null);
  }
  const all = Promise.all(users.map(one));
  await sleep(w.rampMs);
  const cpu0 = await under.cpuMs();
  const from = now();
  await sleep(w.windowMs);
  const to = now();
  const cpu1 = await under.cpuMs();
  stop = true;
  const inWindow = ctx.steps.filter((s) => s.t1 >= from && s.t1 < to);
  const waitingAtEnd = [...ctx.waiting.values()].filter((t0) => t0 < to);
  const reports = inWindow.filter((s) => s.last).length;
  const r = result(
    bot,
    users.length,
    thinkMs,
    inWindow,
    (to - from) / 1000,
    (cpu1 - cpu0) / Math.max(1, inWindow.length),
    errors,
    {
      sparesOut,
      windowSeconds: (to - from) / 1000,
      reportsInWindow: reports,
      waitingAtEnd: waitingAtEnd.length,
      oldestWaitingSeconds: waitingAtEnd.length ? (to - Math.min(...waitingAtEnd)) / 1000 : 0,
    },
  );
  if (w.drain) await all;
  else void all;
  return r;
}

function result(
  bot: string,
  n: number,
  thinkMs: number,
  steps: Step[],
  seconds: number,
  cpuMsPerUpdate: number,
  errors: number,
  window: RunResult["window"],
): RunResult {
  const s = stats(steps.map((x) => x.t1 - x.t0));
  return {
    bot,
    n,
    thinkMs,
    updates: steps.length,
    seconds,
    updatesPerSecond: steps.length / seconds,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    max: s.max,
    errors,
    cpuMsPerUpdate,
    window,
  };
}

/**
 * Fresh secretaries per closed-loop run in windowed mode, each run its own pool: a run of
 * ramp + window (25 s) at ~300–600 updates/s submits ~950–1,900 reports. (One pool of 800
 * shared by the whole series ran dry during the 50-secretary run at ~280 updates/s; the
 * 200-secretary run after it then did one report each during its ramp-up and stopped, so
 * its window saw almost nothing.) Compiled, the bot does ~900 updates/s at 200: ~2,800
 * reports, and 2,500 ran dry again (VOID), hence 5,000. The paced run (~25 updates/s) gets PACED_SPARES.
 */
const SPARES_PER_RUN = 5000;
const PACED_SPARES = 200;

export interface ThroughputPlan {
  /** closed-loop runs (no think time) */
  sizes: number[];
  /** sizes on PostgreSQL, when different */
  pgSizes?: number[];
  /** a run with think time: [secretaries, mean think ms] */
  paced?: [number, number];
  warmup: number;
  /** windowed measurement (see RunMode); absent = complete-all (BENCH_FULL=1) */
  window?: { rampMs: number; windowMs: number; pacedRampMs: number; bareWindowMs: number; bareRampMs: number };
}

function userIds(base: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => base + i);
}

/** Our bot on one database: seeds the cluster and secretaries, runs warm-up, the sizes and the paced run. */
export async function benchApp(kind: DbKind, planIn: ThroughputPlan, log: (s: string) => void): Promise<SeriesResult> {
  let plan = planIn;
  if (kind === "postgres") plan = { ...plan, sizes: plan.pgSizes ?? plan.sizes, paced: undefined };
  const counts = [plan.warmup, ...plan.sizes, ...(plan.paced ? [plan.paced[0]] : [])];
  // windowed: secretaries who submitted are replaced by fresh ones from a pool of spares
  const spares = plan.window ? SPARES_PER_RUN * plan.sizes.length + (plan.paced ? PACED_SPARES : 0) : 0;
  const total = counts.reduce((a, b) => a + b, 0) + spares;
  const db = await freshDb(kind);
  const handle = createDb(db.url);
  const repos = createRepositories(handle.db);
  const t0 = performance.now();
  // Boards beyond the first go in with createMany: applying a 1,470-board file runs one
  // INSERT per board inside a 5 s interactive transaction, which PostgreSQL does not finish.
  const input = bigCluster(total, "bench", SHORT_INDICATORS);
  const { clusterId } = await repos.clusters.apply(
    { ...input, boards: input.boards.slice(0, 1) },
    new Date("2026-09-01T00:00:00Z"),
  );
  await handle.db.board.createMany({
    data: input.boards.slice(1).map((b, i) => ({ ...b, clusterId, position: i + 1 })),
  });
  const boards = await repos.clusters.boards(clusterId);
  const base = kind === "sqlite" ? 600_000_000 : 700_000_000;
  const ids = userIds(base, total);
  await handle.db.person.createMany({
    data: ids.map((id, i) => ({ telegramId: BigInt(id), firstName: `Thư ký ${i + 1}`, activeClusterId: clusterId })),
  });
  const people = await handle.db.person.findMany({ select: { id: true, telegramId: true } });
  const byTg = new Map(people.map((p) => [Number(p.telegramId), p.id]));
  await handle.db.membership.createMany({
    data: ids.map((id, i) => ({ personId: byTg.get(id)!, clusterId, role: "secretary", boardId: boards[i]!.id })),
  });
  await handle.close();
  log(`[${kind}] seeded ${total} boards and secretaries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const standin = await startStandin();
  const bot = await startChild({ BENCH_MODE: "app", BENCH_API_ROOT: standin.apiRoot, BENCH_DATABASE_URL: db.url });
  try {
    await sleep(300);
    const rssStartMb = await bot.rss();
    const users = ids.map((id, i) => standin.user(id, { first_name: `Thư ký ${i + 1}` }));
    let at = 0;
    const take = (n: number) => {
      const part = users.slice(at, at + n);
      at += n;
      return part;
    };
    let pool = users.slice(total - spares);
    /** the spares of the next run */
    const pour = (n: number) => {
      const part = pool.slice(0, n);
      pool = pool.slice(n);
      return () => part.shift();
    };
    const name = `ours (${kind === "sqlite" ? "SQLite" : "PostgreSQL"})`;
    await drive(bot, name, take(plan.warmup), secretaryReport, 0);
    const runs: RunResult[] = [];
    const w = plan.window;
    const paced = async (drain: boolean) => {
      if (!plan.paced) return;
      await sleep(2000); // let the bot drain what the last run left
      const mode: RunMode = w ? { window: { rampMs: w.pacedRampMs, windowMs: w.windowMs, drain } } : {};
      const r = await drive(bot, name, take(plan.paced[0]), secretaryReport, plan.paced[1], mode, pour(PACED_SPARES));
      log(`[${name}] paced ${plan.paced[0]}: p99 ${r.p99.toFixed(1)} ms`);
      runs.push(r);
    };
    // windowed: the paced run first, so the largest closed-loop run is last and need not drain
    if (w) await paced(true);
    for (const [i, n] of plan.sizes.entries()) {
      const last = i === plan.sizes.length - 1;
      const mode: RunMode = w ? { window: { rampMs: w.rampMs, windowMs: w.windowMs, drain: !last } } : {};
      const r = await drive(bot, name, take(n), secretaryReport, 0, mode, w ? pour(SPARES_PER_RUN) : undefined);
      log(
        `[${name}] ${n} secretaries: ${r.updatesPerSecond.toFixed(0)} updates/s, p99 ${r.p99.toFixed(1)} ms, ${r.cpuMsPerUpdate.toFixed(2)} CPU ms/update` +
          (r.window?.sparesOut ? `; VOID: ${r.window.sparesOut} secretaries found no fresh one to take over` : ""),
      );
      runs.push(r);
    }
    const rssAfterMb = await bot.rss();
    log(`[${name}] RSS ${rssAfterMb.toFixed(0)} MB: ${await bot.memory()}`);
    if (!w) await paced(true);
    return { bot: name, runs, rssStartMb, rssAfterMb };
  } finally {
    await bot.stop();
    await standin.stop();
    await db.drop();
  }
}

/** The bare grammY bot under the same harness and plan. */
export async function benchBare(plan: ThroughputPlan, log: (s: string) => void): Promise<SeriesResult> {
  const standin = await startStandin();
  const bot = await startChild({ BENCH_MODE: "bare", BENCH_API_ROOT: standin.apiRoot });
  try {
    await sleep(300);
    const rssStartMb = await bot.rss();
    let next = 800_000_000;
    const take = (n: number) =>
      userIds(next, n).map((id) => {
        next++;
        return standin.user(id, { first_name: "Bare" });
      });
    await drive(bot, "bare grammY", take(plan.warmup), bareReport, 0);
    const runs: RunResult[] = [];
    const w = plan.window;
    for (const [i, n] of plan.sizes.entries()) {
      const last = i === plan.sizes.length - 1;
      const mode: RunMode = w ? { window: { rampMs: w.bareRampMs, windowMs: w.bareWindowMs, drain: !last } } : {};
      const r = await drive(bot, "bare grammY", take(n), bareReport, 0, mode, () => take(1)[0]);
      log(
        `[bare grammY] ${n} secretaries: ${r.updatesPerSecond.toFixed(0)} updates/s, p99 ${r.p99.toFixed(1)} ms, ${r.cpuMsPerUpdate.toFixed(2)} CPU ms/update`,
      );
      runs.push(r);
    }
    const rssAfterMb = await bot.rss();
    log(`[bare grammY] RSS ${rssAfterMb.toFixed(0)} MB: ${await bot.memory()}`);
    return { bot: "bare grammY", runs, rssStartMb, rssAfterMb };
  } finally {
    await bot.stop();
    await standin.stop();
  }
}

async function startStandin(): Promise<BotApiStandin> {
  const standin = createBotApiStandin({
    token: TOKEN,
    bot: { username: BOT_USERNAME },
    waitTimeoutMs: 120_000,
    now,
  });
  await standin.start();
  return standin;
}
