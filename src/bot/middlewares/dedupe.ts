// Exactly-once handling of updates. Telegram redelivers an update when the bot dies
// before confirming it, and retries a webhook call that failed or timed out. A
// redelivered answer must not be applied a second time (a conversation would take it
// as the answer to the NEXT question), so each update_id is recorded before it is
// handled; a second arrival is dropped (a button press is still answered, so the
// phone stops spinning). If handling fails, the record is removed so a redelivery can
// try again.
import type { MiddlewareFn } from "grammy";
import type { Logger } from "pino";
import type { Clock } from "../../services/clock.ts";
import type { UpdateLog } from "../../services/update-state.ts";
import type { BotContext } from "../context.ts";

export const DEDUPE_RETENTION_MS = 48 * 3600_000;
const PRUNE_EVERY = 500;

/**
 * Two middlewares. `check` (first) drops an update already recorded, with a read; `claim`
 * (after the report conversation) records the update before the rest of the bot handles
 * it. The report conversation records the updates it takes itself, inside the transaction
 * that stores what they change (ctx.updateClaim): one commit per answer instead of two.
 */
export function createDedupeMiddleware(deps: { updates: UpdateLog; clock: Clock; logger: Logger }): {
  check: MiddlewareFn<BotContext>;
  claim: MiddlewareFn<BotContext>;
} {
  const { updates, clock, logger } = deps;
  let seen = 0;
  const skip = async (ctx: BotContext) => {
    logger.warn({ updateId: ctx.update.update_id }, "redelivered update skipped");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  };
  const check: MiddlewareFn<BotContext> = async (ctx, next) => {
    const id = ctx.update.update_id;
    if (await updates.isHandled(ctx.me.id, id)) return skip(ctx);
    ctx.updateClaim = { botId: ctx.me.id, updateId: id, at: clock.now() };
    await next();
  };
  const claim: MiddlewareFn<BotContext> = async (ctx, next) => {
    const id = ctx.update.update_id;
    const now = clock.now();
    if (!(await updates.markHandled(ctx.me.id, id, now))) return skip(ctx);
    ctx.updateClaim = undefined; // recorded: what the features write does not record it again
    if (++seen % PRUNE_EVERY === 0) {
      updates
        .prune(new Date(now.getTime() - DEDUPE_RETENTION_MS))
        .catch((err: unknown) => logger.warn({ err }, "pruning handled update ids failed"));
    }
    try {
      await next();
    } catch (err) {
      await updates.forget(ctx.me.id, id).catch(() => undefined);
      throw err;
    }
  };
  return { check, claim };
}
