// Where a command applies (see AccessService.scope): the sender's active cluster in a
// private chat, or the cluster whose group chat this is.
import type { AccessService, CommandScope } from "../services/access.service.ts";
import type { BaseContext } from "./context.ts";

export type { CommandScope };

export function commandScope(ctx: BaseContext, access: AccessService): Promise<CommandScope | null> {
  return access.scope(ctx.actor, ctx.chat);
}

export const isLeader = (scope: CommandScope | null) =>
  !!scope && (scope.roles.includes("chair") || scope.roles.includes("deputy"));
