// The scheduler over the real Bot API path: grammY's Api with the auto-retry plugin,
// the bot's Messenger, and the local Bot API stand-in (strict HTML, 429, 403, 5xx).
import { autoRetry } from "@grammyjs/auto-retry";
import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBotMessenger } from "../../src/bot/messenger.ts";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import type { Cluster } from "../../src/domain/entities.ts";
import { silentLogger } from "../../src/logger.ts";
import { createPeopleService } from "../../src/services/people.service.ts";
import { type BotApiStandin, createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { at, boardReports, fixedClock, GROUP, schedulerFor, seedCluster, TG } from "./helpers.ts";

const TOKEN = "7000000002:scheduler-standin";
const kind = testDbKinds()[0]!;

describe("scheduler through the Bot API stand-in", () => {
  let t: TestDb;
  let cluster: Cluster;
  let standin: BotApiStandin;
  let apiRoot: string;

  beforeEach(async () => {
    t = await createTestDb(kind);
    cluster = await seedCluster(t, t.repos);
    standin = createBotApiStandin({ token: TOKEN });
    ({ apiRoot } = await standin.start());
    for (const [name, id] of Object.entries(TG)) standin.user(Number(id), { first_name: name, known: true });
    standin.group(Number(GROUP), "Cụm thi đua thử nghiệm", { type: "supergroup" });
  });

  afterEach(async () => {
    await standin.stop();
    await t.drop();
  });

  function messengerFor(repos: TestDb["repos"], clock: ReturnType<typeof fixedClock>) {
    const api = new Api(TOKEN, { apiRoot });
    api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
    return createBotMessenger(api, createPeopleService(repos), clock, silentLogger());
  }

  it("runs a quarter with a 429, a 502 and a blocked secretary; nothing is sent twice across a restart", async () => {
    const clock = fixedClock(at("2026-09-20 08:00"));
    const scheduler = schedulerFor(t, { clock, messenger: messengerFor(t.repos, clock) });
    standin.faults.add({ method: "sendMessage", chatId: Number(TG.HN), times: 1, error: { code: 429, retryAfter: 1 } });
    standin.faults.add({ method: "sendMessage", chatId: Number(TG.HCM), times: 1, error: { code: 502 } });
    standin.user(Number(TG.HP)).block({ notify: false });

    const times = [
      "2026-09-20 08:00",
      "2026-10-02 17:00",
      "2026-10-04 17:00",
      "2026-10-05 15:00",
      "2026-10-05 17:00",
      "2026-10-09 16:00",
    ];
    const lines = [];
    for (const s of times) {
      clock.set(at(s));
      if (s === "2026-10-04 17:00") await boardReports(t.repos, cluster, "HCM", at("2026-10-03 09:00"));
      lines.push(...(await scheduler.tick(clock.now())).filter((l) => l.key.includes("Q3")));
    }
    expect(lines.map((l) => [l.key.split(":").slice(2).join(":"), l.outcome, l.sent, l.blocked, l.failed])).toEqual([
      ["open", "done", 2, 1, 0],
      ["reminder:3d", "done", 2, 1, 0],
      ["reminder:1d", "done", 1, 1, 0],
      ["reminder:2h", "done", 1, 1, 0],
      ["deadline", "done", 2, 0, 0],
      ["summary_post", "done", 1, 0, 0],
    ]);

    // 429 and 502 were retried by the plugin; 403 recorded on the person.
    const hnCalls = standin.calls("sendMessage").filter((c) => c.params.chat_id === Number(TG.HN));
    expect(hnCalls.map((c) => c.error?.code ?? 200).slice(0, 2)).toEqual([429, 200]);
    const hcmCalls = standin.calls("sendMessage").filter((c) => c.params.chat_id === Number(TG.HCM));
    expect(hcmCalls.map((c) => c.error?.code ?? 200).slice(0, 2)).toEqual([502, 200]);
    expect((await t.repos.people.byTelegramId(TG.HP))?.blockedAt).not.toBeNull();

    const hn = standin.user(Number(TG.HN)).messages();
    expect(hn[0]?.text).toContain("Kỳ báo cáo quý III/2026 đã mở");
    // (src/bot/messenger.ts ends the keyboard with an empty row; only the buttons matter here)
    expect(hn[0]?.reply_markup?.inline_keyboard?.filter((row) => row.length > 0)).toEqual([
      [{ text: "📝 Nhập báo cáo", callback_data: "baocao" }],
    ]);
    expect(hn.map((m) => m.text?.split("\n")[0])).toEqual([
      "📢 Kỳ báo cáo quý III/2026 đã mở",
      "⏰ Nhắc nhở: báo cáo quý III/2026 của Ban Tổ chức Thành ủy Hà Nội chưa nộp.",
      "⏰ Nhắc nhở: báo cáo quý III/2026 của Ban Tổ chức Thành ủy Hà Nội chưa nộp.",
      "⏰ Nhắc nhở: báo cáo quý III/2026 của Ban Tổ chức Thành ủy Hà Nội chưa nộp.",
    ]);
    expect(standin.user(Number(TG.HCM)).messages()).toHaveLength(2); // opening + 3d; submitted on 3 Oct
    expect(standin.user(Number(TG.HP)).messages()).toHaveLength(0);
    const chair = standin
      .user(Number(TG.chair))
      .messages()
      .map((m) => m.text ?? "");
    expect(chair).toHaveLength(2);
    expect(chair[0]).toContain("Bot không gửi được tin nhắn cho: Thư ký Hải Phòng (Hải Phòng)");
    expect(chair[1]).toContain("Đã hết hạn nộp báo cáo quý III/2026");
    expect(chair[1]).toContain("Đã nộp: 1/3 đơn vị.");
    expect(chair[1]).toContain("Không gửi được tin cho: Thư ký Hải Phòng (Hải Phòng)");
    expect(
      standin
        .group(Number(GROUP))
        .messages()
        .map((m) => m.text),
    ).toEqual([
      "📊 Tổng kết thi đua quý III/2026 của Cụm thi đua thử nghiệm đã sẵn sàng. Gõ /tongket Q3/2026 để xem bảng xếp hạng.",
    ]);
    expect(standin.duplicates()).toEqual([]);

    // A restarted process (new client, new service) over the same database replays the quarter: nothing sent.
    const accepted = standin.accepted.length;
    const handle = createDb(t.url);
    try {
      const repos = createRepositories(handle.db);
      const again = schedulerFor(handle, { clock, messenger: messengerFor(repos, clock), instanceId: "restarted" });
      for (const s of times) expect(await again.tick(at(s))).toEqual([]);
    } finally {
      await handle.close();
    }
    expect(standin.accepted.length).toBe(accepted);
  });
});
