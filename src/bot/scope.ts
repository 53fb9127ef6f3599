// Where a command applies: the sender's active cluster in a private chat, or the
// cluster whose group chat this is (only for members of that cluster).

import type { Repositories } from "../db/index.ts";
import type { Cluster } from "../domain/entities.ts";
import type { Role } from "../domain/types.ts";
import type { BaseContext } from "./context.ts";

export interface CommandScope {
  cluster: Cluster;
  roles: Role[];
  boardId: number | null;
  inGroup: boolean;
}

export async function commandScope(ctx: BaseContext, repos: Repositories): Promise<CommandScope | null> {
  const actor = ctx.actor;
  if (!actor || !ctx.chat) return null;
  if (ctx.chat.type === "private") {
    const a = actor.active;
    return a ? { cluster: a.cluster, roles: a.roles, boardId: a.board?.id ?? null, inGroup: false } : null;
  }
  const cluster = await repos.clusters.findByGroupChat(BigInt(ctx.chat.id));
  if (!cluster) return null;
  const member = actor.clusters.find((c) => c.cluster.id === cluster.id);
  return member ? { cluster, roles: member.roles, boardId: member.board?.id ?? null, inGroup: true } : null;
}

export const isLeader = (scope: CommandScope | null) =>
  !!scope && (scope.roles.includes("chair") || scope.roles.includes("deputy"));
