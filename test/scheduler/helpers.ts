// A cluster with a chair, a deputy and one secretary per board, over a throw-away
// database, plus a Messenger that records what it was asked to send.

import { afterEach, beforeEach } from "vitest";
import { noticeButtons, noticeText } from "../../src/bot/views/notice.view.ts";
import { createDb, type DbHandle } from "../../src/db/client.ts";
import { createRepositories, type Repositories } from "../../src/db/index.ts";
import { isLate } from "../../src/domain/calendar.ts";
import type { Cluster } from "../../src/domain/entities.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { silentLogger } from "../../src/logger.ts";
import { type Clock, fixedClock } from "../../src/services/clock.ts";
import { createLedgerExecutor, type LedgerExecutorDeps } from "../../src/services/ledger-executor.ts";
import type { Messenger, OutgoingMessage, SendOutcome } from "../../src/services/messenger.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import { createPeriodDatesService } from "../../src/services/period-dates.service.ts";
import { createSchedulerService } from "../../src/services/scheduler.service.ts";
import { createStatusService } from "../../src/services/status.service.ts";
import type { LedgerNotices } from "../../src/services/submission-notice.ts";
import { clusterInput } from "../helpers/fixtures.ts";
import { createTestDb, type TestDb, type TestDbKind } from "../helpers/test-db.ts";

export const HCM = "Asia/Ho_Chi_Minh";
export const Q3: PeriodRef = { year: 2026, quarter: 3 };

/** A local wall-clock time in Hà Nội: at("2026-10-05 17:00"). */
export function at(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(s);
  return zonedLocalToInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), HCM);
}

export const TG = { chair: 100n, deputy: 101n, HN: 201n, HCM: 202n, HP: 203n } as const;
export const GROUP = -1001234567890n;

export interface Recorded {
  chatId: bigint;
  html: string;
  buttons?: OutgoingMessage["buttons"];
  /** the clock when it was sent */
  at: Date;
}

export interface RecordingMessenger extends Messenger {
  log: Recorded[];
  /** chat ids that answer 403 */
  blocked: Set<bigint>;
  /** chat ids whose send fails (5xx after retries) */
  failing: Set<bigint>;
  /** the next send to this chat never returns (the process "dies" there) */
  hangOn: Set<bigint>;
  to(chatId: bigint): Recorded[];
}

/** Records sends; blocked chats are marked on the person, as the bot's messenger does. */
export function recordingMessenger(repos: Repositories, clock: Clock, log: Recorded[] = []): RecordingMessenger {
  const m: RecordingMessenger = {
    log,
    blocked: new Set(),
    failing: new Set(),
    hangOn: new Set(),
    to: (chatId) => log.filter((r) => r.chatId === chatId),
    async send(chatId, message): Promise<SendOutcome> {
      if (m.hangOn.has(chatId)) return new Promise<SendOutcome>(() => {});
      if (m.blocked.has(chatId)) {
        await repos.people.setBlocked(chatId, clock.now());
        return "blocked";
      }
      if (m.failing.has(chatId)) return "failed";
      log.push({ chatId, html: message.html, buttons: message.buttons, at: clock.now() });
      await repos.people.setBlocked(chatId, null);
      return "sent";
    },
    tell: (chatId, notice) => {
      const buttons = noticeButtons(notice);
      return m.send(chatId, { html: noticeText(notice), ...(buttons ? { buttons } : {}) });
    },
  };
  return m;
}

/** Applies the test cluster and adds its people (memberships written directly: tests only). */
export async function seedCluster(handle: DbHandle, repos: Repositories): Promise<Cluster> {
  const { clusterId } = await repos.clusters.apply(clusterInput(), at("2026-09-01 08:00"));
  const boards = await repos.clusters.boards(clusterId);
  const add = async (telegramId: bigint, firstName: string, role: string, boardId: number | null) => {
    const p = await addMember(handle, repos, clusterId, { telegramId, firstName, role, boardId });
    await repos.people.setActiveCluster(p.id, clusterId);
  };
  await add(TG.chair, "Chủ", "chair", null);
  await add(TG.deputy, "Phó", "deputy", null);
  for (const b of boards) await add(TG[b.code as "HN" | "HCM" | "HP"], `Thư ký ${b.shortName}`, "secretary", b.id);
  return (await repos.clusters.findById(clusterId))!;
}

/** A member of the cluster (membership written directly: tests only). */
export async function addMember(
  handle: DbHandle,
  repos: Repositories,
  clusterId: number,
  person: { telegramId: bigint; firstName: string; role: string; boardId: number | null },
) {
  const { role, boardId, ...who } = person;
  const p = await repos.people.upsert(who);
  await handle.db.membership.create({ data: { personId: p.id, clusterId, role, boardId } });
  return p;
}

export interface SeededDb {
  /** A second process: its own Prisma client over the same database, closed after the test. */
  otherProcess(): { handle: DbHandle; repos: Repositories };
  /** The scheduler of another instance (its own client), recording into `log`. */
  otherInstance(clock: Clock, log: Recorded[], instanceId: string): ReturnType<typeof schedulerFor>;
}

/**
 * Per test: a fresh database of `kind` with the test cluster seeded, handed to `ready`
 * (which may add to it); dropped after the test with every other process's client.
 */
export function useSeededDb(kind: TestDbKind, ready: (t: TestDb, cluster: Cluster) => void | Promise<void>): SeededDb {
  let t: TestDb;
  const extra: DbHandle[] = [];
  beforeEach(async () => {
    t = await createTestDb(kind);
    await ready(t, await seedCluster(t, t.repos));
  });
  afterEach(async () => {
    for (const h of extra.splice(0)) await h.close();
    await t.drop();
  });
  const otherProcess = () => {
    const handle = createDb(t.url);
    extra.push(handle);
    return { handle, repos: createRepositories(handle.db) };
  };
  return {
    otherProcess,
    otherInstance(clock, log, instanceId) {
      const { handle, repos } = otherProcess();
      return schedulerFor(handle, { clock, messenger: recordingMessenger(repos, clock, log), instanceId });
    },
  };
}

/** The scheduler of one "process" over `handle`: its own repositories, executor and planner. */
export function schedulerFor(
  handle: DbHandle,
  opts: { clock: Clock; messenger: Messenger; instanceId?: string } & Partial<LedgerExecutorDeps> & {
      graceMs?: number;
    },
) {
  const repos = createRepositories(handle.db);
  const periods = createPeriodService(repos);
  const status = createStatusService(repos);
  const logger = silentLogger();
  const { graceMs, ...rest } = opts;
  const common = { repos, periods, status, logger, instanceId: opts.instanceId ?? "test-1", clock: opts.clock };
  const submittedCount = (periodId: number, clusterId: number) => handle.hot.submittedCount(periodId, clusterId);
  const executor = createLedgerExecutor({ ...common, sendsPerSecond: 10_000, submittedCount, ...rest });
  return Object.assign(createSchedulerService({ ...common, executor, graceMs }), { executor });
}

/**
 * The notices written with a decision, run at once by `instance`'s executor, as the composition root
 * binds them (src/app.ts); the keys it ran go to `runs`.
 */
export function noticesRunBy(
  instance: ReturnType<typeof schedulerFor>,
  clock: Clock,
  instanceId: string,
  runs: string[] = [],
): LedgerNotices {
  return {
    instanceId,
    async deliver(action) {
      runs.push(action.key);
      const line = await instance.executor.execute(action, clock.now(), false);
      return { sent: line.sent, finished: !line.takenOver };
    },
  };
}

/** The /lich use case over `handle`. */
export function periodDatesFor(handle: DbHandle) {
  const repos = createRepositories(handle.db);
  return createPeriodDatesService({ repos, periods: createPeriodService(repos) });
}

/** A board answers `answered` indicators and, when `submit`, submits at `when`. */
export async function boardReports(
  repos: Repositories,
  cluster: Cluster,
  code: string,
  when: Date,
  opts: { answered?: number; submit?: boolean } = {},
): Promise<void> {
  const periods = createPeriodService(repos);
  const period = await periods.ensure(cluster, Q3);
  const board = (await repos.clusters.boardByCode(cluster.id, code))!;
  const person = (await repos.people.byTelegramId(TG[code as "HN" | "HCM" | "HP"]))!;
  const set = (await repos.clusters.indicatorSet(period.indicatorSetId))!;
  const report = await repos.reports.getOrCreate(period.id, board.id);
  const n = opts.answered ?? set.indicators.length;
  for (const ind of set.indicators.slice(0, n)) {
    const value =
      ind.kind === "text" ? { kind: "text" as const, value: "Ổn định" } : { kind: "number" as const, value: 12 };
    await repos.reports.saveValue({ reportId: report.id, indicatorId: ind.id, value, personId: person.id, at: when });
  }
  if (opts.submit ?? true) {
    await repos.reports.submit(report.id, 0, person.id, when, isLate(when, period.deadline));
  }
}

export { fixedClock };
