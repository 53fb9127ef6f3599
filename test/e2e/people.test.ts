// People over a year, end to end over the stand-in: a secretary replaced mid-quarter
// (the old one sees nothing, cannot resubmit, gets no reminder), a cancelled invitation,
// an invitation opened by someone who already holds the role, the operator's removal,
// and the chair handed over at the year boundary (chair of period on both sides).
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import {
  runInvitationsCommand,
  runMembersCommand,
  runRevokeCommand,
  runRevokeInviteCommand,
} from "../../src/cli/members.command.ts";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import type { BotMessage, Json, UserHandle } from "../../src/standin/bot-api-standin.ts";
import { correctIndicator, expectCleanRun, fillQuickReport, submitQuickReport } from "../helpers/chat.ts";
import { BOT_USERNAME, type E2E, SMALL_CLUSTER_YAML, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { reportButtons } from "../security/fuzz-kit.ts";

const LINK = new RegExp(`https://t\\.me/${BOT_USERNAME}\\?start=([A-Za-z0-9_-]{43})`);
/** 2 October 2026 17:00 in Hà Nội: the "3 days before the deadline" reminder of quý III. */
const REMINDER_3D = new Date("2026-10-02T10:00:00Z");

describe.each(testDbKinds())("people over a year on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  const answersTo = (query: Json) =>
    e.standin.callbackAnswers.filter((a) => a.callback_query_id === query.id).map((a) => a.text);

  /** The answers to a pressed button, once the bot has answered it (a loaded machine can take a while). */
  async function answered(query: Json): Promise<(string | undefined)[]> {
    for (let waited = 0; waited < 10_000 && answersTo(query).length === 0; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await e.standin.waitForIdle();
    return answersTo(query);
  }

  /** Everything the bot said to a person after `from` (an index into their messages). */
  const saidTo = (u: UserHandle, from: number) =>
    u
      .messages()
      .slice(from)
      .map((m: BotMessage) => m.text ?? "");

  async function cli<T>(run: (print: (l: string) => void) => Promise<T>): Promise<string[]> {
    const lines: string[] = [];
    await run((l) => lines.push(l));
    return lines;
  }

  async function invitationLink(chair: UserHandle, args: string): Promise<string> {
    chair.send(`/moi ${args}`);
    const m = await chair.waitForMessage(LINK);
    return LINK.exec(m.text ?? "")![1]!;
  }

  it("a secretary replaced mid-quarter, a cancelled invitation, a role already held, the operator's removal", async () => {
    e = await startE2E(kind);
    const hung = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const tam = await e.join(103, "Tâm", "secretary", "HCM");
    const deps = () => ({ repos: e.app.repos, members: e.app.services.members });

    // Lan has started Hà Nội's report; Tâm has submitted TP.HCM's
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    lan.send("4321");
    const q2 = await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    await submitQuickReport(tam);
    tam.send("/baocao");
    const review = await tam.waitForMessage(/Bảng tổng hợp/);

    // the chair sees the members and removes Lan, after a confirmation
    hung.send("/thanhvien");
    const list = await hung.waitForMessage(/Thành viên/);
    expect(list.text).toMatch(/1\. cụm trưởng — Hùng · từ 25\/09\/2026/);
    expect(list.text).toMatch(/thư ký của Ban Tổ chức Thành ủy Hà Nội — Lan/);
    // the chair has no remove button (a chair changes by handover)
    expect((list.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual(["❌ 2. Lan", "❌ 3. Tâm"]);
    hung.press("❌ 2. Lan");
    await hung.waitForMessage(/xác nhận chấm dứt vai trò thư ký của Ban Tổ chức Thành ủy Hà Nội của đồng chí Lan/);
    hung.press("✅ Xác nhận chấm dứt");
    const removed = await hung.waitForMessage(/Đã chấm dứt/);
    expect(removed.text).toContain("Ban Tổ chức Thành ủy Hà Nội hiện không còn thư ký");
    expect(removed.text).toContain("/moi HN");
    // pressing the confirmation again changes nothing
    const again = hung.press("✅ Xác nhận chấm dứt");
    expect(await answered(again)).toEqual([vi.members.alreadyEnded]);

    // Lan was on question 2: her answer is not taken, she is told once, politely
    const before = lan.messages().length;
    lan.send("87,5");
    await lan.waitForMessage(/Kính gửi đồng chí Lan/);
    // the buttons of her old messages do nothing, and nothing of the cluster is shown again
    const old = lan.press(reportButtons(q2).find((d) => d.endsWith(":pause"))!);
    expect(await answered(old)).toHaveLength(1);
    for (const command of ["/baocao", "/lichsu", "/trangthai", "/tongket", "/start"]) {
      lan.send(command);
      await lan.waitForReply();
    }
    const toLan = saidTo(lan, before);
    expect(toLan.filter((t) => t.startsWith("Kính gửi"))).toHaveLength(1);
    // after the notice (which names the role that ended) nothing of the cluster
    expect(toLan.slice(1).join("\n")).not.toMatch(/4\.321|4321|87,5|Chỉ tiêu|Thử nghiệm|Hà Nội/);
    expect(toLan).toHaveLength(6);
    expect(toLan).toContain(vi.report.notSecretary);
    const lanRow = await e.db.db.membership.findFirstOrThrow({ where: { person: { telegramId: 101n } } });
    expect(lanRow.revokedAt).not.toBeNull();
    const chairPerson = await e.db.db.person.findUniqueOrThrow({ where: { telegramId: 201n } });
    expect(lanRow.revokedByPersonId).toBe(chairPerson.id);
    expect(lanRow.noticeAt).not.toBeNull();
    const audit = await e.db.db.auditEntry.findMany({ where: { action: "membership.revoke" } });
    expect(audit.map((a) => [a.actorPersonId, a.entityId])).toEqual([[chairPerson.id, String(lanRow.id)]]);
    // history is kept: Hà Nội's first answer stays, the one typed after the removal was never stored
    const numbers = (await e.db.db.reportValue.findMany()).map((v) => v.number).filter((n) => n !== null);
    expect(numbers.sort((a, b) => a - b)).toEqual([12, 80, 4321]);

    // the chair invites Minh for Hà Nội, and by mistake a secretary for Đà Nẵng, then cancels that
    const forMinh = await invitationLink(hung, "HN thuky");
    const wrong = await invitationLink(hung, "DN");
    hung.send("/thanhvien");
    const invitations = await hung.waitForMessage(/Lời mời chưa sử dụng/);
    const ids = [...(invitations.text ?? "").matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(2);
    hung.press(`🚫 Hủy lời mời #${ids[1]}`);
    await hung.waitForMessage(/xác nhận hủy lời mời/);
    hung.press("✅ Xác nhận hủy");
    await hung.waitForMessage(vi.members.cancelled(ids[1]!));
    const stranger = e.standin.user(104, { first_name: "Khoa" });
    stranger.send(`/start ${wrong}`);
    await stranger.waitForMessage(vi.invitations.cancelledLink);
    // Tâm (already TP.HCM's secretary) opens a TP.HCM invitation: refused, and it stays usable
    const forHcm = await invitationLink(hung, "HCM");
    tam.send(`/start ${forHcm}`);
    await tam.waitForMessage(/đã là thư ký của Ban Tổ chức Thành ủy TP\. Hồ Chí Minh[\s\S]*vẫn còn hiệu lực/);
    const minh = e.standin.user(102, { first_name: "Minh" });
    minh.send(`/start ${forMinh}`);
    await minh.waitForMessage(/đã tham gia/);
    const quan = e.standin.user(105, { first_name: "Quân" });
    quan.send(`/start ${forHcm}`);
    await quan.waitForMessage(/đã tham gia/);
    expect(await cli((print) => runInvitationsCommand({ cluster: "cum-thu" }, { ...deps(), print }))).toEqual([
      "cum-thu: no open invitations",
    ]);

    // the reminder three days before the deadline: Minh gets Hà Nội's, Lan nothing
    const lanBefore = lan.messages().length;
    e.clock.set(REMINDER_3D);
    await e.app.scheduler.tick(REMINDER_3D);
    await minh.waitForMessage(/Nhắc nhở/);
    expect(lan.messages().length).toBe(lanBefore);

    // the operator removes Tâm from the shell; Quân stays TP.HCM's secretary, so no warning…
    let out = await cli((print) =>
      runRevokeCommand({ cluster: "cum-thu", telegramId: "103" }, { ...deps(), print, messenger: e.app.messenger }),
    );
    expect(out).toEqual([expect.stringMatching(/^ended: secretary\s+HCM\s+Tâm\s+id 103\s+since \S+\s+until \S+$/)]);
    // …then Quân too: TP.HCM has no secretary, and the chair is told
    out = await cli((print) =>
      runRevokeCommand(
        { cluster: "cum-thu", telegramId: "105", role: "secretary", board: "HCM" },
        { ...deps(), print, messenger: e.app.messenger },
      ),
    );
    expect(out.slice(1)).toEqual(["warning: board HCM has no secretary now", "  told 201: sent"]);
    await hung.waitForMessage(
      /Ban Tổ chức Thành ủy TP\. Hồ Chí Minh<\/b> không còn thư ký|TP\. Hồ Chí Minh không còn thư ký/,
    );
    // Tâm cannot resubmit: the review screen's button and /baocao both fail
    const tamBefore = tam.messages().length;
    tam.press(reportButtons(review).find((d) => d.endsWith(":submit"))!);
    await tam.waitForMessage(/Kính gửi đồng chí Tâm/);
    tam.send("/baocao");
    await tam.waitForMessage(vi.report.notSecretary);
    expect(saidTo(tam, tamBefore).join("\n")).not.toMatch(/Đã nộp|Bảng tổng hợp/);
    const hcm = await e.db.db.report.findFirstOrThrow({ where: { board: { code: "HCM" } } });
    expect(hcm.revision).toBe(1);

    // the listings: active members, and with --all the ended ones with their dates
    const active = await cli((print) => runMembersCommand({ cluster: "cum-thu" }, { ...deps(), print }));
    expect(active.map((l) => l.split(/\s+/).slice(0, 3).join(" "))).toEqual(["chair - Hùng", "secretary HN Minh"]);
    const all = await cli((print) => runMembersCommand({ cluster: "cum-thu", all: true }, { ...deps(), print }));
    expect(all.filter((l) => l.includes("until"))).toHaveLength(3);
    expect(all.filter((l) => l.startsWith("term"))).toEqual([
      expect.stringMatching(/^term\s+chair\s+-\s+Hùng\s+id 201/),
    ]);
    // a second cancel or a stranger's id fails with a reason
    await expect(
      runRevokeInviteCommand({ cluster: "cum-thu", invitationId: String(ids[1]) }, { ...deps(), print: () => {} }),
    ).rejects.toThrow(/cancelled/);
    await expect(
      runRevokeCommand({ cluster: "cum-thu", telegramId: "999" }, { ...deps(), print: () => {} }),
    ).rejects.toThrow(/no such active membership/);
    expectCleanRun(e.standin);
  }, 60_000);

  it("the chair hands over at the year boundary: the old chair keeps their board, documents name each period's chair", async () => {
    e = await startE2E(kind, { now: new Date("2026-12-15T03:00:00Z") });
    // Hùng is Hà Nội's secretary and the 2026 chair (chair board Hà Nội); Mai the deputy
    const hung = await e.join(201, "Hùng", "secretary", "HN");
    await e.join(201, "Hùng", "chair");
    const tam = await e.join(103, "Tâm", "secretary", "HCM");
    const mai = await e.join(202, "Mai", "deputy");

    // the year-end meeting chose TP.HCM for 2027: Hùng invites Tâm on 8 January
    e.clock.set(new Date("2027-01-08T02:00:00Z"));
    hung.send("/thanhvien");
    const oldList = await hung.waitForMessage(/Thành viên/);
    const link = await invitationLink(hung, "cumtruong HCM");
    expect(hung.last()?.text).toContain("Khi người được mời nhận lời, nhiệm vụ cụm trưởng chuyển sang người đó");
    tam.send(`/start ${link}`);
    await tam.waitForMessage(/cụm trưởng[\s\S]*đã được chuyển giao cho đồng chí/);
    await tam.waitForMessage(/Kính chào/);
    expect(e.standin.commands.get({ type: "chat", chat_id: 103 })?.map((c) => c.command)).toContain("moi");
    // Hùng's chair menu went at the handover, before he writes anything; Mai's stays
    expect(e.standin.commands.get({ type: "chat", chat_id: 201 })).toBeUndefined();
    expect(e.standin.commands.get({ type: "chat", chat_id: 202 })?.map((c) => c.command)).toContain("mokhoa");

    // Hùng is told once; his chair powers end (old buttons too); he stays Hà Nội's secretary
    hung.send("/moi DN");
    await hung.waitForMessage(/Kính gửi đồng chí Hùng[\s\S]*cụm trưởng/);
    await hung.waitForMessage(vi.invite.chairOnly);
    const pressed = hung.press("❌ 2. Mai", { messageId: oldList.message_id });
    expect(await answered(pressed)).toEqual([vi.common.refused]);
    expect(e.standin.commands.get({ type: "chat", chat_id: 201 })).toBeUndefined();
    hung.send("/baocao");
    await hung.waitForMessage(/Báo cáo quý IV\/2026[\s\S]*Hà Nội/);
    hung.send("/huy");
    await hung.waitForMessage(/Đã tạm dừng/);
    // Mai, the deputy, is untouched; the new chair can invite
    mai.send("/thanhvien");
    const maiList = await mai.waitForMessage(/Thành viên/);
    expect(maiList.text).toMatch(/1\. cụm trưởng \(Ban Tổ chức Thành ủy TP\. Hồ Chí Minh\) — Tâm · từ 08\/01\/2027/);
    expect(maiList.text).not.toMatch(/cụm trưởng[^\n]*Hùng/);
    // a new deputy: Mai's deputy menu goes at once, Vân gets hers
    const deputyLink = await invitationLink(tam, "cumpho");
    const van = e.standin.user(204, { first_name: "Vân" });
    van.send(`/start ${deputyLink}`);
    await van.waitForMessage(/Kính chào/);
    expect(e.standin.commands.get({ type: "chat", chat_id: 204 })?.map((c) => c.command)).toContain("mokhoa");
    expect(e.standin.commands.get({ type: "chat", chat_id: 202 })).toBeUndefined();

    // chair of period: quý IV/2026 → Hùng of Hà Nội; quý I/2027 → Tâm of TP.HCM
    const cluster = (await e.app.repos.clusters.findByCode("cum-thu"))!;
    const q4 = await e.app.services.members.chairOfPeriod(cluster, { year: 2026, quarter: 4 });
    const q1 = await e.app.services.members.chairOfPeriod(cluster, { year: 2027, quarter: 1 });
    expect([q4?.person.firstName, q4?.board?.code, q4?.endedAt?.toISOString()]).toEqual([
      "Hùng",
      "HN",
      "2027-01-08T02:00:00.000Z",
    ]);
    expect([q1?.person.firstName, q1?.board?.code, q1?.endedAt]).toEqual(["Tâm", "HCM", null]);
    const handover = await e.db.db.auditEntry.findMany({ where: { action: "membership.handover" } });
    // the chair's and the deputy's
    expect(handover).toHaveLength(2);
    expectCleanRun(e.standin);
  }, 60_000);

  it("a secretary of two boards is greeted with both, chooses the board, and files both reports", async () => {
    e = await startE2E(kind);
    await e.join(201, "Hùng", "chair");
    const tuan = await e.join(105, "Tuấn", "secretary", "HCM");
    await e.join(105, "Tuấn", "secretary", "DN");
    const greeting = tuan.last()!.text ?? "";
    expect(greeting).toMatch(/Ban Tổ chức Thành ủy TP\. Hồ Chí Minh, Ban Tổ chức Thành ủy Đà Nẵng/);
    expect(greeting).toMatch(/\[TP\.HCM\] 📌 Báo cáo quý III\/2026[\s\S]*\[Đà Nẵng\] 📌 Báo cáo quý III\/2026/);

    // /baocao asks which board; TP.HCM first
    tuan.send("/baocao");
    const choice = await tuan.waitForMessage(/chọn đơn vị cần nhập báo cáo/);
    expect((choice.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual(["TP.HCM", "Đà Nẵng"]);
    tuan.press("TP.HCM");
    await tuan.waitForMessage(/Đơn vị: Ban Tổ chức Thành ủy TP\. Hồ Chí Minh/);
    await fillQuickReport(tuan, ["30", "70"]);
    // then Đà Nẵng, named at once; a board that is not his is refused
    tuan.send("/baocao HN");
    await tuan.waitForMessage(/không phải thư ký của đơn vị mã “HN”/);
    tuan.send("/baocao dn");
    await tuan.waitForMessage(/Đơn vị: Ban Tổ chức Thành ủy Đà Nẵng/);
    await fillQuickReport(tuan, ["40", "60"]);

    const reports = await e.db.db.report.findMany({
      where: { status: "submitted" },
      include: { board: true, values: { include: { indicator: true } } },
      orderBy: { boardId: "asc" },
    });
    const tuanId = (await e.db.db.person.findUniqueOrThrow({ where: { telegramId: 105n } })).id;
    expect(
      reports.map((r) => [
        r.board.code,
        r.submittedByPersonId,
        r.values.find((v) => v.indicator.code === "ket_nap")?.number,
      ]),
    ).toEqual([
      ["HCM", tuanId, 30],
      ["DN", tuanId, 40],
    ]);

    // /lichsu shows each of his boards, one section per board; `/lichsu dn` only Đà Nẵng
    const before = tuan.messages().length;
    tuan.send("/lichsu");
    await tuan.waitForMessage(/Số liệu 4 quý gần nhất — Đà Nẵng/);
    await e.standin.waitForIdle();
    const titles = saidTo(tuan, before).flatMap((t) => t.match(/Số liệu 4 quý gần nhất — .+/g) ?? []);
    expect(titles).toEqual(["Số liệu 4 quý gần nhất — TP.HCM", "Số liệu 4 quý gần nhất — Đà Nẵng"]);
    expect(saidTo(tuan, before).join("\n")).toMatch(/✅ đã nộp/);
    const one = tuan.messages().length;
    tuan.send("/lichsu dn");
    await tuan.waitForMessage(/Số liệu 4 quý gần nhất — Đà Nẵng/);
    await e.standin.waitForIdle();
    expect(saidTo(tuan, one).join("\n")).not.toMatch(/TP\.HCM/);
    tuan.send("/lichsu HN");
    await tuan.waitForMessage(/không phải thư ký của đơn vị mã “HN”/);
    expectCleanRun(e.standin);
  }, 60_000);

  it("a quarter with approval required: the leader returns with a reason, the secretary resubmits, the leader approves", async () => {
    e = await startE2E(kind, {
      config: parseClusterConfigText(`${SMALL_CLUSTER_YAML}\napproval: required\n`, "approval.yaml", "yaml"),
    });
    const hung = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const van = await e.join(204, "Vân", "leader", "HN");
    const tam = await e.join(103, "Tâm", "secretary", "HCM");

    // Lan submits: she is told it waits for approval; Vân gets the report with the two buttons
    await submitQuickReport(lan);
    expect(lan.last()?.text).toContain(vi.approval.waiting);
    const request = await van.waitForMessage(/đề nghị đồng chí ký duyệt/);
    expect(request.text).toContain("1. Số đảng viên mới kết nạp (người): 12");
    expect((request.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual([
      "✅ Duyệt",
      "↩️ Trả lại kèm lý do",
    ]);
    await submitQuickReport(tam, ["30", "90"]);
    // before approval Hà Nội's figures do not count: the summary shows it waiting
    hung.send("/tongket");
    const waiting = await hung.waitForMessage(/Tổng kết thi đua quý III\/2026/);
    expect(waiting.text).toMatch(/⏳ Hà Nội — chờ duyệt/);
    expect(waiting.text).toMatch(/⏳ TP\.HCM — chờ duyệt/);
    // /trangthai lists both as waiting for approval, not as submitted nor as missing
    hung.send("/trangthai");
    const status = await hung.waitForMessage(/Tình hình báo cáo quý III\/2026/);
    expect(status.text).toMatch(
      /Đã nộp: 2\/\d+ đơn vị, trong đó 2 đơn vị chờ lãnh đạo duyệt \(chưa tính vào tổng kết\)/,
    );
    expect(status.text).toMatch(/⏳ Hà Nội — chờ duyệt \(đã nộp /);
    expect(status.text).toMatch(/⏳ TP\.HCM — chờ duyệt \(đã nộp /);
    expect(status.text).not.toMatch(/✅ Hà Nội|Hà Nội — chưa nộp/);

    // Vân returns it with a reason; Lan gets it back with the reason
    van.press("↩️ Trả lại kèm lý do");
    await van.waitForMessage(/nhập lý do trả lại/);
    van.send("Số kết nạp chưa khớp với báo cáo của Thành ủy");
    await van.waitForMessage(/Đã trả lại báo cáo quý III\/2026/);
    await lan.waitForMessage(/đã được lãnh đạo ban trả lại\.\nLý do: Số kết nạp chưa khớp với báo cáo của Thành ủy/);
    let hn = await e.db.db.report.findFirstOrThrow({ where: { board: { code: "HN" } } });
    expect([hn.status, hn.approval, hn.returnReason, hn.revision]).toEqual([
      "draft",
      "returned",
      "Số kết nạp chưa khớp với báo cáo của Thành ủy",
      1,
    ]);
    // the request's buttons are spent
    const spent = van.press("✅ Duyệt", { messageId: request.message_id });
    expect(await answered(spent)).toEqual([vi.approval.stale]);

    // Lan corrects a figure and submits again; Vân approves the new revision
    lan.send("/baocao");
    await lan.waitForMessage(/Bảng tổng hợp/);
    await correctIndicator(lan, 1, "14");
    lan.press(/Nộp/);
    await lan.waitForMessage(/Đã nộp/);
    const again = await van.waitForMessage(/\(lần 2\), đề nghị đồng chí ký duyệt/);
    expect(again.text).toContain("1. Số đảng viên mới kết nạp (người): 14");
    van.press("✅ Duyệt", { messageId: again.message_id });
    await van.waitForMessage(/Đồng chí đã duyệt báo cáo quý III\/2026/);
    await lan.waitForMessage(/đã được lãnh đạo ban duyệt/);
    hn = await e.db.db.report.findFirstOrThrow({ where: { board: { code: "HN" } } });
    expect([hn.status, hn.approval, hn.revision]).toEqual(["submitted", "approved", 2]);

    // the summary counts Hà Nội now; TP.HCM (no leader has approved it) still waits
    hung.send("/tongket");
    const counted = await hung.waitForMessage(/Tổng kết thi đua quý III\/2026/);
    expect(counted.text).toMatch(/🥇 Hà Nội/);
    expect(counted.text).toMatch(/⏳ TP\.HCM — chờ duyệt/);
    hung.send("/trangthai");
    const after = await hung.waitForMessage(/trong đó 1 đơn vị chờ lãnh đạo duyệt/);
    expect(after.text).toMatch(/✅ Hà Nội — /);
    expect(after.text).toMatch(/⏳ TP\.HCM — chờ duyệt/);
    // /duyet lists nothing left for Vân; a secretary cannot use it
    van.send("/duyet");
    await van.waitForMessage(vi.approval.noneWaiting);
    lan.send("/duyet");
    await lan.waitForMessage(vi.approval.leaderOnly);
    const audit = await e.db.db.auditEntry.findMany({ where: { action: { in: ["report.return", "report.approve"] } } });
    expect(audit.map((a) => a.action)).toEqual(["report.return", "report.approve"]);
    expectCleanRun(e.standin);
  }, 60_000);
});
