// Shared pieces of the fault-injection suite: a cluster whose quarter is open on the
// real clock (child processes run on it), people written straight into the database,
// seeded randomness, and a pino destination that keeps the log lines for assertions.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createApp } from "../../src/app.ts";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import type { ClusterConfig } from "../../src/cluster-config/schema.ts";
import type { Role } from "../../src/domain/types.ts";
import { silentLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/services/clock.ts";
import type { BotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { TOKEN } from "../helpers/e2e.ts";
import type { TestDb } from "../helpers/test-db.ts";

export { mulberry32 } from "../../src/standin/prng.ts";

/** SOAK=1 (npm run test:soak) runs the full numbers of trials; CI runs a few. */
export const SOAK = process.env.SOAK === "1";

const TZ_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no daylight saving
export const MINUTE = 60_000;
export const HOUR = 3600_000;
export const DAY = 86_400_000;

/** "2026-09-25T10:00" on the Hà Nội wall clock. */
export const localMinute = (ms: number) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 16);

/** Dates of the quarter containing `now` (opened an hour ago) as the scheduler sees them. */
export interface QuarterTimes {
  opens: number;
  deadline: number;
  summaryPost: number;
  briefing: number;
  /** reminders [3d, 1d, 2h] before the deadline */
  reminders: number[];
}

export function quarterAround(now: number): QuarterTimes {
  // whole minutes, as the cluster file states them
  const opens = Math.floor((now - HOUR) / MINUTE) * MINUTE;
  const deadline = opens + 5 * DAY;
  return {
    opens,
    deadline,
    summaryPost: deadline + DAY,
    briefing: deadline + 2 * DAY,
    reminders: [deadline - 3 * DAY, deadline - DAY, deadline - 2 * HOUR],
  };
}

export const INDICATORS = [
  { code: "ket_nap", label: "Số đảng viên mới kết nạp" },
  { code: "ty_le", label: "Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ" },
  { code: "lop", label: "Số lớp bồi dưỡng đã tổ chức" },
  { code: "kien_nghi", label: "Khó khăn, kiến nghị" },
] as const;

/** What board number `n` answers, as typed, and as stored (number or text). */
export function answersOf(n: number): { typed: string; stored: number | string }[] {
  return [
    { typed: String(10 + n), stored: 10 + n },
    { typed: `${80 + n},5`, stored: 80.5 + n },
    { typed: String(n), stored: n },
    { typed: `Không có kiến nghị số ${n}`, stored: `Không có kiến nghị số ${n}` },
  ];
}

/**
 * A cluster of `boards` boards (B01…), the four indicators of the e2e cluster, no quiet
 * hours (the ticks run at any simulated hour), and the quarter containing `now` opened an
 * hour ago; the quarter before it is closed.
 */
export function faultClusterYaml(boards: number, now: number, code = "cum-loi"): string {
  const q = quarterAround(now);
  const wall = new Date(now + TZ_OFFSET_MS);
  const year = wall.getUTCFullYear();
  const quarter = Math.floor(wall.getUTCMonth() / 3) + 1;
  const prev = quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
  const entry = (o: number, d: number, p: number, b: number) =>
    `{ opens: "${localMinute(o)}", deadline: "${localMinute(d)}", summaryPost: "${localMinute(p)}", briefing: "${localMinute(b)}" }`;
  const boardLines = Array.from({ length: boards }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    return `  - { code: B${n}, name: Ban Tổ chức số ${n}, shortName: Ban ${n} }`;
  });
  return [
    "cluster:",
    `  code: ${code}`,
    "  name: Cụm thử lỗi",
    "  groupChatId: -1009990077",
    "boards:",
    ...boardLines,
    "indicators:",
    "  - { code: ket_nap, label: Số đảng viên mới kết nạp, unit: người, kind: integer, min: 0, max: 100000, weight: 40 }",
    '  - { code: ty_le, label: Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ, unit: "%", kind: percent, weight: 30 }',
    "  - { code: lop, label: Số lớp bồi dưỡng đã tổ chức, unit: lớp, kind: integer, min: 0, required: false, weight: 30 }",
    '  - { code: kien_nghi, label: "Khó khăn, kiến nghị", kind: text, required: false }',
    "scoring: { method: relative-to-best, onTimeWeight: 5 }",
    "calendar:",
    '  opens: { daysBeforeQuarterEnd: 10, time: "08:00" }',
    '  deadline: { daysAfterQuarterEnd: 5, time: "17:00" }',
    '  briefing: { daysAfterQuarterEnd: 10, time: "08:00" }',
    '  summaryPost: { daysBeforeBriefing: 1, time: "16:00" }',
    "  reminders: [3d, 1d, 2h]",
    "  quietHours: null",
    // the periods follow the real clock: every day works, so a run on a weekend or a holiday sends the same
    "  workdays: [mon, tue, wed, thu, fri, sat, sun]",
    "  publicHolidays: none",
    "periods:",
    `  ${prev.year}-Q${prev.quarter}: ${entry(now - 40 * DAY, now - 3 * DAY, now - 2 * DAY, now - 2 * DAY + HOUR)}`,
    `  ${year}-Q${quarter}: ${entry(q.opens, q.deadline, q.summaryPost, q.briefing)}`,
    "",
  ].join("\n");
}

export function faultCluster(boards: number, now: number, code?: string): ClusterConfig {
  return parseClusterConfigText(faultClusterYaml(boards, now, code), "fault-cluster.yaml", "yaml");
}

/** Telegram ids: secretary of board n (1-based) = 500_000 + n; chair 400_001, deputy 400_002. */
export const secretaryId = (n: number) => 500_000 + n;
export const CHAIR_ID = 400_001;
export const DEPUTY_ID = 400_002;

/** Writes the chair, the deputy and one secretary per board directly (tests only; the bot's /start is tested elsewhere). */
export async function seedPeople(db: TestDb, clusterCode: string, boards: number): Promise<void> {
  const cluster = (await db.repos.clusters.listAll()).find((c) => c.code === clusterCode);
  if (!cluster) throw new Error(`no cluster ${clusterCode}`);
  const byCode = new Map((await db.repos.clusters.boards(cluster.id)).map((b) => [b.code, b.id]));
  const add = async (telegramId: number, firstName: string, role: Role, boardId: number | null) => {
    const p = await db.repos.people.upsert({ telegramId: BigInt(telegramId), firstName });
    await db.db.membership.create({ data: { personId: p.id, clusterId: cluster.id, role, boardId } });
    await db.repos.people.setActiveCluster(p.id, cluster.id);
  };
  await add(CHAIR_ID, "Chủ", "chair", null);
  await add(DEPUTY_ID, "Phó", "deputy", null);
  for (let n = 1; n <= boards; n++) {
    await add(secretaryId(n), `Thư ký ${n}`, "secretary", byCode.get(`B${String(n).padStart(2, "0")}`) ?? null);
  }
}

/**
 * Writes the fault cluster's file to `dir`/cluster.yaml, applies it to the database with a
 * short-lived app (the real clock, the stand-in's API root) and seeds the people; returns
 * the file's path (the bot's CLUSTER_CONFIG).
 */
export async function prepareFaultCluster(o: {
  tdb: TestDb;
  apiRoot: string;
  dir: string;
  boards: number;
  cluster: string;
  now: number;
}): Promise<string> {
  const configPath = join(o.dir, "cluster.yaml");
  writeFileSync(configPath, faultClusterYaml(o.boards, o.now, o.cluster));
  const setup = createApp({
    databaseUrl: o.tdb.url,
    botToken: TOKEN,
    apiRoot: o.apiRoot,
    clock: systemClock,
    logger: silentLogger(),
  });
  await setup.services.config.apply(faultCluster(o.boards, o.now, o.cluster));
  await setup.close();
  await seedPeople(o.tdb, o.cluster, o.boards);
  return configPath;
}

/** The stand-in's users for seedPeople's people (secretaries "Thư ký n", chair, deputy), and the cluster's group. */
export function knowFaultPeople(si: BotApiStandin, boards: number, groupId: number): void {
  for (let n = 1; n <= boards; n++) si.user(secretaryId(n), { first_name: `Thư ký ${n}`, known: true });
  si.user(CHAIR_ID, { first_name: "Chủ", known: true });
  si.user(DEPUTY_ID, { first_name: "Phó", known: true });
  si.group(groupId, "Cụm thử lỗi");
}

/** Values stored for board n's report (indicator code → number or text), and the report row. */
export async function storedReport(db: TestDb, n: number) {
  const board = await db.db.board.findFirst({ where: { code: `B${String(n).padStart(2, "0")}` } });
  if (!board) throw new Error(`no board ${n}`);
  const report = await db.db.report.findFirst({
    where: { boardId: board.id },
    include: { values: { include: { indicator: true } } },
  });
  const values = new Map<string, number | string | null>();
  for (const v of report?.values ?? []) values.set(v.indicator.code, v.number ?? v.text);
  const audits = report
    ? await db.db.auditEntry.findMany({ where: { entity: "report", entityId: String(report.id) } })
    : [];
  return { report, values, audits };
}

/** A pino destination that keeps every line (parsed) for assertions. */
export function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n")) {
        if (!l.trim()) continue;
        try {
          lines.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          lines.push({ msg: l });
        }
      }
      cb();
    },
  });
  return {
    stream,
    lines,
    /** lines whose msg matches */
    find: (msg: string | RegExp) =>
      lines.filter((l) => (typeof msg === "string" ? l.msg === msg : msg.test(String(l.msg)))),
    text: () => lines.map((l) => JSON.stringify(l)).join("\n"),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
