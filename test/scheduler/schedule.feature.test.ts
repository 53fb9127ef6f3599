// /nhacnho and /lich at the update level: one composer on a fresh bot, outgoing calls recorded.
import { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import { createScheduleFeature, splitLichArgs } from "../../src/bot/features/schedule.feature.ts";
import { parseDateField } from "../../src/domain/chat-words.ts";
import type { Cluster } from "../../src/domain/entities.ts";
import { createAccessService } from "../../src/services/access.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  at,
  boardReports,
  fixedClock,
  periodDatesFor,
  recordingMessenger,
  schedulerFor,
  seedCluster,
  TG,
} from "./helpers.ts";

const botInfo: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "Bot thi đua",
  username: "cumthidua_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

describe("splitting /lich input", () => {
  it("splits the arguments around the field word", () => {
    const isField = (t: string) => parseDateField(t) !== null;
    expect(splitLichArgs("quý 3 2026 deadline 07/10/2026 17:00", isField)).toEqual({
      period: "quý 3 2026",
      field: "deadline",
      when: "07/10/2026 17:00",
    });
    expect(splitLichArgs("Q3 deadline", isField)).toBeNull();
    expect(splitLichArgs("deadline 07/10/2026 17:00", isField)).toBeNull();
    expect(splitLichArgs("", isField)).toBeNull();
  });
});

describe("schedule feature", () => {
  let t: TestDb;
  let cluster: Cluster;
  let replies: { chatId: number; text: string }[];
  let bot: Bot<BotContext>;
  let clock: ReturnType<typeof fixedClock>;
  let updateId = 1;

  beforeEach(async () => {
    t = await createTestDb(testDbKinds()[0]!);
    cluster = await seedCluster(t, t.repos);
    clock = fixedClock(at("2026-10-03 10:00"));
    const messenger = recordingMessenger(t.repos, clock);
    const scheduler = schedulerFor(t, { clock, messenger });
    const access = createAccessService(t.repos, t.hot);
    replies = [];
    bot = new Bot<BotContext>("1:test", { botInfo });
    bot.api.config.use(async (_prev, method, payload) => {
      const p = payload as { chat_id: number; text: string };
      if (method === "sendMessage") replies.push({ chatId: p.chat_id, text: p.text });
      // biome-ignore lint/suspicious/noExplicitAny: a fake Bot API answer
      return { ok: true, result: { message_id: replies.length, date: 0, chat: { id: p.chat_id } } } as any;
    });
    bot.use(async (ctx, next) => {
      ctx.actor = ctx.from
        ? await access.resolve({ telegramId: BigInt(ctx.from.id), firstName: ctx.from.first_name })
        : null;
      await next();
    });
    bot.use(createScheduleFeature({ scheduler, periodDates: periodDatesFor(t), access, clock }));
  });

  afterEach(async () => {
    await t.drop();
  });

  async function say(from: bigint, text: string): Promise<string> {
    const command = text.split(" ")[0]!;
    const update: Update = {
      update_id: updateId++,
      message: {
        message_id: updateId,
        date: Math.floor(clock.now().getTime() / 1000),
        chat: { id: Number(from), type: "private", first_name: "X" },
        from: { id: Number(from), is_bot: false, first_name: "X" },
        text,
        entities: [{ type: "bot_command", offset: 0, length: command.length }],
      },
    };
    const before = replies.length;
    await bot.handleUpdate(update);
    return replies
      .slice(before)
      .map((r) => r.text)
      .join("\n");
  }

  it("/nhacnho: chair reminds now, a double tap sends once, secretaries are refused", async () => {
    await boardReports(t.repos, cluster, "HN", at("2026-10-01 10:00"));
    expect(await say(TG.chair, "/nhacnho")).toBe("🔔 Đã nhắc 2 thư ký của 2 đơn vị chưa nộp báo cáo quý III/2026.");
    expect(await say(TG.deputy, "/nhacnho")).toBe("Nhắc nhở vừa được gửi trong phút này; không gửi lại.");
    expect(await say(TG.HN, "/nhacnho")).toBe("Chỉ cụm trưởng hoặc cụm phó mới dùng được /nhacnho.");
    expect(await say(999n, "/nhacnho")).toBe("Đồng chí không có quyền dùng lệnh này ở đây.");
    clock.set(at("2026-10-03 22:00"));
    expect(await say(TG.chair, "/nhacnho")).toContain("Đang trong giờ nghỉ (21:00–07:00)");
  });

  it("/lich: chair moves a date; bad input gets a polite explanation", async () => {
    expect(await say(TG.chair, "/lich Q3 deadline 07/10/2026 17:00")).toBe(
      "📅 Đã dời <b>hạn nộp</b> của quý III/2026 sang <b>17:00 ngày 07/10/2026</b>.",
    );
    const period = (await t.repos.periods.find(cluster.id, { year: 2026, quarter: 3 }))!;
    expect(period.deadline).toEqual(at("2026-10-07 17:00"));
    expect(await t.repos.periods.movedFields(period.id)).toEqual(["deadline"]);
    expect(await say(TG.chair, "/lich Q3 opens 2026-10-08 08:00")).toBe(
      "Không dời được: thời điểm mở kỳ phải trước hạn nộp (17:00 ngày 07/10/2026).",
    );
    expect(await say(TG.chair, "/lich Q3 post mai")).toContain("Không hiểu ngày giờ “mai”");
    expect(await say(TG.chair, "/lich Q9 post 2026-10-09 16:00")).toContain("Quý phải là 1, 2, 3 hoặc 4");
    expect(await say(TG.chair, "/lich")).toContain("Cách dùng: /lich");
    expect(await say(TG.deputy, "/lich Q3 post 2026-10-09 16:00")).toBe(
      "Chỉ cụm trưởng mới dời được lịch của kỳ báo cáo.",
    );
  });
});
