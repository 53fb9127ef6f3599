// Conversation state in our database, so a conversation survives a restart (or a
// SIGKILL) and can continue in another instance sharing the database. Reads and
// compare-and-set writes go through the hot path's prepared statements.
import type { HotPath } from "../db/hot-path.ts";

export interface ConversationStore {
  read(key: string): Promise<string | undefined>;
  /** compare-and-set: false when the stored state is no longer `expected` */
  write: HotPath["writeState"];
}

export function createConversationStore(hot: HotPath): ConversationStore {
  return {
    read: (key) => hot.readState(key),
    write: (w, at) => hot.writeState(w, at),
  };
}
