// `npm run bench`: every measurement in one run, on this machine, over loopback only,
// printed as one table (docs/benchmarks.md explains it). Environment:
//   BENCH_PG_URL     PostgreSQL server URL (default postgresql://postgres@127.0.0.1:5432/test);
//                    BENCH_PG=off skips PostgreSQL
//   BENCH_SIZES      concurrent secretaries on SQLite, default 50,200,1000
//   BENCH_PG_SIZES   the same on PostgreSQL, default 50,200
//   BENCH_PG_SUMMARY=on  also /tongket over 1,000 boards on PostgreSQL (~1 min more)
//   BENCH_SUMMARY_SIZES  boards of the /tongket runs, default 10,100,1000 (the largest is also
//                    sent whole, twice, through a recording Api; BENCH_API_MS its answer time, default 30)
//   BENCH_FANOUT_CAP global messages/s the stand-in allows (default 100; Telegram: 30)
//   BENCH_WINDOW     seconds each throughput run is measured over (default 20; bare bot 10)
//                    after BENCH_RAMP seconds of ramp-up (default 5; paced run 10)
//   BENCH_STATS=1    every 5 s, CPU % and event-loop delay of this process (stand-in and
//                    simulated secretaries) and of the bot child, on stderr
//   BENCH_FULL=1     the old complete-all mode: every secretary completes one whole report
//                    and a run lasts until the last one is done (~15 min on 2 cores)
// Arguments pick parts (default all): throughput, summary, fanout, startup;
// e.g. `npm run bench -- startup` (about 30 s: source and compiled start-up only).
import { cpus, loadavg, totalmem } from "node:os";
import { reportLoadEvery5s } from "./common.ts";
import { benchFanout, type FanoutResult } from "./fanout.ts";
import { benchStartup, type StartupResult } from "./startup.ts";
import { benchSummary, type SummaryResult } from "./summary.ts";
import { benchApp, benchBare, type RunResult, type ThroughputPlan, UPDATES_PER_REPORT } from "./throughput.ts";

const started = performance.now();
if (process.env.BENCH_STATS) reportLoadEvery5s("parent");
const log = (s: string) =>
  process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s ${s}\n`);
const sizes = (process.env.BENCH_SIZES ?? "50,200,1000").split(",").map(Number);
const withPg = process.env.BENCH_PG !== "off";
const cap = Number(process.env.BENCH_FANOUT_CAP ?? 100);
const full = process.env.BENCH_FULL === "1";
const pgSizes = (process.env.BENCH_PG_SIZES ?? (full ? "50,200" : "50,200,1000")).split(",").map(Number);
const windowS = Number(process.env.BENCH_WINDOW ?? 20);
const rampS = Number(process.env.BENCH_RAMP ?? 5);
// paced: 200 secretaries answering about every 8 s each (uniform 0–16 s), ~25 updates/s offered
const plan: ThroughputPlan = {
  sizes,
  pgSizes,
  warmup: full ? 20 : 10,
  paced: [200, 8000],
  window: full
    ? undefined
    : {
        rampMs: rampS * 1000,
        windowMs: windowS * 1000,
        pacedRampMs: 2 * rampS * 1000,
        bareRampMs: 2000,
        bareWindowMs: (windowS / 2) * 1000,
      },
};

log(
  `bench: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const parts = process.argv.slice(2);
const want = (part: string) => parts.length === 0 || parts.includes(part);
const bare = want("throughput") ? await benchBare(plan, log) : null;
const sqlite = want("throughput") ? await benchApp("sqlite", plan, log) : null;
const postgres = want("throughput") && withPg ? await benchApp("postgres", plan, log) : null;
const summaries: SummaryResult[] = [];
if (want("summary")) {
  log("summary");
  const summarySizes = (process.env.BENCH_SUMMARY_SIZES ?? "10,100,1000").split(",").map(Number);
  summaries.push(...(await benchSummary("sqlite", summarySizes, 40)));
  if (process.env.BENCH_PG_SUMMARY === "on") summaries.push(...(await benchSummary("postgres", [1000], 40)));
}
const fanouts: FanoutResult[] = [];
if (want("fanout")) {
  log("fan-out");
  fanouts.push(await benchFanout("sqlite", { boards: 1000, perBoard: 5, capPerSecond: cap, pacePerSecond: cap }));
}
const startups: StartupResult[] = [];
if (want("startup")) {
  log("start-up");
  startups.push(...(await benchStartup("sqlite")));
}

// ------------------------------------------------------------------------------- table
const rows: string[][] = [];
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const row = (...cells: string[]) => rows.push(cells);
const target = (ok: boolean, text: string) => `${ok ? "✅" : "❌"} ${text}`;

function runLabel(r: RunResult) {
  const how = r.thinkMs > 0 ? `think ~${(r.thinkMs / 1000).toFixed(0)} s/step` : "closed loop";
  const win = r.window ? `, ${f0(r.window.windowSeconds)} s window*` : ", all complete";
  return `${r.n} secretaries, ${how}${win}`;
}
const bareAt = (n: number) => bare?.runs.find((r) => r.n === n && r.thinkMs === 0);
for (const series of [bare, sqlite, postgres]) {
  if (!series) continue;
  for (const r of series.runs) {
    const b = bareAt(r.n);
    const ratio = series !== bare && r.thinkMs === 0 && b ? r.updatesPerSecond / b.updatesPerSecond : null;
    let note = ratio === null ? "" : `${f0(ratio * 100)} % of bare`;
    if (series === sqlite && ratio !== null) note = target(ratio >= 0.5, `${note} (target ≥ 50 %)`);
    if (series !== bare && r.n === 200) note += `${note ? "; " : ""}${target(r.p99 < 50, "p99 < 50 ms")}`;
    if (r.errors) note += `${note ? "; " : ""}${r.errors} unfinished`;
    if (r.window?.sparesOut) note += `${note ? "; " : ""}VOID: ${r.window.sparesOut} found no fresh secretary`;
    const w = r.window
      ? `; ${r.window.reportsInWindow} reports done in window; ${r.window.waitingAtEnd} waiting at its end` +
        (r.window.waitingAtEnd ? ` (oldest ${f1(r.window.oldestWaitingSeconds)} s)` : "")
      : "";
    row(
      `1 throughput`,
      `${series.bot}: ${runLabel(r)}`,
      `${f0(r.updatesPerSecond)} upd/s, p50 ${f1(r.p50)} / p95 ${f1(r.p95)} / p99 ${f1(r.p99)} ms, bot CPU ${f1(r.cpuMsPerUpdate)} ms/upd${w}`,
      note,
    );
  }
}
for (const s of summaries) {
  const whole = s.buildMs + s.textMs + s.chartMs + s.xlsxMs;
  const ok = s.boards === 1000 ? target(whole < 300, "< 300 ms (build + text + chart + xlsx)") : "";
  row(
    "2 /tongket",
    `${s.kind === "sqlite" ? "SQLite" : "PostgreSQL"}: ${s.boards} boards × ${s.periods} quarters`,
    `${f0(whole)} ms: build ${f0(s.buildMs)} ms; text ${f0(s.textMs)} ms, chart ${f0(s.chartMs)} ms (${s.chartImages} images; ${f0(s.chartWorkerMs)} ms on the render worker), xlsx ${f0(s.xlsxMs)} ms (${f0(s.xlsxBytes / 1024)} kB); docx ${f0(s.docxMs)} ms (${f0(s.docxBytes / 1024)} kB)`,
    ok,
  );
  for (const [label, t] of s.tongket
    ? ([
        ["first", s.tongket.first],
        ["second, same closed period", s.tongket.second],
      ] as const)
    : []) {
    row(
      "2 /tongket",
      `${s.boards} boards: whole /tongket, ${label} (Api answers in ${process.env.BENCH_API_MS ?? 30} ms)`,
      `${f0(t.wholeMs)} ms: build ${f0(t.buildMs)} ms; text ready ${f0(t.textReadyMs)} ms, first chart ${t.chartReadyMs === null ? "–" : f0(t.chartReadyMs)} ms, xlsx ready ${f0(t.xlsxReadyMs)} ms; main thread blocked at most ${f0(t.maxBlockMs)} ms`,
      "",
    );
  }
}
for (const f of fanouts) {
  row(
    "3 fan-out",
    `${f.messages} reminders, cap ${f.capPerSecond}/s global + 1/s per chat (SQLite)`,
    `${f1(f.achievedPerSecond)}/s = ${f0(f.fractionOfCap * 100)} % of cap in ${f1(f.seconds)} s; lost ${f.lost}, duplicated ${f.duplicated}, 429s ${f.rateLimited}`,
    target(f.fractionOfCap >= 0.9 && f.lost === 0 && f.duplicated === 0, "≥ 90 %, 0 lost, 0 dup"),
  );
}
for (const s of [sqlite, postgres, bare]) {
  if (!s) continue;
  const ours = s !== bare;
  row(
    "4 memory",
    `${s.bot}: RSS after start → ${full ? "after" : "at the end of"} the ${(s === postgres ? pgSizes : sizes).at(-1)}-secretary run`,
    `${f0(s.rssStartMb)} MB → ${f0(s.rssAfterMb)} MB`,
    ours ? target(s.rssAfterMb < 200, "< 200 MB") : "",
  );
}
for (const s of startups) {
  const what = s.entry === "compiled" ? "dist/main.js (npm run build, npm start)" : "src/main.ts (tsx)";
  row(
    "4 start-up",
    `${what}, SQLite: ${s.label}`,
    `first update handled after ${f0(s.ms)} ms (CPU ${f0(s.cpuMs)} ms); RSS ${f0(s.rssMb)} MB`,
    s.entry === "compiled" ? target(s.ms < 1000 && s.rssMb < 120, "< 1 s, < 120 MB") : "",
  );
}

const head = ["#", "what", "result", "target"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c + " ".repeat(widths[i]! - [...c].length)).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(
  `\n${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; a report = ${UPDATES_PER_REPORT} updates; ` +
    `load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}; total ${f0((performance.now() - started) / 1000)} s`,
);
if (plan.window) {
  const w = plan.window;
  console.log(
    `* windowed (BENCH_FULL=1 for complete-all): the N secretaries keep going (one who submitted is replaced by a fresh one); after ${f0(w.rampMs / 1000)} s ` +
      `of ramp-up (paced: ${f0(w.pacedRampMs / 1000)} s; bare: ${f0(w.bareRampMs / 1000)} s) only the steps answered in the next ` +
      `${f0(w.windowMs / 1000)} s (bare: ${f0(w.bareWindowMs / 1000)} s) count — upd/s, latency percentiles, CPU per update, reports ` +
      `submitted; steps still unanswered when the window closes are listed as "waiting", with the longest wait so far.`,
  );
}
process.exit(0); // secretaries of the last, undrained run still hold timers
