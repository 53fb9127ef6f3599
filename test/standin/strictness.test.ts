import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotApiStandin, parseTelegramHtml } from "../../src/standin/bot-api-standin.ts";
import { rawCall, startStandin } from "./helpers.ts";

let standin: BotApiStandin;
let apiRoot: string;
const CHAT = 4242;

beforeAll(async () => {
  ({ standin, apiRoot } = await startStandin());
  standin.user(CHAT, { first_name: "Tester", known: true });
});
afterAll(() => standin.stop());

async function expect400(method: string, params: Record<string, unknown>, description: string | RegExp) {
  const res = await rawCall(apiRoot, method, params);
  expect(res.status).toBe(400);
  expect(res.body.ok).toBe(false);
  expect(res.body.error_code).toBe(400);
  if (typeof description === "string") expect(res.body.description).toBe(description);
  else expect(res.body.description).toMatch(description);
}

const send = (params: Record<string, unknown>) => rawCall(apiRoot, "sendMessage", { chat_id: CHAT, ...params });
const kb = (buttons: Array<Record<string, unknown>>) => ({ inline_keyboard: [buttons] });

describe("strict validation like real Telegram", () => {
  it("rejects empty text", async () => {
    await expect400("sendMessage", { chat_id: CHAT, text: "" }, "Bad Request: message text is empty");
    await expect400("sendMessage", { chat_id: CHAT }, "Bad Request: message text is empty");
    await expect400("sendMessage", { chat_id: CHAT, text: "   \n" }, "Bad Request: message text is empty");
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "<b> </b>", parse_mode: "HTML" },
      "Bad Request: message text is empty",
    );
  });

  it("limits text to 4096 UTF-16 code units after entity parsing", async () => {
    expect((await send({ text: "a".repeat(4096) })).body.ok).toBe(true);
    await expect400("sendMessage", { chat_id: CHAT, text: "a".repeat(4097) }, "Bad Request: message is too long");
    // tags don't count, decoded entities count as one character
    const html = `<b>${"&amp;".repeat(4096)}</b>`;
    expect((await send({ text: html, parse_mode: "HTML" })).body.ok).toBe(true);
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: `${html}x`, parse_mode: "HTML" },
      "Bad Request: message is too long",
    );
    // an emoji outside the BMP is two UTF-16 code units
    await expect400("sendMessage", { chat_id: CHAT, text: "😀".repeat(2049) }, "Bad Request: message is too long");
    // Vietnamese precomposed letters are one unit each
    expect((await send({ text: "ệ".repeat(4096) })).body.ok).toBe(true);
  });

  it("limits captions to 1024 characters", async () => {
    const standinFile = await rawCall(apiRoot, "sendPhoto", {
      chat_id: CHAT,
      photo: "https://example.invalid/x.png",
      caption: "c".repeat(1025),
    });
    expect(standinFile.status).toBe(400);
    expect(standinFile.body.description).toBe("Bad Request: message caption is too long");
  });

  it("limits callback_data to 64 bytes (UTF-8) and buttons to 100", async () => {
    expect((await send({ text: "ok", reply_markup: kb([{ text: "x", callback_data: "d".repeat(64) }]) })).body.ok).toBe(
      true,
    );
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "x", reply_markup: kb([{ text: "x", callback_data: "d".repeat(65) }]) },
      "Bad Request: BUTTON_DATA_INVALID",
    );
    // 22 Vietnamese letters with 3 bytes each = 66 bytes
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "x", reply_markup: kb([{ text: "x", callback_data: "ệ".repeat(22) }]) },
      "Bad Request: BUTTON_DATA_INVALID",
    );
    const rows = Array.from({ length: 101 }, (_, i) => [{ text: `b${i}`, callback_data: `b${i}` }]);
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "x", reply_markup: { inline_keyboard: rows } },
      "Bad Request: reply markup is too long",
    );
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "x", reply_markup: kb([{ text: "no action" }]) },
      /Text buttons are unallowed in the inline keyboard/,
    );
  });

  it("parses HTML strictly", async () => {
    const ok = await send({
      text: '<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins><s>g</s><strike>h</strike><del>i</del><span class="tg-spoiler">j</span><tg-spoiler>k</tg-spoiler><a href="https://t.me">l</a><code>m</code><pre><code class="language-ts">n</code></pre><blockquote>o</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> 5 > 3 &lt; &#39;x&#x27;',
      parse_mode: "HTML",
    });
    expect(ok.body.ok).toBe(true);
    expect((ok.body.result as { text: string }).text).toBe("abcdefghijklmno👍 5 > 3 < 'x'");

    const cant = /^Bad Request: can't parse entities: /;
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "Tổng: <br> 5", parse_mode: "HTML" },
      `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 8`,
    );
    await expect400("sendMessage", { chat_id: CHAT, text: "<div>x</div>", parse_mode: "HTML" }, cant);
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "<b>đậm", parse_mode: "HTML" },
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "<b><i>x</b></i>", parse_mode: "HTML" },
      `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
    );
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "x</b>", parse_mode: "HTML" },
      "Bad Request: can't parse entities: Unexpected end tag at byte offset 1",
    );
    await expect400("sendMessage", { chat_id: CHAT, text: "điểm < 5", parse_mode: "HTML" }, cant);
    await expect400("sendMessage", { chat_id: CHAT, text: "Sở Tài chính & Kế hoạch", parse_mode: "HTML" }, cant);
    await expect400("sendMessage", { chat_id: CHAT, text: "a &nbsp; b", parse_mode: "HTML" }, cant);
    await expect400("sendMessage", { chat_id: CHAT, text: '<span class="x">a</span>', parse_mode: "HTML" }, cant);
    // the same text without parse_mode is fine
    expect((await send({ text: "điểm < 5 & Kế hoạch <br>" })).body.ok).toBe(true);
  });

  it("checks MarkdownV2 reserved characters", async () => {
    await expect400(
      "sendMessage",
      { chat_id: CHAT, text: "Quý 1.", parse_mode: "MarkdownV2" },
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    const ok = await send({ text: "*Quý 1\\.* _ok_", parse_mode: "MarkdownV2" });
    expect((ok.body.result as { text: string }).text).toBe("Quý 1. ok");
  });

  it("refuses identical edits and edits of missing messages", async () => {
    const markup = kb([{ text: "Có", callback_data: "y" }]);
    const sent = await send({ text: "<b>Câu hỏi</b>", parse_mode: "HTML", reply_markup: markup });
    const id = (sent.body.result as { message_id: number }).message_id;
    await expect400(
      "editMessageText",
      { chat_id: CHAT, message_id: id, text: "<b>Câu hỏi</b>", parse_mode: "HTML", reply_markup: markup },
      /^Bad Request: message is not modified: specified new message content and reply markup are exactly the same/,
    );
    await expect400(
      "editMessageReplyMarkup",
      { chat_id: CHAT, message_id: id, reply_markup: markup },
      /^Bad Request: message is not modified/,
    );
    // same text but a different format is a modification
    const plain = await rawCall(apiRoot, "editMessageText", {
      chat_id: CHAT,
      message_id: id,
      text: "Câu hỏi",
      reply_markup: markup,
    });
    expect(plain.body.ok).toBe(true);
    await expect400(
      "editMessageText",
      { chat_id: CHAT, message_id: 999_999, text: "x" },
      "Bad Request: message to edit not found",
    );
    await expect400(
      "deleteMessage",
      { chat_id: CHAT, message_id: 999_999 },
      "Bad Request: message to delete not found",
    );
    expect((await rawCall(apiRoot, "deleteMessage", { chat_id: CHAT, message_id: id })).body.result).toBe(true);
    await expect400(
      "editMessageText",
      { chat_id: CHAT, message_id: id, text: "again" },
      "Bad Request: message to edit not found",
    );
    const record = standin
      .user(CHAT)
      .messages()
      .find((m) => m.message_id === id);
    expect(record?.deleted).toBe(true);
    expect(record?.history.map((h) => h.rawText)).toEqual(["<b>Câu hỏi</b>"]);
  });

  it("answers chat not found, unknown callback queries and bad chat actions", async () => {
    await expect400("sendMessage", { chat_id: 123_456_789, text: "hi" }, "Bad Request: chat not found");
    await expect400("sendMessage", { text: "hi" }, "Bad Request: chat_id is empty");
    await expect400(
      "answerCallbackQuery",
      { callback_query_id: "nope" },
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    await expect400(
      "sendChatAction",
      { chat_id: CHAT, action: "dancing" },
      "Bad Request: wrong parameter action in request",
    );
    expect((await rawCall(apiRoot, "sendChatAction", { chat_id: CHAT, action: "typing" })).body.result).toBe(true);
  });

  it("stores commands per scope and language", async () => {
    const commands = [{ command: "baocao", description: "Nộp báo cáo" }];
    await rawCall(apiRoot, "setMyCommands", { commands });
    await rawCall(apiRoot, "setMyCommands", {
      commands: [{ command: "report", description: "Submit report" }],
      language_code: "en",
    });
    await rawCall(apiRoot, "setMyCommands", {
      commands: [{ command: "tonghop", description: "Tổng hợp" }],
      scope: { type: "chat", chat_id: CHAT },
    });
    expect((await rawCall(apiRoot, "getMyCommands")).body.result).toEqual(commands);
    expect(standin.commands.get(undefined, "en")?.[0]?.command).toBe("report");
    expect(standin.commands.get({ type: "chat", chat_id: CHAT })?.[0]?.command).toBe("tonghop");
    expect(standin.commands.all()).toHaveLength(3);
    await expect400(
      "setMyCommands",
      { commands: [{ command: "Bad-Command", description: "x" }] },
      "Bad Request: BOT_COMMAND_INVALID",
    );
    await rawCall(apiRoot, "deleteMyCommands", { language_code: "en" });
    expect((await rawCall(apiRoot, "getMyCommands", { language_code: "en" })).body.result).toEqual([]);
    expect((await rawCall(apiRoot, "setChatMenuButton", { menu_button: { type: "commands" } })).body.result).toBe(true);
    expect(standin.menuButtons.get("default")).toEqual({ type: "commands" });
  });

  it("exposes the HTML parser", () => {
    expect(parseTelegramHtml("<i>nghiêng</i> &amp; <b>đậm</b>")).toEqual({
      ok: true,
      text: "nghiêng & đậm",
      entities: [
        { type: "italic", offset: 0, length: 7 },
        { type: "bold", offset: 10, length: 3 },
      ],
    });
  });
});
