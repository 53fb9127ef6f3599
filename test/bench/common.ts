// Shared pieces of `npm run bench`: throw-away databases, the generated big cluster,
// bulk seeding of secretaries, percentiles. Copied (not imported) from test/helpers so
// the benchmark does not depend on the test suite.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import type { ClusterApplyInput } from "../../src/db/cluster.repository.ts";
import { migrate } from "../../src/db/migrator.ts";
import type { CalendarConfig, IndicatorDef } from "../../src/domain/types.ts";

export const TOKEN = "7000000001:AAEbench-token-not-a-secret-0123456789";
export const BOT_USERNAME = "cumthidua_bench_bot";
export const PG_BASE = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** 2026-09-25 10:00 in Hà Nội: quý III/2026 is open (opened 20/09, deadline 05/10 17:00). */
export const IN_Q3 = new Date("2026-09-25T03:00:00Z");

export type DbKind = "sqlite" | "postgres";

export interface FreshDb {
  kind: DbKind;
  url: string;
  drop(): Promise<void>;
}

/** A new, migrated database: a SQLite file in a temp dir, or a PostgreSQL database created on PG_BASE. */
export async function freshDb(kind: DbKind): Promise<FreshDb> {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ctd-bench-"));
    url = `file:${join(dir, "bench.db")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `ctd_bench_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_BASE);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  await migrate(url);
  return { kind, url, drop };
}

export const calendar: CalendarConfig = {
  opens: { daysBeforeQuarterEnd: 10, time: "08:00" },
  deadline: { daysAfterQuarterEnd: 5, time: "17:00" },
  briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
  summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
  reminders: ["3d", "1d", "2h"],
  quietHours: undefined,
};

function ind(code: string, label: string, over: Partial<IndicatorDef> = {}): IndicatorDef {
  return {
    code,
    label,
    unit: "người",
    kind: "integer",
    min: 0,
    max: 100000,
    required: true,
    weight: 10,
    better: "higher",
    ...over,
  };
}

/** The realistic indicator set of docs/examples/btc-5tp.yaml: ten counts and two free-text notes. */
export const BENCH_INDICATORS: IndicatorDef[] = [
  ind("ket_nap", "Số đảng viên mới kết nạp", { weight: 20, help: "Tính trong quý, không cộng dồn từ đầu năm." }),
  ind("chinh_thuc", "Số đảng viên được công nhận chính thức"),
  ind("tcd_moi", "Số tổ chức cơ sở đảng thành lập mới", { unit: "tổ chức" }),
  ind("tcd_dn_ngoai_nn", "Trong đó: trong doanh nghiệp ngoài nhà nước", { unit: "tổ chức" }),
  ind("bo_nhiem", "Số cán bộ được bổ nhiệm, giới thiệu ứng cử"),
  ind("luan_chuyen", "Số cán bộ được luân chuyển, điều động"),
  ind("dao_tao_llct", "Số lượt cán bộ được cử đi đào tạo lý luận chính trị", { unit: "lượt" }),
  ind("lop_boi_duong", "Số lớp bồi dưỡng, tập huấn nghiệp vụ đã tổ chức", { unit: "lớp", weight: 5 }),
  ind("de_an", "Số đề án, chuyên đề tham mưu hoàn thành", { unit: "đề án" }),
  ind("bvct_ho_so", "Số hồ sơ thẩm định, xác minh bảo vệ chính trị nội bộ", { unit: "hồ sơ", weight: 5 }),
  ind("ket_qua_noi_bat", "Kết quả nổi bật trong quý", {
    kind: "text",
    unit: "",
    weight: 0,
    required: false,
    min: undefined,
    max: undefined,
  }),
  ind("kho_khan_kien_nghi", "Khó khăn, vướng mắc và kiến nghị", {
    kind: "text",
    unit: "",
    weight: 0,
    required: false,
    min: undefined,
    max: undefined,
  }),
];

/** The report the throughput bench walks through: five counts and one note (a report = 8 updates). */
export const SHORT_INDICATORS: IndicatorDef[] = [...BENCH_INDICATORS.slice(0, 5), BENCH_INDICATORS[11]!];

/** One big cluster: `boards` member boards B0001…, the btc-5tp indicator set. */
export function bigCluster(boards: number, code = "bench", indicators = BENCH_INDICATORS): ClusterApplyInput {
  return {
    code,
    name: `Cụm thi đua benchmark (${boards} ban)`,
    timezone: "Asia/Ho_Chi_Minh",
    groupChatId: -1009990001n,
    calendar,
    scoring: { method: "relative-to-best", onTimeWeight: 5 },
    overrides: {},
    boards: Array.from({ length: boards }, (_, i) => {
      const n = String(i + 1).padStart(4, "0");
      return { code: `B${n}`, name: `Ban Tổ chức Tỉnh ủy số ${n}`, shortName: `Tỉnh ${n}`, active: true };
    }),
    indicators,
    indicatorHash: `bench-${boards}-${indicators.length}`,
    configHash: `bench-${boards}`,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.at(-1) ?? Number.NaN,
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** RSS of another process in MB, from /proc (Linux). */
/** CPU time (user + system) a process has used so far, in ms (Linux /proc, 100 ticks a second). */
export async function cpuMsOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // the fields after the command name (in parentheses, which may contain spaces)
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** BENCH_STATS=1: every 5 s, this process's CPU (% of one core) and event-loop delay on stderr, tagged. */
export function reportLoadEvery5s(tag: string): void {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let c0 = process.cpuUsage();
  setInterval(() => {
    const c = process.cpuUsage(c0);
    c0 = process.cpuUsage();
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stderr.write(
      `[${tag}] cpu ${((c.user + c.system) / 50_000).toFixed(0)}% loop-delay p50 ${ms(h.percentile(50))} p99 ${ms(h.percentile(99))} max ${ms(h.max)} ms\n`,
    );
    h.reset();
  }, 5000).unref();
}
