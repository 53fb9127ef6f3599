// Who is this Telegram user, and what may they do in which cluster.

import type { Repositories } from "../db/index.ts";
import type { TelegramProfile } from "../db/people.repository.ts";
import type { Board, Cluster, Membership, Person } from "../domain/entities.ts";
import type { Role } from "../domain/types.ts";

export interface ClusterRoles {
  cluster: Cluster;
  roles: Role[];
  /** the secretary's board (the first, when the person is secretary of several) */
  board: Board | null;
  /** every board the person is secretary of here (several when standing in for a colleague) */
  boards?: Board[];
  memberships: Membership[];
}

export interface Actor {
  person: Person;
  /** every cluster the person belongs to */
  clusters: ClusterRoles[];
  /** the cluster the person acts in now: the chosen one, or the only one */
  active: ClusterRoles | null;
  /** ended memberships (removal, handover) the person has not been told about yet */
  untold?: number[];
}

export function hasRole(actor: Actor | null | undefined, ...roles: Role[]): boolean {
  return !!actor?.active && actor.active.roles.some((r) => roles.includes(r));
}

export function createAccessService(repos: Repositories) {
  async function load(person: Person): Promise<Actor> {
    const { active: memberships, untold } = await repos.people.membershipsAndUntold(person.id);
    const byCluster = new Map<number, Membership[]>();
    for (const m of memberships) byCluster.set(m.clusterId, [...(byCluster.get(m.clusterId) ?? []), m]);
    const clusters: ClusterRoles[] = [];
    for (const [clusterId, ms] of byCluster) {
      const cluster = await repos.clusters.findById(clusterId);
      if (!cluster) continue;
      const boards: Board[] = [];
      for (const m of ms) {
        if (m.role !== "secretary" || m.boardId === null || boards.some((b) => b.id === m.boardId)) continue;
        const board = await repos.clusters.boardById(m.boardId);
        if (board) boards.push(board);
      }
      clusters.push({
        cluster,
        roles: [...new Set(ms.map((m) => m.role))],
        board: boards[0] ?? null,
        boards,
        memberships: ms,
      });
    }
    const active =
      clusters.find((c) => c.cluster.id === person.activeClusterId) ?? (clusters.length === 1 ? clusters[0]! : null);
    return { person, clusters, active, untold };
  }

  return {
    /** Records the latest profile and returns the person with their roles. */
    async resolve(profile: TelegramProfile): Promise<Actor> {
      return load(await repos.people.upsert(profile));
    },

    /** The roles of a person already read (saves reading them again by Telegram id). */
    async forPerson(person: Person): Promise<Actor> {
      return load(person);
    },

    async byTelegramId(telegramId: bigint): Promise<Actor | null> {
      const person = await repos.people.byTelegramId(telegramId);
      return person ? load(person) : null;
    },

    async chooseCluster(actor: Actor, clusterCode: string): Promise<Actor | null> {
      const target = actor.clusters.find((c) => c.cluster.code === clusterCode);
      if (!target) return null;
      await repos.people.setActiveCluster(actor.person.id, target.cluster.id);
      return { ...actor, person: { ...actor.person, activeClusterId: target.cluster.id }, active: target };
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
