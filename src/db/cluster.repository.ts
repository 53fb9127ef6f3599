// Clusters, their boards and their versioned indicator sets.
import type { Board, Cluster, IndicatorSet } from "../domain/entities.ts";
import type {
  CalendarConfig,
  IndicatorDef,
  IndicatorRule,
  PeriodOverrides,
  Plans,
  ScoringConfig,
} from "../domain/types.ts";
import type { Db } from "./client.ts";
import { type Tx, toBoard, toCluster, toIndicator, writeAudit } from "./mappers.ts";

/** Stored plans with some years replaced, years in order (so an unchanged result compares equal). */
export function mergePlans(stored: Plans, replace: Plans): Plans {
  const merged: Plans = { ...stored, ...replace };
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((y) => [y, merged[y]!]),
  );
}

/** A validated cluster configuration, as the repository stores it. */
export interface ClusterApplyInput {
  code: string;
  name: string;
  timezone: string;
  groupChatId: bigint | null;
  calendar: CalendarConfig;
  scoring: ScoringConfig;
  overrides: PeriodOverrides;
  /** the years named in the file replace those years' stored plans; other years stay */
  plans?: Plans | undefined;
  rules?: IndicatorRule[] | undefined;
  /** a board leader approves reports before they count (absent: off) */
  approvalRequired?: boolean | undefined;
  /** the place in the briefing document's date line (absent: none) */
  place?: string | undefined;
  /** the briefing document's signer (absent: the chair's) */
  signer?: { position?: string | undefined; name?: string | undefined } | undefined;
  boards: { code: string; name: string; shortName: string; active: boolean }[];
  indicators: IndicatorDef[];
  indicatorHash: string;
  configHash: string;
}

export interface ApplyOutcome {
  clusterId: number;
  created: boolean;
  /** human-readable list of what changed; empty when nothing did */
  changes: string[];
}

/** Clusters whose group is `chatId`: linked there, or set there by the file with nothing linked. */
function postsTo(chatId: bigint) {
  return { OR: [{ linkedGroupChatId: chatId }, { linkedGroupChatId: null, groupChatId: chatId }] };
}

export function createClusterRepository(db: Db) {
  // Indicator sets are immutable once written (a changed list becomes a new version), so
  // each is read once per process: every answer of a report needs its set.
  const sets = new Map<number, IndicatorSet>();

  async function latestSet(tx: Tx | Db, clusterId: number) {
    return tx.indicatorSet.findFirst({ where: { clusterId }, orderBy: { version: "desc" } });
  }

  return {
    /** Creates or updates a cluster from its configuration in one transaction. Idempotent. */
    async apply(input: ClusterApplyInput, at: Date): Promise<ApplyOutcome> {
      return db.$transaction(
        async (tx) => {
          const changes: string[] = [];
          const existing = await tx.cluster.findUnique({ where: { code: input.code } });
          const fields = {
            name: input.name,
            timezone: input.timezone,
            groupChatId: input.groupChatId,
            calendar: JSON.stringify(input.calendar),
            scoring: JSON.stringify(input.scoring),
            overrides: JSON.stringify(input.overrides),
            plans: JSON.stringify(mergePlans(existing ? JSON.parse(existing.plans) : {}, input.plans ?? {})),
            rules: JSON.stringify(input.rules ?? []),
            approvalRequired: input.approvalRequired ?? false,
            place: input.place ?? null,
            signerPosition: input.signer?.position ?? null,
            signerName: input.signer?.name ?? null,
            configHash: input.configHash,
          };
          let clusterId: number;
          if (!existing) {
            const c = await tx.cluster.create({ data: { code: input.code, ...fields } });
            clusterId = c.id;
            changes.push(`cluster ${input.code} created`);
          } else {
            clusterId = existing.id;
            const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
              (k) => String(existing[k]) !== String(fields[k]),
            );
            const meaningful = changed.filter((k) => k !== "configHash");
            // a new groupChatId in the file replaces a group linked from the chat (/ketnoi or an upgrade)
            const unlink = changed.includes("groupChatId") ? { linkedGroupChatId: null } : {};
            if (changed.length > 0)
              await tx.cluster.update({ where: { id: clusterId }, data: { ...fields, ...unlink } });
            for (const k of meaningful) changes.push(`cluster ${k} changed`);
          }

          const boards = await tx.board.findMany({ where: { clusterId } });
          const byCode = new Map(boards.map((b) => [b.code, b]));
          for (const [position, b] of input.boards.entries()) {
            const old = byCode.get(b.code);
            if (!old) {
              await tx.board.create({ data: { clusterId, position, ...b } });
              changes.push(`board ${b.code} added`);
            } else if (
              old.name !== b.name ||
              old.shortName !== b.shortName ||
              old.active !== b.active ||
              old.position !== position
            ) {
              await tx.board.update({ where: { id: old.id }, data: { position, ...b } });
              changes.push(`board ${b.code} updated`);
            }
          }
          const listed = new Set(input.boards.map((b) => b.code));
          for (const old of boards) {
            if (!listed.has(old.code) && old.active) {
              // Boards are history: a board left out of the file is retired, never deleted.
              await tx.board.update({ where: { id: old.id }, data: { active: false } });
              changes.push(`board ${old.code} retired`);
            }
          }

          const set = await latestSet(tx, clusterId);
          if (!set || set.hash !== input.indicatorHash) {
            const version = (set?.version ?? 0) + 1;
            await tx.indicatorSet.create({
              data: {
                clusterId,
                version,
                hash: input.indicatorHash,
                indicators: {
                  create: input.indicators.map((d, position) => ({
                    position,
                    code: d.code,
                    label: d.label,
                    unit: d.unit,
                    kind: d.kind,
                    min: d.min ?? null,
                    max: d.max ?? null,
                    required: d.required,
                    weight: d.weight,
                    better: d.better,
                    target: d.target ?? null,
                    help: d.help ?? null,
                    aggregate: d.aggregate ?? null,
                    section: d.section ?? null,
                  })),
                },
              },
            });
            changes.push(`indicator set v${version} (${input.indicators.length} indicators)`);
          }
          if (changes.length > 0) {
            await writeAudit(tx, {
              clusterId,
              actorPersonId: null,
              action: "config.apply",
              entity: "cluster",
              entityId: clusterId,
              before: existing ? { configHash: existing.configHash } : undefined,
              after: { configHash: input.configHash, changes },
              at,
            });
          }
          return { clusterId, created: !existing, changes };
        },
        // a first apply of a large cluster writes a row per board and indicator: more
        // than Prisma's default 5 s on PostgreSQL for about 1,400 boards
        { timeout: 120_000, maxWait: 30_000 },
      );
    },

    /** `cli plans import`: the years in `plans` replaced (other years stay), in one audited transaction. */
    async setPlans(clusterId: number, plans: Plans, at: Date): Promise<void> {
      await db.$transaction(async (tx) => {
        const c = await tx.cluster.findUniqueOrThrow({ where: { id: clusterId } });
        const before: Plans = JSON.parse(c.plans);
        await tx.cluster.update({
          where: { id: clusterId },
          data: { plans: JSON.stringify(mergePlans(before, plans)) },
        });
        await writeAudit(tx, {
          clusterId,
          actorPersonId: null,
          action: "plans.import",
          entity: "cluster",
          entityId: clusterId,
          before: Object.fromEntries(Object.keys(plans).map((y) => [y, before[y] ?? null])),
          after: plans,
          at,
        });
      });
    },

    async findByCode(code: string): Promise<Cluster | null> {
      const r = await db.cluster.findUnique({ where: { code } });
      return r ? toCluster(r) : null;
    },

    async findById(id: number): Promise<Cluster | null> {
      const r = await db.cluster.findUnique({ where: { id } });
      return r ? toCluster(r) : null;
    },

    /** The cluster whose group this is: the linked group, or the file's when none is linked. */
    async findByGroupChat(chatId: bigint): Promise<Cluster | null> {
      const r = await db.cluster.findFirst({ where: postsTo(chatId), orderBy: { id: "asc" } });
      return r ? toCluster(r) : null;
    },

    /** /ketnoi: the chair links a group as the cluster's group (audited). */
    async linkGroup(clusterId: number, chatId: bigint, actorPersonId: number | null, at: Date): Promise<void> {
      await db.$transaction(async (tx) => {
        const before = await tx.cluster.findUniqueOrThrow({ where: { id: clusterId } });
        await tx.cluster.update({ where: { id: clusterId }, data: { linkedGroupChatId: chatId } });
        await writeAudit(tx, {
          clusterId,
          actorPersonId,
          action: "group.link",
          entity: "cluster",
          entityId: clusterId,
          before: { groupChatId: String(before.linkedGroupChatId ?? before.groupChatId ?? "") },
          after: { groupChatId: String(chatId) },
          at,
        });
      });
    },

    /** A group upgraded to a supergroup: every cluster posting to `from` now posts to `to` (audited). */
    async followGroupMigration(from: bigint, to: bigint, at: Date): Promise<Cluster[]> {
      return db.$transaction(async (tx) => {
        const rows = await tx.cluster.findMany({ where: postsTo(from) });
        const out: Cluster[] = [];
        for (const r of rows) {
          // Telegram announces an upgrade twice (migrate_to_chat_id in the old group,
          // migrate_from_chat_id in the new one), handled concurrently: the update is
          // conditional, so the second sees the row moved (after the first commits, on
          // PostgreSQL's row lock) and neither moves it again nor audits it twice.
          const moved = await tx.cluster.updateMany({
            where: { id: r.id, ...postsTo(from) },
            data: { linkedGroupChatId: to },
          });
          if (moved.count === 0) continue;
          const updated = await tx.cluster.findUniqueOrThrow({ where: { id: r.id } });
          await writeAudit(tx, {
            clusterId: r.id,
            actorPersonId: null,
            action: "group.migrate",
            entity: "cluster",
            entityId: r.id,
            before: { groupChatId: String(from) },
            after: { groupChatId: String(to) },
            at,
          });
          out.push(toCluster(updated));
        }
        return out;
      });
    },

    async listAll(): Promise<Cluster[]> {
      return (await db.cluster.findMany({ orderBy: { code: "asc" } })).map(toCluster);
    },

    /** Boards in configuration order; retired ones only when asked. */
    async boards(clusterId: number, opts: { includeRetired?: boolean } = {}): Promise<Board[]> {
      const rows = await db.board.findMany({
        where: { clusterId, ...(opts.includeRetired ? {} : { active: true }) },
        orderBy: [{ position: "asc" }, { code: "asc" }],
      });
      return rows.map(toBoard);
    },

    async boardByCode(clusterId: number, code: string): Promise<Board | null> {
      const r = await db.board.findUnique({ where: { clusterId_code: { clusterId, code } } });
      return r ? toBoard(r) : null;
    },

    async boardById(id: number): Promise<Board | null> {
      const r = await db.board.findUnique({ where: { id } });
      return r ? toBoard(r) : null;
    },

    async currentIndicatorSet(clusterId: number): Promise<IndicatorSet | null> {
      const set = await latestSet(db, clusterId);
      return set ? this.indicatorSet(set.id) : null;
    },

    async indicatorSet(id: number): Promise<IndicatorSet | null> {
      const cached = sets.get(id);
      if (cached) return cached;
      const set = await db.indicatorSet.findUnique({
        where: { id },
        include: { indicators: { orderBy: { position: "asc" } } },
      });
      if (!set) return null;
      const out: IndicatorSet = Object.freeze({
        id: set.id,
        clusterId: set.clusterId,
        version: set.version,
        indicators: Object.freeze(
          set.indicators.map((i) => Object.freeze(toIndicator(i))),
        ) as IndicatorSet["indicators"],
      });
      sets.set(id, out);
      return out;
    },
  };
}

export type ClusterRepository = ReturnType<typeof createClusterRepository>;
