// /mokhoa: after the deadline a submitted report is locked; a chair or deputy reopens
// one board's report for a while, its secretary is told, corrects and re-submits.
import { afterEach, describe, expect, it } from "vitest";
import { correctIndicator, expectCleanRun, submitQuickReport } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const AFTER_DEADLINE = new Date("2026-10-06T03:00:00Z"); // 06/10 10:00 in Hà Nội, deadline was 05/10 17:00

describe.each(testDbKinds())("unlocking a late correction on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("locked after the deadline, /mokhoa HN reopens it, the correction is revision 2", async () => {
    e = await startE2E(kind);
    const hung = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const tam = await e.join(103, "Tâm", "secretary", "HCM");

    // before the deadline the report is not locked: nothing to unlock
    hung.send("/mokhoa HN");
    await hung.waitForMessage(/chưa nộp báo cáo quý III\/2026/);

    await submitQuickReport(lan);
    lan.send("/start");
    expect((await lan.waitForMessage(/Kính chào đồng chí Lan/)).text).toContain(
      "đã nộp lúc 10:00 ngày 25/09/2026. Nếu cần sửa, gõ /baocao trước 17:00 ngày 05/10/2026.",
    );
    hung.send("/mokhoa HN");
    await hung.waitForMessage(/chưa khóa: thư ký vẫn sửa được đến hạn nộp 17:00 ngày 05\/10\/2026/);

    // after the deadline every message says what is true now
    e.clock.set(AFTER_DEADLINE);
    lan.send("/baocao");
    await lan.waitForMessage(/🔒 Đã quá hạn nộp báo cáo quý III\/2026/);
    lan.send("/start");
    expect((await lan.waitForMessage(/Kính chào đồng chí Lan/)).text).toContain(
      "Đã quá hạn nộp: muốn sửa, đề nghị cụm trưởng hoặc cụm phó mở khóa.",
    );
    expect(lan.last()?.text).not.toContain("trước hạn");
    tam.send("/start");
    expect((await tam.waitForMessage(/Kính chào đồng chí Tâm/)).text).toContain(
      "(đã quá hạn 17 giờ), còn 4 chỉ tiêu chưa nhập. Gõ /baocao để nhập. Báo cáo nộp từ bây giờ được ghi nhận là nộp muộn.",
    );
    tam.send("/baocao");
    expect((await tam.waitForMessage(/^📋 Báo cáo quý III\/2026/)).text).toContain(
      "Hạn nộp: 17:00 ngày 05/10/2026 (đã quá hạn 17 giờ)\n⏰ Đã quá hạn nộp. Báo cáo nộp từ bây giờ được ghi nhận là nộp muộn.",
    );
    await tam.waitForMessage(/Chỉ tiêu 1\/4/);
    tam.send("/huy");
    await tam.waitForMessage(/Đã tạm dừng/);

    // a secretary cannot unlock; a wrong board code lists the codes
    tam.send("/mokhoa HN");
    await tam.waitForMessage(/không có quyền/);
    hung.send("/mokhoa XX");
    await hung.waitForMessage(/Các mã hợp lệ: HN, HCM, DN/);

    hung.send("/mokhoa HN 24");
    const done = await hung.waitForMessage(/Đã mở khóa/);
    expect(done.text).toContain(
      "Đã mở khóa báo cáo quý III/2026 của Hà Nội đến 10:00 ngày 07/10/2026. Đã báo cho 1 thư ký.",
    );
    await lan.waitForMessage(
      /Cụm trưởng đã mở khóa báo cáo quý III\/2026 của đơn vị đồng chí đến 10:00 ngày 07\/10\/2026/,
    );

    lan.send("/baocao");
    const header = await lan.waitForMessage(/sửa báo cáo đã nộp/);
    expect(header.text).toContain("🔓 Báo cáo đã được mở khóa; đồng chí sửa và nộp lại trước 10:00 ngày 07/10/2026.");
    expect(header.text).not.toContain("nộp muộn");
    await lan.waitForMessage(/Bảng tổng hợp/);
    await correctIndicator(lan, 1, "14");
    lan.press("✅ Nộp lại báo cáo");
    await lan.waitForMessage(/Đã nộp lại báo cáo quý III\/2026 \(lần 2\)/);

    // Hà Nội's (Tâm's TP.HCM draft is the other report)
    const report = (await e.db.db.report.findFirst({ where: { status: "submitted" }, include: { values: true } }))!;
    expect(report.revision).toBe(2);
    expect(report.late).toBe(false); // the first submission was on time; a correction does not make it late
    expect(report.values.find((v) => v.number !== null && v.number !== 80)?.number).toBe(14);
    expect(await e.db.db.auditEntry.count({ where: { action: "report.unlock" } })).toBe(1);
    // the notice was a ledger action written with the unlock, delivered by this instance and finished
    const notices = await e.db.db.scheduledAction.findMany({ where: { kind: "report_unlocked" } });
    expect(notices.map((n) => [n.status, JSON.parse(n.detail ?? "{}").sent])).toEqual([["done", 1]]);

    // once the unlock expires the report is locked again
    e.clock.set(new Date(AFTER_DEADLINE.getTime() + 25 * 3600_000));
    lan.send("/baocao");
    await lan.waitForMessage(/🔒 Đã quá hạn/);

    // a deputy's unlock is named as the deputy's in the secretary's notice
    const mai = await e.join(202, "Mai", "deputy");
    mai.send("/mokhoa HN 48");
    await mai.waitForMessage(/Đã mở khóa báo cáo quý III\/2026 của Hà Nội/);
    expect((await lan.waitForMessage(/đã mở khóa báo cáo quý III\/2026/)).text).toMatch(/^🔓 Cụm phó đã mở khóa/);
    expectCleanRun(e.standin);
  });
});
