// One short, secret-free description of an update for the log: never message text
// (it may hold figures or invitation tokens), only its kind and command name.
import type { Update } from "grammy/types";

export function describeUpdate(u: Update): Record<string, string | number | undefined> {
  const msg = u.message ?? u.edited_message;
  const text = msg?.text;
  // only what can be one of our command names (lowercase letters): "/4321" or "/Hà_Nội" is typed text
  const typed = text?.startsWith("/") ? text.slice(1).split(/[\s@]/)[0] : undefined;
  const command = typed === undefined ? undefined : /^[a-z]{1,32}$/.test(typed) ? typed : "?";
  return {
    updateId: u.update_id,
    user: msg?.from?.id ?? u.callback_query?.from.id,
    chat: msg?.chat.id ?? u.callback_query?.message?.chat.id,
    kind: u.callback_query ? "button" : command ? "command" : msg ? (text !== undefined ? "text" : "media") : "other",
    command,
    button: u.callback_query?.data?.replace(/:[^:]*$/, "").slice(0, 24),
  };
}
