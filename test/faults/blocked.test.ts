// A secretary who blocks the bot in the middle of a report and stays blocked for the
// reminders, and a cluster group the bot was removed from before the summary post:
// answers already given stay, the bot keeps running, the secretary is recorded as
// blocked and the chair told once, the summary post is recorded as failed and logged.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { startPolling } from "../../src/bot/run.ts";
import { createLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { BOT_USERNAME, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  answersOf,
  CHAIR_ID,
  DEPUTY_ID,
  faultCluster,
  logSink,
  MINUTE,
  quarterAround,
  secretaryId,
  seedPeople,
  storedReport,
} from "./support.ts";

const CLUSTER = "cum-loi";
const GROUP_ID = -1009990077;
const NOW = new Date("2026-11-22T02:00:00Z");

describe.each(testDbKinds())("blocked secretary and removed group on $name", (kind) => {
  it("403 mid-report and for reminders, summary post to a group without the bot: recorded, no crash", async () => {
    const standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 10_000 });
    const { apiRoot } = await standin.start();
    const db = await createTestDb(kind);
    const sink = logSink();
    const clock = fixedClock(NOW);
    const app = createApp({
      databaseUrl: db.url,
      botToken: TOKEN,
      apiRoot,
      clock,
      logger: createLogger("info", sink.stream),
    });
    const polling = { current: undefined as Awaited<ReturnType<typeof startPolling>> | undefined };
    try {
      await app.services.config.apply(faultCluster(3, NOW.getTime(), CLUSTER));
      await seedPeople(db, CLUSTER, 3);
      for (let n = 1; n <= 3; n++) standin.user(secretaryId(n), { first_name: `Thư ký ${n}`, known: true });
      const chair = standin.user(CHAIR_ID, { first_name: "Chủ", known: true });
      standin.user(DEPUTY_ID, { first_name: "Phó", known: true });
      const group = standin.group(GROUP_ID, "Cụm thử lỗi");
      await app.bot.init();
      polling.current = await startPolling(app.bot, { timeoutSeconds: 1 });

      // secretary 1 answers one question, then blocks the bot while it answers the next
      const u = standin.user(secretaryId(1));
      const answers = answersOf(1);
      u.send("/baocao");
      await u.waitForMessage(/Chỉ tiêu 1\/4/);
      u.send(answers[0]!.typed);
      await u.waitForMessage(/Chỉ tiêu 2\/4/);
      u.send(answers[1]!.typed);
      u.block();
      await standin.waitForCall("sendMessage", (c) => c.params.chat_id === secretaryId(1) && c.error?.code === 403);
      await standin.waitForIdle({ quietMs: 300 });
      const { values } = await storedReport(db, 1);
      expect(values.get("ket_nap")).toBe(answers[0]!.stored);
      expect(values.get("ty_le")).toBe(answers[1]!.stored); // stored before the reply was refused
      expect(
        standin.calls("sendMessage").some((c) => c.params.chat_id === secretaryId(1) && c.error?.code === 403),
      ).toBe(true);

      // the opening and a reminder: secretary 1 refused, recorded, the chair told once
      const q = quarterAround(NOW.getTime());
      const open = await app.scheduler.tick(new Date(q.opens + MINUTE));
      const remind = await app.scheduler.tick(new Date(q.reminders[0]! + MINUTE));
      expect(open.find((l) => l.kind === "open" && l.key.includes("2026-Q4"))).toMatchObject({
        outcome: "done",
        sent: 2,
        blocked: 1,
      });
      expect(remind.find((l) => l.kind === "reminder" && l.key.includes("2026-Q4"))).toMatchObject({
        outcome: "done",
        sent: 2,
        blocked: 1,
      });
      const person = await db.repos.people.byTelegramId(BigInt(secretaryId(1)));
      expect(person?.blockedAt).not.toBeNull();
      const notices = chair.messages().filter((m) => /không gửi được tin nhắn cho/.test(m.text ?? ""));
      expect(notices).toHaveLength(1);
      expect(notices[0]!.text).toContain("Ban 01");

      // the bot was removed from the cluster's group: the summary post fails, is recorded and logged
      group.removeBot();
      const post = await app.scheduler.tick(new Date(q.summaryPost + MINUTE));
      expect(post.find((l) => l.kind === "summary_post" && l.key.includes("2026-Q4"))).toMatchObject({
        outcome: "failed",
        failed: 1,
      });
      const row = (await db.repos.ledger.list()).find((a) => a.kind === "summary_post" && a.key.includes("2026-Q4"));
      expect(row?.status).toBe("failed");
      expect(sink.find("summary post failed")).toHaveLength(1);
      // nothing crashed: the bot still answers
      const other = standin.user(secretaryId(2));
      other.send("/baocao");
      await other.waitForMessage(/Chỉ tiêu 1\/4/);
      expect(polling.current.isRunning()).toBe(true);
    } finally {
      if (polling.current?.isRunning()) await polling.current.stop();
      await app.close();
      await standin.stop();
      await db.drop();
    }
  }, 60_000);
});
