/** Telegram-style validation of message content, with Telegram's error descriptions. */
import { type MessageEntity, parseTelegramHtml } from "./html.ts";

export class TelegramApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
    /** ResponseParameters other than retry_after, e.g. { migrate_to_chat_id } */
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): TelegramApiError => new TelegramApiError(400, `Bad Request: ${what}`);

export const LIMITS = {
  text: 4096,
  caption: 1024,
  callbackDataBytes: 64,
  inlineButtons: 100,
  callbackAnswerText: 200,
} as const;

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Parses text according to parse_mode (HTML strictly; MarkdownV2 and Markdown via a small parser). */
export function formatText(raw: string, parseMode: unknown, entities: unknown): FormattedText {
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    return { text: raw, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  }
  if (typeof parseMode !== "string") throw badRequest("unsupported parse_mode");
  const mode = parseMode.toLowerCase();
  if (mode === "html") {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) throw badRequest(`can't parse entities: ${parsed.error}`);
    return { text: parsed.text, entities: parsed.entities };
  }
  if (mode === "markdownv2") return parseMarkdownV2(raw);
  if (mode === "markdown") return { text: raw.replace(/[*_`]/g, ""), entities: [] };
  throw badRequest(`unsupported parse_mode "${parseMode}"`);
}

export function validateMessageText(raw: unknown, parseMode: unknown, entities: unknown): FormattedText {
  if (raw === undefined || raw === null) throw badRequest("message text is empty");
  const str = typeof raw === "string" ? raw : String(raw);
  if (str.trim() === "") throw badRequest("message text is empty");
  const formatted = formatText(str, parseMode, entities);
  if (formatted.text.trim() === "") throw badRequest("message text is empty");
  if (formatted.text.length > LIMITS.text) throw badRequest("message is too long");
  return formatted;
}

export function validateCaption(raw: unknown, parseMode: unknown, entities: unknown): FormattedText | undefined {
  if (raw === undefined || raw === null) return undefined;
  const str = typeof raw === "string" ? raw : String(raw);
  const formatted = formatText(str, parseMode, entities);
  if (formatted.text.length > LIMITS.caption) throw badRequest("message caption is too long");
  return formatted.text === "" ? undefined : formatted;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [key: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
  keyboard?: unknown[][];
  remove_keyboard?: boolean;
  force_reply?: boolean;
  [key: string]: unknown;
}

const BUTTON_ACTIONS = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

export function validateReplyMarkup(markup: unknown): ReplyMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== "object" || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const m = markup as ReplyMarkup;
  if (m.inline_keyboard !== undefined) {
    if (!Array.isArray(m.inline_keyboard) || !m.inline_keyboard.every((row) => Array.isArray(row))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    let count = 0;
    for (const row of m.inline_keyboard) {
      for (const button of row) {
        count++;
        if (typeof button !== "object" || button === null || typeof button.text !== "string") {
          throw badRequest("can't parse inline keyboard button: Text is not specified");
        }
        if (button.text.trim() === "") throw badRequest("can't parse inline keyboard button: Text must be non-empty");
        const actions = BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
        if (actions.length === 0) {
          throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if (button.callback_data !== undefined) {
          const bytes = Buffer.byteLength(String(button.callback_data), "utf8");
          if (bytes === 0 || bytes > LIMITS.callbackDataBytes) throw badRequest("BUTTON_DATA_INVALID");
        }
        if (button.url !== undefined && !isValidButtonUrl(String(button.url))) {
          throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
        }
      }
    }
    if (count > LIMITS.inlineButtons) throw badRequest("reply markup is too long");
  }
  if (m.keyboard !== undefined) {
    if (!Array.isArray(m.keyboard) || !m.keyboard.every((row) => Array.isArray(row))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
    const count = m.keyboard.reduce((n, row) => n + row.length, 0);
    if (count > 300) throw badRequest("reply markup is too long");
  }
  return m;
}

function isValidButtonUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return ["http:", "https:", "tg:"].includes(u.protocol) && (u.protocol === "tg:" || u.hostname !== "");
  } catch {
    return false;
  }
}

/** Treats an empty inline keyboard like no markup (Telegram does the same). */
export function normalizeMarkup(markup: ReplyMarkup | undefined): ReplyMarkup | undefined {
  if (!markup) return undefined;
  if (markup.inline_keyboard?.every((row) => row.length === 0)) return undefined;
  return markup;
}

/** JSON with sorted keys, for comparing content. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
}

const MDV2_RESERVED = "_*[]()~`>#+-=|{}.!";

/**
 * A compact MarkdownV2 parser: *bold* _italic_ __underline__ ~strike~ ||spoiler|| `code`
 * ```pre``` [text](url) and backslash escapes. Unescaped reserved characters fail with
 * Telegram's message.
 */
export function parseMarkdownV2(s: string): FormattedText {
  let out = "";
  const entities: MessageEntity[] = [];
  const open: Array<{ marker: string; start: number; type: string }> = [];
  const fail = (msg: string) => badRequest(`can't parse entities: ${msg}`);
  const byte = (i: number) => Buffer.byteLength(s.slice(0, i), "utf8");
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "\\") {
      const next = s[i + 1];
      if (next === undefined) throw fail(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      out += next;
      i += 2;
      continue;
    }
    if (c === "`") {
      const isPre = s.startsWith("```", i);
      const marker = isPre ? "```" : "`";
      let j = i + marker.length;
      let language: string | undefined;
      if (isPre) {
        const nl = s.indexOf("\n", j);
        const firstLine = nl >= 0 ? s.slice(j, nl) : "";
        if (nl >= 0 && /^[A-Za-z0-9_+-]+$/.test(firstLine)) {
          language = firstLine;
          j = nl + 1;
        }
      }
      const start = out.length;
      let closed = false;
      while (j < s.length) {
        if (s[j] === "\\" && j + 1 < s.length) {
          out += s[j + 1];
          j += 2;
          continue;
        }
        if (s.startsWith(marker, j)) {
          closed = true;
          break;
        }
        out += s[j];
        j++;
      }
      if (!closed) throw fail(`Can't find end of ${isPre ? "Pre" : "Code"} entity at byte offset ${byte(i)}`);
      if (out.length > start) {
        const e: MessageEntity = { type: isPre ? "pre" : "code", offset: start, length: out.length - start };
        if (language) e.language = language;
        entities.push(e);
      }
      i = j + marker.length;
      continue;
    }
    const marker = s.startsWith("__", i) ? "__" : s.startsWith("||", i) ? "||" : c;
    if (marker === "*" || marker === "_" || marker === "__" || marker === "~" || marker === "||") {
      const top = open.at(-1);
      if (top && top.marker === marker) {
        open.pop();
        if (out.length > top.start)
          entities.push({ type: top.type, offset: top.start, length: out.length - top.start });
      } else {
        const type = { "*": "bold", _: "italic", __: "underline", "~": "strikethrough", "||": "spoiler" }[marker];
        open.push({ marker, start: out.length, type: type as string });
      }
      i += marker.length;
      continue;
    }
    if (c === "[") {
      open.push({ marker: "]", start: out.length, type: "text_link" });
      i++;
      continue;
    }
    if (c === "]" && open.at(-1)?.marker === "]") {
      const top = open.pop() as { start: number };
      if (s[i + 1] !== "(") throw fail(`Can't find end of a text URL at byte offset ${byte(i)}`);
      const close = s.indexOf(")", i + 2);
      if (close < 0) throw fail(`Can't find end of a URL at byte offset ${byte(i)}`);
      const url = s.slice(i + 2, close).replace(/\\(.)/g, "$1");
      if (out.length > top.start)
        entities.push({ type: "text_link", offset: top.start, length: out.length - top.start, url });
      i = close + 1;
      continue;
    }
    if (c === ">" && (i === 0 || s[i - 1] === "\n")) {
      i++; // blockquote line marker
      continue;
    }
    if (MDV2_RESERVED.includes(c)) {
      throw fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += c;
    i++;
  }
  const unclosed = open.at(-1);
  if (unclosed) {
    const names: Record<string, string> = {
      "*": "Bold",
      _: "Italic",
      __: "Underline",
      "~": "Strikethrough",
      "||": "Spoiler",
      "]": "TextUrl",
    };
    throw fail(`Can't find end of ${names[unclosed.marker] ?? "an"} entity at byte offset ${byte(s.length)}`);
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}
