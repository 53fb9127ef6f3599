// HTML helpers for Telegram's parse_mode "HTML": every user-supplied string goes
// through esc(); only the tags Telegram accepts are produced.

export function esc(value: string | number): string {
  return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export const b = (s: string | number) => `<b>${esc(s)}</b>`;
export const i = (s: string | number) => `<i>${esc(s)}</i>`;
export const code = (s: string | number) => `<code>${esc(s)}</code>`;

/** Telegram's limit for one message's text. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Cuts a plain (already escaped) text to a length, on a character boundary, with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // never between the two halves of an emoji's surrogate pair: a lone half is not valid UTF-8
  const cut = s.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * Splits an HTML text into chunks under the limit, only at line breaks, so no tag
 * is cut in half (callers keep tags within one line).
 */
export function splitMessage(html: string, limit = MAX_MESSAGE_LENGTH): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of html.split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current) chunks.push(current);
    current = line.length <= limit ? line : truncate(line, limit);
  }
  if (current) chunks.push(current);
  return chunks;
}
