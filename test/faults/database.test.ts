// The database going away while a secretary reports. SQLite: another connection holds
// an exclusive lock longer than the busy timeout. PostgreSQL: a TCP proxy between the
// app and the server refuses and cuts connections for a few seconds (the shared server
// itself is never stopped). The bot answers "could not save, send again"
// (vi.common.saveFailed), recovers without a restart, and keeps every answer it had
// confirmed.
import { connect, createServer, type Server, type Socket } from "node:net";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import * as vi from "../../src/bot/locales/vi.ts";
import { startPolling } from "../../src/bot/run.ts";
import { createLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { BOT_USERNAME, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  answersOf,
  faultCluster,
  INDICATORS,
  logSink,
  secretaryId,
  seedPeople,
  sleep,
  storedReport,
} from "./support.ts";

const CLUSTER = "cum-loi";
const NOW = new Date("2026-11-22T02:00:00Z");
const stripTags = (s: string) => s.replace(/<[^>]+>/g, "");

/** A TCP proxy to PostgreSQL that can refuse new connections and cut the open ones. */
async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    /** refuse new connections and cut every open one */
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe.each(testDbKinds())("the database going away mid-report on $name", (kind) => {
  it("the secretary is told to send again, the bot recovers without a restart, nothing confirmed is lost", async () => {
    const standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 20_000 });
    const { apiRoot } = await standin.start();
    const db = await createTestDb(kind);
    const proxy =
      kind.name === "postgres"
        ? await tcpProxy({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) })
        : null;
    let appUrl = db.url;
    if (proxy) {
      const u = new URL(db.url);
      u.hostname = "127.0.0.1";
      u.port = String(proxy.port);
      appUrl = u.toString();
    }
    const sink = logSink();
    const app = createApp({
      databaseUrl: appUrl,
      botToken: TOKEN,
      apiRoot,
      clock: fixedClock(NOW),
      logger: createLogger("info", sink.stream),
    });
    const polling = { current: undefined as Awaited<ReturnType<typeof startPolling>> | undefined };
    let locker: Database.Database | undefined;
    try {
      await app.services.config.apply(faultCluster(2, NOW.getTime(), CLUSTER));
      await seedPeople(db, CLUSTER, 2);
      await app.bot.init();
      polling.current = await startPolling(app.bot, { timeoutSeconds: 1 });
      const u = standin.user(secretaryId(1), { first_name: "Thư ký 1", known: true });
      const answers = answersOf(1);

      u.send("/baocao");
      await u.waitForMessage(/Chỉ tiêu 1\/4/);
      u.send(answers[0]!.typed);
      await u.waitForMessage(/^💾 Đã lưu: Số đảng viên mới kết nạp[\s\S]*Chỉ tiêu 2\/4/);
      // the conversation state is written after the replies: let it land first
      await standin.waitForIdle({ quietMs: 300 });
      await sleep(300);

      // the database goes away
      let outageMs: number;
      if (kind.name === "sqlite") {
        locker = new Database(db.url.replace(/^file:/, ""));
        locker.exec("BEGIN EXCLUSIVE");
        outageMs = 12_000; // longer than the 10 s busy timeout
      } else {
        proxy!.cut();
        outageMs = 4_000;
      }
      const cutAt = Date.now();
      u.send(answers[1]!.typed);
      const failed = await u.waitForMessage((m) => !/Chỉ tiêu/.test(m.text ?? ""), { timeoutMs: 35_000 });
      expect(stripTags(failed.text ?? ""), sink.text()).toBe(stripTags(vi.common.saveFailed));
      // the database comes back
      const left = outageMs - (Date.now() - cutAt);
      if (left > 0) await sleep(left);
      if (locker) {
        locker.exec("ROLLBACK");
        locker.close();
        locker = undefined;
      }
      proxy?.restore();

      // the secretary sends the same answer again: stored, and the report goes on to its end
      u.send(answers[1]!.typed);
      for (let first = true; ; first = false) {
        const m = await u.waitForMessage(/Chỉ tiêu (\d)\/4|Bảng tổng hợp/);
        // the acknowledgement comes on top of the next question
        if (first) expect(m.text).toMatch(/^💾 Đã lưu: Tỷ lệ/);
        const q = /Chỉ tiêu (\d)\/4/.exec(m.text ?? "");
        if (!q) {
          u.press("✅ Nộp báo cáo", { messageId: m.message_id });
          break;
        }
        u.send(answers[Number(q[1]) - 1]!.typed);
      }
      await u.waitForMessage(/Đã nộp báo cáo quý/);
      const { report, values } = await storedReport(db, 1);
      expect([report?.status, report?.revision]).toEqual(["submitted", 1]);
      expect(INDICATORS.map((i) => values.get(i.code))).toEqual(answers.map((a) => a.stored));
      expect(polling.current.isRunning()).toBe(true);
      // the log says what happened
      expect(
        sink.lines.some((l) => l.level === 50),
        sink.text(),
      ).toBe(true);
    } finally {
      if (locker) {
        locker.exec("ROLLBACK");
        locker.close();
      }
      proxy?.restore();
      if (polling.current?.isRunning()) await polling.current.stop();
      await app.close();
      await proxy?.close();
      await standin.stop();
      await db.drop();
    }
  }, 90_000);
});
