// Edits and forwards during a report: an edited answer is not applied (what was stored
// and confirmed stays; the person is told how to correct it), a forwarded message is never
// taken as an answer. The confirmation says until when the report can still be corrected.
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

describe.each(testDbKinds())("edits and forwards in a report on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("an edited answer keeps the stored value, a forward is refused, both with a hint", async () => {
    e = await startE2E(kind);
    const lan = await e.join(101, "Lan", "secretary", "HN");
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    const typed = lan.send("1560");
    // one message: the acknowledgement with the value and its unit, then the next question
    const q2 = await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    expect(q2.text).toMatch(/^💾 Đã lưu: Số đảng viên mới kết nạp — 1\.560 người\n\nChỉ tiêu 2\/4/);

    lan.editMessage(typed.message_id as number, "4321");
    expect((await lan.waitForMessage()).rawText).toBe(vi.common.noEdits);
    await lan.waitForMessage(/Chỉ tiêu 2\/4/);

    lan.send("83,6", { forwardedFrom: "Văn phòng" });
    expect((await lan.waitForMessage()).rawText).toBe(vi.common.noForwards);
    await lan.waitForMessage(/Chỉ tiêu 2\/4/);

    const values = await e.db.db.reportValue.findMany();
    expect(values.map((v) => v.number)).toEqual([1560]);

    // the rest typed, so the report can be submitted: the confirmation says until when it can be corrected
    for (const [answer, next] of [
      ["83,6", /Chỉ tiêu 3\/4/],
      ["4", /Chỉ tiêu 4\/4/],
      ["Không có", /Bảng tổng hợp/],
    ] as const) {
      lan.send(answer);
      await lan.waitForMessage(next);
    }
    lan.press("✅ Nộp báo cáo");
    const done = await lan.waitForMessage(/Đã nộp báo cáo/);
    expect(done.text).toContain("Nếu cần sửa, gõ /baocao trước 17:00 ngày 05/10/2026.");
    expectCleanRun(e.standin);
  });
});
