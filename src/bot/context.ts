// The context types of the bot: the outer one (middleware tree) carries the actor
// (who is writing, with roles).
import type { Context } from "grammy";
import type { Actor } from "../services/access.service.ts";
import type { UpdateClaim } from "../services/update-state.ts";

export type BaseContext = Context & {
  /** null for updates without a sender (channel posts) */
  actor: Actor | null;
  /** this update, to be recorded as handled with what it changes (set by the exactly-once check) */
  updateClaim?: UpdateClaim | undefined;
};

export type BotContext = BaseContext;
