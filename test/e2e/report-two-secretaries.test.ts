// Two secretaries of the same board reporting at the same time: every answer is stored
// (the last one wins, each one audited), the review shows what is stored, and of two
// simultaneous submissions exactly one counts; the other secretary is told and sees
// the fresh review.
import { afterEach, describe, expect, it } from "vitest";
import { buttonTexts, expectCleanRun } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

describe.each(testDbKinds())("two secretaries of one board on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("interleaved answers and simultaneous submissions", async () => {
    e = await startE2E(kind);
    const chair = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const minh = await e.join(102, "Minh", "secretary", "HN");

    lan.send("/baocao");
    minh.send("/baocao");
    await Promise.all([lan.waitForMessage(/Chỉ tiêu 1\/4/), minh.waitForMessage(/Chỉ tiêu 1\/4/)]);

    // both type the first answer at the same moment
    lan.send("12");
    minh.send("12");
    await Promise.all([lan.waitForMessage(/Chỉ tiêu 2\/4/), minh.waitForMessage(/Chỉ tiêu 2\/4/)]);

    // Lan answers 2; Minh, still on 2, answers it too (his value is the last one)
    lan.send("83,6");
    await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    minh.send("84");
    await minh.waitForMessage(/^💾 Đã lưu: Tỷ lệ .* — 84%\n[\s\S]*Chỉ tiêu 3\/4/);

    // Lan skips 3, then Minh (who still sees 3 open) types it: his value replaces the skip
    lan.press("⏭ Bỏ qua");
    await lan.waitForMessage(/Chỉ tiêu 4\/4/);
    minh.send("5");
    await minh.waitForMessage(/Chỉ tiêu 4\/4/);

    lan.send("Thiếu kinh phí");
    const lanReview = await lan.waitForMessage(/Bảng tổng hợp/);
    expect(lanReview.text).toContain("4. Khó khăn, kiến nghị: Thiếu kinh phí");
    minh.send("Thiếu cán bộ");
    const minhReview = await minh.waitForMessage(/Bảng tổng hợp/);
    expect(minhReview.text).toContain("2. Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ: 84%");
    expect(minhReview.text).toContain("4. Khó khăn, kiến nghị: Thiếu cán bộ");

    // Lan asks for the review again: it shows what is stored now, not what she typed
    lan.send("/baocao");
    const lanReview2 = await lan.waitForMessage(/Bảng tổng hợp/);
    expect(lanReview2.text).toContain("4. Khó khăn, kiến nghị: Thiếu cán bộ");

    // both press "Nộp báo cáo" at once
    lan.press("✅ Nộp báo cáo");
    minh.press("✅ Nộp báo cáo");
    const outcome = (m: { text?: string }) => /Đã nộp báo cáo|một thư ký khác/.test(m.text ?? "");
    const [a, b] = await Promise.all([lan.waitForMessage(outcome), minh.waitForMessage(outcome)]);
    const texts = [a.text!, b.text!];
    expect(texts.filter((t) => t.startsWith("✅ Đã nộp báo cáo quý III/2026"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("vừa được một thư ký khác của đơn vị nộp"))).toHaveLength(1);
    const loser = a.text!.includes("thư ký khác") ? lan : minh;
    const fresh = await loser.waitForMessage(/Bảng tổng hợp/);
    expect(fresh.text).toContain("1. Số đảng viên mới kết nạp: 12 người");
    expect(fresh.text).toContain("3. Số lớp bồi dưỡng đã tổ chức: 5 lớp");
    expect(buttonTexts(fresh)).toContain("✅ Nộp lại báo cáo");
    loser.press("⏸ Tạm dừng");
    await loser.waitForMessage(/Đã tạm dừng/);

    // the chair hears about it once
    const notice = await chair.waitForMessage(/^📥/);
    expect(notice.text).toBe("📥 Hà Nội đã nộp — 1/3 đơn vị.");
    await e.standin.waitForIdle({ quietMs: 200 });
    expect(chair.messages().filter((m) => m.text?.startsWith("📥"))).toHaveLength(1);

    // the database: one report, revision 1, the last value of each indicator, every answer audited
    const reports = await e.db.db.report.findMany({ include: { values: { orderBy: { indicatorId: "asc" } } } });
    expect(reports).toHaveLength(1);
    const r = reports[0]!;
    expect([r.status, r.revision]).toEqual(["submitted", 1]);
    expect(r.values.map((v) => [v.number, v.text, v.skipped])).toEqual([
      [12, null, false],
      [84, null, false],
      [5, null, false],
      [null, "Thiếu cán bộ", false],
    ]);
    const audit = await e.db.db.auditEntry.findMany({
      where: { entity: { in: ["report", "report_value"] } },
      orderBy: { id: "asc" },
    });
    expect(audit.filter((x) => x.action === "value.set")).toHaveLength(8);
    expect(audit.filter((x) => x.action === "report.submit")).toHaveLength(1);
    expect(audit.filter((x) => x.action === "report.resubmit")).toHaveLength(0);
    const people = await e.db.db.person.findMany({ where: { telegramId: { in: [101n, 102n] } } });
    expect(new Set(audit.filter((x) => x.action === "value.set").map((x) => x.actorPersonId))).toEqual(
      new Set(people.map((p) => p.id)),
    );
    expectCleanRun(e.standin);
  });
});
