// Small key-value stores: per-chat conversation state (the report loop's, a leader's
// pending return reason), and the update_ids already handled (Telegram redelivers an
// update the bot did not confirm).
import type { Db } from "./client.ts";

export function createConversationStateRepository(db: Db) {
  return {
    async read(key: string): Promise<string | undefined> {
      const r = await db.conversationState.findUnique({ where: { key } });
      return r?.value;
    },
    async write(key: string, value: string): Promise<void> {
      await db.conversationState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(key: string): Promise<void> {
      await db.conversationState.deleteMany({ where: { key } });
    },
  };
}

export function createProcessedUpdateRepository(db: Db) {
  return {
    /** Records an update id of a bot; false when it was already recorded (a redelivery). */
    async markHandled(botId: number, updateId: number, at: Date): Promise<boolean> {
      try {
        await db.processedUpdate.create({ data: { botId: BigInt(botId), updateId: BigInt(updateId), handledAt: at } });
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === "P2002") return false;
        throw err;
      }
    },
    async forget(botId: number, updateId: number): Promise<void> {
      await db.processedUpdate.deleteMany({ where: { botId: BigInt(botId), updateId: BigInt(updateId) } });
    },
    async prune(before: Date): Promise<number> {
      return (await db.processedUpdate.deleteMany({ where: { handledAt: { lt: before } } })).count;
    },
  };
}

export function createAuditRepository(db: Db) {
  return {
    async list(filter: { clusterId?: number; entity?: string; entityId?: string; action?: string }) {
      return db.auditEntry.findMany({ where: filter, orderBy: { id: "asc" } });
    },
  };
}

export type ConversationStateRepository = ReturnType<typeof createConversationStateRepository>;
export type ProcessedUpdateRepository = ReturnType<typeof createProcessedUpdateRepository>;
export type AuditRepository = ReturnType<typeof createAuditRepository>;
