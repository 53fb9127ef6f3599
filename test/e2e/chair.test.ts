// The chair and the deputy: the submission notice, /trangthai, /moi with a working
// link, used/expired/unknown invitation tokens, and the command menus on the phone.
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { expectCleanRun, submitQuickReport } from "../helpers/chat.ts";
import { BOT_USERNAME, type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const LINK = new RegExp(`https://t\\.me/${BOT_USERNAME}\\?start=([A-Za-z0-9_-]{43})`);

describe.each(testDbKinds())("chair and deputy on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  /** What the tables that invitations touch hold now. */
  async function invitationState() {
    const [memberships, invitations] = await Promise.all([
      e.db.db.membership.findMany({ orderBy: { id: "asc" } }),
      e.db.db.invitation.findMany({ orderBy: { id: "asc" } }),
    ]);
    return { memberships, invitations };
  }

  it("notice, status, invitation links and bad tokens, menus", async () => {
    e = await startE2E(kind);
    const hung = await e.join(201, "Hùng", "chair");
    const mai = await e.join(202, "Mai", "deputy");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const tam = await e.join(103, "Tâm", "secretary", "HCM");

    // menus: Vietnamese defaults for private chats and groups, the leader menu in the chair's and deputy's chats
    const privateMenu = e.standin.commands.get({ type: "all_private_chats" });
    expect(privateMenu).toEqual([
      { command: "start", description: "Bắt đầu, xem việc cần làm" },
      { command: "baocao", description: "Nhập hoặc sửa báo cáo quý" },
      { command: "lichsu", description: "Số liệu của đơn vị trong 4 quý gần nhất" },
      { command: "trangthai", description: "Tình hình nộp báo cáo" },
      { command: "tongket", description: "Tổng kết, xếp hạng thi đua" },
      { command: "chon", description: "Chọn cụm làm việc (khi tham gia nhiều cụm)" },
      { command: "huy", description: "Tạm dừng việc đang làm" },
      { command: "trogiup", description: "Hướng dẫn sử dụng" },
      { command: "help", description: "Hướng dẫn sử dụng" },
    ]);
    expect(e.standin.commands.get({ type: "all_group_chats" })?.map((c) => c.command)).toEqual([
      "trangthai",
      "tongket",
      "ketnoi",
      "trogiup",
      "help",
    ]);
    const chairMenu = e.standin.commands.get({ type: "chat", chat_id: 201 });
    expect(chairMenu?.map((c) => c.command)).toEqual([
      "start",
      "trangthai",
      "tongket",
      "nhacnho",
      "mokhoa",
      "moi",
      "thanhvien",
      "lich",
      "chon",
      "huy",
      "trogiup",
      "help",
    ]);
    // a deputy is not shown the chair's /moi and /lich
    const deputyMenu = e.standin.commands.get({ type: "chat", chat_id: 202 })?.map((c) => c.command);
    expect(deputyMenu).toContain("mokhoa");
    expect(deputyMenu).not.toContain("moi");
    expect(deputyMenu).not.toContain("lich");
    expect(chairMenu?.find((c) => c.command === "moi")?.description).toBe("Tạo lời mời tham gia cụm");
    expect(e.standin.commands.get({ type: "chat", chat_id: 101 })).toBeUndefined();
    for (const entry of e.standin.commands.all()) {
      for (const c of entry.commands) expect(c.command).toMatch(/^[a-z]{1,32}$/);
    }

    // Hà Nội submits: the chair and the deputy hear it, the secretaries do not
    await submitQuickReport(lan);
    for (const leader of [hung, mai]) {
      const notice = await leader.waitForMessage(/^📥/);
      expect(notice.text).toBe("📥 Hà Nội đã nộp — 1/3 đơn vị.");
    }
    await e.standin.waitForIdle();
    expect(tam.messages().some((m) => m.text?.startsWith("📥"))).toBe(false);

    // TP.HCM starts; Đà Nẵng has nothing
    tam.send("/baocao");
    await tam.waitForMessage(/Chỉ tiêu 1\/4/);
    tam.send("7");
    await tam.waitForMessage(/Chỉ tiêu 2\/4/);
    tam.send("/huy");
    await tam.waitForMessage(/Đã tạm dừng/);

    hung.send("/trangthai");
    const status = await hung.waitForMessage(/Tình hình báo cáo quý III\/2026/);
    expect(status.text).toBe(
      [
        "📊 Tình hình báo cáo quý III/2026",
        'Cụm thi đua <Thử nghiệm> & "Kiểm tra"',
        "Hạn nộp: 17:00 ngày 05/10/2026 (còn 10 ngày 7 giờ)",
        "Giao ban: 08:00 ngày 12/10/2026 (dời từ thứ Bảy 10/10/2026 do trùng ngày nghỉ cuối tuần)",
        "Đã nộp: 1/3 đơn vị",
        "",
        "✅ Hà Nội — 10:00 ngày 25/09/2026",
        "✏️ TP.HCM — đang nhập 1/4",
        "⬜ Đà Nẵng — chưa nộp",
      ].join("\n"),
    );
    mai.send("/trangthai Q3");
    expect((await mai.waitForMessage(/Tình hình báo cáo/)).text).toContain("✏️ TP.HCM — đang nhập 1/4");

    // /moi HN: a t.me link whose token joins a new secretary
    hung.send("/moi HN");
    const invite = await hung.waitForMessage(LINK);
    expect(invite.text).toContain(
      "Lời mời thư ký của Ban Tổ chức Thành ủy Hà Nội (dùng một lần, hết hạn 10:00 ngày 28/09/2026)",
    );
    const token = LINK.exec(invite.text!)![1]!;
    const beforeJoin = await invitationState();
    const quan = e.standin.user(104, { first_name: "Quân" });
    quan.send(`/start ${token}`);
    expect((await quan.waitForMessage(/Đồng chí đã tham gia/)).text).toBe(
      '🎉 Đồng chí đã tham gia Cụm thi đua <Thử nghiệm> & "Kiểm tra" với vai trò thư ký của Ban Tổ chức Thành ủy Hà Nội.',
    );
    await quan.waitForMessage(/Kính chào đồng chí Quân/);
    const afterJoin = await invitationState();
    expect(afterJoin.memberships).toHaveLength(beforeJoin.memberships.length + 1);
    const quanPerson = await e.db.db.person.findUniqueOrThrow({ where: { telegramId: 104n } });
    const hn = await e.db.db.board.findFirstOrThrow({ where: { code: "HN" } });
    expect(afterJoin.memberships.at(-1)).toMatchObject({ personId: quanPerson.id, role: "secretary", boardId: hn.id });
    expect(afterJoin.invitations.at(-1)).toMatchObject({ usedByPersonId: quanPerson.id, role: "secretary" });
    expect(afterJoin.invitations.at(-1)!.usedAt).not.toBeNull();
    quan.send("/baocao"); // the new secretary sees Hà Nội's submitted report
    expect((await quan.waitForMessage(/Báo cáo quý III\/2026/)).text).toContain("sửa báo cáo đã nộp");
    quan.send("/huy");
    await quan.waitForMessage(/Đã tạm dừng/);

    // the same token again, from someone else: used
    const snapshot = await invitationState();
    const khoa = e.standin.user(105, { first_name: "Khoa" });
    khoa.send(`/start ${token}`);
    expect((await khoa.waitForMessage()).text).toBe(vi.start.invitationUsed);

    // a link left too long: expired
    hung.send("/moi DN");
    const token2 = LINK.exec((await hung.waitForMessage(LINK)).text!)![1]!;
    const snapshot2 = await invitationState();
    e.clock.advance(73 * 3600_000);
    const hoa = e.standin.user(106, { first_name: "Hoa" });
    hoa.send(`/start ${token2}`);
    expect((await hoa.waitForMessage()).text).toBe(vi.start.invitationExpired);

    // made up or mangled: unknown
    const minh = e.standin.user(107, { first_name: "Minh" });
    minh.send(`/start ${"A".repeat(43)}`);
    expect((await minh.waitForMessage()).text).toBe(vi.start.invitationUnknown);
    minh.send(`/start ${token.slice(0, 20)}`);
    expect((await minh.waitForMessage()).text).toBe(vi.start.invitationUnknown);
    minh.send("/trangthai");
    expect((await minh.waitForMessage()).text).toBe(vi.common.stranger);

    await e.standin.waitForIdle();
    expect(await invitationState()).toEqual(snapshot2);
    expect(snapshot2.memberships).toEqual(snapshot.memberships);
    expect(snapshot2.invitations.slice(0, -1)).toEqual(snapshot.invitations);
    expect(snapshot2.invitations.at(-1)!.usedAt).toBeNull();
    for (const id of [105n, 106n, 107n]) {
      const p = await e.db.db.person.findUnique({ where: { telegramId: id } });
      expect(await e.db.db.membership.count({ where: { personId: p?.id ?? -1 } })).toBe(0);
    }

    // only the chair creates invitations
    mai.send("/moi HN");
    expect((await mai.waitForMessage()).text).toBe(vi.invite.chairOnly);
    lan.send("/moi HN");
    expect((await lan.waitForMessage()).text).toBe(vi.invite.chairOnly);
    expectCleanRun(e.standin);
  });
});
