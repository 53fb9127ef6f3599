// Simulates quý III/2026 of a five-city cluster on a throw-away SQLite database with a
// recording messenger, ticking the scheduler every hour (the actions of the default calendar fall on the hour), and prints the timeline:
// local time → action → outcome → recipients.   Run: npx tsx scripts/simulate-quarter.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../src/db/client.ts";
import { createRepositories } from "../src/db/index.ts";
import { migrate } from "../src/db/migrator.ts";
import { DEFAULT_CALENDAR, isLate } from "../src/domain/calendar.ts";
import type { IndicatorDef } from "../src/domain/types.ts";
import { zonedLocalToInstant } from "../src/domain/zoned-time.ts";
import { silentLogger } from "../src/logger.ts";
import { fixedClock } from "../src/services/clock.ts";
import { createLedgerExecutor } from "../src/services/ledger-executor.ts";
import type { Messenger } from "../src/services/messenger.ts";
import { createPeriodService } from "../src/services/period.service.ts";
import { createSchedulerService } from "../src/services/scheduler.service.ts";
import { createStatusService } from "../src/services/status.service.ts";

const TZ = "Asia/Ho_Chi_Minh";
const at = (s: string) => {
  const [d, t] = s.split(" ");
  const [y, mo, da] = (d ?? "").split("-").map(Number);
  const [h, mi] = (t ?? "").split(":").map(Number);
  return zonedLocalToInstant(y!, mo!, da!, h!, mi!, TZ);
};
const local = (d: Date) => d.toLocaleString("sv-SE", { timeZone: TZ }).slice(0, 16);

const boards = [
  { code: "HN", name: "Ban Tổ chức Thành ủy Hà Nội", shortName: "Hà Nội", active: true },
  { code: "HCM", name: "Ban Tổ chức Thành ủy TP. Hồ Chí Minh", shortName: "TP.HCM", active: true },
  { code: "HP", name: "Ban Tổ chức Thành ủy Hải Phòng", shortName: "Hải Phòng", active: true },
  { code: "DN", name: "Ban Tổ chức Thành ủy Đà Nẵng", shortName: "Đà Nẵng", active: true },
  { code: "CT", name: "Ban Tổ chức Thành ủy Cần Thơ", shortName: "Cần Thơ", active: true },
];
const indicators: IndicatorDef[] = ["ket_nap", "chinh_thuc", "to_chuc_moi", "bo_nhiem"].map((code) => ({
  code,
  label: code,
  unit: "người",
  kind: "integer",
  required: true,
  weight: 10,
  better: "higher",
}));

const dir = mkdtempSync(join(tmpdir(), "ctd-sim-"));
const url = `file:${join(dir, "sim.db")}`;
try {
  await migrate(url);
  const handle = createDb(url);
  const repos = createRepositories(handle.db);
  const start = at("2026-09-19 00:00");
  const { clusterId } = await repos.clusters.apply(
    {
      code: "btc-5tp",
      name: "Cụm thi đua Ban Tổ chức các Thành ủy trực thuộc Trung ương",
      timezone: TZ,
      groupChatId: -1001234567890n,
      calendar: DEFAULT_CALENDAR,
      scoring: { method: "relative-to-best", onTimeWeight: 5 },
      overrides: {},
      boards,
      indicators,
      indicatorHash: "sim",
      configHash: "sim",
    },
    start,
  );
  const names = new Map<bigint, string>([[-1001234567890n, "nhóm cụm"]]);
  const people: Record<string, number> = {};
  const addPerson = async (tg: bigint, name: string, role: string, boardCode: string | null) => {
    const p = await repos.people.upsert({ telegramId: tg, firstName: name });
    const board = boardCode ? await repos.clusters.boardByCode(clusterId, boardCode) : null;
    await handle.db.membership.create({ data: { personId: p.id, clusterId, role, boardId: board?.id ?? null } });
    names.set(tg, name);
    people[boardCode ?? role] = p.id;
  };
  await addPerson(100n, "cụm trưởng", "chair", null);
  await addPerson(101n, "cụm phó", "deputy", null);
  for (const [i, b] of boards.entries()) await addPerson(BigInt(201 + i), `thư ký ${b.shortName}`, "secretary", b.code);

  const clock = fixedClock(start);
  const blocked = new Set([205n]); // Cần Thơ's secretary never pressed Start
  const sent: { at: Date; to: string }[] = [];
  const messenger: Messenger = {
    async send(chatId) {
      if (blocked.has(chatId)) {
        await repos.people.setBlocked(chatId, clock.now());
        return "blocked";
      }
      sent.push({ at: clock.now(), to: names.get(chatId) ?? String(chatId) });
      return "sent";
    },
  };
  const periods = createPeriodService(repos);
  const common = {
    repos,
    periods,
    status: createStatusService(repos),
    clock,
    logger: silentLogger(),
    instanceId: "simulation",
  };
  const scheduler = createSchedulerService({
    ...common,
    executor: createLedgerExecutor({
      ...common,
      messenger,
      submittedCount: (periodId, clusterId) => handle.hot.submittedCount(periodId, clusterId),
    }),
  });

  const cluster = (await repos.clusters.findById(clusterId))!;
  const submit = async (code: string, when: string) => {
    const period = await periods.ensure(cluster, { year: 2026, quarter: 3 });
    const board = (await repos.clusters.boardByCode(clusterId, code))!;
    const report = await repos.reports.getOrCreate(period.id, board.id);
    const set = (await repos.clusters.indicatorSet(period.indicatorSetId))!;
    for (const ind of set.indicators) {
      await repos.reports.saveValue({
        reportId: report.id,
        indicatorId: ind.id,
        value: { kind: "number", value: 10 },
        personId: people[code]!,
        at: at(when),
      });
    }
    await repos.reports.submit(report.id, 0, people[code]!, at(when), isLate(at(when), period.deadline));
    return `${code} submits${isLate(at(when), period.deadline) ? " (nộp muộn)" : ""}`;
  };
  const boardEvents: [string, string][] = [
    ["2026-09-24 09:30", "HN"],
    ["2026-10-01 14:10", "DN"],
    ["2026-10-03 08:45", "HCM"],
    ["2026-10-06 10:20", "HP"],
  ];

  console.log("quý III/2026 of btc-5tp, times in Asia/Ho_Chi_Minh, a tick every hour\n");
  console.log("time              action                               outcome  recipients");
  for (let t = start.getTime(); t <= at("2026-10-10 12:00").getTime(); t += 3_600_000) {
    const now = new Date(t);
    clock.set(now);
    while (boardEvents[0] && at(boardEvents[0][0]).getTime() <= t) {
      const [when, code] = boardEvents.shift()!;
      console.log(`${when}  ${await submit(code, when)}`);
    }
    const before = sent.length;
    const lines = await scheduler.tick(now);
    let cursor = before;
    for (const line of lines) {
      // the action's own messages come first, then a one-time blocked notice to the leaders, if any
      const own = sent.slice(cursor, cursor + line.sent).map((s) => s.to);
      cursor += line.sent;
      const extra = line.blocked ? `; ${line.blocked} blocked (403)` : "";
      console.log(
        `${local(now)}  ${line.key.padEnd(36)} ${line.outcome.padEnd(8)} ${line.recipients}${
          own.length ? `: ${own.join(", ")}` : ""
        }${extra}${line.detail && line.outcome === "skipped" ? ` — ${line.detail}` : ""}`,
      );
      // the notice follows the action's own messages; it goes out only the first time someone is blocked
      let notice = 0;
      while (line.blocked && line.kind !== "deadline" && sent[cursor + notice]?.to.startsWith("cụm")) notice++;
      if (notice > 0) {
        const to = sent.slice(cursor, cursor + notice).map((s) => s.to);
        console.log(`${local(now)}    ↳ blocked notice (once a period) to ${to.join(", ")}`);
        cursor += notice;
      }
    }
  }
  const ledger = await repos.ledger.list(clusterId);
  console.log(
    `\n${sent.length} messages sent; ledger: ${ledger.length} rows (${ledger.filter((r) => r.status === "done").length} done, ${
      ledger.filter((r) => r.status === "skipped").length
    } skipped)`,
  );
  await handle.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
