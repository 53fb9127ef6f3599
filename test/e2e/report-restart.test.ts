// The production entry (src/main.ts) as a child process, killed with SIGKILL in the
// middle of a report and started again on the same database: nothing is lost and the
// conversation goes on. A child runs on the real clock, so the cluster file opens the
// quarter containing "now" yesterday with its deadline in a week.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { silentLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/services/clock.ts";
import { type BotApiStandin, createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { type ChildBot, startChildBot, stopAllChildren } from "../helpers/child-bot.ts";
import { BOT_USERNAME, SMALL_CLUSTER_YAML, smallCluster, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";

const TZ_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no daylight saving
const DAY = 86_400_000;

/** "2026-09-25T10:00" on the Hà Nội wall clock. */
const local = (ms: number) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 16);

/** `periods:` overrides: the quarter containing now opened yesterday (deadline in a week); the one before is closed. */
function periodsAroundNow(now: number): string {
  const wall = new Date(now + TZ_OFFSET_MS);
  const year = wall.getUTCFullYear();
  const quarter = Math.floor(wall.getUTCMonth() / 3) + 1;
  const prev = quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
  const entry = (opens: number, deadline: number, post: number, briefing: number) =>
    `{ opens: "${local(opens)}", deadline: "${local(deadline)}", summaryPost: "${local(post)}", briefing: "${local(briefing)}" }`;
  return [
    "periods:",
    `  ${prev.year}-Q${prev.quarter}: ${entry(now - 40 * DAY, now - 3 * DAY, now - 2 * DAY, now - 2 * DAY + 3600_000)}`,
    `  ${year}-Q${quarter}: ${entry(now - DAY, now + 7 * DAY, now + 9 * DAY, now + 10 * DAY)}`,
    "",
  ].join("\n");
}

describe.each(testDbKinds())("bot process killed mid-report on $name", (kind) => {
  let standin: BotApiStandin | undefined;
  let db: TestDb | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await stopAllChildren();
    await standin?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("SIGKILL after two answers, a new process on the same database continues the report", {
    timeout: 120_000,
  }, async () => {
    standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 15_000 });
    const { apiRoot } = await standin.start();
    db = await createTestDb(kind);
    dir = mkdtempSync(join(tmpdir(), "ctd-restart-"));
    const configPath = join(dir, "cluster.yaml");
    writeFileSync(configPath, `${SMALL_CLUSTER_YAML}\n${periodsAroundNow(Date.now())}`);

    // the operator's invitation (what `cli invite` does), before the bot runs
    const setup = createApp({
      databaseUrl: db.url,
      botToken: TOKEN,
      apiRoot,
      clock: systemClock,
      logger: silentLogger(),
    });
    await setup.services.config.apply(smallCluster());
    const inv = await setup.services.invitations.create({
      clusterCode: "cum-thu",
      role: "secretary",
      boardCode: "HN",
      createdByPersonId: null,
      botUsername: BOT_USERNAME,
    });
    await setup.close();
    if (!inv.ok) throw new Error("invitation failed");

    const env = {
      BOT_TOKEN: TOKEN,
      DATABASE_URL: db.url,
      TELEGRAM_API_ROOT: apiRoot,
      CLUSTER_CONFIG: configPath,
      LOG_LEVEL: "warn",
    };
    const failWith = (child: ChildBot) => (err: unknown) => {
      const chat = standin!
        .user(101)
        .messages()
        .map((m) => `#${m.message_id} ${m.text ?? m.caption}`);
      throw new Error(
        `${(err as Error).message}\n--- chat ---\n${chat.join("\n")}\n--- bot output ---\n${child.output()}`,
      );
    };

    let bot = startChildBot(env);
    const lan = standin.user(101, { first_name: "Lan" });
    lan.send(`/start ${inv.value.token}`);
    await lan.waitForMessage(/Đồng chí đã tham gia/).catch(failWith(bot));
    // start-up registered the menus, in Vietnamese
    expect(standin.commands.get({ type: "all_private_chats" })).toContainEqual({
      command: "baocao",
      description: "Nhập hoặc sửa báo cáo quý",
    });
    expect(standin.commands.get({ type: "all_group_chats" })?.map((c) => c.command)).toContain("tongket");

    lan.send("/baocao");
    await lan.waitForMessage(/^📋 Báo cáo quý/).catch(failWith(bot));
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    lan.send("12");
    await lan
      .waitForMessage(/^💾 Đã lưu: Số đảng viên mới kết nạp — 12 người\n[\s\S]*Chỉ tiêu 2\/4/)
      .catch(failWith(bot));
    lan.send("83,6");
    const q3 = await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    expect(q3.text).toMatch(/^💾 Đã lưu: Tỷ lệ .* — 83,6%\n/);
    await standin.waitForIdle({ quietMs: 300 });

    expect(await bot.kill("SIGKILL")).toBe("SIGKILL");
    const report = await db.db.report.findFirstOrThrow({ include: { values: { orderBy: { indicatorId: "asc" } } } });
    expect(report.values.map((v) => v.number)).toEqual([12, 83.6]);

    // a new process on the same database; the next answer goes on where the report was
    bot = startChildBot(env);
    lan.send("7");
    const saved = await lan.waitForMessage(/Đã lưu|Phiên nhập liệu/).catch(failWith(bot));
    expect(saved.text?.split("\n")[0]).toBe("💾 Đã lưu: Số lớp bồi dưỡng đã tổ chức — 7 lớp");
    expect(saved.text).toContain("Chỉ tiêu 4/4");
    // the question answered already: its button is stale now
    const stale = lan.press("⬅️ Quay lại", { messageId: q3.message_id });
    const answer = await standin.waitForCall("answerCallbackQuery", (c) => c.params.callback_query_id === stale.id);
    expect(answer.params.text).toBe("Nút này đã cũ, vui lòng dùng tin nhắn mới nhất.");
    lan.press("⬅️ Quay lại");
    const q3again = await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    expect(q3again.text).toContain("Đã nhập: 7");
    lan.press("✔️ Giữ nguyên");
    await lan.waitForMessage(/Chỉ tiêu 4\/4/);
    lan.send("Không có");
    // SIGTERM while that answer is being handled: the step finishes, then the process exits 0
    while (standin.pendingUpdates > 0) await new Promise((r) => setTimeout(r, 2));
    expect(await bot.kill("SIGTERM")).toBe(0);
    const stored = await db.db.reportValue.findMany({ orderBy: { indicatorId: "asc" } });
    expect(stored.map((v) => v.text ?? v.number)).toEqual([12, 83.6, 7, "Không có"]);
    bot = startChildBot(env);
    lan.send("/baocao");
    const review = await lan.waitForMessage(/Bảng tổng hợp/).catch(failWith(bot));
    expect(review.text).toContain("1. Số đảng viên mới kết nạp: 12 người");
    expect(review.text).toContain("2. Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ: 83,6%");
    expect(review.text).toContain("3. Số lớp bồi dưỡng đã tổ chức: 7 lớp");
    lan.press("✅ Nộp báo cáo");
    await lan.waitForMessage(/Đã nộp báo cáo quý/);

    const after = await db.db.report.findFirstOrThrow({ include: { values: { orderBy: { indicatorId: "asc" } } } });
    expect([after.status, after.revision]).toEqual(["submitted", 1]);
    expect(after.values.map((v) => [v.number, v.text])).toEqual([
      [12, null],
      [83.6, null],
      [7, null],
      [null, "Không có"],
    ]);
    expect(await db.db.report.count()).toBe(1);

    // an orderly stop this time
    expect(await bot.kill("SIGTERM")).toBe(0);
    expectCleanRun(standin);
  });
});
