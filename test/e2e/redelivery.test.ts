import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { Json } from "../../src/standin/bot-api-standin.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

describe.each(testDbKinds())("redelivered updates on $name", (kind) => {
  let e: E2E;
  /** the update that carried a message or button press the stand-in queued */
  const updateOf = (sent: Json): Update => {
    const u = e.standin.updates.find((x) => x.message === sent || x.callback_query === sent);
    if (!u) throw new Error("update not found");
    return u as unknown as Update;
  };
  afterEach(async () => {
    await e?.stop();
  });

  it("an answer or a submit delivered twice is applied once", async () => {
    e = await startE2E(kind);
    const lan = await e.join(301, "Lan", "secretary", "HN");
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    const answer = lan.send("12");
    await lan.waitForMessage(/^💾 Đã lưu[\s\S]*Chỉ tiêu 2\/4/);
    const before = lan.messages().length;

    // Telegram redelivers the same update (the bot died before confirming it)
    await e.app.bot.handleUpdate(updateOf(answer));
    await e.standin.waitForIdle({ quietMs: 200 });
    expect(lan.messages().length).toBe(before);
    const values = await e.db.db.reportValue.findMany({ orderBy: { indicatorId: "asc" } });
    expect(values.map((v) => v.number)).toEqual([12]); // not stored again as the answer to question 2

    lan.send("83,6");
    await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    lan.press("⏭ Bỏ qua");
    await lan.waitForMessage(/Chỉ tiêu 4\/4/);
    lan.press("⏭ Bỏ qua");
    await lan.waitForMessage(/Bảng tổng hợp/);
    const submit = lan.press("✅ Nộp báo cáo");
    await lan.waitForMessage(/Đã nộp báo cáo/);
    await e.app.bot.handleUpdate(updateOf(submit));
    await e.standin.waitForIdle({ quietMs: 200 });
    const report = (await e.db.db.report.findFirst())!;
    expect(report.revision).toBe(1);
    expect(await e.db.db.auditEntry.count({ where: { action: { in: ["report.submit", "report.resubmit"] } } })).toBe(1);
  });
});
