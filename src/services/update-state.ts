// What the bot keeps between updates, as the bot layer sees it: per-chat conversation
// state (compare-and-set) and the record of handled update ids (exactly-once). The bot
// gets these ports from the composition root (src/app.ts), never the database module.
import type { HotPath, StateWrite, UpdateClaim, WriteOutcome } from "../db/hot-path.ts";
import type { ProcessedUpdateRepository } from "../db/state.repository.ts";

export type { StateWrite, UpdateClaim, WriteOutcome };

/** The key of a chat's report conversation state (a private chat's id is the person's Telegram id). */
export const reportConversationKey = (chatId: bigint | number) => `report:${chatId}`;

export interface ConversationStore {
  read(key: string): Promise<string | undefined>;
  /** compare-and-set (a null value deletes): conflict when the stored state is no longer `expected` */
  write(write: Omit<StateWrite, "value"> & { value: StateWrite["value"] | null }, at: Date): Promise<WriteOutcome>;
}

export interface UpdateLog {
  /** Whether an update id was recorded as handled (a read: no commit). */
  isHandled(botId: number, updateId: number): Promise<boolean>;
  /** Records an update id; false when it was recorded before (a redelivery). */
  markHandled(botId: number, updateId: number, at: Date): Promise<boolean>;
  forget(botId: number, updateId: number): Promise<void>;
  /** Drops the records handled before `before`; how many. */
  prune(before: Date): Promise<number>;
}

/** Reads and writes go through the hot path's prepared statements. */
export function createConversationStore(hot: Pick<HotPath, "readState" | "writeState">): ConversationStore {
  return { read: (key) => hot.readState(key), write: (w, at) => hot.writeState(w, at) };
}

/** The per-update statements on the hot path; the occasional prune through the repository. */
export function createUpdateLog(
  hot: Pick<HotPath, "isHandled" | "markHandled" | "forget">,
  updates: Pick<ProcessedUpdateRepository, "prune">,
): UpdateLog {
  return {
    isHandled: (botId, updateId) => hot.isHandled(botId, updateId),
    markHandled: (botId, updateId, at) => hot.markHandled(botId, updateId, at),
    forget: (botId, updateId) => hot.forget(botId, updateId),
    prune: (before) => updates.prune(before),
  };
}
