// Reminder fan-out through the real scheduler service (tick at the "3 days before the
// deadline" reminder) to S secretaries, with the stand-in enforcing Telegram-style limits
// (global messages per second, 1 per second per chat) and answering 429 + retry_after.
import { createApp } from "../../src/app.ts";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { BOT_USERNAME, bigCluster, type DbKind, freshDb, TOKEN } from "./common.ts";

export interface FanoutResult {
  kind: DbKind;
  messages: number;
  capPerSecond: number;
  pacePerSecond: number;
  seconds: number;
  achievedPerSecond: number;
  fractionOfCap: number;
  delivered: number;
  lost: number;
  duplicated: number;
  rateLimited: number;
  tickOutcome: string;
}

/** 17:01 on 02/10/2026 in Hà Nội: the 3-day reminder of quý III/2026 is due. */
const REMINDER_AT = new Date("2026-10-02T10:01:00Z");

export async function benchFanout(
  kind: DbKind,
  opts: { boards: number; perBoard: number; capPerSecond: number; pacePerSecond: number },
): Promise<FanoutResult> {
  const total = opts.boards * opts.perBoard;
  const db = await freshDb(kind);
  const handle = createDb(db.url);
  const repos = createRepositories(handle.db);
  const { clusterId } = await repos.clusters.apply(bigCluster(opts.boards, "fanout"), new Date("2026-09-01T00:00:00Z"));
  const boards = await repos.clusters.boards(clusterId);
  const base = 900_000_000;
  const ids = Array.from({ length: total }, (_, i) => base + i);
  await handle.db.person.createMany({
    data: ids.map((id, i) => ({ telegramId: BigInt(id), firstName: `Thư ký ${i + 1}`, activeClusterId: clusterId })),
  });
  const people = await handle.db.person.findMany({ select: { id: true, telegramId: true } });
  const byTg = new Map(people.map((p) => [Number(p.telegramId), p.id]));
  await handle.db.membership.createMany({
    data: ids.map((id, i) => ({
      personId: byTg.get(id)!,
      clusterId,
      role: "secretary",
      boardId: boards[Math.floor(i / opts.perBoard)]!.id,
    })),
  });
  await handle.close();

  const standin = createBotApiStandin({
    token: TOKEN,
    bot: { username: BOT_USERNAME },
    rateLimit: { globalPerSecond: opts.capPerSecond, perChatPerSecond: 1, perGroupPerMinute: 20 },
  });
  const { apiRoot } = await standin.start();
  for (const id of ids) standin.user(id, { first_name: "Thư ký", known: true });
  const app = createApp({
    databaseUrl: db.url,
    botToken: TOKEN,
    apiRoot,
    clock: fixedClock(REMINDER_AT),
    logger: silentLogger(),
    sendsPerSecond: opts.pacePerSecond,
  });
  try {
    const lines = await app.scheduler.tick(REMINDER_AT);
    const reminder = lines.find((l) => l.kind === "reminder");
    const accepted = standin.accepted.filter((a) => a.method === "sendMessage" && a.chat_id >= base);
    const times = accepted.map((a) => a.time);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    const chats = new Set(accepted.map((a) => a.chat_id));
    const achieved = (accepted.length - 1) / seconds;
    return {
      kind,
      messages: total,
      capPerSecond: opts.capPerSecond,
      pacePerSecond: opts.pacePerSecond,
      seconds,
      achievedPerSecond: achieved,
      fractionOfCap: achieved / opts.capPerSecond,
      delivered: chats.size,
      lost: ids.filter((id) => !chats.has(id)).length,
      duplicated: standin.duplicates().reduce((n, g) => n + g.length - 1, 0),
      rateLimited: standin.counters.rateLimited,
      tickOutcome: reminder ? `${reminder.outcome} ${reminder.sent}/${reminder.recipients}` : "no reminder",
    };
  } finally {
    await app.close();
    await standin.stop();
    await db.drop();
  }
}
