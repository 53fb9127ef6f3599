// How many messages a whole report costs, on the example cluster's twelve indicators: the
// opening (header and first question), one message per answer (the acknowledgement with
// the value and its unit, then the next question or the review), the confirmation.
// Counted here so that it cannot creep back up unnoticed.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadClusterConfigFile } from "../../src/cluster-config/load.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const EXAMPLE = fileURLToPath(new URL("../../docs/examples/btc-5tp.yaml", import.meta.url));

/** The twelve answers, each with what the acknowledgement shows (the value with its unit). */
const ANSWERS: [typed: string, shown: string][] = [
  ["1.560", "Số đảng viên mới kết nạp — 1.560 người"],
  ["1420 người", "Số đảng viên được công nhận chính thức — 1.420 người"],
  ["35", "Số tổ chức cơ sở đảng thành lập mới — 35 tổ chức"],
  ["12", "doanh nghiệp ngoài nhà nước — 12 tổ chức"],
  ["210", "Số cán bộ được bổ nhiệm, giới thiệu ứng cử — 210 người"],
  ["96", "Số cán bộ được luân chuyển, điều động — 96 người"],
  ["1 234", "trung cấp — 1.234 lượt"],
  ["18", "Số lớp bồi dưỡng, tập huấn nghiệp vụ đã tổ chức — 18 lớp"],
  ["7", "Số đề án, chuyên đề tham mưu hoàn thành — 7 đề án"],
  ["640", "Số hồ sơ thẩm định, xác minh bảo vệ chính trị nội bộ — 640 hồ sơ"],
  ["Hoàn thành sớm kế hoạch kết nạp đảng viên", "Kết quả nổi bật trong quý — Hoàn thành sớm kế hoạch"],
  ["Thiếu cán bộ chuyên trách", "Khó khăn, vướng mắc và kiến nghị — Thiếu cán bộ chuyên trách"],
];

describe.each(testDbKinds())("messages of a whole report on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("twelve indicators: one message per answer, the value with its unit and no '='", async () => {
    e = await startE2E(kind, { config: await loadClusterConfigFile(EXAMPLE) });
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const before = lan.messages().length;

    lan.send("/baocao");
    await lan.waitForMessage(/Báo cáo quý III\/2026/);
    await lan.waitForMessage(/Chỉ tiêu 1\/12/);
    for (const [n, [typed, shown]] of ANSWERS.entries()) {
      lan.send(typed);
      const next = n + 1 < ANSWERS.length ? new RegExp(`Chỉ tiêu ${n + 2}/12`) : /Bảng tổng hợp/;
      const reply = await lan.waitForMessage(next);
      const [ack, blank] = (reply.text ?? "").split("\n");
      // the acknowledgement is the first line of the next question (or of the review), with its buttons
      expect(ack).toMatch(/^💾 Đã lưu: /);
      expect(ack).toContain(shown);
      expect(ack).not.toContain("=");
      expect(blank).toBe("");
      expect(reply.reply_markup?.inline_keyboard?.length).toBeGreaterThan(0);
    }
    lan.press("✅ Nộp báo cáo");
    await lan.waitForMessage(/Đã nộp báo cáo quý III\/2026/);

    const sent = lan.messages().slice(before);
    // header + first question, one per answer (12), the confirmation
    expect(sent.length).toBe(1 + 1 + ANSWERS.length + 1);
    expect(sent.filter((m) => /Đã lưu/.test(m.text ?? "")).every((m) => /Chỉ tiêu|Bảng tổng hợp/.test(m.text!))).toBe(
      true,
    );
    expectCleanRun(e.standin);
  });
});
