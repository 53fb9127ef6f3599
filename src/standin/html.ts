/**
 * Telegram's HTML parse mode, modelled on TDLib's parse_html: the same allowed tags,
 * the same error texts ("Unsupported start tag ...", "Can't find end tag ..."), byte
 * offsets in UTF-8. Stricter than Telegram in one point: a bare "&" that does not start
 * a valid entity is rejected (Telegram keeps it literally, but it is almost always a bug).
 */

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type ParseResult = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; error: string };

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

const TAG_TO_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  span: "spoiler",
  "tg-spoiler": "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

export const ALLOWED_HTML_TAGS: readonly string[] = Object.keys(TAG_TO_ENTITY);

interface OpenTag {
  tag: string;
  start: number;
  attrs: Map<string, string>;
}

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), "utf8");
}

/** Decodes an entity at s[i] === "&". Returns [decoded, length] or undefined if not a valid entity. */
export function decodeEntityAt(s: string, i: number): [string, number] | undefined {
  const m = /^&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[a-zA-Z]{2,8});/.exec(s.slice(i, i + 16));
  if (!m) return undefined;
  const body = m[1] ?? "";
  if (body.startsWith("#")) {
    const code =
      body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    return [String.fromCodePoint(code), m[0].length];
  }
  const named = NAMED_ENTITIES[body.toLowerCase()];
  return named === undefined ? undefined : [named, m[0].length];
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

export function parseTelegramHtml(s: string): ParseResult {
  let out = "";
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  const fail = (error: string): ParseResult => ({ ok: false, error });
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "&") {
      const decoded = decodeEntityAt(s, i);
      if (!decoded) {
        return fail(`Unescaped "&" at byte offset ${byteOffset(s, i)}: write it as "&amp;"`);
      }
      out += decoded[0];
      i += decoded[1];
      continue;
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    const beginByte = byteOffset(s, begin);
    i++;
    if (s[i] === "/") {
      i++;
      const close = s.indexOf(">", i);
      if (close < 0) return fail(`Unclosed end tag at byte offset ${beginByte}`);
      const name = s.slice(i, close).trim().toLowerCase();
      i = close + 1;
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag at byte offset ${beginByte}`);
      if (open.tag !== name) {
        return fail(`Unmatched end tag at byte offset ${beginByte}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const length = out.length - open.start;
      if (length > 0) {
        const entity = makeEntity(open, length);
        if (entity) entities.push(entity);
      }
      continue;
    }
    let nameEnd = i;
    while (nameEnd < s.length && !isSpace(s[nameEnd]) && s[nameEnd] !== ">") nameEnd++;
    if (nameEnd >= s.length) return fail(`Unclosed start tag at byte offset ${beginByte}`);
    const tag = s.slice(i, nameEnd).toLowerCase();
    if (!(tag in TAG_TO_ENTITY)) return fail(`Unsupported start tag "${tag}" at byte offset ${beginByte}`);
    i = nameEnd;
    const attrs = new Map<string, string>();
    for (;;) {
      while (isSpace(s[i])) i++;
      if (i >= s.length) return fail(`Unclosed start tag at byte offset ${beginByte}`);
      if (s[i] === ">") {
        i++;
        break;
      }
      let attrEnd = i;
      while (attrEnd < s.length && !isSpace(s[attrEnd]) && s[attrEnd] !== "=" && s[attrEnd] !== ">") attrEnd++;
      const attrName = s.slice(i, attrEnd).toLowerCase();
      i = attrEnd;
      while (isSpace(s[i])) i++;
      if (s[i] !== "=") {
        if (i >= s.length) return fail(`Unclosed start tag at byte offset ${beginByte}`);
        attrs.set(attrName, ""); // valueless attribute, e.g. <blockquote expandable>
        continue;
      }
      i++;
      while (isSpace(s[i])) i++;
      let raw: string;
      const quote = s[i];
      if (quote === '"' || quote === "'") {
        const endQuote = s.indexOf(quote, i + 1);
        if (endQuote < 0) return fail(`Unclosed start tag at byte offset ${beginByte}`);
        raw = s.slice(i + 1, endQuote);
        i = endQuote + 1;
      } else {
        let valueEnd = i;
        while (valueEnd < s.length && !isSpace(s[valueEnd]) && s[valueEnd] !== ">") valueEnd++;
        raw = s.slice(i, valueEnd);
        i = valueEnd;
      }
      let value = "";
      for (let k = 0; k < raw.length; ) {
        const decoded = raw[k] === "&" ? decodeEntityAt(raw, k) : undefined;
        if (decoded) {
          value += decoded[0];
          k += decoded[1];
        } else {
          value += raw[k];
          k++;
        }
      }
      attrs.set(attrName, value);
    }
    if (tag === "span" && attrs.get("class") !== "tg-spoiler") {
      return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${beginByte}`);
    }
    if (tag === "tg-emoji" && !/^[0-9]+$/.test(attrs.get("emoji-id") ?? "")) {
      return fail(`Custom emoji entity must contain a valid custom emoji identifier at byte offset ${beginByte}`);
    }
    stack.push({ tag, start: out.length, attrs });
  }
  const unclosed = stack.at(-1);
  if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  // A <code class="language-x"> directly inside <pre> gives the pre its language.
  for (const pre of entities) {
    if (pre.type !== "pre") continue;
    const idx = entities.findIndex(
      (e) => e.type === "code" && e.offset === pre.offset && e.length === pre.length && e.language !== undefined,
    );
    const code = entities[idx];
    if (code) {
      if (code.language) pre.language = code.language;
      entities.splice(idx, 1);
    }
  }
  for (const e of entities) if (e.type === "code") delete e.language;
  return { ok: true, text: out, entities };
}

function makeEntity(open: OpenTag, length: number): MessageEntity | undefined {
  const type = TAG_TO_ENTITY[open.tag] as string;
  const entity: MessageEntity = { type, offset: open.start, length };
  if (type === "text_link") {
    const href = open.attrs.get("href");
    if (!href) return undefined; // Telegram drops <a> without a usable href
    entity.url = href;
  } else if (type === "code") {
    const cls = open.attrs.get("class");
    if (cls?.startsWith("language-")) entity.language = cls.slice("language-".length);
  } else if (type === "blockquote" && open.attrs.has("expandable")) {
    entity.type = "expandable_blockquote";
  } else if (type === "custom_emoji") {
    entity.custom_emoji_id = open.attrs.get("emoji-id") ?? "";
  }
  return entity;
}

/** Escapes text for parse_mode HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
