// The context types of the bot: the outer one (middleware tree) carries the actor
// (who is writing, with roles); the inner one is what conversations see.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Actor } from "../services/access.service.ts";

export type BaseContext = Context & {
  /** null for updates without a sender (channel posts) */
  actor: Actor | null;
};

export type BotContext = ConversationFlavor<BaseContext>;

/** Context inside conversations: plain, the actor is looked up through services. */
export type SceneContext = Context;
