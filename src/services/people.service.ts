// Whether a person can be reached in private. Telegram answers 403 when someone blocked
// the bot or never pressed Start: the messenger records it so the chair can learn it,
// and a message that gets through again clears the mark.
import type { HotPath } from "../db/hot-path.ts";
import type { Repositories } from "../db/index.ts";

export interface Reachability {
  /** Telegram refused to deliver to this private chat (403). */
  refused(chatId: bigint, at: Date): Promise<void>;
  /** A message got through (a statement that usually changes nothing). */
  reached(chatId: bigint, at: Date): Promise<void>;
}

/** With `hot` (the application's handle), clearing the mark is a prepared statement. */
export function createPeopleService(
  repos: Pick<Repositories, "people">,
  hot?: Pick<HotPath, "clearBlocked">,
): Reachability {
  return {
    async refused(chatId, at) {
      await repos.people.setBlocked(chatId, at);
    },
    async reached(chatId, at) {
      if (hot) await hot.clearBlocked(chatId, at);
      else await repos.people.setBlocked(chatId, null);
    },
  };
}
