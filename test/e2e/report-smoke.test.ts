import { afterEach, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

describe.each(testDbKinds())("report conversation on $name (smoke)", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("a secretary answers every indicator and submits", async () => {
    e = await startE2E(kind);
    const lan = await e.join(101, "Lan", "secretary", "HN");
    lan.send("/baocao");
    const header = await lan.waitForMessage(/Báo cáo quý III\/2026/);
    expect(header.text).toContain("Ban Tổ chức Thành ủy Hà Nội");
    // the days the figures cover; a deadline on a working day says nothing of moving
    expect(header.text).toContain("Số liệu tính từ 01/07/2026 đến hết 30/09/2026.");
    expect(header.text).toContain("Hạn nộp: 17:00 ngày 05/10/2026 (còn 10 ngày 7 giờ)\n");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    // each answer: one message, the acknowledgement on top of the next question (or the review)
    lan.send("12 người");
    await lan.waitForMessage(/^💾 Đã lưu[\s\S]*Chỉ tiêu 2\/4/);
    lan.send("83,6%");
    await lan.waitForMessage(/^💾 Đã lưu[\s\S]*Chỉ tiêu 3\/4/);
    lan.press("⏭ Bỏ qua");
    await lan.waitForMessage(/^⏭ Đã bỏ qua[\s\S]*Chỉ tiêu 4\/4/);
    lan.send("Thiếu cán bộ <chuyên trách> & kinh phí");
    const review = await lan.waitForMessage(/^💾 Đã lưu[\s\S]*Bảng tổng hợp/);
    expect(review.text).toContain("Thiếu cán bộ <chuyên trách> & kinh phí");
    lan.press("✅ Nộp báo cáo");
    await lan.waitForMessage(/Đã nộp báo cáo quý III\/2026/);
    const report = (await e.db.db.report.findFirst({ include: { values: true } }))!;
    expect(report.status).toBe("submitted");
    expect(report.values.map((v) => [v.number, v.text, v.skipped])).toEqual([
      [12, null, false],
      [83.6, null, false],
      [null, null, true],
      [null, "Thiếu cán bộ <chuyên trách> & kinh phí", false],
    ]);
  });
});
