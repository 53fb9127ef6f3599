// A stranger and a member of another cluster try every command and some forged
// buttons: each gets a polite answer, and nothing of the cluster leaks into any reply.
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import type { BotApiStandin, UserHandle } from "../../src/standin/bot-api-standin.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const OTHER_CLUSTER_YAML = `
cluster: { code: cum-xa, name: Cụm thi đua Miền Trung, groupChatId: -1009990002 }
boards:
  - { code: HUE, name: Ban Tổ chức Thành ủy Huế, shortName: Huế }
  - { code: QN, name: Ban Tổ chức Tỉnh ủy Quảng Ngãi, shortName: Quảng Ngãi }
indicators:
  - { code: ket_nap, label: Số đảng viên mới kết nạp, unit: người, kind: integer, min: 0, weight: 1 }
`;

/** What must never reach someone outside the small cluster. */
const SECRETS = [
  "Thử nghiệm",
  "Kiểm tra",
  "Hà Nội",
  "TP.HCM",
  "Hồ Chí Minh",
  "Đà Nẵng",
  "4.321",
  "4321",
  "87,5",
  "Lan",
  "Hùng",
];

const COMMANDS = [
  "/start",
  "/baocao",
  "/huy",
  "/trangthai",
  "/trangthai Q3",
  "/tongket",
  "/tongket Q3",
  "/nhacnho",
  "/moi HN",
  "/moi chair",
  "/lich Q3 deadline 07/10/2026 17:00",
  "/huy",
  "/trogiup",
  "/help",
  "/chon",
  "xin chào, cho xem báo cáo Hà Nội",
  "/start cum-thu",
];

/** Everything the bot said to this chat since `from`, and the callback answers it gave this user. */
function said(standin: BotApiStandin, user: UserHandle, from: number): string[] {
  const texts = user
    .messages()
    .slice(from)
    .map((m) => `${m.text ?? m.caption ?? ""} ${JSON.stringify(m.reply_markup ?? {})}`);
  const answers = standin.callbackAnswers
    .filter((a) => (a.query.from as { id: number }).id === user.id)
    .map((a) => a.text ?? "");
  return [...texts, ...answers];
}

describe.each(testDbKinds())("strangers and other clusters on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("every command and forged buttons: polite refusals, no data of the cluster", async () => {
    e = await startE2E(kind);
    await e.app.services.config.apply(parseClusterConfigText(OTHER_CLUSTER_YAML, "other.yaml", "yaml"));
    await e.join(201, "Hùng", "chair", undefined, "cum-thu");
    const lan = await e.join(101, "Lan", "secretary", "HN", "cum-thu");
    // the small cluster has data: a submitted report with distinctive figures
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    lan.send("4321");
    await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    lan.send("87,5");
    await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    lan.send("/huy");
    await lan.waitForMessage(/Đã tạm dừng/);

    const binh = await e.join(301, "Bình", "secretary", "HUE", "cum-xa");
    const stranger = e.standin.user(401, { first_name: "Tư" });
    const people = { stranger, binh };
    const start = { stranger: 0, binh: binh.messages().length };
    const group = e.standin.group(-1009990001, "Nhóm cụm thử nghiệm");
    const membershipsBefore = await e.db.db.membership.count();

    for (const [who, u] of Object.entries(people)) {
      for (const command of COMMANDS) {
        const before = u.messages().length;
        u.send(command);
        // every command gets an answer (a stranger's /baocao too), and a stranger's is a polite refusal
        await u.waitForReply();
        await e.standin.waitForIdle({ quietMs: 30 });
        const replies = u.messages().slice(before);
        if (who === "stranger") {
          for (const r of replies) {
            expect(
              [
                vi.common.stranger,
                vi.common.refused,
                vi.common.cancelledNothing,
                vi.report.notSecretary,
                vi.start.invitationUnknown,
                vi.summary.refused,
                vi.reminders.nhacnho.leaderOnly,
                vi.reminders.lich.chairOnly,
              ],
              `${who}: ${command}`,
            ).toContain(r.text);
          }
        }
      }
      // forged buttons: a report step of a conversation that does not exist, and "start my report"
      for (const data of ["rp:abc:1:submit", "rp:abc:1:pick:0", "baocao", "cl:cum-thu"]) {
        const before = u.messages().length;
        const query = u.forgeCallback(data);
        await e.standin.waitForCall("answerCallbackQuery", (c) => c.params.callback_query_id === query.id);
        await e.standin.waitForIdle({ quietMs: 30 });
        if (who === "stranger") {
          const answer = e.standin.callbackAnswers.find((a) => a.callback_query_id === query.id)!;
          expect([undefined, vi.common.refused, vi.common.staleButton], `${who}: ${data}`).toContain(answer.text);
          for (const r of u.messages().slice(before)) {
            expect([vi.common.stranger, vi.report.notSecretary], `${who}: ${data}`).toContain(r.text);
          }
        }
      }
      u.send("/huy");
      await u.waitForReply();
      // in the small cluster's group chat
      group.member(u).send("/trangthai");
      group.member(u).send("/tongket");
      group.member(u).send("/moi HN");
      await e.standin.waitForIdle({ quietMs: 150 });
    }

    for (const [who, u] of Object.entries(people)) {
      const all = said(e.standin, u, start[who as keyof typeof start]);
      for (const text of all)
        for (const secret of SECRETS) expect(text, `${who} saw "${secret}"`).not.toContain(secret);
    }
    // the member of the other cluster is answered about his own cluster only
    const binhSaid = said(e.standin, binh, start.binh).join("\n");
    expect(binhSaid).toContain("Cụm thi đua Miền Trung");
    expect(binhSaid).toContain("Huế");
    // the group got refusals only
    for (const m of group.messages()) {
      for (const secret of SECRETS) expect(m.text).not.toContain(secret);
      expect([vi.common.refused, vi.summary.refused, vi.common.privateOnly]).toContain(m.text);
    }
    expect(await e.db.db.membership.count()).toBe(membershipsBefore);
    const strangerRow = await e.db.db.person.findUnique({ where: { telegramId: 401n } });
    expect(await e.db.db.membership.count({ where: { personId: strangerRow?.id ?? -1 } })).toBe(0);
    // the small cluster's report is as Lan left it
    const values = await e.db.db.reportValue.findMany({ orderBy: { indicatorId: "asc" } });
    expect(values.map((v) => v.number)).toEqual([4321, 87.5]);
    expect(await e.db.db.report.count({ where: { status: "submitted" } })).toBe(0);
    expectCleanRun(e.standin);
  });
});
