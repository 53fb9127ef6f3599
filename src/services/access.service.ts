// Who is this Telegram user, and what may they do in which cluster.

import type { HotPath } from "../db/hot-path.ts";
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

/** Where a command applies, and as whom. */
export interface CommandScope {
  cluster: Cluster;
  roles: Role[];
  boardId: number | null;
  /** the command came from the cluster's group chat */
  inGroup: boolean;
}

export function hasRole(actor: Actor | null | undefined, ...roles: Role[]): boolean {
  return !!actor?.active && actor.active.roles.some((r) => roles.includes(r));
}

export function createAccessService(repos: Repositories, hot: HotPath) {
  /** Roles per cluster from the person's current memberships (one joined statement). */
  async function load(person: Person): Promise<Actor> {
    const { active: rows, untold } = await hot.memberships(person.id);
    const byCluster = new Map<number, typeof rows>();
    for (const r of rows) byCluster.set(r.cluster.id, [...(byCluster.get(r.cluster.id) ?? []), r]);
    const clusters: ClusterRoles[] = [];
    for (const rs of byCluster.values()) {
      // every board the person is secretary of (several when standing in for a colleague)
      const boards: Board[] = [];
      for (const r of rs) {
        if (r.membership.role === "secretary" && r.board && !boards.some((b) => b.id === r.board!.id)) {
          boards.push(r.board);
        }
      }
      clusters.push({
        cluster: rs[0]!.cluster,
        roles: [...new Set(rs.map((r) => r.membership.role))],
        board: boards[0] ?? null,
        boards,
        memberships: rs.map((r) => r.membership),
      });
    }
    const active =
      clusters.find((c) => c.cluster.id === person.activeClusterId) ?? (clusters.length === 1 ? clusters[0]! : null);
    return { person, clusters, active, untold };
  }

  const sameProfile = (p: Person, profile: TelegramProfile) =>
    p.firstName === profile.firstName &&
    p.lastName === (profile.lastName ?? null) &&
    p.username === (profile.username ?? null);

  return {
    /** Records the latest profile (a write only when it changed) and returns the person with their roles. */
    async resolve(profile: TelegramProfile): Promise<Actor> {
      const known = await hot.personByTelegramId(profile.telegramId);
      return load(known && sameProfile(known, profile) ? known : await repos.people.upsert(profile));
    },

    /** The roles of a person already read (saves reading them again by Telegram id). */
    async forPerson(person: Person): Promise<Actor> {
      return load(person);
    },

    /** The roles of a person known by id (someone other than the sender, e.g. a former chair). */
    async byPersonId(personId: number): Promise<Actor | null> {
      const person = await repos.people.byId(personId);
      return person ? load(person) : null;
    },

    async byTelegramId(telegramId: bigint): Promise<Actor | null> {
      const person = await hot.personByTelegramId(telegramId);
      return person ? load(person) : null;
    },

    /**
     * Where a command applies: the sender's active cluster in a private chat, or the
     * cluster whose group chat this is (only for members of that cluster).
     */
    async scope(actor: Actor | null, chat: { id: number; type: string } | undefined): Promise<CommandScope | null> {
      if (!actor || !chat) return null;
      if (chat.type === "private") {
        const a = actor.active;
        return a ? { cluster: a.cluster, roles: a.roles, boardId: a.board?.id ?? null, inGroup: false } : null;
      }
      const cluster = await repos.clusters.findByGroupChat(BigInt(chat.id));
      if (!cluster) return null;
      const member = actor.clusters.find((c) => c.cluster.id === cluster.id);
      return member ? { cluster, roles: member.roles, boardId: member.board?.id ?? null, inGroup: true } : null;
    },

    /** The cluster whose group chat this is, if any. */
    groupCluster(chatId: bigint): Promise<Cluster | null> {
      return repos.clusters.findByGroupChat(chatId);
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
