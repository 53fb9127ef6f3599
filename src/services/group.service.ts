// The cluster's group chat: linked by the chair with /ketnoi (the file's numeric
// groupChatId keeps working), followed when Telegram upgrades it to a supergroup (the
// old id stops working), and watched for the bot's removal. Returns typed outcomes;
// the bot layer renders them.
import type { Repositories } from "../db/index.ts";
import type { Cluster, Person } from "../domain/entities.ts";
import type { Logger } from "../logger.ts";
import type { Actor } from "./access.service.ts";
import type { Clock } from "./clock.ts";

/** Why the summary could not be posted to the cluster's group (thrown by the summary poster). */
export type GroupPostFailure = "no_group" | "refused" | "failed";

export class GroupPostError extends Error {
  constructor(
    readonly reason: GroupPostFailure,
    cause?: unknown,
  ) {
    super(`group post ${reason}${cause instanceof Error ? `: ${cause.message}` : ""}`, { cause });
    this.name = "GroupPostError";
  }
}

export type LinkOutcome =
  | { ok: true; cluster: Cluster; already: boolean }
  | { ok: false; reason: "not_chair" }
  | { ok: false; reason: "other_cluster"; clusterName: string };

export function createGroupService(deps: { repos: Repositories; clock: Clock; logger: Logger }) {
  const { repos, clock, logger } = deps;

  async function chairs(cluster: Cluster): Promise<Person[]> {
    return (await repos.people.members(cluster.id, ["chair"])).map((m) => m.person);
  }

  return {
    chairs,

    /**
     * /ketnoi in a group: the sender must chair a cluster (the active one when they chair several); a group
     * already linked to another cluster stays with it.
     */
    async link(actor: Actor, chatId: bigint): Promise<LinkOutcome> {
      const chaired = actor.clusters.filter((c) => c.roles.includes("chair"));
      const mine = chaired.find((c) => c.cluster.id === actor.active?.cluster.id) ?? chaired[0];
      if (!mine) return { ok: false, reason: "not_chair" };
      const current = await repos.clusters.findByGroupChat(chatId);
      if (current && current.id !== mine.cluster.id) {
        return { ok: false, reason: "other_cluster", clusterName: current.name };
      }
      if (current) return { ok: true, cluster: current, already: true };
      await repos.clusters.linkGroup(mine.cluster.id, chatId, actor.person.id, clock.now());
      logger.info({ cluster: mine.cluster.code, chatId: String(chatId) }, "group linked");
      const cluster = (await repos.clusters.findById(mine.cluster.id)) ?? mine.cluster;
      return { ok: true, cluster, already: false };
    },

    /** A group became a supergroup: clusters posting to `from` post to `to` from now on. Idempotent. */
    async followMigration(from: bigint, to: bigint): Promise<Cluster[]> {
      const moved = await repos.clusters.followGroupMigration(from, to, clock.now());
      for (const c of moved) {
        logger.warn(
          { cluster: c.code, from: String(from), to: String(to) },
          "group upgraded to a supergroup; following",
        );
      }
      return moved;
    },

    /** The bot was removed from a group: the cluster it served, if any (the link stays; posts fail and are retried). */
    async removed(chatId: bigint): Promise<Cluster | null> {
      const cluster = await repos.clusters.findByGroupChat(chatId);
      if (cluster)
        logger.warn({ cluster: cluster.code, chatId: String(chatId) }, "bot removed from the cluster's group");
      return cluster;
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
