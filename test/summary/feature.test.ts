// Who gets /tongket and /lichsu, at the update level: the feature composer mounted on a
// bot with a hand-built actor, outgoing Bot API calls recorded instead of sent.
import { Bot, InputFile } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import { createSummaryFeature } from "../../src/bot/features/summary.feature.ts";
import type { Cluster } from "../../src/domain/entities.ts";
import type { Role } from "../../src/domain/types.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import type { Actor } from "../../src/services/access.service.ts";
import { createBriefingService } from "../../src/services/briefing.service.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createPeriodService } from "../../src/services/period.service.ts";
import { createSummaryService } from "../../src/services/summary.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const Q3 = { year: 2026, quarter: 3 } as const;
/** quý III/2026 is open (deadline 5 October 17:00) */
const BEFORE = zonedLocalToInstant(2026, 10, 3, 9, 0, TZ);
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);
const GROUP_A = -1001234567890;
const GROUP_B = -1009999999999;

const botInfo: UserFromGetMe = {
  id: 123,
  is_bot: true,
  first_name: "Cụm thi đua",
  username: "cum_thi_dua_bot",
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

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

describe.each(testDbKinds())("/tongket and /lichsu permissions on $name", (kind) => {
  let t: TestDb;
  let a: Seeded;
  let b: Seeded;
  const clock = fixedClock(BEFORE);
  let actor: Actor | null = null;
  let calls: Call[] = [];
  let bot: Bot<BotContext>;
  let updateId = 1;

  beforeAll(async () => {
    t = await createTestDb(kind);
    a = await seedCluster(t.repos, { code: "cum-a", name: "Cụm A", groupChatId: BigInt(GROUP_A) });
    b = await seedCluster(t.repos, { code: "cum-b", name: "Cụm B", groupChatId: BigInt(GROUP_B) });
    await seedPeriod(t.repos, a, Q3, {
      HN: { values: { ket_nap: 40, chinh_thuc: 12 } },
      HCM: { values: { ket_nap: 55, chinh_thuc: 9 }, late: true },
    });
    bot = new Bot<BotContext>("123:abc", { botInfo });
    bot.api.config.use(async (_prev, method, payload) => {
      calls.push({ method, payload: payload as Record<string, unknown> });
      const chat = { id: Number((payload as { chat_id?: number }).chat_id ?? 0), type: "private" };
      // biome-ignore lint/suspicious/noExplicitAny: a recorded call answers with a minimal Message
      return { ok: true, result: { message_id: calls.length, date: 0, chat } } as any;
    });
    bot.use(async (ctx, next) => {
      ctx.actor = actor;
      await next();
    });
    bot.use(
      createSummaryFeature({
        summary: createSummaryService(t.repos),
        briefing: createBriefingService(t.repos),
        periods: createPeriodService(t.repos),
        clock,
      }),
    );
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(() => {
    calls = [];
    clock.set(BEFORE);
  });

  async function person(telegramId: number) {
    return t.repos.people.upsert({ telegramId: BigInt(telegramId), firstName: `Người ${telegramId}` });
  }

  async function actorOf(telegramId: number, memberships: { cluster: Cluster; roles: Role[]; board?: string }[]) {
    const p = await person(telegramId);
    const clusters = await Promise.all(
      memberships.map(async (m) => ({
        cluster: m.cluster,
        roles: m.roles,
        board: m.board ? await t.repos.clusters.boardByCode(m.cluster.id, m.board) : null,
        memberships: [],
      })),
    );
    return { person: p, clusters, active: clusters.length === 1 ? clusters[0]! : null } satisfies Actor;
  }

  async function send(text: string, from: number, chat: { id: number; type: "private" | "supergroup" }) {
    const command = text.split(" ")[0]!;
    const update = {
      update_id: updateId++,
      message: {
        message_id: updateId,
        date: Math.floor(clock.now().getTime() / 1000),
        chat: chat.type === "private" ? { id: chat.id, type: "private", first_name: "X" } : { ...chat, title: "Nhóm" },
        from: { id: from, is_bot: false, first_name: "X" },
        text,
        entities: [{ type: "bot_command", offset: 0, length: command.length }],
      },
    } as Update;
    await bot.handleUpdate(update);
  }

  const texts = () => calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
  const methods = () => calls.map((c) => c.method);

  function expectFullSummary() {
    expect(methods()).toEqual(["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]);
    const [text] = texts();
    expect(text).toContain("Tổng kết thi đua quý III/2026");
    expect(text).toContain("Hà Nội");
    for (const c of calls) {
      expect(c.payload.parse_mode).toBe("HTML");
      if (c.method === "sendMessage") expect(String(c.payload.text).length).toBeLessThanOrEqual(4096);
      else expect(String(c.payload.caption).length).toBeLessThanOrEqual(1024);
    }
    const photo = calls[1]!.payload.photo;
    expect(photo).toBeInstanceOf(InputFile);
    expect((photo as InputFile).filename).toBe("tong-ket-cum-a-2026-Q3.png");
    const doc = calls[2]!.payload.document as InputFile;
    expect(doc.filename).toBe("tong-ket-cum-a-2026-Q3.xlsx");
    const report = calls[3]!.payload.document as InputFile;
    expect(report.filename).toBe("bao-cao-cum-a-2026-Q3.docx");
    expect(String(calls[3]!.payload.caption)).toBe(
      "📄 Dự thảo báo cáo tổng hợp quý III/2026 theo thể thức văn bản của Đảng (Word).",
    );
  }

  function expectRefusedWithoutData() {
    expect(methods()).toEqual(["sendMessage"]);
    expect(texts()[0]).not.toMatch(/Hà Nội|TP\.HCM|điểm/);
  }

  it("the chair gets text, chart, spreadsheet and report document in a private chat, before the deadline too", async () => {
    actor = await actorOf(1, [{ cluster: a.cluster, roles: ["chair"] }]);
    await send("/tongket Q3", 1, { id: 1, type: "private" });
    expectFullSummary();
    expect(texts()[0]).toContain("kết quả tạm tính");
    const png = await (calls[1]!.payload.photo as InputFile).toRaw();
    expect(
      Buffer.from(png as Uint8Array)
        .subarray(1, 4)
        .toString("latin1"),
    ).toBe("PNG");
  });

  it("a deputy may ask in the cluster's group chat", async () => {
    actor = await actorOf(2, [{ cluster: a.cluster, roles: ["deputy"] }]);
    await send("/tongket@cum_thi_dua_bot", 2, { id: GROUP_A, type: "supergroup" });
    expectFullSummary();
    expect(calls[0]!.payload.chat_id).toBe(GROUP_A);
  });

  it("a secretary waits until the deadline has passed, then gets it (private and group)", async () => {
    actor = await actorOf(3, [{ cluster: a.cluster, roles: ["secretary"], board: "HN" }]);
    await send("/tongket", 3, { id: 3, type: "private" });
    expectRefusedWithoutData();
    expect(texts()[0]).toContain("sẽ xem được sau khi hết hạn nộp báo cáo (17:00 ngày 05/10/2026)");

    calls = [];
    await send("/tongket Q3", 3, { id: GROUP_A, type: "supergroup" });
    expectRefusedWithoutData();

    clock.set(AFTER);
    calls = [];
    await send("/tongket Q3", 3, { id: 3, type: "private" });
    expectFullSummary();
    expect(texts()[0]).not.toContain("tạm tính");

    calls = [];
    await send("/tongket", 3, { id: GROUP_A, type: "supergroup" });
    expectFullSummary();
  });

  it("a stranger is refused politely, without data", async () => {
    clock.set(AFTER);
    actor = await actorOf(4, []);
    await send("/tongket Q3", 4, { id: 4, type: "private" });
    expectRefusedWithoutData();
    expect(texts()[0]).toBe("Đồng chí không có quyền xem tổng kết của cụm này ở đây.");
    calls = [];
    actor = null;
    await send("/tongket Q3", 4, { id: GROUP_A, type: "supergroup" });
    expectRefusedWithoutData();
  });

  it("the chair of another cluster sees nothing of this one, in its group or elsewhere", async () => {
    clock.set(AFTER);
    actor = await actorOf(5, [{ cluster: b.cluster, roles: ["chair"] }]);
    await send("/tongket Q3", 5, { id: GROUP_A, type: "supergroup" });
    expectRefusedWithoutData();
    // In private, their own (empty) cluster: no quý III data there.
    calls = [];
    await send("/tongket Q3", 5, { id: 5, type: "private" });
    expect(methods()).toEqual(["sendMessage"]);
    expect(texts()[0]).toBe("Chưa có dữ liệu cho quý III/2026.");
    // A group that belongs to no cluster of theirs.
    calls = [];
    actor = await actorOf(1, [{ cluster: a.cluster, roles: ["chair"] }]);
    await send("/tongket Q3", 1, { id: -1005555555555, type: "supergroup" });
    expectRefusedWithoutData();
  });

  it("a period that is not understood is explained", async () => {
    actor = await actorOf(1, [{ cluster: a.cluster, roles: ["chair"] }]);
    await send("/tongket Q7", 1, { id: 1, type: "private" });
    expect(methods()).toEqual(["sendMessage"]);
    expect(texts()[0]).toContain("Quý phải là 1, 2, 3 hoặc 4");
  });

  it("/lichsu shows a secretary their own board, and tells others what it is for", async () => {
    actor = await actorOf(3, [{ cluster: a.cluster, roles: ["secretary"], board: "HCM" }]);
    await send("/lichsu", 3, { id: 3, type: "private" });
    expect(methods()).toEqual(["sendMessage"]);
    expect(texts()[0]).toContain("Số liệu 4 quý gần nhất — TP.HCM");
    expect(texts()[0]).toContain("III/2026 ⏰ nộp muộn");
    expect(texts()[0]).toContain("III/2026: <b>55</b>");
    expect(texts()[0]).not.toContain("Hà Nội");

    calls = [];
    actor = await actorOf(1, [{ cluster: a.cluster, roles: ["chair"] }]);
    await send("/lichsu", 1, { id: 1, type: "private" });
    expect(texts()).toEqual(["Lệnh /lichsu dành cho thư ký: xem số liệu của đơn vị trong 4 quý gần nhất."]);
  });
});
