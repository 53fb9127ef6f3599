// Conversation state in our database, so a conversation survives a restart (or a
// SIGKILL) and can continue in another instance sharing the database.
import type { VersionedStateStorage } from "@grammyjs/conversations";
import type { ConversationStateRepository } from "../db/state.repository.ts";

export function createConversationStorageAdapter<S>(
  repo: ConversationStateRepository,
): VersionedStateStorage<string, S> {
  return {
    async read(key) {
      const raw = await repo.read(key);
      return raw === undefined ? undefined : JSON.parse(raw);
    },
    async write(key, state) {
      await repo.write(key, JSON.stringify(state));
    },
    async delete(key) {
      await repo.delete(key);
    },
  };
}
