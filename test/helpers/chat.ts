// Small readers over what the stand-in recorded, shared by the end-to-end tests.
import { expect } from "vitest";
import type { BotApiStandin, BotMessage, UserHandle } from "../../src/standin/bot-api-standin.ts";

/** The texts of a message's inline buttons, row by row flattened. */
export function buttonTexts(m: BotMessage): string[] {
  return (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
}

/**
 * What every test ends with: the strict stand-in accepted every call (except the faults the
 * test injected itself) and no keyboard has an empty row.
 */
export function expectCleanRun(
  standin: BotApiStandin,
  allowed: (c: BotApiStandin["sent"][number]) => boolean = () => false,
) {
  expect(standin.sent.filter((c) => c.error && !c.injected && !allowed(c)).map((c) => [c.method, c.error])).toEqual([]);
  const emptyRows = standin.sent.filter((c) => {
    const kb = (c.params.reply_markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard;
    return kb?.some((row) => row.length === 0);
  });
  expect(emptyRows.map((c) => c.method)).toEqual([]);
}

/**
 * The shortest whole report of the small test cluster: 12 and 80 for the two required
 * indicators, the two optional ones skipped, submitted. Resolves on the confirmation.
 */
export async function submitQuickReport(u: UserHandle, values: [string, string] = ["12", "80"]): Promise<void> {
  u.send("/baocao");
  await fillQuickReport(u, values);
}

/** The same, for a report already being opened (a board chosen, a button pressed). */
export async function fillQuickReport(u: UserHandle, values: [string, string] = ["12", "80"]): Promise<void> {
  await u.waitForMessage(/Chỉ tiêu 1\/4/);
  u.send(values[0]);
  await u.waitForMessage(/Chỉ tiêu 2\/4/);
  u.send(values[1]);
  await u.waitForMessage(/Chỉ tiêu 3\/4/);
  u.press("⏭ Bỏ qua");
  await u.waitForMessage(/Chỉ tiêu 4\/4/);
  u.press("⏭ Bỏ qua");
  await u.waitForMessage(/Bảng tổng hợp/);
  u.press("✅ Nộp báo cáo");
  await u.waitForMessage(/Đã nộp báo cáo/);
}

/** From the review screen: corrects indicator `n` (1-based, of four) and waits for the review again. */
export async function correctIndicator(u: UserHandle, n: number, value: string): Promise<void> {
  u.press("✏️ Sửa chỉ tiêu…");
  await u.waitForMessage(/Chọn chỉ tiêu/);
  u.press(String(n));
  await u.waitForMessage(new RegExp(`Chỉ tiêu ${n}/4`));
  u.send(value);
  await u.waitForMessage(/Bảng tổng hợp/);
}
