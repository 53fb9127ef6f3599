// Someone who types wrong answers or presses old buttons without end: every input is
// still answered with its hint, the stored conversation state stays small and does not
// grow (it is the step function's state, not a replay log), buttons of an earlier
// screen are stale, and a right answer afterwards is saved as usual.
import { afterEach, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { captureLog, lastUpdateId, reportButtons } from "./fuzz-kit.ts";

describe.each(testDbKinds())("a very long report conversation on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  it("stays fast and small: the stored state does not grow with the inputs", async () => {
    const log = captureLog("info");
    e = await startE2E(kind, { logger: log.logger });
    const lan = await e.join(101, "Lan", "secretary", "HN");
    lan.send("/baocao");
    const first = await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    const hint = vi.report.retry(vi.inputError({ code: "not_a_number" }));
    const stateSizes: number[] = [];
    const rounds = 95;
    for (let n = 0; n < rounds; n++) {
      const before = lan.messages().length;
      if (n % 3 === 2) lan.forgeCallback(reportButtons(first)[0]!, { messageId: first.message_id });
      else lan.send("abc");
      await log.handled(lastUpdateId(e.standin.updates));
      if (n % 3 !== 2) {
        const replies = lan.messages().slice(before);
        expect(replies.map((m) => m.rawText)).toContain(hint);
        expect(replies.at(-1)?.text).toMatch(/^Chỉ tiêu 1\/4/);
      }
      const rows = await e.db.db.conversationState.findMany();
      stateSizes.push(Math.max(0, ...rows.map((r) => r.value.length)));
    }
    // a replay log would grow by about 1.6 kB an input (over 150 kB here)
    expect(Math.max(...stateSizes)).toBeLessThan(4_000);
    expect(Math.max(...stateSizes) - Math.min(...stateSizes)).toBeLessThan(16);
    // the first screen's buttons are stale now; the current ones work
    const before = e.standin.callbackAnswers.length;
    lan.press(reportButtons(first).find((b) => b.endsWith(":pause"))!, { messageId: first.message_id });
    await log.handled(lastUpdateId(e.standin.updates));
    expect(e.standin.callbackAnswers.slice(before).map((a) => a.text)).toEqual([vi.common.staleButton]);
    lan.send("12");
    await lan.waitForMessage(/^💾 Đã lưu[\s\S]*Chỉ tiêu 2\/4/);
    const values = await e.db.db.reportValue.findMany();
    expect(values.map((v) => v.number)).toEqual([12]);
    // what was typed stays in the conversation's state only while it runs
    lan.send("/huy");
    await lan.waitForMessage(/Đã tạm dừng/);
    await log.handled(lastUpdateId(e.standin.updates));
    expect(await e.db.db.conversationState.count()).toBe(0);
    expect(log.errors()).toEqual([]);
    expectCleanRun(e.standin);
  }, 60_000);
});
