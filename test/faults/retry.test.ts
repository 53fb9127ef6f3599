// One retry policy for every Bot API call (issue 17): a 429 during a report step is
// waited out once, by the call that got it, and never again on later updates. Under
// @grammyjs/conversations a conversation built its own Api without bot.api's
// transformers, and a replay re-ran the step's calls; the report loop now replies
// through ctx.api, which grammY builds per update with bot.api's transformers, and it
// replays nothing. The services' Api (scheduler, notices) gets the same transformer.
// Checked against the stand-in's fault injection: calls counted, waiting timed.
import { afterEach, describe, expect, it } from "vitest";
import type { ApiCall } from "../../src/standin/types.ts";
import { type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const RETRY_AFTER_S = 1;

describe.each(testDbKinds())("Bot API retry on $name", (kind) => {
  let e: E2E;
  afterEach(async () => {
    await e?.stop();
  });

  /** The calls of `method` to a chat made while `act` runs, and how long it took. */
  async function during(method: string, chatId: number, act: () => Promise<unknown>) {
    await e.standin.waitForIdle({ quietMs: 50 });
    const mine = (c: ApiCall) => (c.params as { chat_id?: number }).chat_id === chatId;
    const before = e.standin.calls(method).filter(mine).length;
    const started = performance.now();
    await act();
    const ms = performance.now() - started;
    await e.standin.waitForIdle({ quietMs: 50 });
    const calls = e.standin.calls(method).filter(mine).slice(before);
    // the wait between a refused call and the next call (its retry), by the stand-in's clock
    const i = calls.findIndex((c) => c.error?.code === 429);
    const waitedMs = i >= 0 && calls[i + 1] ? calls[i + 1]!.time - calls[i]!.time : 0;
    return { ms, waitedMs, calls: calls.length, refused: calls.filter((c) => c.error?.code === 429).length };
  }

  it("a 429 in a report step is waited out once; the next steps do not wait", async () => {
    e = await startE2E(kind);
    const lan = await e.join(101, "Lan", "secretary", "HN");
    lan.send("/baocao");
    await lan.waitForMessage(/Chỉ tiêu 1\/4/);

    // the answer's message (the acknowledgement on the next question) is refused once, retry_after 1 s
    const fault = e.standin.faults.add({
      method: "sendMessage",
      chatId: 101,
      times: 1,
      error: { code: 429, retryAfter: RETRY_AFTER_S },
    });
    const answer = await during("sendMessage", 101, async () => {
      lan.send("12");
      await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    });
    expect(fault.hits).toBe(1);
    // the one message of the step twice: refused, then sent
    expect(answer).toMatchObject({ calls: 2, refused: 1 });
    expect(answer.waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
    expect(answer.ms).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);

    // later updates of the same conversation wait for nothing and send each message once
    const next = await during("sendMessage", 101, async () => {
      lan.send("80");
      await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    });
    expect(next).toMatchObject({ calls: 1, refused: 0, waitedMs: 0 });
    // nothing is waited out again: this step takes less than the step that waited, minus the wait
    expect(next.ms).toBeLessThan(answer.ms - (RETRY_AFTER_S * 1000) / 2);

    // a button's answer goes through the same retry
    e.standin.faults.add({ method: "answerCallbackQuery", times: 1, error: { code: 429, retryAfter: RETRY_AFTER_S } });
    lan.press("⏭ Bỏ qua");
    await lan.waitForMessage(/Chỉ tiêu 4\/4/);
    await e.standin.waitForIdle({ quietMs: 50 });
    const answers = e.standin.calls("answerCallbackQuery");
    expect(answers.map((c) => c.error?.code ?? "ok")).toEqual([429, "ok"]);
    expect(answers[1]!.time - answers[0]!.time).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
    const stored = await e.db.db.reportValue.findMany({ orderBy: { indicatorId: "asc" } });
    expect(stored.map((v) => [v.number, v.skipped])).toEqual([
      [12, false],
      [80, false],
      [null, true],
    ]);
  });

  it("the services' messages (scheduler, notices) wait out a 429 the same way", async () => {
    e = await startE2E(kind);
    await e.join(102, "Hùng", "chair");
    e.standin.faults.add({
      method: "sendMessage",
      chatId: 102,
      times: 1,
      error: { code: 429, retryAfter: RETRY_AFTER_S },
    });
    const sent = await during("sendMessage", 102, async () => {
      expect(await e.app.messenger.send(102n, { html: "Thử gửi lại" })).toBe("sent");
    });
    expect(sent).toMatchObject({ calls: 2, refused: 1 });
    expect(sent.waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
  });
});
