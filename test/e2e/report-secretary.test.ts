// A secretary on a phone: typos, going back, skipping, pausing and resuming, a value far
// from last quarter, a correction after submitting, and the lock after the deadline.
import { afterEach, describe, expect, it } from "vitest";
import type { UserHandle } from "../../src/standin/bot-api-standin.ts";
import { buttonTexts, expectCleanRun } from "../helpers/chat.ts";
import { type E2E, IN_Q3, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { record } from "../helpers/transcript.ts";

/** 2026-06-25 10:00 in Hà Nội: quý II/2026 is open (deadline 05/07 17:00). */
const IN_Q2 = new Date("2026-06-25T03:00:00Z");
/** 2026-10-06 10:00 in Hà Nội: past the quý III deadline (05/10 17:00). */
const AFTER_Q3_DEADLINE = new Date("2026-10-06T03:00:00Z");

/** Sends a wrong answer; expects a hint, then the same question again. */
async function typo(user: UserHandle, send: () => void, hint: RegExp, question: RegExp): Promise<void> {
  send();
  const h = await user.waitForMessage(hint);
  expect(h.text).toMatch(/Vui lòng|vui lòng/);
  expect(h.text!.length).toBeLessThan(200);
  const q = await user.waitForMessage(question);
  expect(buttonTexts(q)).toContain("⏸ Tạm dừng");
}

describe.each(testDbKinds())("secretary report flow on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("typos, back, skip, pause and resume, far value, correction after submit, lock after deadline", async () => {
    e = await startE2E(kind, { now: IN_Q2 });
    const lan = record(await e.join(101, "Lan", "secretary", "HN"));
    const u = lan.user;

    // quý II: a quick report, so quý III has previous values (ket_nap 12, ty_le 80%)
    u.send("/baocao");
    await u.waitForMessage(/Báo cáo quý II\/2026/);
    await u.waitForMessage(/Chỉ tiêu 1\/4/);
    u.send("12");
    await u.waitForMessage(/Chỉ tiêu 2\/4/);
    u.send("80");
    await u.waitForMessage(/Chỉ tiêu 3\/4/);
    u.press("⏭ Bỏ qua");
    await u.waitForMessage(/Chỉ tiêu 4\/4/);
    u.press("⏭ Bỏ qua");
    await u.waitForMessage(/Bảng tổng hợp/);
    u.press("✅ Nộp báo cáo");
    await u.waitForMessage(/Đã nộp báo cáo quý II\/2026/);

    // quý III
    e.clock.set(IN_Q3);
    u.send("/baocao");
    const header = await u.waitForMessage(/Báo cáo quý III\/2026/);
    expect(header.text).toContain("Hạn nộp: 17:00 ngày 05/10/2026 (còn 10 ngày 7 giờ)");
    expect(header.text).toContain("Đơn vị: Ban Tổ chức Thành ủy Hà Nội");
    expect(header.text).toContain("Hạn nộp: 17:00 ngày 05/10/2026");
    expect(header.text).toContain("Gồm 4 chỉ tiêu");
    const q1 = await u.waitForMessage(/Chỉ tiêu 1\/4/);
    expect(q1.text).toContain("Số đảng viên mới kết nạp (người)");
    expect(q1.text).toContain("Tính trong quý, không cộng dồn");
    expect(q1.text).toContain("Quý trước: 12");
    expect(buttonTexts(q1)).toEqual(["⏸ Tạm dừng"]); // required, first: no skip, no back

    const Q1 = /Chỉ tiêu 1\/4/;
    await typo(u, () => u.send("1,5"), /số nguyên/, Q1);
    await typo(u, () => u.send("-3"), /không được là số âm/, Q1);
    await typo(u, () => u.send("abc"), /không phải là một số/, Q1);
    await typo(u, () => u.send("1234567890123456789012345"), /quá nhiều chữ số/, Q1);
    await typo(u, () => u.send("😀"), /không phải là một số/, Q1);
    await typo(u, () => u.sendSticker({ emoji: "👍" }), /không nhận ảnh, tệp hay nhãn dán/, Q1);
    await typo(u, () => u.sendPhoto({ caption: "" }), /không nhận ảnh, tệp hay nhãn dán/, Q1);
    await typo(u, () => u.send("mười hai"), /chưa đọc được số viết bằng chữ/, Q1);
    const report = (await e.db.db.report.findFirstOrThrow({ where: { period: { quarter: 3 } } }))!;
    expect(await e.db.db.reportValue.count({ where: { reportId: report.id } })).toBe(0);

    // far from last quarter (12 → 100): "Nhập lại" asks again, nothing stored
    u.send("100");
    const far = await u.waitForMessage(/chênh lệch nhiều so với quý trước/);
    expect(far.text).toContain("Giá trị 100 chênh lệch nhiều so với quý trước (12)");
    expect(buttonTexts(far)).toEqual(["✅ Đúng, lưu 100", "✏️ Nhập lại"]);
    u.press("✏️ Nhập lại");
    await u.waitForMessage(Q1);
    expect(await e.db.db.reportValue.count({ where: { reportId: report.id } })).toBe(0);
    u.send("15 người");
    // one message: the acknowledgement (the value with its unit), then the next question
    const q2 = await u.waitForMessage(/Chỉ tiêu 2\/4/);
    expect(q2.text?.split("\n")[0]).toBe("💾 Đã lưu: Số đảng viên mới kết nạp — 15 người");

    // a command in the middle is answered and the question stays
    expect(q2.text).toContain("Quý trước: 80%");
    expect(buttonTexts(q2)).toEqual(["⬅️ Quay lại", "⏸ Tạm dừng"]);
    u.send("/trangthai");
    const status = await u.waitForMessage(/Tình hình báo cáo quý III\/2026/);
    expect(status.text).toContain("Hà Nội — đang nhập 1/4");
    u.send("83,6");
    const q3 = await u.waitForMessage(/Chỉ tiêu 3\/4/);
    expect(q3.text).toMatch(/^💾 Đã lưu: Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ — 83,6%\n/);

    // back: change the earlier answer
    expect(q3.text).toContain("(không bắt buộc)");
    expect(buttonTexts(q3)).toEqual(["⏭ Bỏ qua", "⬅️ Quay lại", "⏸ Tạm dừng"]);
    u.press("⬅️ Quay lại");
    const q2again = await u.waitForMessage(/Chỉ tiêu 2\/4/);
    expect(q2again.text).toContain("Đã nhập: 83,6%");
    expect(buttonTexts(q2again)).toContain("✔️ Giữ nguyên");
    await typo(u, () => u.send("120"), /0–100|vượt quá 100/, /Chỉ tiêu 2\/4/);
    u.send("85%");
    await u.waitForMessage(/^💾 Đã lưu: Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ — 85%\n[\s\S]*Chỉ tiêu 3\/4/);

    // skip the optional one
    u.press("⏭ Bỏ qua");
    await u.waitForMessage(/^⏭ Đã bỏ qua: Số lớp bồi dưỡng đã tổ chức\n[\s\S]*Chỉ tiêu 4\/4/);

    // pause with /huy, resume at the first unanswered one
    u.send("/huy");
    await u.waitForMessage(/Đã tạm dừng/);
    u.send("một câu trả lời sau khi tạm dừng");
    await u.waitForMessage(/gõ \/baocao để tiếp tục/);
    u.send("/baocao");
    expect((await u.waitForMessage(/Báo cáo quý III\/2026/)).text).toContain("đã nhập 3");
    await u.waitForMessage(/Chỉ tiêu 4\/4/);
    // pause with the button, resume again
    u.press("⏸ Tạm dừng");
    await u.waitForMessage(/Đã tạm dừng/);
    u.press(/Tạm dừng/); // the old button is stale now
    await u.waitForMessage(/Phiên nhập liệu trước đã hết hạn/);
    u.send("/baocao");
    await u.waitForMessage(/Báo cáo quý III\/2026/);
    const q4 = await u.waitForMessage(/Chỉ tiêu 4\/4/);
    expect(q4.text).toContain("Khó khăn, kiến nghị");
    u.send("Thiếu cán bộ chuyên trách");
    // the last answer's acknowledgement comes on top of the review
    const review = await u.waitForMessage(/Bảng tổng hợp báo cáo quý III\/2026/);
    expect(review.text).toMatch(/^💾 Đã lưu: Khó khăn, kiến nghị — Thiếu cán bộ chuyên trách\n\n📝 /);

    const values = await e.db.db.reportValue.findMany({
      where: { reportId: report.id },
      orderBy: { indicatorId: "asc" },
    });
    expect(values.map((v) => [v.number, v.text, v.skipped])).toEqual([
      [15, null, false],
      [85, null, false],
      [null, null, true],
      [null, "Thiếu cán bộ chuyên trách", false],
    ]);

    // review and submit
    expect(review.text).toContain("1. Số đảng viên mới kết nạp: 15 người");
    expect(review.text).toContain("2. Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ: 85%\n");
    expect(review.text).toContain("3. Số lớp bồi dưỡng đã tổ chức: bỏ qua\n");
    expect(review.text).toContain("4. Khó khăn, kiến nghị: Thiếu cán bộ chuyên trách");
    expect(buttonTexts(review)).toEqual(["✅ Nộp báo cáo", "✏️ Sửa chỉ tiêu…", "⏸ Tạm dừng"]);
    u.send("gõ nhầm ở bảng tổng hợp");
    await u.waitForMessage(/Kiểm tra lại rồi bấm “Nộp báo cáo”/);
    await u.waitForMessage(/Bảng tổng hợp/);
    u.press("✅ Nộp báo cáo");
    const done = await u.waitForMessage(/Đã nộp báo cáo quý III\/2026/);
    expect(done.text).toContain("lúc 10:00 ngày 25/09/2026");
    expect(done.text).not.toContain("nộp muộn");
    let row = await e.db.db.report.findUniqueOrThrow({ where: { id: report.id } });
    expect([row.status, row.revision, row.late]).toEqual(["submitted", 1, false]);

    // correction before the deadline: review → Sửa chỉ tiêu… → 1 → far value, confirmed → Nộp lại
    e.clock.advance(3600_000);
    u.send("/baocao");
    expect((await u.waitForMessage(/Báo cáo quý III\/2026/)).text).toContain("sửa báo cáo đã nộp");
    const review2 = await u.waitForMessage(/Bảng tổng hợp/);
    expect(buttonTexts(review2)).toEqual(["✅ Nộp lại báo cáo", "✏️ Sửa chỉ tiêu…", "⏸ Tạm dừng"]);
    u.press("✏️ Sửa chỉ tiêu…");
    const choose = await u.waitForMessage(/Chọn chỉ tiêu muốn sửa/);
    expect(buttonTexts(choose)).toEqual(["1", "2", "3", "4", "↩️ Về bảng tổng hợp"]);
    u.press("1");
    const edit1 = await u.waitForMessage(/Chỉ tiêu 1\/4/);
    expect(edit1.text).toContain("Đã nhập: 15");
    u.send("90");
    await u.waitForMessage(/Giá trị 90 chênh lệch nhiều so với quý trước \(12\)/);
    u.press("✅ Đúng, lưu 90");
    const review3 = await u.waitForMessage(/Bảng tổng hợp/);
    expect(review3.text).toMatch(/^💾 Đã lưu: Số đảng viên mới kết nạp — 90 người\n/);
    expect(review3.text).toContain("1. Số đảng viên mới kết nạp: 90 người");
    u.press("✅ Nộp lại báo cáo");
    const again = await u.waitForMessage(/Đã nộp lại báo cáo quý III\/2026 \(lần 2\)/);
    expect(again.text).toContain("lúc 11:00 ngày 25/09/2026");
    row = await e.db.db.report.findUniqueOrThrow({ where: { id: report.id } });
    expect([row.status, row.revision, row.late]).toEqual(["submitted", 2, false]);
    expect(row.firstSubmittedAt?.toISOString()).toBe("2026-09-25T03:00:00.000Z");

    const audit = await e.db.db.auditEntry.findMany({
      where: { OR: [{ entityId: String(report.id) }, { entityId: { startsWith: `${report.id}:` } }] },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "value.set", // 15
      "value.set", // 83,6
      "value.set", // 85
      "value.set", // skip
      "value.set", // text
      "report.submit",
      "value.set", // 90
      "report.resubmit",
    ]);
    const change = audit[6]!;
    expect(JSON.parse(change.before!)).toEqual({ kind: "number", value: 15 });
    expect(JSON.parse(change.after!)).toEqual({ kind: "number", value: 90 });
    expect(JSON.parse(audit[2]!.before!)).toEqual({ kind: "number", value: 83.6 });

    // after the deadline: locked
    e.clock.set(AFTER_Q3_DEADLINE);
    u.send("/baocao");
    const locked = await u.waitForMessage(/đã khóa/);
    expect(locked.text).toBe(
      "🔒 Đã quá hạn nộp báo cáo quý III/2026 (17:00 ngày 05/10/2026), báo cáo đã khóa. " +
        "Nếu cần sửa, hãy đề nghị cụm trưởng hoặc cụm phó mở khóa.",
    );
    await e.standin.waitForIdle();
    expect((await e.db.db.reportValue.findMany({ where: { reportId: report.id } })).map((v) => v.number)).toContain(90);
    expect(await e.db.db.report.count()).toBe(2);

    expectCleanRun(e.standin);
    expect(e.standin.callbackAnswers.filter((a) => a.text).map((a) => a.text)).toEqual([
      "Nút này đã cũ, vui lòng dùng tin nhắn mới nhất.",
    ]);
    lan.save(`secretary-${kind.name}`);
  });

  it("a conversation that timed out: the late answer is pointed to /baocao, which resumes with answers intact", async () => {
    e = await startE2E(kind, { conversationTimeoutMs: 1000 });
    const u = await e.join(101, "Lan", "secretary", "HN");
    u.send("/baocao");
    await u.waitForMessage(/Chỉ tiêu 1\/4/);
    u.send("12");
    await u.waitForMessage(/Chỉ tiêu 2\/4/);
    await new Promise((r) => setTimeout(r, 1300));
    u.send("83,6");
    expect((await u.waitForMessage()).text).toBe(
      "Phiên nhập liệu trước đã hết hạn. Các câu trả lời đã lưu vẫn còn nguyên — gõ /baocao để tiếp tục.",
    );
    u.send("/baocao");
    expect((await u.waitForMessage(/Báo cáo quý III\/2026/)).text).toContain("đã nhập 1");
    const q2 = await u.waitForMessage(/Chỉ tiêu 2\/4/);
    expect(q2.text).not.toContain("Đã nhập");
    u.send("83,6");
    await u.waitForMessage(/Đã lưu: Tỷ lệ .* — 83,6%/);
    const values = await e.db.db.reportValue.findMany({ orderBy: { indicatorId: "asc" } });
    expect(values.map((v) => v.number)).toEqual([12, 83.6]);
    expectCleanRun(e.standin);
  });
});
